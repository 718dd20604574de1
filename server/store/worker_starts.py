"""Starting and ending the query worker processes of a pool: all of them when it starts, and, in
the background, a process in place of one that passed a limit or broke.

The workers that read the shared store on disk (``worker_sources``) can start only once it is
loaded, which takes longer than loading the graph in memory: the pool may serve as soon as its
workers in memory are ready (``readers_later``), and the readers join it when the store is
loaded (the server says so on the console; ``WorkerPool.workers_ready`` counts them).

A process holds one worker, or several (``worker-threads``: threads answering from one copy of
the graph, see worker_threads); the pool sees each as a worker of its own, and what ends one of
them ends all of its process, which is started again once.
"""

from __future__ import annotations

import contextlib
import math
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping

from habitat_kg.errors import StoreUnavailable
from habitat_kg.server.store.forking import worker_context
from habitat_kg.server.store.graph_updates import GraphUpdates
from habitat_kg.server.store.lanes import IdleWorkers, PoolLimits
from habitat_kg.server.store.memory_limit import MemoryWatch
from habitat_kg.server.store.serving import Busy
from habitat_kg.server.store.worker_channel import PastDeadline
from habitat_kg.server.store.worker_process import (
    PoolState,
    WorkerProcess,
    launch,
    stop,
)
from habitat_kg.server.store.worker_sources import WorkerSources

#: Seconds a new worker may take to load the dataset before the pool gives up on it.
STARTUP_LIMIT = 600.0


class WorkerStarts:
    """Starts the workers of one pool; ``ready`` is given each worker once it has loaded the
    dataset (the pool then lets it take queries)."""

    def __init__(
        self,
        state: PoolState,
        sources: WorkerSources,
        updates: GraphUpdates,
        limits: PoolLimits,
        prefixes: Mapping[str, str],
        ready: Callable[[WorkerProcess], None],
    ) -> None:
        self._state, self._sources, self._updates = state, sources, updates
        self._limits, self._prefixes, self._ready = limits, prefixes, ready
        self._context = worker_context()
        #: Seconds the pool's workers took to start (what a new process will take, about).
        self.start_seconds = 1.0

    def start_all(self, lanes: list[str], readers_later: bool = False) -> list[WorkerProcess]:
        """A worker in each of ``lanes``: those in memory first (``worker-threads`` of them to a
        process), then those reading the shared store, whose loading starts at once; each
        returned is ready, or the state's failure says why not. ``readers_later``: return once
        those in memory are ready (if there are any), the readers joining in the background;
        else (and if all read the shared store) StoreUnavailable if it cannot be made."""
        started = time.monotonic()
        in_memory, threads = lanes[: self._sources.in_memory], self._limits.worker_threads
        groups = [in_memory[i : i + threads] for i in range(0, len(in_memory), threads)]
        workers = [w for group in groups for w in self.launch(group, True)]
        later = readers_later and bool(workers)
        readers = _Readers(self, lanes[len(in_memory) :], started, later)
        for worker in workers:
            self.await_ready(worker)
        self.start_seconds = time.monotonic() - started
        if later:
            return workers
        return workers + readers.joined()

    def launch(self, lanes: list[str], in_memory: bool) -> list[WorkerProcess]:
        """A worker process with a worker in each of ``lanes`` (several: its threads)."""
        # what the file (or the shared store) it opens holds at least
        source, held = self._sources.for_worker(in_memory, self._updates.file_generation)
        args = (source, self._prefixes, self._limits.memory_mb)
        workers = launch(self._context, args, lanes)
        for worker in workers:
            worker.generation, worker.in_memory = held, in_memory
        with self._state.lock:
            self._state.workers.update(workers)
        if self._state.closed:  # closed while it started: the pool's close did not see it
            stop(self._state, workers[0])
        return workers

    def await_ready(self, worker: WorkerProcess) -> bool:
        """Wait for a new worker's first message, then let it take queries; False if it could
        not load the dataset (the state's ``failure`` then says why)."""
        message: tuple = ("failed", "it did not load the dataset in time")
        try:
            message, _ = worker.channel.receive(time.monotonic() + STARTUP_LIMIT)
        except PastDeadline:
            pass
        except (EOFError, OSError):
            message = ("failed", "it ended while loading")
        if message[0] == "ready" and not self._state.closed:
            worker.ready = True
            worker.triples, worker.graphs = message[1], tuple(message[2])
            worker.memory_limit = message[3]
            if worker.memory_limit:
                worker.watch = MemoryWatch(worker.process.pid, worker.memory_limit)
            self._ready(worker)
            return True
        stop(self._state, worker)
        if not self._state.closed:
            path = self._sources.source.path
            self._state.failure = f"a query worker could not load {path}: {message[1]}"
        return False

    def replace(
        self, worker: WorkerProcess, lanes: Iterable[IdleWorkers[WorkerProcess]] = ()
    ) -> int | None:
        """Kill ``worker`` (past the limit, or broken), with the others of its process, and
        start another process in the background (once: not again for the others); the exit
        code it ended with. The others of its process are taken out of ``lanes``."""
        if stop(self._state, worker):
            threading.Thread(
                target=self._start_successor,
                args=([member.lane for member in worker.group or [worker]], worker.in_memory),
                name="query-worker-start",
                daemon=True,
            ).start()
        if len(worker.group) > 1:
            _drop_stopped(self._state, lanes)
        return worker.exitcode

    def group_ended(self) -> Busy:
        """What a query is told whose worker's process another query ended (a thread of it
        passed a limit)."""
        after = max(1, math.ceil(self.start_seconds))  # until a new one has loaded
        return Busy(
            "another query answered by the same worker process passed a limit, which ended "
            f"the process (setting worker-threads); this query was not finished: ask again in "
            f"{after} s",
            after,
        )

    def _start_successor(self, lanes: list[str], in_memory: bool) -> None:
        """Start a worker process, trying again (less and less often) while it cannot load."""
        delay = 0.5
        while not self._state.closed:
            if all([self.await_ready(w) for w in self.launch(lanes, in_memory)]):
                return
            if not self._state.closed:  # nobody waits for this thread: say it on the console
                print(f"habitat-kg: {self._state.failure}; trying again", file=sys.stderr)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)


