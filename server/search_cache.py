"""The search index of a served graph that has none beside it, built by the server itself.

A dataset built by a version before search (or generated for a benchmark) has no
``habitat-kg.search.sqlite`` beside it, and a SPARQL server given as the store (``serve --store
URL``) has no build folder at all. Such a server writes the index in a process of its own, from
the rows it reads in batches (``search_build``: from the dataset file, or from the SPARQL server,
one query per property under the store's time limit), so that its own memory does not grow with
the graph; into the per-user cache folder (or the ``SEARCH_CACHE`` folder of the app's config),
never beside the dataset or into the package. The file is named by what it indexes (the store,
the dataset file's stamp, the triple count), so a rebuilt dataset gets a new one; it is written
under another name and renamed when whole, so that no reader sees half of it.

One build runs at a time, watched by a thread: the request that started it waits a few seconds
(``SEARCH_BUILD_WAIT``) and then, like the requests after it, is told the index is being built
(503 with Retry-After) until it is done. Progress goes to the log (``serve`` prints it).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path

import platformdirs
from flask import Flask

from habitat_kg.graph.search import INDEX_FILE, IndexMissing, SearchIndex
from habitat_kg.graph.search.building import SCHEMA_VERSION
from habitat_kg.server.graph import ServedGraph, file_stamp
from habitat_kg.server.search_build import BuildFailed, build_apart
from habitat_kg.server.store.forking import worker_context

log = logging.getLogger(__name__)

#: The names of this cache's files (only they are ever deleted from its folder).
_PREFIX = "hkg-search-"

#: Seconds the request that starts a build waits for it before answering 503.
DEFAULT_WAIT = 5.0
#: Seconds a client is told to wait before asking again while the index is built.
RETRY_AFTER = 10
#: Seconds after a failed build before a search may start another (a store that is down is
#: not asked again by every search).
RETRY_FAILED = 300
#: Indexes kept in the cache folder (of datasets served before, or by other servers).
KEPT = 8
_STATE = "habitat_kg.search_cache"


class IndexBuilding(RuntimeError):
    """The server is building its search index (503 with Retry-After)."""


@dataclass
class _Build:
    """The index one app builds: where it goes, the thread writing it, what went wrong."""

    path: Path
    #: What it is written from: the store setting, the dataset file, a query's time limit.
    source: tuple[str, str, float]
    thread: threading.Thread | None = None
    #: The process writing it (ended when the server stops), and whether the server stops.
    process: BaseProcess | None = None
    stopping: bool = False
    error: str | None = None
    failed_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def cached_index(app: Flask, graph: ServedGraph) -> SearchIndex:
    """The index this server built for ``graph``, starting its build when there is none yet.

    Raises IndexBuilding while the build runs, IndexMissing when it failed (with the reason).
    """
    build = _build_of(app, graph)
    if build.error is not None and time.monotonic() - build.failed_at < RETRY_FAILED:
        raise IndexMissing(f"the search index could not be built: {build.error}")
    if not build.path.is_file():
        thread, started = _started(build)
        # only the request that started it waits: the others do not hold a server thread
        thread.join(float(app.config.get("SEARCH_BUILD_WAIT", DEFAULT_WAIT)) if started else 0)
        if thread.is_alive():
            raise IndexBuilding(
                "the search index is being built from the store's contents: "
                f"ask again in {RETRY_AFTER} s"
            )
    if build.error is not None and not build.path.is_file():
        raise IndexMissing(f"the search index could not be built: {build.error}")
    try:
        return SearchIndex(build.path)
    except (sqlite3.DatabaseError, IndexMissing) as error:  # damaged, or of another version
        with contextlib.suppress(OSError):
            build.path.unlink()  # built again when next asked for
        raise IndexMissing(f"the cached search index could not be read ({error})") from None


def start_building(app: Flask, graph: ServedGraph) -> bool:
    """Start the build at once (``serve`` does, so that the first search finds it done) when
    the dataset has no index and none is cached; whether a build was started."""
    if (graph.dataset.parent / INDEX_FILE).is_file():
        return False
    build = _build_of(app, graph)
    if build.path.is_file():
        return False
    _started(build)
    return True


def print_progress() -> None:
    """Show the build's progress on standard error, as ``serve`` prints its own lines."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("habitat-kg: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def cache_folder(app: Flask) -> Path:
    """Where this server keeps the indexes it builds."""
    given = app.config.get("SEARCH_CACHE")
    return Path(given) if given else Path(platformdirs.user_cache_dir("habitat-kg")) / "search"


def _build_of(app: Flask, graph: ServedGraph) -> _Build:
    key = "\0".join(
        [
            SCHEMA_VERSION,
            str(app.config["STORE"]),
            str(graph.dataset.resolve()),
            str(file_stamp(graph.dataset)),
            str(graph.triples),
        ]
    )
    name = _PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".sqlite"
    path = cache_folder(app) / name
    state = app.extensions.get(_STATE)
    if state is None or state.path != path:
        source = (str(app.config["STORE"]), str(graph.dataset), float(app.config["TIMEOUT"]))
        state = app.extensions[_STATE] = _Build(path, source)
    return state


def stop_building(app: Flask) -> None:
    """End the process writing the index, if one does (the server is stopping); what it wrote
    is deleted."""
    build = app.extensions.get(_STATE)
    process = build.process if build is not None else None
    if build is not None:
        build.stopping = True
    if process is not None:
        with contextlib.suppress(ValueError, AttributeError, AssertionError):  # ended meanwhile
            process.terminate()  # it deletes its files, then ends
            process.join(5)


def _started(build: _Build) -> tuple[threading.Thread, bool]:
    """The thread building the index, started now unless one runs or has written it; and
    whether it was started now."""
    with build.lock:
        started = build.thread is None or (not build.thread.is_alive() and not build.path.is_file())
        if started:
            build.error = None
            build.thread = threading.Thread(
                target=_write, args=(build,), name="search-index", daemon=True
            )
            build.thread.start()
        assert build.thread is not None
        return build.thread, started


def _write(build: _Build) -> None:
    """Write the index to a new file in a process of its own, then rename it."""
    partial = build.path.with_name(f".{build.path.name}.{os.getpid()}.partial")
    try:
        log.info("search index: not found beside the dataset; building it in a process of its own")
        build.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial.unlink(missing_ok=True)
        build_apart(
            worker_context(),
            build.source,
            partial,
            lambda text: log.info("search index: %s", text),
            lambda process: setattr(build, "process", process),
        )
        os.replace(partial, build.path)
        log.info("search index: ready (%d bytes)", build.path.stat().st_size)
        _forget_old(build.path)
    except Exception as error:  # any failure is told to the searches, not lost in a thread
        failed = isinstance(error, BuildFailed)
        build.error = str(error) if failed else f"{type(error).__name__}: {error}"
        build.failed_at = time.monotonic()
        if not build.stopping:
            log.warning("search index: could not be built: %s", build.error)
        with contextlib.suppress(OSError):  # nothing half-written is left
            partial.unlink(missing_ok=True)
    finally:
        build.process = None


def _forget_old(kept: Path) -> None:
    """Delete all but the newest ``KEPT`` indexes of the folder (every rebuilt dataset leaves
    one behind); one in use stays readable by whoever has it open."""
    built = sorted(
        kept.parent.glob(_PREFIX + "*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in built[KEPT:]:
        if old != kept:
            with contextlib.suppress(OSError):
                old.unlink()
