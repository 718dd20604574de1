"""A pool answers as soon as its worker in memory is ready: the workers reading the shared
on-disk store join once it is loaded, with the updates served meanwhile; ``serve`` says how many
are ready (``/health``) and, stopped while the store loads, ends quietly and leaves no folder.

The graph is written for testing: synthetic statements, enough of them that loading the store on
disk (an Oxigraph bulk load into RocksDB) takes a while longer than loading it in memory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pool_workers import asked, idle_workers
from rdflib import RDFS, SKOS
from servers import _SERVING, HABITAT_KG

from habitat_kg.namespaces import HKG, PREFIXES
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.pool import WorkerPool
from habitat_kg.server.store.shared_store import FOLDER_PREFIX

#: Statements of the graph written for testing.
TRIPLES = 200_000
GRAPH = "https://w3id.org/habitat-kg/graph/written-for-testing"
PROBE = "<https://w3id.org/habitat-kg/id/activity/readers-join-probe>"
ASK_PROBE = f"ASK {{ {PROBE} ?p ?o }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


#: What the statements of each thing written for testing say: a few of what the search index
#: reads (what it is, its names, a text), the others not.
SAID = (
    f"a <{HKG}Activity>",
    f'<{RDFS}label> "activity {{n}}, written for testing"@en',
    f'<{RDFS}label> "测试活动 {{n}}"@zh',
    f'<{HKG}text> "paragraph {{n}} of a report written for testing, on housing and land"',
    f'<{SKOS}altLabel> "test activity {{n}}"',
    *(f'<https://example.org/written-for-testing/p{k}> "value {{n}}"' for k in range(5)),
)


@pytest.fixture(scope="module")
def large_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose dataset holds TRIPLES statements written for testing (no search
    index beside it)."""
    data = tmp_path_factory.mktemp("readers-join")
    with (data / "habitat-kg.trig").open("w", encoding="utf-8") as trig:
        trig.write(f"<{GRAPH}> {{\n")
        for n in range(TRIPLES // len(SAID)):
            subject = f"<https://w3id.org/habitat-kg/id/activity/written-for-testing-{n}>"
            trig.writelines(f"{subject} {said.format(n=n)} .\n" for said in SAID)
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
    answers = [(w.in_memory, asked(pool, w, ASK_PROBE, 30) is True) for w in idle_workers(pool)]
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


@contextlib.contextmanager
def _serving(
    data: Path, environment: dict[str, str]
) -> Iterator[tuple[subprocess.Popen, str, str]]:
    """``habitat-kg serve`` on ``data`` with two workers: its process, its address, and the
    line it printed after (the graph, the workers), once it says where it listens; SIGTERM,
    then killed if it has not ended within 30 s, after."""
    server = subprocess.Popen(
        [HABITAT_KG, "serve", "--port", "0", "--data", str(data), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=environment,
    )
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if match := _SERVING.search(line):
                break
        else:
            pytest.fail(f"serve ended: {server.wait()}")
        yield server, match.group(1), server.stdout.readline()
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server.stdout.close()  # type: ignore[union-attr]


def test_serve_says_who_is_ready_and_a_stop_while_the_store_loads_ends_quietly(
    large_data: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    environment = os.environ | {"XDG_CACHE_HOME": str(cache)}
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(
            [HABITAT_KG, "serve", "--port", "0", "--data", str(large_data), "--workers", "2"],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=environment,
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
            # while the readers' store loads and the search index is written
            server.send_signal(signal.SIGTERM)
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
    assert "search index: not found beside the dataset" in stderr
    assert stderr.strip().endswith("habitat-kg: stopped"), stderr
    left = list(Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}{server.pid}-*"))
    assert left == []
    assert not [path for path in cache.rglob("*") if path.is_file()]  # nothing half-written


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


#: How much the server process may grow while its search index is built (MiB): what answering
#: the searches asked meanwhile takes, not the rows indexed (100,000 here).
GROWTH_BOUND = 40.0


def test_the_search_index_is_built_apart_the_server_does_not_grow(
    large_data: Path, tmp_path: Path
) -> None:
    environment = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    with _serving(large_data, environment) as (server, address, _said):
        before = peak = _rss_mib(server.pid)
        deadline, statuses = time.monotonic() + 90, set()
        while time.monotonic() < deadline:
            status, retry = _search(address + "search?q=housing&format=json")
            statuses.add((status, retry))
            for _ in range(10):  # the server's memory, between two searches
                peak = max(peak, _rss_mib(server.pid))
                time.sleep(0.02)
            if status == 200:
                break
    assert (503, "10") in statuses and status == 200, statuses
    assert peak - before < GROWTH_BOUND, (before, peak)
    (index,) = (tmp_path / "cache" / "habitat-kg" / "search").glob("*.sqlite")
    assert index.stat().st_size > 0


def _search(url: str) -> tuple[int, str | None]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After")
