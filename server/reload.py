"""Serving a rebuilt dataset without a restart: the project's sources are built again and the
server moves onto the new dataset at once.

:func:`reload_dataset` brings the build's ledger up to date with the sources (``graph/build.py``,
``graph/incremental``: only the files that changed, and what they reach, are read again) and
runs every check; a bad source stops it there and nothing served changes (the result names the
file and line). Then the server moves onto the new dataset in one of three ways:

- **the changes in place** (the usual way): when the query workers hold the ledger's last
  build (the build folder they loaded is the one the ledger wrote, or they were given every
  change since), the rows removed and added are handed to the running workers as a new
  *generation* (``habitat_kg.server.store.graph_updates``); each worker applies them before its
  next query. A worker busy with a query finishes it on the graph it started on; every query
  given to a worker after the update sees the new statements. The build folder is then written
  behind them by ``build_writer`` (in a process of its own, the latest build each time; the
  search index with it, so ``/search`` follows once it is written), and the reload lets
  go of its lock at once: the next accepted statement need not wait for the files. Should that
  write fail, the server goes back to the dataset the folder still holds (new workers, as below)
  and the results' ``late_error`` says why.
- **every layer in place**: when the workers' build is not known (a folder written by something
  else) and the dataset is small (up to ``SMALL`` quads), the four layers are handed over whole.
- **new workers** (``new_workers=True``, or a large dataset whose workers' build is not known):
  the build folder is written, a new pool of workers is started on it and waits until every one
  has loaded it, and only then is the application pointed at it. The old pool's running queries
  finish there, on the old graph; a query that picked it up just before the swap is passed on to
  the new one (``habitat_kg.server.store.retiring``); then its workers are ended, in a thread of
  their own, holding the lock until they are.

One reload runs at a time: a reload asked while another runs waits up to ``wait`` seconds for
it, then gets :class:`ReloadBusy`. Only the in-memory store is reloaded; a store on disk or on a
SPARQL server keeps what it has (restart the server, or ``habitat-kg publish``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from habitat_kg.errors import SourceError, StoreUnavailable
from habitat_kg.namespaces import LAYERS
from habitat_kg.project import DATASET_FILE, locate_project
from habitat_kg.server.build_writer import BuildWriter
from habitat_kg.server.graph import ServedGraph, file_stamp

if TYPE_CHECKING:
    from habitat_kg.graph.build import Delta
    from habitat_kg.server.search_updates import IndexUpdater

#: Where an application keeps its reload state.
_STATE = "habitat_kg.reload"
#: The caches of what the served graph holds, made on first use, that a new graph makes stale.
_CACHES = ("habitat_kg.void", "habitat_kg.graph.network")

Progress = Callable[[str], None]
#: Quads up to which a reload that does not know the workers' build hands them every layer; a
#: larger dataset gets new workers then, which load it beside the old ones while those still
#: answer (a worker given every layer answers nothing until it has compared them all).
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
    from the graph it had. ``changed`` names the layers that changed (all four when the workers
    were given every layer or new workers were started). ``settled`` is set once the reload's
    work in the background is done (the build written, the old pool ended); ``late_error`` then
    says if the build could not be written and the server went back to the dataset it had.
    """

    swapped: bool
    version: ServedVersion
    triples: int
    seconds: float
    error: str | None = None
    source: Path | None = None
    line: int | None = None
    changed: tuple[str, ...] = ()
    #: Whether the running workers were given the changes (else new workers started).
    in_place: bool = False
    settled: threading.Event = field(default_factory=threading.Event, compare=False)
    late_error: list[str] = field(default_factory=list, compare=False)


@dataclass
class _ReloadState:
    #: Held from the start of a reload until its work is done (in place: until the workers have
    #: the changes; with new workers: until the old pool has ended).
    lock: threading.Lock = field(default_factory=threading.Lock)
    version: ServedVersion | None = None
    #: The ledger's build the workers hold (None: not known, so a reload gives them all of it).
    held: int | None = None
    #: Whether ``held`` was worked out from the dataset file the workers loaded.
    checked: bool = False
    #: The pool's update generation that gave the workers each build of the ledger.
    generations: dict[int, int] = field(default_factory=dict)
    writer: BuildWriter | None = None
    indexer: IndexUpdater | None = None


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
        elif result.in_place and result.changed:
            _writer(app).ask(result)  # settled once the folder holds this build, or a newer
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
    # The builder (its parsers, the gazetteer) is loaded by the first reload, not by every
    # server process: /health imports this module for the served version.
    from habitat_kg.graph.build import build_layers

    data = Path(app.config["DATA"])
    held = _held(state, old, data)
    try:
        built = build_layers(sources_of(app), data, progress, rows=False, mentions=False)
    except SourceError as error:  # a bad source, or a build folder that is not ours
        return unchanged(str(error), error.path, error.line)
    update = built.update
    in_place = not new_workers and hasattr(old.store, "apply_changes")
    if in_place and held is not None and held == update.previous and update.delta is not None:
        delta = update.delta
        if not delta.size:  # the same dataset: nothing to serve or write
            state.held = update.state
            return ReloadResult(True, before, old.triples, time.monotonic() - started), None
        if _servable(delta):
            progress(f"serving the new rows of the {', '.join(delta.layers)} layer(s)")
            try:
                generation = old.store.apply_changes(  # type: ignore[attr-defined]
                    delta.nquads(delta.removed), delta.nquads(delta.added), update.triples
                )
            except ValueError as error:  # the workers were given nothing: serve it all
                progress(f"the changes could not be handed to the workers ({error})")
            else:
                state.held, state.generations[update.state] = update.state, generation
                # the search index follows in seconds (the folder is written behind it)
                search_updater(app).ask(update.previous, update.state, delta)
                graph = ServedGraph(old.dataset, old.store, update.triples)
                version = _swapped(app, graph, before)
                elapsed = time.monotonic() - started
                result = ReloadResult(
                    True, version, update.triples, elapsed, changed=delta.layers, in_place=True
                )
                return result, None
    return _whole(app, state, progress, in_place, started, before)


