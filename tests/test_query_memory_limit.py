"""Bounded memory: a query that grows its worker past the ``worker-memory-mb`` limit is stopped
with a 503 that names the limit, its worker is replaced, and the workers never hold much more
than the limit, whether the pool's watchdog or the operating system (RLIMIT_DATA) stops it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from shutil import which

import pytest
from flask import Flask

from habitat_kg.errors import BAD_INPUT
from habitat_kg.graph.build import BuildResult
from habitat_kg.namespaces import PREFIXES
from habitat_kg.server.app import create_app
from habitat_kg.server.graph import close_app
from habitat_kg.server.store.lanes import PoolLimits
from habitat_kg.server.store.memory_limit import BACKSTOP_SHARE, HEADROOM_MIB, MIB, MemoryWatch
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.pool import WorkerFailure, WorkerPool

#: The issue's query: every triple beside every triple, sorted; it grows a worker without end.
CARTESIAN_SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"
LIMIT_MIB = 256
PAGE = 4096


@pytest.fixture(scope="module")
def small_app(built: BuildResult) -> Iterator[Flask]:
    """One query worker that may hold 256 MiB, with time enough to reach it (no answer cache:
    each request asks the worker)."""
    app = create_app(
        {
            "DATA": str(built.out_dir),
            "TIMEOUT": 25,
            "WORKERS": 1,
            "WORKER_MEMORY_MB": LIMIT_MIB,
            "ANSWER_CACHE_MB": 0,
        }
    )
    yield app
    close_app(app)


def _pool(app: Flask) -> WorkerPool:
    return app.extensions["habitat_kg"].store


class PeakSize:
    """The largest resident size any of a pool's workers had, sampled every millisecond."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool, self.peak, self._done = pool, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(0.001):
            for pid in self.pool.worker_pids():
                try:
                    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                except (OSError, IndexError):
                    continue
                self.peak = max(self.peak, pages * PAGE)

    def __enter__(self) -> PeakSize:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join(5)


def _past_the_limit_then_replaced(app: Flask) -> int:
    """Ask the growing query; check the 503 and the new worker; the peak size, bytes."""
    client = app.test_client()
    [worker] = _pool(app).worker_pids()
    with PeakSize(_pool(app)) as size:
        started = time.monotonic()
        response = client.get("/sparql", query_string={"query": CARTESIAN_SORTED})
        took = time.monotonic() - started
    message = response.get_data(as_text=True)
    assert response.status_code == 503, message
    assert f"{LIMIT_MIB} MiB" in message and "worker-memory-mb" in message
    assert "out of memory" in message
    assert took < 20  # stopped at the limit, long before the time limit
    assert not Path(f"/proc/{worker}").exists()  # killed and reaped
    answer = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200 and answer.get_json(force=True)["boolean"] is True
    [successor] = _pool(app).worker_pids()
    assert successor != worker
    return size.peak


def test_a_query_past_the_memory_limit_gets_503_and_its_worker_is_replaced(
    small_app: Flask,
) -> None:
    peak = _past_the_limit_then_replaced(small_app)
    # The watchdog looks every few milliseconds: the worker passed the limit by little.
    assert LIMIT_MIB * MIB * 0.5 < peak <= (LIMIT_MIB + 32) * MIB, peak / MIB


def test_the_operating_system_stops_it_when_the_watchdog_does_not(
    small_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the pool's watchdog blind, the worker's RLIMIT_DATA still stops the query."""
    monkeypatch.setattr(MemoryWatch, "past_limit", lambda _self: False)
    peak = _past_the_limit_then_replaced(small_app)
    backstop = LIMIT_MIB * MIB * (1 + BACKSTOP_SHARE)
    assert LIMIT_MIB * MIB < peak <= backstop + 32 * MIB, peak / MIB


def test_by_default_a_worker_may_hold_the_graph_and_1_gib(app: Flask) -> None:
    pool = _pool(app)
    for worker in pool._state.workers:
        resident = int(Path(f"/proc/{worker.process.pid}/statm").read_text().split()[1]) * PAGE
        headroom = worker.memory_limit - resident
        assert abs(headroom - HEADROOM_MIB * MIB) < 64 * MIB, headroom / MIB


def test_a_limit_below_what_the_graph_takes_is_a_clear_failure(built: BuildResult) -> None:
    with pytest.raises(WorkerFailure, match=r"worker-memory-mb: 1 MiB is less than one query"):
        open_pool(built.dataset_path, "memory", 1, 10, PREFIXES, PoolLimits(memory_mb=1))


def test_serve_says_so_and_stops_when_the_limit_is_below_the_graph(built: BuildResult) -> None:
    habitat_kg = which("habitat-kg") or str(Path(sys.executable).parent / "habitat-kg")
    run = subprocess.run(
        [
            habitat_kg,
            "serve",
            "--port",
            "0",
            "--data",
            str(built.out_dir),
            "--workers",
            "1",
            "--worker-memory-mb",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == BAD_INPUT, run.stderr
    assert "worker-memory-mb: 1 MiB is less than one query worker holds" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_watch_stopped_from_several_threads_closes_its_descriptor_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker may be stopped by a timed-out query and by the pool closing at once; a second
    close of the same number would close whatever file took it (a server's wake-up pipe)."""
    watch = MemoryWatch(os.getpid(), 1 << 40)
    assert watch.past_limit() is False
    closed: list[int] = []
    real_close = os.close

    def slow_close(fd: int) -> None:
        closed.append(fd)
        time.sleep(0.05)  # the window in which another thread would see the number still set
        real_close(fd)

    monkeypatch.setattr(os, "close", slow_close)
    start = threading.Barrier(8)

    def stop() -> None:
        start.wait()
        watch.close()

    threads = [threading.Thread(target=stop) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(closed) == 1
    assert watch.past_limit() is False  # closed: nothing is read
