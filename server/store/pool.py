"""A store with a time limit that really stops the work: a pool of warm worker processes.

Neither Oxigraph nor rdflib has a time-out, and an Oxigraph aggregate runs to its end whatever
the caller does; only ending the process that evaluates a query stops it. So each worker
(``worker.py``) loads the dataset once and answers queries one at a time; when a query passes
the limit its worker is killed, the caller gets :class:`QueryTimeout`, and a new worker starts
loading at once. Workers come from a fork server, so a new one costs a fork, not an interpreter.

Which worker a query gets, and whether it may wait, is decided in ``lanes.py`` (some workers
are kept for short queries, so that cheap questions are answered beside heavy ones); the most
memory a worker may hold, in ``memory_limit.py``; which workers hold the graph in memory and
which read one store on disk together, in ``worker_sources.py``; workers that are threads of one
process answering from one copy of the graph (``worker-threads``), in ``worker_threads.py``;
starting and replacing the processes, in ``worker_starts.py``.

The pool is a :class:`~habitat_kg.server.store.base.Store` for the pages, and gives the endpoint
answers already written in the format asked for (:meth:`WorkerPool.serialized_query`).
"""

from __future__ import annotations

import dataclasses
import time
import weakref
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from habitat_kg.errors import StoreUnavailable
from habitat_kg.server.store.base import QueryError, QueryResult, QueryTimeout
from habitat_kg.server.store.decoded import result_from_json, triples_from_ntriples
from habitat_kg.server.store.graph_updates import (
    GraphUpdates,
    bring_up_to_date,
    check_changes,
    check_nquads,
)
from habitat_kg.server.store.lanes import IdleWorkers, Lanes, PoolLimits
from habitat_kg.server.store.memory_limit import ABORTED, past_limit
from habitat_kg.server.store.pool_updates import dataset_written, serve_update
from habitat_kg.server.store.query_text import QueryText, parser_error, read_query
from habitat_kg.server.store.retiring import Retirement
from habitat_kg.server.store.serving import (
    ASKING_CLIENT,
    AnswerRequest,
    Busy,
    MemoryLimitExceeded,
    SerializedAnswer,
    ServingStore,
)
from habitat_kg.server.store.worker import DatasetSource, WorkerRequest
from habitat_kg.server.store.worker_channel import PastDeadline
from habitat_kg.server.store.worker_process import (
    LONG,
    SHORT,
    PoolState,
    WorkerProcess,
    seconds_until_free,
    stop,
    stop_all,
)
from habitat_kg.server.store.worker_sources import WorkerSources
from habitat_kg.server.store.worker_starts import STARTUP_LIMIT, WorkerStarts

#: Seconds a retiring pool waits beyond the time limit for its last queries to end.
RETIRING_MARGIN = 5.0


class WorkerFailure(StoreUnavailable):
    """A worker could not start, or ended while answering (not the query's fault)."""


class _PastMemory(Exception):
    """The watchdog saw the worker pass its memory limit."""


class _PastShortLimit(Exception):
    """A query on a worker of the short lane ran past the short limit."""


