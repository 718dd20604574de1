"""The live reload: a real server (waitress, in a thread of the test) moves onto a rebuilt
dataset while it answers; a long query finishes on the old graph, a new one sees the new
statement, a bad source changes nothing served, and no process or file descriptor is left."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from rdflib import VOID, Graph, URIRef
from servers import served_in_thread

from habitat_kg.project import DATASET_FILE
from habitat_kg.server.reload import ReloadBusy, reload_dataset, served_version
from habitat_kg.server.store.pool import WorkerPool

ACTIVITY = "https://w3id.org/habitat-kg/id/activity/eb-2020-2-item-7/"
PROBE = f"<{ACTIVITY}reload-probe>"
PROBE_SOURCE = f"""\
@prefix hkg: <https://w3id.org/habitat-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix p: <https://w3id.org/habitat-kg/id/report/eb-2020-2/item-7/paragraph/> .

p:26 {{
    {PROBE} a hkg:Activity ;
        rdfs:label "Reload probe"@en .
}}
"""
ASK_PROBE = f"ASK {{ {PROBE} <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
#: Runs for seconds; its count is the product of the graph's triples, typed things and 6, so
#: that it tells the graph it was answered from.
LONG_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f . VALUES ?k { 1 2 3 } }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }"
TYPED = "SELECT (COUNT(*) AS ?n) WHERE { ?d a ?f }"


@pytest.fixture
def project(sources_copy: Path) -> Path:
    """A project folder: its own sources, and a build of them."""
    from habitat_kg.graph.build import build

    build(sources_copy, sources_copy.parent / "build")
    return sources_copy.parent


@pytest.fixture
def served(project: Path) -> Iterator[tuple[Flask, str]]:
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    app = create_app(
        {
            "DATA": str(project / "build"),
            "SOURCES": str(project / "sources"),
            "TIMEOUT": 60,
            "TESTING": True,
        }
    )
    try:
        with served_in_thread(app) as address:
            yield app, address
    finally:
        close_app(app)


def _pool(app: Flask) -> WorkerPool:
    return app.extensions["habitat_kg"].store


def _ask(address: str, query: str) -> object:
    """The answer to ``query`` from the server's endpoint: a boolean, or the first number."""
    url = f"{address}/sparql?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    if "boolean" in answer:
        return answer["boolean"]
    return int(answer["results"]["bindings"][0]["n"]["value"])


def _add_probe(project: Path) -> None:
    (project / "sources" / "curated" / "reload-probe.trig").write_text(PROBE_SOURCE)


