"""Query workers that are threads of one process (``worker-threads``): one copy of the graph
answers several queries at once as the store in memory does, an update is applied to it once
and in order, and a query past the time limit ends the process: its other queries are told to
ask again, and a new process takes their place."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from comparable import comparable
from pool_workers import asked

from habitat_kg.graph.build import BuildResult
from habitat_kg.namespaces import LAYERS, PREFIXES
from habitat_kg.server.questions import all_questions
from habitat_kg.server.store import QueryTimeout, Store
from habitat_kg.server.store.lanes import PoolLimits
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.pool import WorkerPool
from habitat_kg.server.store.serving import Busy
from habitat_kg.server.store.worker import APPLY_CHANGES
from habitat_kg.server.store.worker_process import WorkerProcess
from habitat_kg.server.store.worker_threads import ReadersWriter, SharedGraph

CURATED = str(LAYERS["curated"])
PROBE = "<https://w3id.org/habitat-kg/id/activity/worker-threads-probe>"
ASK_PROBE = f"ASK {{ {PROBE} ?p ?o }}"
#: Written for testing: a statement no source holds.
PROBE_QUAD = (
    f'{PROBE} <http://www.w3.org/2000/01/rdf-schema#label> "written for testing" <{CURATED}> .\n'
)
#: Runs far past any time limit on the built graph (a product of three scans).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIMIT = 3.0


@pytest.fixture(scope="module")
def pool(built: BuildResult) -> Iterator[WorkerPool]:
    """Three workers, threads of one process; a worker kept for short queries is asked for."""
    limits = PoolLimits(worker_threads=3, short_workers=1)
    pool = open_pool(built.dataset_path, "memory", 3, LIMIT, PREFIXES, limits)
    yield pool
    pool.close()


def _idle_workers(pool: WorkerPool, count: int = 3) -> list[WorkerProcess]:
    """``count`` workers taken from the long lane (every worker is there: no short lane)."""
    return [pool._lanes.long.get(10) for _ in range(count)]


def test_the_workers_are_threads_of_one_process_and_answer_as_the_store(
    pool: WorkerPool, store: Store
) -> None:
    assert len(set(pool.worker_pids())) == 1 and len(pool.worker_pids()) == 3
    assert pool._lanes.short_size == 0  # stopped at the short limit, it would end all three
    for question in all_questions():
        sparql = question.sparql()
        assert comparable(pool.query(sparql), sparql) == comparable(store.query(sparql), sparql)


def test_updates_reach_the_one_copy_once_and_in_order(pool: WorkerPool) -> None:
    triples = pool.triple_count()
    workers = _idle_workers(pool)
    late = workers.pop()  # kept out of its lane: not brought up to date with the others
    for worker in workers:
        pool._idle(worker).put(worker)
    pool.apply_changes(b"", PROBE_QUAD.encode(), triples + 1)
    assert {asked(pool, w, ASK_PROBE) for w in _idle_workers(pool, 2)} == {True}
    pool.apply_changes(PROBE_QUAD.encode(), b"", triples)
    # the late one is sent both updates now: it ends where the others are (that neither is
    # applied twice to the one copy is seen below, in SharedGraph's own test)
    assert asked(pool, late, ASK_PROBE) is False
    assert late.triples == triples
    assert {asked(pool, w, ASK_PROBE) for w in _idle_workers(pool)} == {False}


def test_a_query_past_the_limit_ends_the_process_its_other_queries_ask_again(
    pool: WorkerPool,
) -> None:
    before = set(pool.worker_pids())
    outcomes: dict[str, BaseException | object] = {}

    def ask(name: str) -> None:
        try:
            outcomes[name] = pool.query(ENDLESS)
        except (QueryTimeout, Busy) as error:
            outcomes[name] = error

    first = threading.Thread(target=ask, args=("first",))
    first.start()
    time.sleep(1.0)  # the second reaches its own limit later than the first
    second = threading.Thread(target=ask, args=("second",))
    second.start()
    assert pool.query("ASK { ?s ?p ?o }") is True  # a cheap query is answered beside them
    assert first.is_alive()
    first.join(LIMIT + 10)
    second.join(LIMIT + 10)
    assert isinstance(outcomes["first"], QueryTimeout)
    busy = outcomes["second"]
    assert isinstance(busy, Busy) and busy.retry_after >= 1
    assert "same worker process" in str(busy)
    deadline = time.monotonic() + 30
    while len(pool.worker_pids()) < 3 or set(pool.worker_pids()) & before:
        assert time.monotonic() < deadline, "no new process took their place"
        time.sleep(0.05)
    assert len(set(pool.worker_pids())) == 1  # one process again, not one per worker
    assert not any(worker.stopped for worker in pool._lanes.long._stack)  # none held open
    assert pool.query(ASK_PROBE) is False  # answered from the dataset as it now stands


def test_a_second_thread_finds_an_update_applied_and_skips_one_withdrawn() -> None:
    graph = SharedGraph(ox.Store())
    add = ((APPLY_CHANGES, 0), PROBE_QUAD.encode())
    remove = ((APPLY_CHANGES, len(PROBE_QUAD)), PROBE_QUAD.encode())
    refused = ((APPLY_CHANGES, 0), b"not N-Quads")
    assert graph.update(0, *add) == (("replaced", 1), 1)
    assert graph.update(1, *refused)[0][0] == "failed"  # the pool withdraws it from the others
    assert graph.update(2, *remove) == (("replaced", 0), 3)
    # another thread is sent the same updates, less the one withdrawn: none is applied again
    assert graph.update(0, *add) == (("replaced", 1), 1)
    assert graph.update(1, *remove) == (("replaced", 0), 3)
    assert len(graph.store) == 0


def test_an_update_waits_for_the_queries_reading() -> None:
    lock = ReadersWriter()
    written = threading.Event()

    def write() -> None:
        with lock.writing():
            written.set()

    with lock.reading():
        writer = threading.Thread(target=write)
        writer.start()
        assert not written.wait(0.2)
    writer.join(5)
    assert written.is_set()
