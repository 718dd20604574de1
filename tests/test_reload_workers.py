"""Graphs replaced in a running pool (the in-place reload): every worker answers from the new
graphs before its next query, a worker started later (in place of one past the time limit)
catches up from the dataset file, and new graphs that cannot be read change nothing."""

from __future__ import annotations

import time

import pytest

from habitat_kg.graph.build import BuildResult, Delta
from habitat_kg.namespaces import LAYERS, PREFIXES
from habitat_kg.server.store import QueryTimeout
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.pool import WorkerPool

CURATED = str(LAYERS["curated"])
PROBE = "<https://w3id.org/habitat-kg/id/activity/reload-probe>"
ASK_PROBE = f"ASK {{ {PROBE} ?p ?o }}"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def _curated_with_probe(built: BuildResult) -> bytes:
    """The built curated layer as N-Quads, as a reload gives it, and one statement more."""
    assert built.rows is not None
    layer = Delta().nquads({"curated": built.rows["curated"]})
    return (
        layer
        + f'{PROBE} <http://www.w3.org/2000/01/rdf-schema#label> "probe" <{CURATED}> .\n'.encode()
    )


@pytest.fixture
def pool(built: BuildResult) -> WorkerPool:
    pool = open_pool(built.dataset_path, "memory", size=2, timeout=2.0, prefixes=PREFIXES)
    yield pool
    pool.close()


def test_every_worker_answers_from_the_new_graphs(pool: WorkerPool, built: BuildResult) -> None:
    before = pool.triple_count()
    generation = pool.replace_graphs((CURATED,), _curated_with_probe(built), before + 1)
    assert generation == 1 and pool.triple_count() == before + 1
    workers = pool.worker_pids()
    for _ in range(6):  # each worker, whichever the pool lends
        assert pool.query(ASK_PROBE) is True
    count = pool.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(next(iter(count))["n"].value) == before + 1  # type: ignore[index]
    assert pool.worker_pids() == workers  # no worker was started for it


def test_a_worker_started_later_catches_up_from_the_file(
    pool: WorkerPool, built: BuildResult
) -> None:
    pool.replace_graphs((CURATED,), _curated_with_probe(built), pool.triple_count() + 1)
    workers = set(pool.worker_pids())
    with pytest.raises(QueryTimeout):  # its worker is killed; the new one loads the file
        pool.query(HEAVY)
    deadline = time.monotonic() + 60
    while len(set(pool.worker_pids()) - workers) < 1 or len(pool.worker_pids()) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1)  # the new worker has loaded the file, which does not hold the probe
    for _ in range(6):
        assert pool.query(ASK_PROBE) is True


@pytest.mark.parametrize(
    ("nquads", "problem"),
    [
        (f"{PROBE} {PROBE} {PROBE} .\n", "a quad of another graph"),
        (f'{PROBE} {PROBE} "no end <{CURATED}> .\n', "not N-Quads"),
    ],
)
def test_new_graphs_that_cannot_be_read_change_nothing(
    pool: WorkerPool, nquads: str, problem: str
) -> None:
    workers, triples = pool.worker_pids(), pool.triple_count()
    with pytest.raises(ValueError, match=problem):
        pool.replace_graphs((CURATED,), nquads.encode(), 0)
    assert pool.query("ASK { ?s ?p ?o }") is True and pool.query(ASK_PROBE) is False
    assert pool.worker_pids() == workers and pool.triple_count() == triples


def test_the_dataset_file_written_lets_the_updates_go(pool: WorkerPool, built: BuildResult) -> None:
    generation = pool.replace_graphs((CURATED,), _curated_with_probe(built), 0)
    assert pool._updates.since(0)[0]  # kept for a worker that would load the older file
    for _ in range(4):
        pool.query(ASK_PROBE)
    pool.dataset_written(generation)
    assert pool._updates.since(0) == ([], generation)
