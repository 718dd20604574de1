"""The real server: ``habitat-kg serve`` on a free port, asked by real SPARQL clients.

The server is started as a subprocess on an empty data folder (so it builds the dataset first),
queried with SPARQLWrapper and with ``habitat-kg query``, and stopped as a person would (Ctrl+C)
or as a service manager would (SIGTERM); then no process of it may be left.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from habitat_kg.namespaces import BASE

HABITAT_KG = shutil.which("habitat-kg") or str(Path(sys.executable).parent / "habitat-kg")
FAO = BASE + "id/org/fao"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_ADDRESS = re.compile(r"habitat-kg serving .* at (http://\S+/)")


@dataclass
class Server:
    process: subprocess.Popen[str]
    address: str
    banner: list[str]
    #: what it writes to stdout and stderr after the banner, read as it comes (as a terminal
    #: does: a pipe nobody reads would stop the server once full)
    written: dict[str, list[str]] = field(default_factory=lambda: {"stdout": [], "stderr": []})
    readers: list[threading.Thread] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return self.address + "sparql"

    def drain(self) -> None:
        for name in ("stdout", "stderr"):
            stream, kept = getattr(self.process, name), self.written[name]
            reader = threading.Thread(target=lambda s=stream, k=kept: k.extend(s), daemon=True)
            reader.start()
            self.readers.append(reader)

    def errors(self) -> str:
        if self.process.poll() is not None:
            self.close()
        return "".join(self.written["stderr"])

    def close(self) -> None:
        """Once it has ended: the rest of what it wrote read, the pipes closed."""
        for reader in self.readers:
            reader.join(10)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def _as_a_terminal_job() -> None:
    """Ctrl+C as a terminal's foreground job has it: neither ignored nor blocked, whatever
    the test process's other tests left (both are inherited across exec)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _start(data: Path, *options: str) -> Server:
    process = subprocess.Popen(
        [HABITAT_KG, "serve", "--port", "0", "--data", str(data), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=_as_a_terminal_job,
    )
    assert process.stdout is not None
    banner = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"serve ended: {process.wait()} {process.stderr.read()}")
        banner.append(line.rstrip("\n"))
        if match := _ADDRESS.search(line):
            banner.append(process.stdout.readline().rstrip("\n"))
            server = Server(process, match.group(1), banner)
            server.drain()
            _wait_for_health(server)
            return server
    process.kill()
    raise AssertionError("serve did not say where it listens within 120 s")


def _wait_for_health(server: Server) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(server.address + "health", timeout=5) as response:
                assert json.load(response)["status"] == "ok"
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _stop(server: Server, how: signal.Signals) -> tuple[int, str, set[int]]:
    """Stop the server with ``how``; its exit status, its stderr, and its processes before."""
    processes = _descendants(server.process.pid)
    if how == signal.SIGINT:
        os.killpg(server.process.pid, signal.SIGINT)  # Ctrl+C reaches the whole process group
    else:
        server.process.send_signal(how)
    try:
        code = server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        status = Path(f"/proc/{server.process.pid}/status").read_text()
        signals = [line for line in status.splitlines() if line.startswith("Sig")]
        tree = subprocess.run(
            ["ps", "-o", "pid,stat,wchan:20,cmd", "-g", str(server.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
        raise AssertionError(
            f"serve did not stop within 30 s; its signals {signals}; processes:\n{tree}\n"
            f"its stderr ({len(server.errors())} characters) ends:\n"
            f"{server.errors()[-3000:]}"
        ) from None
    errors = server.errors()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    return code, errors, processes


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty data folder: the first ``serve`` builds the dataset into it."""
    return tmp_path_factory.mktemp("served") / "data"


@pytest.fixture(scope="module")
def server(data: Path) -> Iterator[Server]:
    server = _start(data, "--workers", "2")
    yield server
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
    server.close()


def test_serve_builds_the_dataset_and_says_where_and_how_big(server: Server, data: Path) -> None:
    assert (data / "habitat-kg.trig").is_file()
    assert server.address.startswith("http://127.0.0.1:")
    assert re.search(r"\d+ triples in 4 named graphs", server.banner[-1])


def test_sparqlwrapper_select_and_construct(server: Server) -> None:
    select = SPARQLWrapper(server.endpoint)
    select.setQuery(f"SELECT ?label WHERE {{ <{FAO}> <{RDFS_LABEL}> ?label }} ORDER BY ?label")
    select.setReturnFormat(JSON)
    bindings = select.queryAndConvert()["results"]["bindings"]
    assert [b["label"]["value"] for b in bindings] == [
        "Food and Agriculture Organization of the United Nations",
        "联合国粮食及农业组织",
    ]
    construct = SPARQLWrapper(server.endpoint)
    construct.setQuery(f"CONSTRUCT WHERE {{ <{FAO}> <{RDFS_LABEL}> ?label }}")
    construct.setReturnFormat(TURTLE)
    graph = Graph().parse(data=construct.queryAndConvert().decode("utf-8"), format="turtle")
    assert (URIRef(FAO), URIRef(RDFS_LABEL), Literal("联合国粮食及农业组织", lang="zh")) in graph
    assert len(graph) == 2


def test_habitat_kg_query_against_the_server(server: Server) -> None:
    run = subprocess.run(
        [
            HABITAT_KG,
            "query",
            "--endpoint",
            server.endpoint,
            "--question",
            "partners-of-a-resolution",
            "--param",
            "resolution=1/5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "GROOTS Kenya" in run.stdout and "肯尼亚 Groots" in run.stdout
    bad = subprocess.run(
        [HABITAT_KG, "query", "--endpoint", server.endpoint, "SELECT * WHERE { ?s ?p }"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith("habitat-kg: error:") and "answered 400" in bad.stderr


def test_ctrl_c_stops_the_server_and_its_workers(server: Server) -> None:
    code, errors, processes = _stop(server, signal.SIGINT)
    assert code == 0, errors
    assert "Traceback" not in errors
    assert len(processes) >= 2  # the query workers (and multiprocessing's helpers)
    assert not [pid for pid in processes if _alive(pid)]


def test_sigterm_stops_a_server_that_did_not_need_to_build(data: Path) -> None:
    server = _start(data, "--workers", "1", "--timeout", "5")
    assert "1 query worker, time limit 5 s" in server.banner[-1]
    code, errors, processes = _stop(server, signal.SIGTERM)
    assert code == 0, errors
    assert "building" not in errors and "Traceback" not in errors
    assert processes and not [pid for pid in processes if _alive(pid)]
