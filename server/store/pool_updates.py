"""A pool's updates of its graphs, in order: each written into the shared store on disk, then
numbered and given to the idle workers; and the updates and store generations that no worker
needs any more forgotten. (How a worker applies them: ``graph_updates``; how the store on disk
does: ``shared_store``.)"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from habitat_kg.server.store.graph_updates import GraphUpdates, update_idle
from habitat_kg.server.store.lanes import IdleWorkers
from habitat_kg.server.store.worker_process import PoolState, WorkerProcess
from habitat_kg.server.store.worker_sources import WorkerSources
from habitat_kg.server.store.worker_starts import STARTUP_LIMIT


def serve_update(
    state: PoolState,
    sources: WorkerSources,
    updates: GraphUpdates,
    idle: Iterable[IdleWorkers[Any]],
    broken: Callable[[WorkerProcess], Any],
    update: tuple[tuple, bytes],
) -> int:
    """Serve ``update`` (a message of worker.UPDATES and its body) from now on; its generation.
    ValueError (nothing changed) if the shared store cannot take it. The workers ``idle`` now
    apply it at once; one that cannot is handed to ``broken``."""
    message, body = update
    with state.updating:  # the shared store's generation, then the workers'
        sources.update(updates.generation + 1, message, body)
        generation = updates.add(message, body)
    update_idle(idle, updates, time.monotonic() + STARTUP_LIMIT, broken)
    forget_generations(state, sources)
    return generation


def dataset_written(
    state: PoolState, sources: WorkerSources, updates: GraphUpdates, generation: int
) -> None:
    """The dataset file now holds the graphs of update ``generation``: forget what neither the
    workers alive, nor a worker started from the file, nor a shared store being loaded needs."""
    with state.lock:
        held = [worker.generation for worker in state.workers]
    # a shared store being loaded is given the updates after the file it loads
    updates.written(generation, held + sources.pinned)
    forget_generations(state, sources)


def forget_generations(state: PoolState, sources: WorkerSources) -> None:
    """Delete the shared store's generations that no reader holds."""
    with state.lock:
        held = [w.generation for w in state.workers if not w.in_memory]
    sources.forget(held)
