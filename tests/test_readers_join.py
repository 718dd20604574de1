"""A pool answers as soon as its worker in memory is ready: the workers reading the shared
on-disk store join once it is loaded, with the updates served meanwhile; ``serve`` says how many
are ready (``/health``) and, stopped while the store loads, ends quietly and leaves no folder.

The graph is written for testing: synthetic statements, enough of them that loading the store on
disk (an Oxigraph bulk load into RocksDB) takes a while longer than loading it in memory."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from servers import _SERVING, HABITAT_KG

from habitat_kg.namespaces import PREFIXES
from habitat_kg.server.store.decoded import result_from_json
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.pool import WorkerPool
from habitat_kg.server.store.shared_store import FOLDER_PREFIX
from habitat_kg.server.store.worker import WorkerRequest

#: Statements of the graph written for testing.
TRIPLES = 300_000
GRAPH = "https://w3id.org/habitat-kg/graph/written-for-testing"
PROBE = "<https://w3id.org/habitat-kg/id/activity/readers-join-probe>"
ASK_PROBE = f"ASK {{ {PROBE} ?p ?o }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def large_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose dataset holds TRIPLES statements written for testing."""
    data = tmp_path_factory.mktemp("readers-join")
    with (data / "habitat-kg.trig").open("w", encoding="utf-8") as trig:
        trig.write(f"<{GRAPH}> {{\n")
        for i in range(TRIPLES):
            trig.write(
                f"<https://example.org/written-for-testing/s{i // 10}> "
                f'<https://example.org/written-for-testing/p{i % 10}> "text {i}, for testing" .\n'
            )
        trig.write("}\n")
    return data


def _count(pool: WorkerPool) -> int:
    return int(next(iter(pool.query(COUNT)))["n"].value)  # type: ignore[index]


def _until(condition, limit: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, "not within the limit"
        time.sleep(0.1)


def _each_worker_asks_probe(pool: WorkerPool) -> list[tuple[bool, bool]]:
    """(in memory, its answer to ASK_PROBE) of every worker of ``pool``, each asked directly."""
    taken = []
    for idle in (pool._lanes.long, pool._lanes.short):
        while True:
            try:
                taken.append(idle.get(0))
            except queue.Empty:
                break
    request = tuple(WorkerRequest(ASK_PROBE, ASK_PROBE, "json", "ntriples"))
    answers = []
    for worker in taken:  # each goes back to its lane once it has answered
        reply, body = pool._run(worker, request, ASK_PROBE, time.monotonic() + 30)
        assert reply[0] == "ok", reply
        answers.append((worker.in_memory, result_from_json(body) is True))
    return sorted(answers)


def test_queries_are_answered_while_the_readers_load_then_they_join_with_the_updates(
    large_data: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    dataset = large_data / "habitat-kg.trig"
    pool = open_pool(dataset, "memory", 3, 30, PREFIXES, memory_workers=1, readers_later=True)
    try:
        assert pool.workers_ready() == (1, 3)  # the store on disk is still loading
        assert _count(pool) == TRIPLES
        # an update served while the store loads: the readers answer with it when they join
        added = f'{PROBE} <{PREFIXES["rdfs"]}label> "probe, for testing" <{GRAPH}> .\n'
        pool.apply_changes(b"", added.encode(), TRIPLES + 1)
        assert pool.query(ASK_PROBE) is True
        assert pool._sources.shared is None  # still loading: the update waits for it
        _until(lambda: pool.workers_ready() == (3, 3))
        assert _each_worker_asks_probe(pool) == [(False, True), (False, True), (True, True)]
        assert _count(pool) == TRIPLES + 1
        folder = pool._sources.shared.folder  # type: ignore[union-attr]
    finally:
        pool.close()
    assert not folder.exists()
    said = capfd.readouterr().err
    assert "2 query workers reading the shared on-disk store joined" in said


def test_serve_says_who_is_ready_and_a_stop_while_the_store_loads_ends_quietly(
    large_data: Path,
) -> None:
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(
            [HABITAT_KG, "serve", "--port", "0", "--data", str(large_data), "--workers", "2"],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert server.stdout is not None
            printed = ""
            for line in server.stdout:
                printed += line
                if match := _SERVING.search(line):
                    break
            else:
                pytest.fail(f"serve ended ({server.wait()}): {printed}")
            said = server.stdout.readline()
            with urllib.request.urlopen(match.group(1) + "health", timeout=10) as response:
                health = json.load(response)
            server.send_signal(signal.SIGTERM)  # while the readers' store loads
            assert server.wait(30) == 0
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
            server.stdout.close()  # type: ignore[union-attr]
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    assert "(1 ready now; the others join once the shared on-disk store is loaded)" in said
    assert health["status"] == "ok" and health["workers"] == {"ready": 1, "of": 2}
    assert "Traceback" not in stderr and "joined" not in stderr, stderr
    assert stderr.strip().endswith("habitat-kg: stopped"), stderr
    left = list(Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}{server.pid}-*"))
    assert left == []
