"""The processes the benchmark starts: probes, and servers on free loopback ports.

Servers: ``habitat-kg serve`` (the endpoint under test), rdflib-endpoint (the nearest Python
peer, on rdflib's own engine: its ``--store Oxigraph`` falls back to it anyway) and the minimal
Flask + waitress + pyoxigraph app. Every process is ended by its own id when the benchmark is done.
"""

from __future__ import annotations

import contextlib
import json
import queue
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
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
#: The repository: probes and the minimal app run as ``python -m benchmarks...`` from it.
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str  # the SPARQL endpoint
    process: subprocess.Popen
    started_seconds: float = 0.0


def _wait_until_answering(server: Server, limit: float) -> None:
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} ended while starting (exit {server.process.returncode})"
            )
        request = urllib.request.Request(
            f"{server.url}?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer at {server.url} within {limit:g} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@contextmanager
def running(name: str, command: list[str], path: str, limit: float) -> Iterator[Server]:
    """Start ``command`` (it listens on the port in its arguments) and wait until it answers."""
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    started = time.monotonic()
    # A file, not a pipe: a server that logs every request would fill a pipe and stall.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log, cwd=REPO)
        server = Server(name, f"http://127.0.0.1:{port}{path}", process)
        try:
            _wait_until_answering(server, limit)
            server.started_seconds = time.monotonic() - started
            yield server
        except RuntimeError as error:
            stop(process)
            log.seek(0)
            detail = log.read().decode(errors="replace")[-800:]
            raise RuntimeError(f"{error}\n{detail}") from None
        finally:
            stop(process)


def habitat_kg_server(
    data: Path, store: str, workers: int, timeout: float, limit: float, *options: str
):
    """``habitat-kg serve`` with the benchmark's settings, then ``options``."""
    command = [str(BIN / "habitat-kg"), "serve", "--data", str(data), "--port", "{port}"]
    command += ["--store", store, "--workers", str(workers), "--timeout", f"{timeout:g}"]
    command += ["--max-rows", "1000000", *options]
    return running("habitat-kg", command, "/sparql", limit)


def rdflib_endpoint_server(dataset: Path, limit: float):
    command = [str(BIN / "rdflib-endpoint"), "serve", str(dataset), "--host", "127.0.0.1"]
    return running("rdflib-endpoint", [*command, "--port", "{port}"], "/", limit)


def minimal_server(dataset: Path, limit: float):
    command = [sys.executable, "-m", "benchmarks.minimal_app", str(dataset), "{port}"]
    return running("minimal app", command, "/sparql", limit)


class Probe:
    """A probe process (benchmarks.probes) whose JSON lines are read with a deadline."""

    def __init__(self, arguments: list[str], environment: dict[str, str] | None = None) -> None:
        # A file, not a pipe, for stderr: nobody reads it while the probe lives (see running).
        self._errors = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.probes", *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
            cwd=REPO,
            env=environment,
        )
        self.started = time.monotonic()
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def ask(self, **request: object) -> None:
        """Send a request to a probe that reads them (``paced``) as a JSON line; OSError if the
        probe has ended."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def next(self, limit: float) -> dict | None:
        """The next JSON line, or None when none came within ``limit`` seconds; RuntimeError
        with the end of its stderr if the probe ended."""
        try:
            line = self._lines.get(timeout=limit)
        except queue.Empty:
            return None
        if line is None:
            self.process.wait(10)
            self._errors.seek(0)
            raise RuntimeError(f"probe ended: {self._errors.read()[-800:]}")
        return json.loads(line)

    def stop(self) -> None:
        stop(self.process)
        self._reader.join(5)
        for pipe in (self.process.stdin, self.process.stdout, self._errors):
            if pipe is not None:
                with contextlib.suppress(OSError):  # a line left unsent to an ended probe
                    pipe.close()
