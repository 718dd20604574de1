"""The peers of ``benchmarks.peers``, started and loaded from the benchmark: Oxigraph's server (the
``oxigraph`` package from PyPI carries the binary), in memory and on disk, and Virtuoso (Debian's
``virtuoso-opensource``), each on loopback on free ports, with its files in a temporary folder,
stopped (by its own process id) when the measurement is done.

How each is loaded, the fastest way it offers:

- Oxigraph server in memory (``oxigraph serve`` with no location): the dataset POSTed as TriG to
  its Graph Store Protocol endpoint (``/store``);
- Oxigraph server on disk: ``oxigraph load`` into a new store, then ``oxigraph serve-read-only``;
- Virtuoso: the dataset written as N-Quads into its folder and read by its bulk loader
  (``ld_dir`` and ``rdf_loader_run`` through ``isql-vt``), then a checkpoint.

Both Oxigraph servers run with ``--union-default-graph`` (the dataset's default graph is the union
of its named graphs, as in habitat-kg); Virtuoso's default graph also holds its system graphs, so
its queries name the dataset's graphs (``default-graph-uri``, ``named-graph-uri``), as habitat-kg's
remote store sends them (``habitat_kg.server.store.remote``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.processes import Server, _wait_until_answering, free_port, running, stop
from habitat_kg.server.store.remote import LAYER_GRAPHS

#: Extra query parameters Virtuoso is asked with: the dataset's graphs (see the module).
VIRTUOSO_DATASET: tuple[tuple[str, str], ...] = tuple(
    (kind, graph) for graph in LAYER_GRAPHS for kind in ("default-graph-uri", "named-graph-uri")
)

#: Virtuoso's settings, for the benchmark's peer and the tests' servers (tests/servers.py).
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = {db}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; no cap on rows (Debian's default of 10000 silently cuts answers), no time cap of its own:
; a store built on it passes the time limit with each query
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""
#: Virtuoso's page buffers (8 KiB each) per million triples: room for its indexes of the
#: dataset, so that the questions are answered from memory as Oxigraph's are.
BUFFERS_PER_MILLION = 30000


@dataclass
class Peer:
    """A loaded peer: its server, the seconds its load took, and the query parameters it needs."""

    server: Server
    load_seconds: float
    parameters: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def oxigraph_binary() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the Oxigraph server is missing: pip install oxigraph (the binary)")
    return found


@contextmanager
def oxigraph_in_memory(dataset: Path, limit: float, query_limit: float) -> Iterator[Peer]:
    command = [
        oxigraph_binary(),
        "serve",
        "--bind",
        "127.0.0.1:{port}",
        "--union-default-graph",
        "--timeout-s",
        f"{query_limit:g}",
    ]
    with running("oxigraph server (memory)", command, "/query", limit) as server:
        started = time.monotonic()
        store = server.url.removesuffix("/query") + "/store"
        with dataset.open("rb") as body:
            request = urllib.request.Request(
                store,
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/trig",
                    "Content-Length": str(dataset.stat().st_size),
                },
            )
            with urllib.request.urlopen(request, timeout=limit) as response:
                if response.status not in (200, 201, 204):
                    raise RuntimeError(f"{store}: loading answered {response.status}")
        yield Peer(server, time.monotonic() - started)


@contextmanager
def oxigraph_on_disk(dataset: Path, limit: float, query_limit: float) -> Iterator[Peer]:
    with tempfile.TemporaryDirectory(prefix="habitat-kg-bench-oxigraph-") as folder:
        location = Path(folder) / "store"
        started = time.monotonic()
        loaded = subprocess.run(
            [oxigraph_binary(), "load", "--location", str(location), "--file", str(dataset)],
            capture_output=True,
            text=True,
            timeout=limit,
        )
        if loaded.returncode != 0:
            raise RuntimeError(
                f"oxigraph load ended with {loaded.returncode}: {loaded.stderr[-800:]}"
            )
        seconds = time.monotonic() - started
        command = [
            oxigraph_binary(),
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            "127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            f"{query_limit:g}",
        ]
        with running("oxigraph server (disk)", command, "/query", limit) as server:
            yield Peer(server, seconds)


def _as_nquads(dataset: Path, target: Path) -> None:
    """The TriG dataset written as N-Quads, which Virtuoso's bulk loader reads."""
    import pyoxigraph as ox

    quads = ox.parse(path=str(dataset), format=ox.RdfFormat.TRIG)
    ox.serialize(quads, output=str(target), format=ox.RdfFormat.N_QUADS)


def _isql(sql_port: int, script: str, limit: float) -> str:
    isql = shutil.which("isql-vt") or shutil.which("isql")
    if isql is None:
        raise RuntimeError("Virtuoso's isql-vt is missing: apt-get install virtuoso-opensource")
    done = subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba"],
        input=script,
        capture_output=True,
        text=True,
        timeout=limit,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"Virtuoso's isql: {(done.stdout + done.stderr)[-800:]}")
    return done.stdout


@contextmanager
def virtuoso(dataset: Path, triples: int, limit: float, query_limit: float) -> Iterator[Peer]:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise RuntimeError("Virtuoso is missing: apt-get install virtuoso-opensource")
    with tempfile.TemporaryDirectory(prefix="habitat-kg-bench-virtuoso-") as folder:
        db = Path(folder)
        sql_port, http_port = free_port(), free_port()
        buffers = max(20000, BUFFERS_PER_MILLION * triples // 1_000_000)
        (db / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(
                db=db,
                sql_port=sql_port,
                http_port=http_port,
                buffers=buffers,
                dirty=buffers * 3 // 4,
            )
        )
        with (db / "console.log").open("wb") as log:
            process = subprocess.Popen(
                [binary, "+foreground", "+configfile", str(db / "virtuoso.ini")],
                cwd=db,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        server = Server("virtuoso", f"http://127.0.0.1:{http_port}/sparql", process)
        try:
            started = time.monotonic()
            _wait_until_answering(server, limit)
            server.started_seconds = time.monotonic() - started
            started = time.monotonic()
            _as_nquads(dataset, db / "dataset.nq")
            report = _isql(
                sql_port,
                f"ld_dir('{db}', 'dataset.nq', 'urn:habitat-kg:unused');\n"
                "rdf_loader_run();\ncheckpoint;\n"
                "SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n",
                limit,
            )
            if not _no_load_errors(report):
                raise RuntimeError(f"Virtuoso's bulk loader failed: {report[-800:]}")
            (db / "dataset.nq").unlink()
            # Its own time limit, in ms: past it, it stops (and says so in X-SQL-State).
            parameters = (*VIRTUOSO_DATASET, ("timeout", str(round(query_limit * 1000))))
            yield Peer(server, time.monotonic() - started, parameters)
        finally:
            stop(process)


def _no_load_errors(report: str) -> bool:
    """Whether the count of files the bulk loader failed on (the last number isql printed) is 0."""
    numbers = [line.strip() for line in report.splitlines() if line.strip().isdigit()]
    return bool(numbers) and numbers[-1] == "0"
