"""The time limit really stops the work: a query built to run for minutes gets 503 at the limit,
its worker process is gone, nothing burns CPU afterwards, and the next query is answered."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from habitat_kg.graph.build import BuildResult
from habitat_kg.server.app import create_app
from habitat_kg.server.graph import close_app
from habitat_kg.server.store import QueryTimeout, Solutions
from habitat_kg.server.store.pool import WorkerPool

LIMIT = 1.5
#: Every triple joined with every triple five times over (12 thousand to the fifth), counted:
#: an aggregate, which Oxigraph would run to its end whatever its caller did.
FOR_MINUTES = """
SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o
}
"""
TICKS = os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def limited_app(built: BuildResult) -> Iterator[Flask]:
    """An app whose one query worker has a time limit of 1.5 s (no answer cache: each request
    asks the worker)."""
    app = create_app(
        {"DATA": str(built.out_dir), "TIMEOUT": LIMIT, "WORKERS": 1, "ANSWER_CACHE_MB": 0}
    )
    yield app
    close_app(app)


def _pool(app: Flask) -> WorkerPool:
    return app.extensions["habitat_kg"].store


def _parents(pids: list[int]) -> list[int]:
    return [int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]) for pid in pids]


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the processes still alive among ``pids``."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def test_query_for_minutes_is_stopped_at_the_limit(limited_app: Flask) -> None:
    client = limited_app.test_client()
    [worker] = _pool(limited_app).worker_pids()
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": FOR_MINUTES})
    took = time.monotonic() - started
    assert response.status_code == 503
    assert "timed out" in response.get_data(as_text=True)
    assert LIMIT <= took < LIMIT + 3  # (some slack for a busy machine)
    assert not Path(f"/proc/{worker}").exists()  # killed and reaped: no CPU burns on it
    # The pool answers the next query, from the worker that replaced the killed one.
    answer = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200 and answer.get_json(force=True)["boolean"] is True
    assert worker not in _pool(limited_app).worker_pids()
    # And nothing of the query goes on: the pool's processes (its worker, and the fork server
    # its workers come from) are idle.
    pool_processes = [
        *_pool(limited_app).worker_pids(),
        *_parents(_pool(limited_app).worker_pids()),
    ]
    before = _cpu_seconds(pool_processes)
    time.sleep(1.0)
    assert _cpu_seconds(pool_processes) - before < 0.05


def test_store_interface_has_the_same_limit(limited_app: Flask) -> None:
    pool = _pool(limited_app)
    with pytest.raises(QueryTimeout, match=r"time limit of 1\.5 s"):
        pool.query(FOR_MINUTES)
    answer = pool.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(answer, Solutions)
    assert answer.values("n") == [pool.triple_count()]


def test_a_worker_that_dies_is_replaced(limited_app: Flask) -> None:
    client = limited_app.test_client()
    [worker] = _pool(limited_app).worker_pids()
    os.kill(worker, signal.SIGKILL)
    failed = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert failed.status_code == 503
    assert "ended while answering" in failed.get_data(as_text=True)
    answer = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200


def test_a_query_asked_again_is_stopped_again(limited_app: Flask) -> None:
    """The endpoint keeps the reading of a query it has seen (query_text.ReadQueries); asked
    again, the query still runs in a worker under the limit, and is stopped again."""
    client = limited_app.test_client()
    for _ in range(2):
        started = time.monotonic()
        response = client.get("/sparql", query_string={"query": FOR_MINUTES})
        assert response.status_code == 503
        assert LIMIT <= time.monotonic() - started < LIMIT + 3
