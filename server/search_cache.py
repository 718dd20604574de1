"""The search index of a served graph that has none beside it, built by the server itself.

A dataset built by a version before search has no ``habitat-kg.search.sqlite`` beside it, and a
SPARQL server given as the store (``serve --store URL``) has no build folder at all.
Such a server asks its store for the rows the index reads (``search-index-rows.rq``, one query
per property, each under the store's time limit) and writes the index into the per-user cache
folder (or the ``SEARCH_CACHE`` folder of the app's config), never beside the dataset or into
the package. The file is named by what it indexes (the store, the dataset file's stamp, the
triple count), so a rebuilt dataset gets a new one; it is written under another name and
renamed when whole, so that no reader sees half of it.

One build runs at a time, in a thread: the request that started it waits a few seconds
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
from pathlib import Path

import platformdirs
from flask import Flask
from rdflib import Graph

from habitat_kg.graph.search import INDEX_FILE, IndexMissing, SearchIndex, build_index
from habitat_kg.graph.search.building import INDEXED_PROPERTIES, SCHEMA_VERSION
from habitat_kg.queries import load_query
from habitat_kg.rdf import rdflib_term
from habitat_kg.server.graph import ServedGraph, file_stamp
from habitat_kg.server.store.base import Triples

log = logging.getLogger(__name__)

#: The most rows (names, texts, classes) the server reads from a store to index it.
MOST_ROWS = 1_000_000
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
    thread: threading.Thread | None = None
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
        thread, started = _started(build, graph)
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
    _started(build, graph)
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
        state = app.extensions[_STATE] = _Build(path)
    return state


def _started(build: _Build, graph: ServedGraph) -> tuple[threading.Thread, bool]:
    """The thread building the index, started now unless one runs or has written it; and
    whether it was started now."""
    with build.lock:
        started = build.thread is None or (not build.thread.is_alive() and not build.path.is_file())
        if started:
            build.error = None
            build.thread = threading.Thread(
                target=_write, args=(build, graph), name="search-index", daemon=True
            )
            build.thread.start()
        assert build.thread is not None
        return build.thread, started


def _write(build: _Build, graph: ServedGraph) -> None:
    """Read the indexed rows from the store, write the index to a new file, rename it."""
    partial = build.path.with_name(f".{build.path.name}.{os.getpid()}.partial")
    try:
        log.info("search index: not found beside the dataset; building it from the store")
        rows = _rows_of(graph)
        log.info("search index: %d rows read; writing %s", len(rows), build.path)
        build.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial.unlink(missing_ok=True)
        build_index(rows, partial)
        os.replace(partial, build.path)
        log.info("search index: ready (%d bytes)", build.path.stat().st_size)
        _forget_old(build.path)
    except Exception as error:  # any failure is told to the searches, not lost in a thread
        build.error = f"{type(error).__name__}: {error}"
        build.failed_at = time.monotonic()
        log.warning("search index: could not be built: %s", build.error)
        with contextlib.suppress(OSError):  # nothing half-written is left
            partial.unlink(missing_ok=True)


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


def _rows_of(graph: ServedGraph) -> Graph:
    """The rows of every property the index reads, one store query per property."""
    text = load_query("habitat_kg.server", "search-index-rows")
    rows = Graph()
    for number, iri in enumerate(INDEXED_PROPERTIES, 1):
        answer = graph.store.query(f"{text}VALUES ?property {{ <{iri}> }}\n")
        if not isinstance(answer, Triples):
            raise TypeError("search-index-rows.rq is a CONSTRUCT query")
        for triple in answer:
            rows.add(tuple(rdflib_term(term) for term in triple))  # type: ignore[arg-type]
        if len(rows) > MOST_ROWS:  # held in this server's memory: a graph that large is indexed
            raise ValueError(  # by the build, where it is written with the dataset
                f"the store holds more than {MOST_ROWS:,} names and texts: too many to index "
                "in the server; build the dataset with `habitat-kg build`, which writes its index"
            )
        log.info(
            "search index: %d of %d properties read (%s)",
            number,
            len(INDEXED_PROPERTIES),
            iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1],
        )
    return rows