class _Readers:
    """The workers reading the shared store, started in a thread of their own once it is
    loaded; ``in_background``: they join the pool's lanes when ready, and the console is told
    (or why they could not start: the pool then serves with its workers in memory)."""

    def __init__(
        self, starts: WorkerStarts, lanes: list[str], began: float, in_background: bool
    ) -> None:
        self._starts, self._lanes, self._began = starts, lanes, began
        self._background = in_background
        self._workers: list[WorkerProcess] = []
        self._failure: StoreUnavailable | None = None
        self._thread = threading.Thread(
            target=self._start, name="shared-store-readers", daemon=True
        )
        if lanes:
            self._thread.start()

    def joined(self) -> list[WorkerProcess]:
        """The readers, once each is ready (or has failed: the state's failure says why);
        StoreUnavailable if the shared store could not be made."""
        if self._lanes:
            self._thread.join()
        if self._failure is not None:
            raise self._failure
        return self._workers

    def _start(self) -> None:
        starts, state = self._starts, self._starts._state
        try:
            starts._sources.prepare(starts._context, starts._updates)
        except StoreUnavailable as error:
            self._failure = error
            if self._background and not state.closed:
                _say(f"{error}; the workers in memory answer alone")
            return
        self._workers = [w for lane in self._lanes for w in starts.launch([lane], False)]
        ready = sum([starts.await_ready(worker) for worker in self._workers])
        if self._background and ready and not state.closed:
            plural = "s" if ready != 1 else ""
            _say(
                f"{ready} query worker{plural} reading the shared on-disk store joined, "
                f"{time.monotonic() - self._began:.1f} s after the start"
            )


def _drop_stopped(state: PoolState, lanes: Iterable[IdleWorkers[WorkerProcess]]) -> None:
    """Take the workers of an ended process out of the lanes (so that the lanes do not keep
    their lines open); one a query has taken meanwhile is dropped by it."""
    for idle in lanes:
        taken = []
        with contextlib.suppress(queue.Empty):
            while True:
                taken.append(idle.get(0))
        for worker in taken:
            if worker.stopped:
                stop(state, worker)
            else:
                idle.put(worker)


def _say(message: str) -> None:
    print(f"habitat-kg: {message}", file=sys.stderr, flush=True)