def _descendants() -> set[int]:
    """The processes this test's process started, and theirs (the query workers are the fork
    server's children)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":  # a zombie holds nothing, and is reaped by its parent
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("in_place", [False, True], ids=["new-workers", "in-place"])
def test_a_long_query_finishes_on_the_old_graph_a_new_one_sees_the_new_statement(
    served: tuple[Flask, str], project: Path, in_place: bool
) -> None:
    app, address = served
    # the build's ledger says which build the workers loaded: the first reload hands them the
    # changes since (graph/incremental)
    assert _ask(address, ASK_PROBE) is False
    old_count = _ask(address, TRIPLES) * _ask(address, TYPED) * 3  # type: ignore[operator]
    old_pool = _pool(app)
    workers = old_pool.worker_pids()
    long_answer: dict[str, object] = {}

    def long_query() -> None:
        long_answer["n"] = _ask(address, LONG_COUNT)
        long_answer["ended"] = time.monotonic()

    asking = threading.Thread(target=long_query)
    asking.start()
    deadline = time.monotonic() + 30
    while old_pool.queries_running == 0:  # it is on a worker of the old pool
        assert time.monotonic() < deadline, "the long query never reached the pool"
        time.sleep(0.01)
    _add_probe(project)
    called = time.monotonic()
    result = reload_dataset(app, new_workers=not in_place)
    assert result.swapped and result.error is None, result.error
    swapped = time.monotonic()
    # new queries see the new statement at once, while the long one still runs on the old graph
    assert _ask(address, ASK_PROBE) is True
    first_answer = time.monotonic() - called
    assert "n" not in long_answer, "the long query ended before the swap: make it longer"
    asking.join(120)
    assert long_answer["n"] == old_count  # answered from the graph it started on
    assert long_answer["ended"] > swapped  # type: ignore[operator]
    for _ in range(4):  # the worker freed by the long query too now answers from the new graph
        assert _ask(address, ASK_PROBE) is True
    new_count = _ask(address, TRIPLES) * _ask(address, TYPED) * 3  # type: ignore[operator]
    assert new_count != old_count  # so the long query's count tells the graph
    assert result.settled.wait(30) and not result.late_error
    if in_place:  # the workers were given the new rows of the curated layer
        assert result.changed == ("curated",) and result.version.generation == 1
        assert result.in_place
        assert _pool(app) is old_pool and old_pool.worker_pids() == workers
    else:
        assert len(result.changed) == 4 and result.version.generation == 1
        assert old_pool.worker_pids() == [] and _pool(app).worker_pids() != workers
    # the build folder holds what is served: a restart serves it too
    assert "reload-probe" in (project / "build" / DATASET_FILE).read_text()
    assert _ask(address, TRIPLES) == app.extensions["habitat_kg"].triples
    print(f"reload to first answer with the new statement: {first_answer:.2f} s")


def test_the_processes_and_descriptors_are_back_to_what_they_were(
    served: tuple[Flask, str], project: Path
) -> None:
    app, address = served
    _ask(address, ASK_PROBE)  # every descriptor a first answer opens is open now
    processes, descriptors = _descendants(), _open_descriptors()
    old_workers = _pool(app).worker_pids()
    for round_ in range(3):
        if round_ == 1:
            _add_probe(project)
        result = reload_dataset(app, new_workers=round_ == 0)
        assert result.swapped, result.error
        assert result.settled.wait(30)
        _ask(address, ASK_PROBE)
    new_workers = _pool(app).worker_pids()
    assert len(new_workers) == len(old_workers) and not set(new_workers) & set(old_workers)
    assert not any(Path(f"/proc/{pid}").exists() for pid in old_workers)
    now = _descendants()
    assert len(now) == len(processes), (processes, now)
    assert _open_descriptors() == descriptors
    assert _ask(address, ASK_PROBE) is True


@pytest.mark.parametrize("in_place", [False, True], ids=["new-workers", "in-place"])
def test_a_bad_source_leaves_the_old_graph_served(
    served: tuple[Flask, str], project: Path, in_place: bool
) -> None:
    app, address = served
    if in_place:
        assert reload_dataset(app).settled.wait(30)
    generation = served_version(app).generation
    dataset = project / "build" / DATASET_FILE
    before, workers = dataset.read_bytes(), _pool(app).worker_pids()
    broken = project / "sources" / "curated" / "reload-probe.trig"
    broken.write_text(PROBE_SOURCE.replace("rdfs:label", "rdfs:label label", 1))
    result = reload_dataset(app, new_workers=not in_place)
    assert not result.swapped
    assert result.source == broken and result.line == 7, result.error
    assert str(result.error).startswith(f"{broken}:7:")
    assert result.version.generation == generation and result.settled.is_set()
    assert dataset.read_bytes() == before
    assert _pool(app).worker_pids() == workers
    assert _ask(address, ASK_PROBE) is False
    # fixed, the next reload goes through (the failed one let go of the lock)
    _add_probe(project)
    assert reload_dataset(app).swapped
    assert _ask(address, ASK_PROBE) is True


def test_a_build_that_cannot_be_written_goes_back_to_the_dataset_the_folder_holds(
    served: tuple[Flask, str], project: Path
) -> None:
    app, address = served
    assert reload_dataset(app).settled.wait(30)
    dataset = project / "build" / DATASET_FILE
    before = dataset.read_bytes()
    stranger = project / "build" / "notes.txt"

    def someone_writes_into_the_build_folder(step: str) -> None:
        if step.startswith("serving the new"):  # after the checks, before the build is written
            stranger.write_text("not the build's")

    _add_probe(project)
    result = reload_dataset(app, someone_writes_into_the_build_folder)
    assert result.swapped and result.changed == ("curated",)
    assert result.settled.wait(60)
    [late] = result.late_error
    assert "notes.txt" in late and "went back to the dataset it had" in late
    assert dataset.read_bytes() == before
    assert _ask(address, ASK_PROBE) is False
    # the folder cleared, the next reload serves the new statement again (every layer: the
    # server no longer knows which build its new workers loaded)
    stranger.unlink()
    again = reload_dataset(app)
    assert again.swapped and len(again.changed) == 4
    assert _ask(address, ASK_PROBE) is True


def test_one_reload_at_a_time(served: tuple[Flask, str], project: Path) -> None:
    app, address = served
    old_pool = _pool(app)
    threading.Thread(target=_ask, args=(address, LONG_COUNT), daemon=True).start()
    deadline = time.monotonic() + 30
    while old_pool.queries_running == 0:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    first = reload_dataset(app, new_workers=True)
    assert first.swapped
    # the old pool still answers the long query: the next reload must wait for it
    assert not first.settled.is_set()
    with pytest.raises(ReloadBusy, match="being reloaded already"):
        reload_dataset(app)
    _add_probe(project)
    second = reload_dataset(app, wait=120)
    assert first.settled.is_set() and second.swapped
    assert second.version.generation == 2
    assert _ask(address, ASK_PROBE) is True


def test_a_retired_pool_hands_late_queries_to_its_successor(
    served: tuple[Flask, str], project: Path
) -> None:
    app, _address = served
    old_pool = _pool(app)
    _add_probe(project)
    result = reload_dataset(app, new_workers=True)
    assert result.settled.wait(30) and old_pool.worker_pids() == []
    # a page that picked up the old pool before the swap still gets its answer
    assert old_pool.query(ASK_PROBE) is True


def _described_triples(address: str) -> int:
    """The triples the service description (VoID) counts in the dataset."""
    with urllib.request.urlopen(f"{address}/sparql?format=nt", timeout=30) as response:
        description = Graph().parse(data=response.read().decode(), format="nt")
    dataset = URIRef(f"{address}/sparql#dataset")
    return int(description.value(dataset, VOID.triples))  # type: ignore[arg-type]


def test_health_and_description_say_which_build_is_served(
    served: tuple[Flask, str], project: Path
) -> None:
    app, address = served
    with urllib.request.urlopen(f"{address}/health", timeout=30) as response:
        before = json.load(response)
    described = _described_triples(address)  # counted once, and kept
    assert before["dataset"]["generation"] == 0 and before["dataset"]["built"].endswith("Z")
    assert described == before["triples"]
    _add_probe(project)
    assert reload_dataset(app).swapped
    with urllib.request.urlopen(f"{address}/health", timeout=30) as response:
        after = json.load(response)
    assert after["dataset"]["generation"] == 1
    assert after["dataset"]["built"] > before["dataset"]["built"]
    assert after["triples"] > before["triples"]
    assert _described_triples(address) == after["triples"]  # counted again for the new graph


def test_a_store_that_is_not_in_memory_is_not_reloaded(project: Path, tmp_path: Path) -> None:
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    store = f"oxigraph:{tmp_path / 'store'}"
    app = create_app({"DATA": str(project / "build"), "STORE": store, "TESTING": True})
    try:
        result = reload_dataset(app)
        assert not result.swapped and "only the in-memory store" in str(result.error)
    finally:
        close_app(app)
    shutil.rmtree(tmp_path / "store")