def _whole(
    app: Flask,
    state: _ReloadState,
    progress: Progress,
    in_place: bool,
    started: float,
    before: ServedVersion,
) -> tuple[ReloadResult, Callable[[ReloadResult], None] | None]:
    """Serve the ledger's whole build: every layer to the running workers (a small dataset),
    or the build folder written and new workers started on it."""
    from habitat_kg.graph.build import Delta, ledger_rows, record_written
    from habitat_kg.graph.dataset_files import write_rows

    old: ServedGraph = app.extensions["habitat_kg"]
    data = Path(app.config["DATA"])
    state.held = None
    progress("reading every layer of the build")
    built, rows = ledger_rows(data)
    triples = sum(map(len, rows.values()))
    if in_place and hasattr(old.store, "replace_graphs") and triples <= SMALL:
        progress(f"serving the new {', '.join(LAYERS)} layer(s)")
        nquads = Delta().nquads(rows)
        try:
            generation = old.store.replace_graphs(  # type: ignore[attr-defined]
                tuple(str(iri) for iri in LAYERS.values()), nquads, triples
            )
        except ValueError as error:  # the workers refused nothing yet: start new ones instead
            progress(f"the new layers could not be handed to the workers ({error})")
        else:
            state.held, state.generations[built] = built, generation
            version = _swapped(app, ServedGraph(old.dataset, old.store, triples), before)
            elapsed = time.monotonic() - started
            result = ReloadResult(
                True, version, triples, elapsed, changed=tuple(LAYERS), in_place=True
            )
            return result, None
    if state.writer is not None:
        state.writer.wait_idle()  # its write would otherwise land after this one
    try:
        progress("writing")
        write_rows(rows, data, state=built, written=lambda d: record_written(data, built, d))
    except SourceError as error:  # the folder is not ours, or cannot be written
        elapsed = time.monotonic() - started
        return ReloadResult(False, before, old.triples, elapsed, str(error), error.path), None
    try:
        progress("starting the query workers on the new dataset")
        new = ServedGraph.open(data / DATASET_FILE, app.config)
    except (StoreUnavailable, OSError) as error:
        elapsed = time.monotonic() - started
        problem = f"the new dataset could not be served: {error}"
        return ReloadResult(False, before, old.triples, elapsed, problem), None
    state.held, state.generations = built, {}
    version = _swapped(app, new, before)
    elapsed = time.monotonic() - started
    result = ReloadResult(True, version, new.triples, elapsed, changed=tuple(LAYERS))
    return result, lambda _result: _retire(old, new)


def _held(state: _ReloadState, graph: ServedGraph, data: Path) -> int | None:
    """The ledger's build the workers hold: known after a reload; the first time, the build
    the ledger last wrote, if the workers loaded that very file."""
    from habitat_kg.graph.build import written_state

    if not state.checked:
        state.checked = True
        dataset = data / DATASET_FILE
        if graph.loaded is not None and file_stamp(dataset) == graph.loaded:
            state.held = written_state(data)
    return state.held


def _servable(delta: Delta) -> bool:
    """Changes the workers can apply: no blank node (the workers name them their own way)."""
    for rows in (*delta.removed.values(), *delta.added.values()):
        for row in rows:
            subject, _, value = row.split(" ", 2)
            if subject.startswith("_:") or value.startswith("_:"):
                return False
    return True


def search_updater(app: Flask) -> IndexUpdater:
    """The app's updater of the search index in its build folder."""
    from habitat_kg.server.search_updates import IndexUpdater

    state = _state(app)
    if state.indexer is None:
        state.indexer = IndexUpdater(Path(app.config["DATA"]))
    return state.indexer


def _writer(app: Flask) -> BuildWriter:
    state = _state(app)
    if state.writer is None:
        data = Path(app.config["DATA"])

        def written(built: int) -> None:
            generation = state.generations.get(built)
            served = app.extensions["habitat_kg"]
            if generation is not None and hasattr(served.store, "dataset_written"):
                served.store.dataset_written(generation)
            # again: a page that asked the old graph may have kept what it was told
            _forget_caches(app)

        state.writer = BuildWriter(data, written, lambda problem: _go_back(app, problem))
    return state.writer


def _go_back(app: Flask, problem: str) -> list[str]:
    """The build could not be written: serve the dataset the build folder still holds."""
    state = _state(app)
    told = [f"{problem}; the server went back to the dataset it had"]
    with state.lock:
        served: ServedGraph = app.extensions["habitat_kg"]
        state.held, state.checked = None, True
        try:
            back = ServedGraph.open(Path(app.config["DATA"]) / DATASET_FILE, app.config)
        except (StoreUnavailable, OSError) as failure:
            told.append(f"and could not start its workers again: {failure}")
            return told
        _swapped(app, back, served_version(app))
    _retire(served, back)
    return told


def _swapped(app: Flask, graph: ServedGraph, before: ServedVersion) -> ServedVersion:
    """Point the application at ``graph``: one assignment, after which every request gets it."""
    app.extensions["habitat_kg"] = graph
    version = ServedVersion(_iso(time.time()), before.generation + 1)
    _state(app).version = version
    _forget_caches(app)
    return version


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
