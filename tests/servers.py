"""Real SPARQL servers for the tests: Oxigraph's server and Virtuoso, each on loopback on a free
port, with its database in a temporary folder, started in the foreground and ended after; and
``habitat-kg serve`` itself (``habitat_kg_serving``), on any free port.

A test module imports the fixtures ``oxigraph`` and ``virtuoso`` (this folder is on the import
path).

- Oxigraph: the ``oxigraph`` package from PyPI carries the server binary (``oxigraph serve``);
  queries at ``/query``, SPARQL Update at ``/update``, the Graph Store Protocol at ``/store``.
- Virtuoso: Debian's ``virtuoso-opensource`` (``virtuoso-t``), with a ``virtuoso.ini`` written
  here (a new database, its SQL and HTTP ports on 127.0.0.1, no row cap, no time cap of its
  own). Queries at ``/sparql``; loading as ``dba`` with digest authentication at
  ``/sparql-auth`` (SPARQL Update: its Graph Store Protocol PUT is not atomic, see
  habitat_kg.server.store.remote_load).

A server that is missing or does not start fails the test (never skips it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from benchmarks.peer_servers import VIRTUOSO_INI

#: Seconds a server may take to answer its first query.
START_LIMIT = 60.0
#: The command line of this environment.
HABITAT_KG = shutil.which("habitat-kg") or str(Path(sys.executable).parent / "habitat-kg")
_SERVING = re.compile(r"habitat-kg serving .* at (http://\S+/)")


@dataclass
class RunningServer:
    """A SPARQL server started by a test, and the settings to reach it."""

    name: str
    query_url: str
    update_url: str
    gsp_url: str | None
    process: subprocess.Popen
    log: Path
    #: The environment variables that let habitat-kg load into it (credentials).
    credentials: dict[str, str] = field(default_factory=dict)

    def store_options(self) -> list[str]:
        """The command-line options of ``habitat-kg publish`` for this server."""
        options = ["--store", self.query_url, "--update-url", self.update_url]
        return [*options, "--gsp-url", self.gsp_url] if self.gsp_url else options

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(server: RunningServer, limit: float = START_LIMIT) -> None:
    """Wait for the server to answer ``ASK {}``; fail with the end of its log if it does not."""
    query = urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            request = urllib.request.Request(
                f"{server.query_url}?{query}",
                headers={"Accept": "application/sparql-results+json"},
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    server.stop()
    tail = server.log.read_text(errors="replace")[-2000:] if server.log.exists() else ""
    pytest.fail(f"{server.name} did not start at {server.query_url} within {limit:g} s:\n{tail}")


def oxigraph_binary() -> str:
    beside_python = Path(sys.executable).with_name("oxigraph")
    found = str(beside_python) if beside_python.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the Oxigraph server is missing: pip install oxigraph (it carries the binary)")
    return found


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[RunningServer]:
    """Oxigraph's server with its store in ``folder``, in read-write mode."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(folder / "db"),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    server = RunningServer(
        "Oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", process, log
    )
    try:
        wait_until_answering(server)
        yield server
    finally:
        server.stop()


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[RunningServer]:
    """Virtuoso with a new database in ``folder``; ``dba`` (password ``dba``) loads."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.fail("Virtuoso is missing: apt-get install -y virtuoso-opensource (virtuoso-t)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            db=folder, sql_port=sql_port, http_port=http_port, buffers=20000, dirty=15000
        )
    )
    log = folder / "virtuoso-console.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    server = RunningServer(
        "Virtuoso",
        f"{base}/sparql",
        f"{base}/sparql-auth",
        None,
        process,
        log,
        {
            "HABITAT_KG_STORE_USER": "dba",
            "HABITAT_KG_STORE_PASSWORD": "dba",
            "HABITAT_KG_STORE_AUTH": "digest",
        },
    )
    try:
        wait_until_answering(server)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session", name="oxigraph")
def oxigraph_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real Oxigraph server, empty at the start of the session."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server


@pytest.fixture(scope="session", name="virtuoso")
def virtuoso_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real Virtuoso server with a new database, empty at the start of the session."""
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-server")) as server:
        yield server


@contextmanager
def served_in_thread(app: object, threads: int = 4) -> Iterator[str]:
    """The Flask ``app`` served by a real waitress server on 127.0.0.1 and a free port, in a
    thread of this process; yields its base URL and stops the server after."""
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, name="served-in-thread", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        # close every channel from inside the server's own loop, which then ends
        server.trigger.pull_trigger(lambda: [d.close() for d in list(server._map.values())])
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()


@contextmanager
def habitat_kg_serving(data: Path, *options: str) -> Iterator[str]:
    """``habitat-kg serve --port 0`` on the dataset in ``data`` with ``options``, in a process
    group of its own: yields the address it prints (``http://host:port/``) once its health
    check says ok; stopped (SIGTERM) after. Its stderr goes to a file (a pipe nobody reads could
    fill and stall the server), whose end a failure to start shows."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [HABITAT_KG, "serve", "--port", "0", "--data", str(data), *options],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            start_new_session=True,
        )
        assert process.stdout is not None
        try:
            for line in process.stdout:
                if match := _SERVING.search(line):
                    break
            else:
                errors.seek(0)
                tail = errors.read().decode(errors="replace")[-2000:]
                raise AssertionError(f"serve ended: {process.wait()} {tail}")
            _wait_for_health(match.group(1))
            yield match.group(1)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            process.stdout.close()


def _wait_for_health(address: str, limit: float = START_LIMIT) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            with urllib.request.urlopen(address + "health", timeout=5) as response:
                if json.load(response)["status"] == "ok":
                    return
        except OSError:
            pass  # not listening yet, or not healthy yet (503)
        if time.monotonic() > deadline:
            pytest.fail(f"habitat-kg serve at {address} was not healthy within {limit:g} s")
        time.sleep(0.2)