class WorkerPool:
    """``size`` workers answering from ``source``; each query may run ``timeout`` seconds;
    ``limits`` says which queries wait and how much memory a worker may hold;
    ``memory_workers``, how many hold the graph in memory (None: all), the others reading one
    store on disk together (see worker_sources)."""

    def __init__(
        self,
        source: DatasetSource,
        size: int,
        timeout: float,
        prefixes: Mapping[str, str] | None = None,
        limits: PoolLimits | None = None,
        memory_workers: int | None = None,
        readers_later: bool = False,
    ) -> None:
        if size < 1:
            raise ValueError(f"workers: at least one query worker is needed, not {size}")
        if timeout <= 0:
            raise ValueError(f"timeout: a time limit must be more than 0 seconds, not {timeout}")
        self.source = source
        self.size = size
        self.timeout = timeout
        self._prefixes = dict(prefixes or {})
        self.limits = limits or PoolLimits()
        if self.limits.worker_threads > 1:  # a query stopped at the short limit would end all
            self.limits = dataclasses.replace(self.limits, short_workers=0)
        self._state = PoolState()
        self._sources = WorkerSources(source, size, memory_workers, self._state.updating)
        self._readers_later = readers_later
        self._lanes: Lanes[WorkerProcess] = Lanes(
            self.limits,
            size,
            timeout,
            partial(seconds_until_free, self._state),
            first=lambda w: w.in_memory,
        )
        self._triples = 0
        self._graphs: tuple[str, ...] = ()
        self._retirement = Retirement()
        self._updates = GraphUpdates()
        self._starts = WorkerStarts(
            self._state, self._sources, self._updates, self.limits, self._prefixes, self._ready
        )
        self._finalizer = weakref.finalize(self, _end, self._state, self._sources)

    def start(self) -> None:
        """Starts the workers and waits until they have loaded the dataset (WorkerFailure if
        they cannot); with ``readers_later``, until those in memory have, those reading the
        shared store joining once it is loaded (see worker_starts)."""
        short = self._lanes.short_size
        lanes = self._sources.placed([SHORT if i < short else LONG for i in range(self.size)])
        workers = self._starts.start_all(lanes, self._readers_later)
        if not all(worker.ready for worker in workers):
            raise WorkerFailure(self._state.failure)
        self._triples = workers[0].triples
        self._graphs = workers[0].graphs

    def close(self) -> None:
        """End every worker (also done when the pool is collected or the program exits)."""
        self._finalizer()

    def retire(self, successor: ServingStore) -> bool:
        """Hand new queries to ``successor``, let the queries running here end (each within
        the time limit), then end the workers. True if none had to be cut short."""
        # a query may wait for a worker until its deadline, then run on it until the same one
        ended = self._retirement.retire(successor, self.timeout + RETIRING_MARGIN)
        self.close()
        return ended

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def queries_running(self) -> int:
        """How many queries the pool is answering (or holding to answer) now."""
        return self._retirement.running

    def replace_graphs(self, graphs: tuple[str, ...], nquads: bytes, triples: int) -> int:
        """Serve new contents (``nquads``) for the named ``graphs``, the dataset then holding
        ``triples``: every query given a worker from now on is answered from them (see
        graph_updates); the idle workers load them now. Returns the update's generation;
        ValueError (nothing changed) if ``nquads`` is not N-Quads all in ``graphs``."""
        check_nquads(graphs, nquads)
        return self._serve_update(self._updates.replacement(graphs, nquads), triples)

    def apply_changes(self, removed: bytes, added: bytes, triples: int) -> int:
        """Serve the dataset less the quads ``removed`` and with those ``added`` (N-Quads in the
        dataset's named graphs) as ``replace_graphs`` serves new contents; ValueError (nothing
        changed) if the changes cannot be read."""
        check_changes(self._graphs, removed, added)
        return self._serve_update(self._updates.changes(removed, added), triples)

    def _serve_update(self, update: tuple[tuple, bytes], triples: int) -> int:
        lanes = (self._lanes.long, self._lanes.short)
        generation = serve_update(
            self._state, self._sources, self._updates, lanes, self._replace, update
        )
        self._triples = triples
        return generation

    def dataset_written(self, generation: int) -> None:
        """The dataset file now holds the graphs of update ``generation``."""
        dataset_written(self._state, self._sources, self._updates, generation)

    def workers_ready(self) -> tuple[int, int]:
        """How many query workers answer now, of how many the pool has (those reading the
        shared store join once it is loaded; one replaced is not ready until it has loaded)."""
        with self._state.lock:
            return sum(worker.ready for worker in self._state.workers), self.size

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
        answer = self.serialized_query(
            read_query(sparql), AnswerRequest("json", "ntriples"), own_text=True
        )
        if answer.format == "ntriples":
            return triples_from_ntriples(answer.body)
        return result_from_json(answer.body)

    # -- answers written by the workers ---------------------------------------------------

    def serialized_query(
        self, query: QueryText, request: AnswerRequest, *, own_text: bool = False
    ) -> SerializedAnswer:
        """The answer to ``query`` written and cut as ``request`` says.

        Raises QueryRefused or UpdateRefused for what query_text.check_query refuses (SERVICE,
        LOAD, updates, graphs outside the dataset), QuerySyntaxError, QueryTimeout, WorkerFailure.
        ``own_text``: the project's own query (see check_query).
        """
        successor = self._retirement.enter()
        if successor is not None:  # retired: the pool that took over answers
            return successor.serialized_query(query, request, own_text=own_text)
        try:
            return self._serialized(query, request, own_text)
        finally:
            self._retirement.leave()

    def _serialized(
        self, query: QueryText, request: AnswerRequest, own_text: bool
    ) -> SerializedAnswer:
        evaluated, cap = request.evaluated(query, self._graphs, own_text=own_text)
        # Sent as a plain tuple: it pickles faster than the named one.
        sent = tuple(
            WorkerRequest(
                sparql=query.text,
                evaluated=evaluated,
                solutions_format=request.solutions_format,
                graph_format=request.graph_format,
                default_graphs=request.default_graphs,
                named_graphs=request.named_graphs,
                query_sets_dataset=query.sets_dataset,
                max_rows=cap,
            )
        )
        reply, body = self._ask(sent, query.text)
        if reply[0] == "syntax":
            raise parser_error(reply[1], query)
        if reply[0] == "error":
            raise QueryError(reply[1])
        _, name, kept = reply
        form = query.form or ("CONSTRUCT" if name == request.graph_format else "SELECT")
        return SerializedAnswer(form, name, body, kept)

    def _ask(self, request: tuple, text: str) -> tuple[tuple, bytes]:
        """The worker's reply to ``request`` (a WorkerRequest as a plain tuple, for the query
        ``text``), and its body."""
        deadline = time.monotonic() + self.timeout
        lanes, client = self._lanes, ASKING_CLIENT.get()
        stopped_short = False

        def may_short() -> bool:
            return not stopped_short and lanes.may_run_short(text, client)

        while True:
            # A place in the long lane is held while the query waits for it or runs there.
            held = lanes.enter(client)
            try:
                try:
                    worker, short = lanes.take(held, may_short, deadline, self._alive)
                except Busy as busy:
                    if not stopped_short:
                        raise
                    raise Busy(f"{lanes.ran_short()}; {busy}", busy.retry_after) from None
                if worker.stopped:  # its process was ended while it was idle: another one
                    stop(self._state, worker)
                    continue
                if not short:
                    worker.busy_until = deadline
                    return self._run(worker, request, text, deadline, client=client)
            finally:
                if held:
                    lanes.leave(client)
            short_deadline = min(deadline, time.monotonic() + self.limits.short_limit)
            try:
                # Stopped at the short limit, it may wait for the long lane; stopped at the time
                # limit, it is timed out.
                stopped_early = short_deadline < deadline
                return self._run(worker, request, text, short_deadline, stopped_early, client)
            except _PastShortLimit:
                stopped_short = True

    def _run(
        self,
        worker: WorkerProcess,
        request: tuple,
        text: str,
        deadline: float,
        short: bool = False,
        client: str | None = None,
    ) -> tuple[tuple, bytes]:
        """The reply of ``worker``; past ``deadline`` the worker is replaced and the query is
        timed out, or (``short``: the deadline was the short limit) _PastShortLimit."""
        try:
            if worker.generation < self._updates.generation:  # graphs replaced since
                bring_up_to_date(worker, self._updates, time.monotonic() + STARTUP_LIMIT)
            worker.channel.send(request)
            if worker.watch is not None and worker.watch.passed_while_waiting(
                worker.answer_ready, deadline
            ):
                raise _PastMemory()
            reply = worker.channel.receive(deadline)
            if reply[0][0] == "memory":
                raise _PastMemory()
            worker.busy_until = 0.0
            self._idle(worker).put(worker)
            return reply
        except PastDeadline:
            pass
        except _PastMemory:
            self._replace(worker)
            self._lanes.ran_long(text, client, worker.lane == SHORT)
            raise self._past_memory(worker) from None
        except (EOFError, OSError):
            ended_by_another = worker.stopped  # a query of its group ended their process
            code = self._replace(worker)
            if ended_by_another:
                raise self._starts.group_ended() from None
            if code == ABORTED and worker.memory_limit:  # the kernel refused it memory
                self._lanes.ran_long(text, client, worker.lane == SHORT)
                raise self._past_memory(worker) from None
            raise WorkerFailure(
                f"the query worker ended while answering (exit code {code}); a new one is starting"
            ) from None
        self._replace(worker)
        self._lanes.ran_long(text, client, worker.lane == SHORT)
        if short:
            raise _PastShortLimit()
        raise QueryTimeout(
            f"the query ran past the time limit of {self.timeout:g} s and was stopped"
        )

    def _past_memory(self, worker: WorkerProcess) -> MemoryLimitExceeded:
        return MemoryLimitExceeded(past_limit(worker.memory_limit, self.limits.memory_mb))

    def _ready(self, worker: WorkerProcess) -> None:  # it has loaded the graph: it may answer
        self._idle(worker).put(worker)

    def _idle(self, worker: WorkerProcess) -> IdleWorkers[WorkerProcess]:
        return self._lanes.short if worker.lane == SHORT else self._lanes.long

    def _alive(self) -> None:
        """Raise WorkerFailure for a pool that is shut down, or whose workers all failed."""
        if self._state.closed:
            raise WorkerFailure("the query workers have been shut down")
        if self._state.failure is not None and not self._state.workers:
            raise WorkerFailure(f"no query worker could start: {self._state.failure}")

    def _replace(self, worker: WorkerProcess) -> int | None:
        """Kill ``worker`` (past the limit, or broken), with the others of its process, and
        start another process in the background; the exit code it ended with."""
        return self._starts.replace(worker, (self._lanes.long, self._lanes.short))


def _end(state: PoolState, sources: WorkerSources) -> None:
    """End every worker, then delete the store they shared."""
    stop_all(state)
    sources.close()
