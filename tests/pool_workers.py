"""The workers of a query pool, taken and asked one by one (a pool routes a query to any idle
worker; these tests need each worker's own answer)."""

from __future__ import annotations

import queue
import time

from habitat_kg.server.store.decoded import result_from_json
from habitat_kg.server.store.pool import WorkerPool
from habitat_kg.server.store.worker import WorkerRequest
from habitat_kg.server.store.worker_process import WorkerProcess


def idle_workers(pool: WorkerPool) -> list[WorkerProcess]:
    """Every idle worker of ``pool``, taken from its lane (asked directly, each goes back)."""
    taken = []
    for idle in (pool._lanes.long, pool._lanes.short):
        while True:
            try:
                taken.append(idle.get(0))
            except queue.Empty:
                break
    return taken


def asked(pool: WorkerPool, worker: WorkerProcess, sparql: str, limit: float = 10) -> object:
    """The answer of ``worker`` to ``sparql`` (it goes back to its lane once it has answered)."""
    request = tuple(WorkerRequest(sparql, sparql, "json", "ntriples"))
    reply, body = pool._run(worker, request, sparql, time.monotonic() + limit)
    assert reply[0] == "ok", reply
    return result_from_json(body)
