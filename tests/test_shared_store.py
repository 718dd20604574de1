"""Query workers that share one store on disk (``memory-workers``): every worker answers as the
store in memory does, an update is seen by every worker once it returns (and by a worker
started after it), the shared store is never written by a query, and its folder goes with the
pool."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from multiprocessing import spawn
from pathlib import Path

import pyoxigraph as ox
import pytest
from comparable import comparable
from pool_workers import asked, idle_workers

from habitat_kg.errors import StoreUnavailable
from habitat_kg.graph.build import BuildResult
from habitat_kg.namespaces import LAYERS, PREFIXES
from habitat_kg.server.questions import all_questions
from habitat_kg.server.store import Store
from habitat_kg.server.store.forking import main_not_run_again
from habitat_kg.server.store.lanes import IdleWorkers
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.pool import WorkerPool
from habitat_kg.server.store.query_text import UpdateRefused, read_query
from habitat_kg.server.store.serving import AnswerRequest
from habitat_kg.server.store.shared_store import CURRENT, FOLDER_PREFIX
from habitat_kg.server.store.worker import WorkerRequest
from habitat_kg.server.store.worker_process import WorkerProcess

CURATED = str(LAYERS["curated"])
PROBE = "<https://w3id.org/habitat-kg/id/activity/shared-store-probe>"
ASK_PROBE = f"ASK {{ {PROBE} ?p ?o }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def pool(built: BuildResult) -> Iterator[WorkerPool]:
    """Three workers: one with the graph in memory, two reading the shared store."""
    pool = open_pool(built.dataset_path, "memory", 3, 10, PREFIXES, memory_workers=1)
    yield pool
    pool.close()


def _idle_workers(pool: WorkerPool) -> list[WorkerProcess]:
    """Every worker of ``pool`` (all are idle: nothing else asks)."""
    taken = idle_workers(pool)
    assert len(taken) == pool.size
    return taken


def _each_worker(pool: WorkerPool, sparql: str) -> dict[WorkerProcess, object]:
    """The answer of every worker of ``pool`` to ``sparql`` (each asked directly)."""
    return {worker: asked(pool, worker, sparql) for worker in _idle_workers(pool)}


def test_two_workers_read_the_shared_store_one_holds_the_graph(pool: WorkerPool) -> None:
    workers = list(_each_worker(pool, "ASK { ?s ?p ?o }"))
    assert sorted(worker.in_memory for worker in workers) == [False, False, True]
    shared = pool._sources.shared
    assert shared is not None and shared.folder.name.startswith(FOLDER_PREFIX)
    assert (shared.folder / CURRENT).is_file()


def test_every_worker_answers_every_stored_question_as_the_store_in_memory(
    pool: WorkerPool, store: Store
) -> None:
    for question in all_questions():
        sparql = question.sparql()
        expected = comparable(store.query(sparql), sparql)
        for worker, answer in _each_worker(pool, sparql).items():
            assert comparable(answer, sparql) == expected, (question.name, worker.in_memory)


def test_an_update_is_seen_by_every_worker_once_it_returns(
    pool: WorkerPool, built: BuildResult
) -> None:
    shared = pool._sources.shared
    assert shared is not None
    before = shared.current
    triples = pool.triple_count() + 1
    assert built.rows is not None
    layer = "".join(f"{row} <{CURATED}> .\n" for row in built.rows["curated"]).encode()
    probe = f'{PROBE} <http://www.w3.org/2000/01/rdf-schema#label> "probe" <{CURATED}> .\n'
    generation = pool.replace_graphs((CURATED,), layer + probe.encode(), triples)
    assert shared.current == f"g{generation}" != before
    assert set(_each_worker(pool, ASK_PROBE).values()) == {True}
    counts = {answer.values("n")[0] for answer in _each_worker(pool, COUNT).values()}  # type: ignore[attr-defined]
    assert counts == {triples}
    assert {worker.triples for worker in pool._state.workers} == {triples}
    assert not (shared.folder / before).exists()  # no worker reads the older one any more

    # a reader started after the update (in place of one that ended) reads the new store
    taken = _idle_workers(pool)
    reader = next(w for w in taken if not w.in_memory)
    for worker in taken:
        if worker is not reader:
            pool._idle(worker).put(worker)
    gone = reader.process.pid
    pool._replace(reader)  # as when its query passes a limit
    deadline = time.monotonic() + 30
    while len(pool.worker_pids()) < pool.size or gone in pool.worker_pids():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)  # until it has opened the store and is idle
    successor = next(w for w in pool._state.workers if not w.in_memory and w is not reader)
    assert successor.generation == generation
    assert set(_each_worker(pool, ASK_PROBE).values()) == {True}

    # changes (the rows a build removed and added) reach every worker the same way
    changed = pool.apply_changes(probe.encode(), b"", triples - 1)
    assert shared.current == f"g{changed}"
    assert set(_each_worker(pool, ASK_PROBE).values()) == {False}
    counts = {answer.values("n")[0] for answer in _each_worker(pool, COUNT).values()}  # type: ignore[attr-defined]
    assert counts == {triples - 1}


def test_no_query_writes_the_shared_store(pool: WorkerPool) -> None:
    insert = f'INSERT DATA {{ GRAPH <{CURATED}> {{ {PROBE} {PROBE} "written" }} }}'
    with pytest.raises(UpdateRefused):  # refused before any worker sees it, as ever
        pool.serialized_query(read_query(insert), AnswerRequest("json", "ntriples"))
    # sent to a reader past the pool's checks, the worker only queries: the update is not a query
    taken = _idle_workers(pool)
    reader = next(w for w in taken if not w.in_memory)
    try:
        reader.channel.send(tuple(WorkerRequest(insert, insert, "json", "ntriples")))
        reply, _ = reader.channel.receive(time.monotonic() + 10)
    finally:
        for worker in taken:
            pool._idle(worker).put(worker)
    assert reply[0] == "syntax"
    shared = pool._sources.shared
    assert shared is not None
    with pytest.raises(RuntimeError, match="read-write"):  # and the store is read-only
        ox.Store.read_only(str(shared.folder / shared.current)).update(insert)
    assert set(_each_worker(pool, 'ASK { ?s ?p "written" }').values()) == {False}


def test_the_workers_in_memory_take_the_queries_first() -> None:
    idle: IdleWorkers[str] = IdleWorkers(first=lambda name: name.startswith("memory"))
    for name in ("memory", "disk-1", "disk-2"):
        idle.put(name)
    assert idle.get(0) == "memory"
    idle.put("memory")
    assert [idle.get(0) for _ in range(3)] == ["memory", "disk-2", "disk-1"]
    with pytest.raises(queue.Empty):
        idle.get(0)


def test_the_shared_folder_goes_with_its_pool(built: BuildResult, tmp_path: Path) -> None:
    temporary = Path(tempfile.gettempdir())
    left = temporary / f"{FOLDER_PREFIX}999999999-abandoned"
    left.mkdir(exist_ok=True)  # as a server killed before it could delete its own leaves it
    kept = tmp_path / "someone-elses"
    (kept / "file").parent.mkdir()
    (kept / "file").write_text("not ours", encoding="utf-8")
    link = temporary / f"{FOLDER_PREFIX}999999998-link"
    link.unlink(missing_ok=True)
    link.symlink_to(kept)  # a link named like a shared folder: not followed, not deleted
    try:
        pool = open_pool(built.dataset_path, "memory", 2, 10, PREFIXES, memory_workers=0)
    finally:
        assert link.is_symlink()
        link.unlink()
    assert (kept / "file").read_text(encoding="utf-8") == "not ours"
    shared = pool._sources.shared
    assert shared is not None and shared.folder.is_dir()
    assert not left.exists()
    assert pool.query("ASK { ?s ?p ?o }") is True
    pool.close()
    assert not shared.folder.exists()

    ours = set(temporary.glob(f"{FOLDER_PREFIX}{os.getpid()}-*"))
    broken = tmp_path / "habitat-kg.trig"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(StoreUnavailable, match=r"could not share one store: .*habitat-kg\.trig"):
        open_pool(broken, "memory", 2, 10, PREFIXES, memory_workers=0)
    assert set(temporary.glob(f"{FOLDER_PREFIX}{os.getpid()}-*")) == ours  # none left behind


def test_a_worker_holds_no_more_than_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker imports neither rdflib nor the command line: the fork server loads the worker
    modules only, and a new process does not run the main script (``habitat-kg``) again."""
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, habitat_kg.server.store.worker_threads; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'flask')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "[]"
    script = tmp_path / "habitat-kg"
    script.write_text("import re\nimport sys\nfrom habitat_kg.cli import main\n", encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert spawn.get_preparation_data("worker")["init_main_from_path"] == str(script)
    with main_not_run_again():
        prepared = spawn.get_preparation_data("worker")
    assert "init_main_from_path" not in prepared
    assert prepared["init_main_from_name"] == "__main__"  # which a new process does not run
    assert main.__spec__ is None
