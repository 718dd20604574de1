"""Starting and ending the query worker processes of a pool: all of them when it starts, and, in
the background, a process in place of one that passed a limit or broke.

A process holds one worker, or several (``worker-threads``: threads answering from one copy of
the graph, see worker_threads); the pool sees each as a worker of its own, and what ends one of
them ends all of its process, which is started again once.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Mapping

from habitat_kg.server.store.forking import worker_context
from habitat_kg.server.store.graph_updates import GraphUpdates
from habitat_kg.server.store.lanes import PoolLimits
from habitat_kg.server.store.memory_limit import MemoryWatch
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

    def start_all(self, lanes: list[str]) -> list[WorkerProcess]:
        """A worker in each of ``lanes``: those in memory first (``worker-threads`` of them to a
        process), then those reading the shared store; each is ready, or the state's failure
        says why not."""
        started = time.monotonic()
        in_memory, threads = lanes[: self._sources.in_memory], self._limits.worker_threads
        groups = [in_memory[i : i + threads] for i in range(0, len(in_memory), threads)]
        workers = [w for group in groups for w in self.launch(group, True)]
        self._sources.prepare(self._context)  # while those load the dataset
        workers += [w for lane in lanes[len(in_memory) :] for w in self.launch([lane], False)]
        for worker in workers:
            self.await_ready(worker)
        self.start_seconds = time.monotonic() - started
        return workers

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

    def replace(self, worker: WorkerProcess) -> int | None:
        """Kill ``worker`` (past the limit, or broken), with the others of its process, and
        start another process in the background (once: not again for the others)."""
        if stop(self._state, worker):
            threading.Thread(
                target=self._start_successor,
                args=([member.lane for member in worker.group or [worker]], worker.in_memory),
                name="query-worker-start",
                daemon=True,
            ).start()
        return worker.exitcode

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
