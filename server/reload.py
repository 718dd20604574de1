"""Serving a rebuilt dataset without a restart: the project's sources are built again and the
server moves onto the new dataset at once.

:func:`reload_dataset` builds every layer from the sources (``graph/build.py``) and checks them;
a bad source stops it there and nothing served changes (the result names the file and line).
Then the server moves onto the new layers in one of two ways:

- **in place** (the default): the layers that changed, typically the curated statements (the
  first time, all four: the server knows only what its workers loaded, not which build it was;
  above ``SMALL`` quads the first reload starts new workers instead),
  are handed to the running query workers as a new *generation* of their named graphs
  (``habitat_kg.server.store.graph_updates``); each worker removes and adds only the quads that
  differ. A worker busy with a query finishes it on the graph it started on; every query given
  to a worker after the update sees the new graphs. The build folder is then written (beside
  it, swapped in whole: ``habitat_kg.outputs``) in a thread of its own, so that the caller has
  its answer at once; should that write fail, the server goes back to the dataset the folder
  still holds (new workers, as below) and the result's ``late_error`` says why.
- **new workers** (``new_workers=True``, or going back after a failed write): the build folder
  is written, a new pool of workers is started on it and waits until every one has loaded it,
  and only then is the application pointed at it. The old pool's running queries finish there,
  on the old graph; a query that picked it up just before the swap is passed on to the new one
  (``habitat_kg.server.store.retiring``); then its workers are ended, in a thread of their own.

One reload runs at a time: a reload asked while another runs (or while its thread still writes
the build or waits for the old pool's last queries) waits up to ``wait`` seconds for it, then gets
:class:`ReloadBusy`. Only the in-memory store is reloaded; a store on disk or on a SPARQL server
keeps what it has (restart the server, or ``habitat-kg publish``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask

from habitat_kg.errors import SourceError, StoreUnavailable
from habitat_kg.graph.build import BuildResult, build_layers, write_dataset
from habitat_kg.project import DATASET_FILE, locate_project
from habitat_kg.server.graph import ServedGraph
from habitat_kg.server.layer_contents import changed_layers, layer_contents

#: Where an application keeps its reload state.
_STATE = "habitat_kg.reload"
#: The caches of what the served graph holds, made on first use, that a new graph makes stale.
_CACHES = ("habitat_kg.void", "habitat_kg.graph.network")

Progress = Callable[[str], None]
#: Quads up to which the first reload hands every layer to the running workers; a larger
#: dataset gets new workers then, which load it beside the old ones while those still answer
#: (a worker given every layer answers nothing until it has compared them all).
SMALL = 200_000


class ReloadBusy(StoreUnavailable):
    """Another reload is running (or finishing in the background); ask again shortly."""


@dataclass(frozen=True)
class ServedVersion:
    """Which build the server answers from: when it was built, and how many reloads the server
    has made since it started."""

    built: str
    generation: int

    @classmethod
    def of(cls, dataset: Path, generation: int) -> ServedVersion:
        try:
            written = dataset.stat().st_mtime
        except OSError:  # a SPARQL server's store: no file here
            return cls("", generation)
        return cls(_iso(written), generation)


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: whether the server now answers from the new build, and if not why.

    ``error`` is the build's one-line message (``PATH:LINE: problem`` for a bad source, with
    ``source`` and ``line``), or why the new workers could not start; the server then answers
    from the graph it had. ``changed`` names the layers that changed (all four when new workers
    were started). ``settled`` is set once the reload's work in the background is done (the
    build written, the old pool ended); ``late_error`` then says if the build could not be
    written and the server went back to the dataset it had.
    """

    swapped: bool
    version: ServedVersion
    triples: int
    seconds: float
    error: str | None = None
    source: Path | None = None
    line: int | None = None
    changed: tuple[str, ...] = ()
    #: Whether the running workers were given the changed layers (else new workers started).
    in_place: bool = False
    settled: threading.Event = field(default_factory=threading.Event, compare=False)
    late_error: list[str] = field(default_factory=list, compare=False)


@dataclass
class _ReloadState:
    #: Held from the start of a reload until its work in the background is done.
    lock: threading.Lock = field(default_factory=threading.Lock)
    version: ServedVersion | None = None
    #: The digests of the layers the workers hold (None: not known, so a reload starts new ones).
    digests: dict[str, str] | None = None


def reload_dataset(
    app: Flask,
    progress: Progress = lambda _: None,
    wait: float = 0.0,
    *,
    new_workers: bool = False,
) -> ReloadResult:
    """Build the served project's dataset again and serve it (see the module's description).

    ``wait``: seconds to wait for a reload already running (0: ReloadBusy at once).
    ``new_workers``: start new query workers on the new build rather than update the running
    ones (it takes longer: the build is written first, and the workers load all of it).
    """
    state = _state(app)
    acquired = state.lock.acquire(timeout=wait) if wait > 0 else state.lock.acquire(False)
    if not acquired:
        raise ReloadBusy(
            "the dataset is being reloaded already; the new statements will be served once "
            "it is done: ask again in a few seconds"
        )
    handed_over = False
    try:
        result, background = _reload(app, state, progress, new_workers)
        if background is not None:  # the thread lets go of the lock when it is done
            threading.Thread(
                target=_finish, args=(app, background, result), name="dataset-reload", daemon=True
            ).start()
            handed_over = True
        else:
            result.settled.set()
        return result
    finally:
        if not handed_over:
            state.lock.release()


def served_version(app: Flask) -> ServedVersion:
    """The build the server answers from now."""
    state = _state(app)
    if state.version is None:
        state.version = ServedVersion.of(app.extensions["habitat_kg"].dataset, 0)
    return state.version


