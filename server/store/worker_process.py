"""A query worker process as the pool holds it, and how the pool starts and ends them."""

from __future__ import annotations

import math
import multiprocessing
import select
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path

from habitat_kg.server.store.memory_limit import MemoryWatch
from habitat_kg.server.store.oxigraph import OxigraphStore
from habitat_kg.server.store.worker import run_worker
from habitat_kg.server.store.worker_channel import Channel, channel_pair
from habitat_kg.server.store.worker_threads import run_worker_group

#: The lanes of the pool (see lanes.py).
LONG, SHORT = "long", "short"


@dataclass(eq=False)
class WorkerProcess:
    """A query worker as the pool holds it: its process, its line, and what it said of itself."""

    process: BaseProcess
    channel: Channel
    lane: str = LONG
    #: Whether it holds the graph in memory (else it reads the pool's shared store on disk).
    in_memory: bool = True
    #: Whether it has loaded the graph and said so (it may take queries).
    ready: bool = False
    triples: int = 0
    graphs: tuple[str, ...] = ()
    #: The most memory it may hold, bytes (0: not watched), and the watch on it.
    memory_limit: int = 0
    watch: MemoryWatch | None = None
    #: The updates of its graphs it has applied (see graph_updates).
    generation: int = 0
    #: When the query it runs reaches the time limit (time.monotonic).
    busy_until: float = 0.0
    answer_ready: select.poll = field(default_factory=select.poll)
    #: The workers answering from the same process (threads of it, see worker_threads), itself
    #: among them: what ends one ends all.
    group: list[WorkerProcess] = field(default_factory=list)
    #: Whether it has been stopped (a worker of its group may still be held by a lane).
    stopped: bool = False
    #: How its process ended, once stopped (the process object is closed then).
    exitcode: int | None = None


@dataclass
class PoolState:
    """What the pool's threads share; kept apart so the finalizer does not hold the pool."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Held while an update is written and numbered (the shared store's, then the workers').
    updating: threading.Lock = field(default_factory=threading.Lock)
    workers: set[WorkerProcess] = field(default_factory=set)
    failure: str | None = None
    closed: bool = False


def stop(state: PoolState, worker: WorkerProcess) -> bool:
    """Kill a worker (and the others of its group: one process) and wait for its end; True if
    this call ended it, False if it had been stopped already (a closing pool, a worker of its
    group stopped first)."""
    with state.lock:
        first = not worker.stopped
        for member in worker.group or [worker]:
            state.workers.discard(member)
            member.stopped = True
    if first:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        ended = worker.process.exitcode
        if ended is not None:
            for member in worker.group or [worker]:
                member.exitcode = ended
            # its pipes now, not whenever the collector comes by
            worker.process.close()
    worker.channel.close()
    if worker.watch is not None:
        worker.watch.close()
    return first


def stop_all(state: PoolState) -> None:
    state.closed = True
    with state.lock:
        workers = list(state.workers)
    for worker in workers:
        stop(state, worker)


def seconds_until_free(state: PoolState) -> int:
    """Seconds until a worker of the long lane is free at the latest (when its query reaches
    the time limit), for a client turned away."""
    now = time.monotonic()
    with state.lock:
        ends = [w.busy_until for w in state.workers if w.busy_until > now]
    return max(1, math.ceil(min(ends) - now)) if ends else 1


def launch(
    context: multiprocessing.context.BaseContext, args: tuple, lanes: list[str]
) -> list[WorkerProcess]:
    """Start a worker process with a worker (a line to the pool) in each of ``lanes``: one is
    run_worker(its end of the line, *``args``), several are the threads of
    run_worker_group(their ends, *``args``)."""
    pairs = [channel_pair() for _ in lanes]
    ends = [end for _, end in pairs]
    target, first = (run_worker, ends[0]) if len(lanes) == 1 else (run_worker_group, ends)
    process = context.Process(
        target=target, args=(first, *args), name="habitat-kg-query-worker", daemon=True
    )
    process.start()
    group = []
    for (channel, child_end), lane in zip(pairs, lanes, strict=True):
        child_end.close()
        worker = WorkerProcess(process, channel, lane)
        worker.answer_ready.register(channel.sock, select.POLLIN)
        group.append(worker)
    for worker in group:
        worker.group = group
    return group


def prepared_on_disk(dataset: Path, path: Path) -> Path:
    """Make the store at ``path`` hold the dataset; the workers then only read it.

    A store that holds this very dataset already (its SHA-256 noted in the store) is kept, so
    that a restart does not reload; otherwise it is emptied and loaded (OxigraphStore's rule).
    """
    store = OxigraphStore(path)
    store.load_dataset(dataset)
    del store  # closes it, so that the workers may open it
    return path
