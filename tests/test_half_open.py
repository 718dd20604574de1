"""Half-open connections against a real ``habitat-kg serve``: sockets that never finish a request's
head do not lock new clients out, and the server closes them at the head deadline; what is not
a head (a long query, a body being uploaded) is not cut."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import habitat_kg_serving

from habitat_kg.graph.build import BuildResult

HEADER_TIMEOUT = 2.0
#: Seconds past the deadline the server may take to close a socket (it looks once a second).
CLOSE_SLACK = 4.0


@dataclass
class Served:
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"http://{self.host}:{self.port}/"


@pytest.fixture(scope="module")
def served(built: BuildResult) -> Iterator[Served]:
    """``habitat-kg serve`` with the default connection limit and a short head deadline."""
    options = ("--workers", "1", "--header-timeout", str(HEADER_TIMEOUT), "--timeout", "4")
    with habitat_kg_serving(built.out_dir, *options) as address:
        at = urllib.parse.urlsplit(address)
        yield Served(at.hostname or "", at.port or 0)


def _get(url: str, limit: float) -> int:
    with urllib.request.urlopen(url, timeout=limit) as response:
        response.read()
        return response.status


def _half_open(server: Served, count: int) -> list[socket.socket]:
    held = []
    for _ in range(count):
        connection = socket.create_connection((server.host, server.port), timeout=5)
        connection.sendall(b"GET /sparql?query=ASK")  # the start of a request line, and no more
        held.append(connection)
    return held


def _closed_by_server(connection: socket.socket, limit: float) -> bool:
    """Whether the server closes ``connection`` within ``limit`` seconds (no answer sent)."""
    connection.settimeout(limit)
    try:
        return connection.recv(4096) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@pytest.mark.alone
def test_150_half_open_sockets_do_not_lock_out_a_new_client(served: Served) -> None:
    held = _half_open(served, 150)
    try:
        started = time.monotonic()
        assert _get(served.address + "health", 2.0) == 200
        assert time.monotonic() - started < 2.0
        query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        assert _get(f"{served.address}sparql?{query}", 2.0) == 200
        deadline = time.monotonic() + HEADER_TIMEOUT + CLOSE_SLACK
        still_open = [c for c in held if not _closed_by_server(c, deadline - time.monotonic())]
        assert not still_open, f"{len(still_open)} of 150 half-open sockets still open"
    finally:
        for connection in held:
            connection.close()


@pytest.mark.alone
def test_a_head_trickled_a_byte_at_a_time_is_still_cut_at_the_deadline(served: Served) -> None:
    started = time.monotonic()
    with socket.create_connection((served.host, served.port), timeout=5) as connection:
        closed = False
        for byte in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 100:
            try:
                connection.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.25)
            if time.monotonic() - started > HEADER_TIMEOUT + CLOSE_SLACK + 1:
                break
        closed = closed or _closed_by_server(connection, 1.0)
    assert closed
    assert time.monotonic() - started < HEADER_TIMEOUT + CLOSE_SLACK + 2


def test_a_query_running_past_the_head_deadline_gets_its_answer(served: Served) -> None:
    # every pair of triples: runs into the time limit (4 s), twice the head deadline
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f }"})
    started = time.monotonic()
    with socket.create_connection((served.host, served.port), timeout=30) as connection:
        connection.sendall(f"GET /sparql?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        answer = connection.recv(4096)
    assert time.monotonic() - started > HEADER_TIMEOUT
    assert re.match(rb"HTTP/1\.1 (200|503) ", answer), answer[:200]


def test_a_body_uploaded_for_longer_than_the_head_deadline_is_answered(served: Served) -> None:
    body = ("ASK { ?s ?p ?o }" + " " * 3000).encode()
    head = (
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        f"Accept: application/sparql-results+json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    started = time.monotonic()
    with socket.create_connection((served.host, served.port), timeout=10) as connection:
        connection.sendall(head.encode())
        for offset in range(0, len(body), 250):  # 12 pieces over 3.6 s
            connection.sendall(body[offset : offset + 250])
            time.sleep(0.3)
        answer = connection.recv(4096)
    assert time.monotonic() - started > HEADER_TIMEOUT
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
    assert b'"boolean": true' in answer or b'"boolean":true' in answer


def test_a_kept_alive_connection_serves_several_requests(served: Served) -> None:
    connection = http.client.HTTPConnection(served.host, served.port, timeout=10)
    try:
        for number in range(3):
            connection.request("GET", "/health")
            response = connection.getresponse()
            assert response.status == 200 and b'"status":"ok"' in response.read()
            if number == 0:
                first_socket = connection.sock
            assert connection.sock is first_socket  # the same connection, kept alive
            time.sleep(HEADER_TIMEOUT / 2)
    finally:
        connection.close()


@pytest.mark.alone
def test_the_benchmark_measures_and_reports_the_half_open_figures(
    built: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))
    from benchmarks import half_open

    label = "deadline 1 s"
    results = half_open.measure(built.out_dir, 150, 6.0, [(label, ["--header-timeout", "1"])])
    figures = results[label]
    assert figures["served_seconds"] is not None and figures["served_seconds"] < 2.0
    assert figures["closed_seconds"] is not None and figures["closed_seconds"] < 1 + CLOSE_SLACK
    text = "\n".join(half_open.report_lines({"10k": {"half_open": results}}))
    assert "## Half-open connections" in text
    assert f"| {label} | 150 | {figures['served_seconds']:.2f} |" in text
