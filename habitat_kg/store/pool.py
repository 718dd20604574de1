"""A store with a time limit that really stops the work: a pool of warm worker processes.

Neither Oxigraph nor rdflib has a time-out, and an Oxigraph aggregate runs to its end whatever
the caller does; only ending the process that evaluates a query stops it. So each worker
(``worker.py``) loads the dataset once and answers queries one at a time; when a query passes
the limit its worker is killed, the caller gets :class:`QueryTimeout`, and a new worker starts
loading at once. Workers come from a fork server, so a new one costs a fork, not an interpreter.

The pool is a :class:`~habitat_kg.store.base.Store` for the pages, and gives the endpoint
answers already written in the format asked for (:meth:`WorkerPool.serialized_query`).
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path

from habitat_kg.store.base import QueryError, QueryResult, QueryTimeout
from habitat_kg.store.decoded import result_from_json, triples_from_ntriples
from habitat_kg.store.factory import is_remote, open_store
from habitat_kg.store.oxigraph import OxigraphStore
from habitat_kg.store.query_text import (
    QueryText,
    check_graph,
    check_query,
    parser_error,
    read_query,
    with_row_cap,
)
from habitat_kg.store.serving import SerializedAnswer, ServingStore, StoreUnavailable
from habitat_kg.store.worker import DatasetSource, WorkerRequest, run_worker
from habitat_kg.store.worker_channel import Channel, PastDeadline, channel_pair

#: Seconds a new worker may take to load the dataset before the pool gives up on it.
STARTUP_LIMIT = 600.0


class WorkerFailure(StoreUnavailable):
    """A worker could not start, or ended while answering (not the query's fault)."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    channel: Channel
    triples: int = 0
    graphs: tuple[str, ...] = ()


class _IdleWorkers:
    """The workers free to take a query, the one freed last first: while it is free it answers
    the next query too, its caches (and its processor's) still warm with the graph.

    A stack, and a queue of tokens that says how many are on it: the tokens' queue is written
    in C, where queue.LifoQueue takes a Python lock and condition for every get and put, on
    every query.
    """

    def __init__(self) -> None:
        self._stack: list[_Worker] = []
        self._lock = threading.Lock()
        self._tokens: queue.SimpleQueue[None] = queue.SimpleQueue()

    def put(self, worker: _Worker) -> None:
        with self._lock:
            self._stack.append(worker)
        self._tokens.put(None)

    def get(self, timeout: float) -> _Worker:
        """The worker freed last; queue.Empty if none is free within ``timeout`` seconds."""
        self._tokens.get(timeout=timeout)
        with self._lock:  # a token is taken only after its worker was put: never empty
            return self._stack.pop()


@dataclass
class _PoolState:
    """What the pool's threads share; kept apart so the finalizer does not hold the pool."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    workers: set[_Worker] = field(default_factory=set)
    idle: _IdleWorkers = field(default_factory=_IdleWorkers)
    failure: str | None = None
    closed: bool = False


class WorkerPool:
    """``size`` workers answering from ``source``; each query may run ``timeout`` seconds."""

    def __init__(
        self,
        source: DatasetSource,
        size: int,
        timeout: float,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        if size < 1:
            raise ValueError(f"workers: at least one query worker is needed, not {size}")
        if timeout <= 0:
            raise ValueError(f"timeout: a time limit must be more than 0 seconds, not {timeout}")
        self.source = source
        self.size = size
        self.timeout = timeout
        self._prefixes = dict(prefixes or {})
        self._context = _worker_context()
        self._state = _PoolState()
        self._triples = 0
        self._graphs: tuple[str, ...] = ()
        self._finalizer = weakref.finalize(self, _stop_all, self._state)

    @classmethod
    def started(
        cls, source: DatasetSource, size: int, timeout: float, prefixes: Mapping[str, str]
    ) -> WorkerPool:
        """A pool whose workers have all loaded the dataset (WorkerFailure if they cannot)."""
        pool = cls(source, size, timeout, prefixes)
        try:
            pool.start()
        except BaseException:
            pool.close()
            raise
        return pool

    def start(self) -> None:
        workers = [self._launch() for _ in range(self.size)]
        for worker in workers:
            self._await_ready(worker)
        if self._state.failure is not None:
            raise WorkerFailure(self._state.failure)
        self._triples = workers[0].triples
        self._graphs = workers[0].graphs

    def close(self) -> None:
        """End every worker (also done when the pool is collected or the program exits)."""
        self._finalizer()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def worker_pids(self) -> list[int]:
        """The process ids of the workers now alive or starting."""
        with self._state.lock:
            return [w.process.pid for w in self._state.workers if w.process.pid is not None]

    # -- the Store interface --------------------------------------------------------------

    def load_dataset(self, path: Path) -> None:
        raise QueryError(
            f"{path}: a worker pool loads its dataset ({self.source.path}) when it starts; "
            "start another pool to serve another dataset"
        )

    def triple_count(self) -> int:
        return self._triples

    @property
    def named_graphs(self) -> tuple[str, ...]:
        """The IRIs of the dataset's named graphs (the only graphs a query may name)."""
        return self._graphs

    def query(self, sparql: str) -> QueryResult:
        """Run a query within the time limit, with no row cap (the pages' own queries).

        Raises QueryError for a query that cannot be parsed or is refused (see
        query_text.check_query), QueryTimeout past the limit.
        """
        answer = self.serialized_query(read_query(sparql), "json", "ntriples", max_rows=None)
        if answer.format == "ntriples":
            return triples_from_ntriples(answer.body)
        return result_from_json(answer.body)

    # -- answers written by the workers ---------------------------------------------------

    def serialized_query(
        self,
        query: QueryText,
        solutions_format: str,
        graph_format: str,
        *,
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        max_rows: int | None = None,
    ) -> SerializedAnswer:
        """The answer to ``query`` written in ``solutions_format`` (SELECT, ASK) or
        ``graph_format`` (CONSTRUCT, DESCRIBE), cut after ``max_rows`` rows or triples.

        Raises QueryRefused or UpdateRefused for what query_text.check_query refuses (SERVICE,
        LOAD, updates, graphs outside the dataset), QuerySyntaxError, QueryTimeout, WorkerFailure.
        """
        check_query(query, self._graphs)
        for iri in (*(default_graphs or ()), *(named_graphs or ())):
            check_graph(iri, self._graphs, "the graph")
        evaluated, may_exceed = query.text, max_rows is not None
        if max_rows is not None:
            evaluated, may_exceed = with_row_cap(query, max_rows)
        # Sent as a plain tuple: it pickles several times faster than the named one.
        request = tuple(
            WorkerRequest(
                sparql=query.text,
                evaluated=evaluated,
                solutions_format=solutions_format,
                graph_format=graph_format,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                query_sets_dataset=query.sets_dataset,
                max_rows=max_rows if may_exceed else None,
            )
        )
        reply, body = self._ask(request)
        if reply[0] == "syntax":
            raise parser_error(reply[1], query)
        if reply[0] == "error":
            raise QueryError(reply[1])
        _, name, kept = reply
        form = query.form or ("CONSTRUCT" if name == graph_format else "SELECT")
        return SerializedAnswer(form, name, body, kept)

    def _ask(self, request: tuple) -> tuple[tuple, bytes]:
        """The worker's reply to ``request`` (a WorkerRequest as a plain tuple), and its body."""
        deadline = time.monotonic() + self.timeout
        worker = self._checkout(deadline)
        try:
            worker.channel.send(request)
            reply = worker.channel.receive(deadline)
            self._state.idle.put(worker)
            return reply
        except PastDeadline:
            pass
        except (EOFError, OSError):
            code = self._replace(worker)
            raise WorkerFailure(
                f"the query worker ended while answering (exit code {code}); a new one is starting"
            ) from None
        self._replace(worker)
        raise QueryTimeout(
            f"the query ran past the time limit of {self.timeout:g} s and was stopped"
        )

    def _checkout(self, deadline: float) -> _Worker:
        while True:
            if self._state.closed:
                raise WorkerFailure("the query workers have been shut down")
            if self._state.failure is not None and not self._state.workers:
                raise WorkerFailure(f"no query worker could start: {self._state.failure}")
            try:
                # Wake up now and then to notice a pool whose workers all failed to start.
                wait = min(1.0, max(0.0, deadline - time.monotonic()))
                return self._state.idle.get(timeout=wait)
            except queue.Empty:
                if time.monotonic() >= deadline:
                    raise QueryTimeout(
                        f"no query worker was free within the time limit of {self.timeout:g} s "
                        f"(all {self.size} were busy); the query was not run"
                    ) from None

    # -- starting and ending workers ------------------------------------------------------

    def _launch(self) -> _Worker:
        channel, child_end = channel_pair()
        process = self._context.Process(
            target=run_worker,
            args=(child_end, self.source, self._prefixes),
            name="habitat-kg-query-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, channel)
        with self._state.lock:
            self._state.workers.add(worker)
        if self._state.closed:  # closed while it started: the pool's close did not see it
            _stop(self._state, worker)
        return worker

    def _await_ready(self, worker: _Worker) -> bool:
        """Wait for a new worker's first message, then let it take queries; False if it could
        not load the dataset (the pool's ``failure`` then says why)."""
        message: tuple = ("failed", "it did not load the dataset in time")
        try:
            message, _ = worker.channel.receive(time.monotonic() + STARTUP_LIMIT)
        except PastDeadline:
            pass
        except (EOFError, OSError):
            message = ("failed", "it ended while loading")
        if message[0] == "ready" and not self._state.closed:
            worker.triples, worker.graphs = message[1], tuple(message[2])
            self._state.idle.put(worker)
            return True
        _stop(self._state, worker)
        if not self._state.closed:
            self._state.failure = f"a query worker could not load {self.source.path}: {message[1]}"
        return False

    def _replace(self, worker: _Worker) -> int | None:
        """Kill ``worker`` (past the limit, or broken) and start another in the background."""
        _stop(self._state, worker)
        threading.Thread(
            target=self._start_successor, name="query-worker-start", daemon=True
        ).start()
        return worker.process.exitcode

    def _start_successor(self) -> None:
        """Start a worker, trying again (less and less often) while it cannot load."""
        delay = 0.5
        while not self._state.closed:
            if self._await_ready(self._launch()):
                return
            if not self._state.closed:  # nobody waits for this thread: say it on the console
                print(f"habitat-kg: {self._state.failure}; trying again", file=sys.stderr)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)


def open_pool(
    dataset: Path,
    store_spec: str,
    size: int,
    timeout: float,
    prefixes: Mapping[str, str],
) -> ServingStore:
    """A started pool answering from the built dataset at ``dataset`` kept as ``store_spec``
    says: 'memory' (each worker loads the TriG) or 'oxigraph:PATH' (workers read that store).
    For a SPARQL server's URL there are no workers: the server holds the published dataset and
    the store passes the time limit to it (see habitat_kg.store.remote)."""
    if is_remote(store_spec):
        remote = open_store(store_spec, timeout=timeout)
        remote.prefixes = dict(prefixes)  # type: ignore[attr-defined]
        return remote  # type: ignore[return-value]  # SparqlStore is a ServingStore
    if store_spec == "memory":
        source = DatasetSource(str(dataset))
    elif store_spec.startswith("oxigraph:") and store_spec[len("oxigraph:") :]:
        on_disk = _prepared_on_disk(dataset, Path(store_spec[len("oxigraph:") :]))
        source = DatasetSource(str(on_disk), on_disk=True)
    else:
        raise ValueError(
            f"store {store_spec!r}: the query workers answer from Oxigraph; "
            "use 'memory' or 'oxigraph:PATH'"
        )
    return WorkerPool.started(source, size, timeout, prefixes)


def _prepared_on_disk(dataset: Path, path: Path) -> Path:
    """Make the store at ``path`` hold the dataset; the workers then only read it.

    A store that holds this very dataset already (its SHA-256 noted in the store) is kept, so
    that a restart does not reload; otherwise it is emptied and loaded (OxigraphStore's rule).
    """
    store = OxigraphStore(path)
    store.load_dataset(dataset)
    del store  # closes it, so that the workers may open it
    return path


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers are forked from a fork server that has the worker module loaded already."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", "habitat_kg.store.worker"])
    return context


def _stop(state: _PoolState, worker: _Worker) -> None:
    """Kill a worker and wait for its end; a second call (a closing pool) does nothing."""
    with state.lock:
        if worker not in state.workers:
            return
        state.workers.discard(worker)
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(5)
    worker.channel.close()


def _stop_all(state: _PoolState) -> None:
    state.closed = True
    with state.lock:
        workers = list(state.workers)
    for worker in workers:
        _stop(state, worker)
