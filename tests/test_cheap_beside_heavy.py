"""Cheap questions are answered beside heavy ones: with (workers + 4) heavy queries in flight, a
cheap ASK from another client is answered within 1 s, and every heavy request gets its answer,
a 503 at the time limit or a 503 with Retry-After; nothing hangs.

The first test runs ``habitat-kg serve`` with its default limits; the second follows the lanes
of one pool step by step (which worker a query gets, who is refused and why).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from servers import habitat_kg_serving

from benchmarks.cheap_beside_heavy import measure
from habitat_kg.graph.build import BuildResult
from habitat_kg.server.app import create_app
from habitat_kg.server.graph import close_app
from habitat_kg.server.store.pool import WorkerPool

#: Both tests time answers: no other test runs beside them (tests/alone.py).
pytestmark = pytest.mark.alone

WORKERS, TIME_LIMIT = 2, 4.0
#: Hours of work on the bundled graph (12 thousand triples to the fifth), counted.
FOR_HOURS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def served(built: BuildResult) -> Iterator[str]:
    """``habitat-kg serve`` on the built dataset, its limits left at their defaults."""
    options = ("--workers", str(WORKERS), "--timeout", f"{TIME_LIMIT:g}")
    with habitat_kg_serving(built.out_dir, *options) as address:
        yield address + "sparql"


def test_a_cheap_ask_is_answered_within_1_s_beside_workers_plus_4_heavy_queries(
    served: str,
) -> None:
    run = measure(served, WORKERS + 4, TIME_LIMIT, asks=20, spacing=0.2, warm_up=2.5)
    assert run.cheap_statuses == {"200": 20}
    assert run.p99 is not None and run.p99 < 1.0, run.cheap
    # Every heavy request was answered one of the three ways; none was left waiting.
    assert set(run.heavy_outcomes) <= {"answer", "time limit", "busy"}, run.heavy_outcomes
    assert run.heavy_outcomes.get("time limit") and run.heavy_outcomes.get("busy")
    assert run.busy_example is not None
    retry_after, body = run.busy_example
    assert 1 <= int(retry_after) <= TIME_LIMIT
    message = json.loads(body)  # in JSON: the client asked for JSON results
    assert message["retry_after"] == int(retry_after)
    assert message["error"].startswith("busy: ") and "(setting " in message["error"]


# -- the lanes of one pool, step by step ----------------------------------------------------


@pytest.fixture(scope="module")
def lanes_app(built: BuildResult) -> Iterator[Flask]:
    """Two workers, one kept for short queries (0.5 s); nothing may wait; one query a client."""
    app = create_app(
        {
            "DATA": str(built.out_dir),
            "TIMEOUT": 3,
            "WORKERS": 2,
            "SHORT_WORKERS": 1,
            "SHORT_LIMIT": 0.5,
            "QUEUE_LENGTH": 0,
            "CLIENT_QUERIES": 1,
        }
    )
    yield app
    close_app(app)


def _ask(app: Flask, query: str, client: str) -> tuple[int, str, str | None, float]:
    started = time.monotonic()
    response = app.test_client().get(
        "/sparql", query_string={"query": query}, environ_base={"REMOTE_ADDR": client}
    )
    took = time.monotonic() - started
    return (
        response.status_code,
        response.get_data(as_text=True),
        response.headers.get("Retry-After"),
        took,
    )


def _short_worker_free(app: Flask) -> None:
    pool: WorkerPool = app.extensions["habitat_kg"].store
    deadline = time.monotonic() + 20
    while pool._lanes.short._tokens.empty():
        assert time.monotonic() < deadline, "the short lane's worker did not come back"
        time.sleep(0.02)


def test_lanes_send_heavy_queries_away_and_keep_the_short_lane_for_others(
    lanes_app: Flask,
) -> None:
    heavy_a: list[tuple] = []
    running = threading.Thread(target=lambda: heavy_a.append(_ask(lanes_app, FOR_HOURS, "a")))
    running.start()  # client a's heavy query takes the worker of the long lane
    time.sleep(0.3)
    # Client b's heavy query: the long lane busy, nothing may wait: it gets the short lane,
    # is stopped there at the short limit and, with nowhere to wait, told when to ask again.
    status, message, retry_after, took = _ask(lanes_app, FOR_HOURS, "b")
    assert status == 503 and retry_after is not None and 1 <= int(retry_after) <= 3
    assert "ran past the 0.5 s" in message and "setting short-limit" in message
    assert "setting queue-length" in message and 0.5 <= took < 2.5
    # Client a asks the heavy query again while its first runs: one query a client may have
    # in the long lane, and this one may not have the short lane (it ran past a limit there).
    status, message, retry_after, took = _ask(lanes_app, FOR_HOURS, "a")
    assert status == 503 and retry_after and "setting client-queries" in message and took < 0.5
    _short_worker_free(lanes_app)
    # b's query was stopped on the short lane: b is kept off it for a while.
    status, message, retry_after, took = _ask(lanes_app, CHEAP, "b")
    assert status == 503 and retry_after and took < 0.5
    # A cheap question of a is answered on the short lane (the limit a client is for the long).
    status, message, _, took = _ask(lanes_app, CHEAP, "a")
    assert status == 200 and took < 0.5, message
    # Client c's cheap question is answered at once, on the short lane.
    status, message, _, took = _ask(lanes_app, CHEAP, "c")
    assert status == 200 and took < 0.5, message
    # The heavy text is remembered: asked by c, it is not given the short lane.
    status, message, retry_after, took = _ask(lanes_app, FOR_HOURS, "c")
    assert status == 503 and retry_after and "setting queue-length" in message and took < 0.5
    running.join(10)
    assert heavy_a and heavy_a[0][0] == 503 and "time limit of 3 s" in heavy_a[0][1]