def sources_of(app: Flask) -> Path:
    """The sources the served dataset is built from: the ``sources`` setting, else the
    project's (as the ``data`` folder is the project's build unless it is named)."""
    named = app.config.get("SOURCES")
    if named:
        return Path(named)
    return locate_project(app.config.get("PROJECT") or None).sources


def _state(app: Flask) -> _ReloadState:
    return app.extensions.setdefault(_STATE, _ReloadState())


def _reload(
    app: Flask, state: _ReloadState, progress: Progress, new_workers: bool
) -> tuple[ReloadResult, Callable[[ReloadResult], None] | None]:
    """The result, and the work left for a thread (None: nothing)."""
    started = time.monotonic()
    old: ServedGraph = app.extensions["habitat_kg"]
    before = served_version(app)

    def unchanged(error: str, source: Path | None = None, line: int | None = None):
        elapsed = time.monotonic() - started
        return ReloadResult(False, before, old.triples, elapsed, error, source, line), None

    if str(app.config["STORE"]) != "memory":
        return unchanged(
            f"store {app.config['STORE']}: only the in-memory store is reloaded while serving; "
            "restart the server (or publish to the SPARQL server) to serve the new build"
        )
    data = Path(app.config["DATA"])
    try:
        built = build_layers(sources_of(app), data, progress)
    except SourceError as error:  # a bad source, or a build folder that is not ours
        return unchanged(str(error), error.path, error.line)
    progress("comparing the layers with the served ones")
    contents = layer_contents(built.layers)
    digests = {name: content.digest for name, content in contents.items()}
    triples = sum(content.triples for content in contents.values())
    known = state.digests is not None
    if not new_workers and hasattr(old.store, "replace_graphs") and (known or triples <= SMALL):
        # every layer the first time: what the workers hold is not known, only what they load
        changed = changed_layers(contents, state.digests or {})
        if not changed:  # the same dataset: nothing to serve or write
            return ReloadResult(True, before, old.triples, time.monotonic() - started), None
        progress(f"serving the new {', '.join(changed)} layer(s)")
        try:
            generation = old.store.replace_graphs(  # type: ignore[attr-defined]
                tuple(contents[name].graph for name in changed),
                b"".join(contents[name].nquads for name in changed),
                triples,
            )
        except ValueError as error:  # the workers refused nothing yet: start new ones instead
            progress(f"the new layers could not be handed to the workers ({error})")
        else:
            version = _swapped(app, ServedGraph(old.dataset, old.store, triples), before)
            elapsed = time.monotonic() - started
            result = ReloadResult(True, version, triples, elapsed, changed=changed, in_place=True)
            return result, _writer(app, built, digests, generation)
    try:
        progress("writing")
        write_dataset(built.layers, data)
    except SourceError as error:  # the folder is not ours, or cannot be written
        return unchanged(str(error), error.path, error.line)
    state.digests = None  # the file is new; the workers have the old graph until the swap
    try:
        new = _new_pool(app, built, progress)
    except (StoreUnavailable, OSError) as error:
        return unchanged(f"the new dataset could not be served: {error}")
    state.digests = digests
    version = _swapped(app, new, before)
    elapsed = time.monotonic() - started
    result = ReloadResult(True, version, new.triples, elapsed, changed=tuple(contents))
    return result, lambda _result: _retire(old, new)


def _new_pool(app: Flask, built: BuildResult, progress: Progress) -> ServedGraph:
    progress("starting the query workers on the new dataset")
    return ServedGraph.open(built.dataset_path, app.config)


def _swapped(app: Flask, graph: ServedGraph, before: ServedVersion) -> ServedVersion:
    """Point the application at ``graph``: one assignment, after which every request gets it."""
    app.extensions["habitat_kg"] = graph
    version = ServedVersion(_iso(time.time()), before.generation + 1)
    _state(app).version = version
    _forget_caches(app)
    return version


def _writer(
    app: Flask, built: BuildResult, digests: dict[str, str], generation: int
) -> Callable[[ReloadResult], None]:
    """Write the build whose layers the workers now hold; should it fail, serve the dataset
    the build folder still holds."""

    def write(result: ReloadResult) -> None:
        state = _state(app)
        served: ServedGraph = app.extensions["habitat_kg"]
        try:
            write_dataset(built.layers, built.out_dir)
        except (SourceError, OSError) as error:
            state.digests = None
            result.late_error.append(f"{error}; the server went back to the dataset it had")
            try:
                back = ServedGraph.open(built.out_dir / DATASET_FILE, app.config)
            except (StoreUnavailable, OSError) as failure:
                result.late_error.append(f"and could not start its workers again: {failure}")
                return
            _swapped(app, back, served_version(app))
            _retire(served, back)
            return
        served.store.dataset_written(generation)  # type: ignore[attr-defined]
        state.digests = digests

    return write


def _finish(app: Flask, work: Callable[[ReloadResult], None], result: ReloadResult) -> None:
    try:
        work(result)
        # again: a page that asked the old graph may have kept what it was told after the swap
        _forget_caches(app)
    finally:
        result.settled.set()
        _state(app).lock.release()


def _retire(old: ServedGraph, new: ServedGraph) -> None:
    """Let the old pool finish its queries, then end it."""
    retire = getattr(old.store, "retire", None)
    if retire is not None:
        retire(new.store)
    else:
        old.close()


def _forget_caches(app: Flask) -> None:
    for cache in _CACHES:
        app.extensions.pop(cache, None)
    pictures = app.extensions.get("habitat_kg.pictures")
    if pictures is not None:
        pictures.forget()


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
