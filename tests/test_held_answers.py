"""Long answers handed to waitress as files (server/sparql/held_answers.py): sent whole, within
the bound of what is held, and given back when sent or when the client goes away."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from waitress.buffers import ReadOnlyFileBasedBuffer
from waitress.server import create_server
from werkzeug.test import EnvironBuilder

from habitat_kg.server.sparql.held_answers import SPOOLED_ABOVE, Holding, send
from habitat_kg.server.sparql.responses import answer_response

LONG = bytes(range(256)) * (3 * SPOOLED_ABOVE // 256)
#: More than the kernel's buffers on both ends of a connection hold (net.core.wmem_max and
#: rmem_max are a few MiB): the server cannot have sent it all to a client that reads nothing.
HUGE = LONG * 8
MEDIA_TYPE = "application/sparql-results+json"


def _environ(method: str = "GET") -> dict[str, Any]:
    environ = EnvironBuilder("/sparql", method=method).get_environ()
    environ["wsgi.file_wrapper"] = ReadOnlyFileBasedBuffer  # as waitress gives it
    return environ


def _started(status: str, headers: list[tuple[str, str]]) -> None:
    _started.last = (status, dict(headers))  # type: ignore[attr-defined]


def test_a_long_answer_is_held_and_given_back_when_closed() -> None:
    holding = Holding(10 * len(LONG))
    sent = send(answer_response(LONG, MEDIA_TYPE), _environ(), _started, holding)
    assert isinstance(sent, ReadOnlyFileBasedBuffer)
    assert holding.held == len(LONG)
    assert _started.last[1]["Content-Length"] == str(len(LONG))  # type: ignore[attr-defined]
    sent.prepare()
    assert sent.get(-1) == LONG
    sent.close()
    assert holding.held == 0


@pytest.mark.parametrize(
    ("body", "method", "limit"),
    [
        (LONG, "GET", len(LONG) - 1),  # past the bound: spooled as before
        (LONG, "HEAD", 10 * len(LONG)),  # no body to send
        (LONG[:SPOOLED_ABOVE], "GET", 10 * len(LONG)),  # short enough for waitress's memory
    ],
)
def test_other_answers_go_as_werkzeug_sends_them(body: bytes, method: str, limit: int) -> None:
    holding = Holding(limit)
    sent = send(answer_response(body, MEDIA_TYPE), _environ(method), _started, holding)
    assert not isinstance(sent, ReadOnlyFileBasedBuffer)
    assert b"".join(sent) == (b"" if method == "HEAD" else body)
    assert holding.held == 0


@pytest.fixture
def served() -> Iterator[tuple[int, Holding]]:
    holding = Holding(10 * len(HUGE))

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        return send(answer_response(HUGE, MEDIA_TYPE), environ, start_response, holding)

    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port, holding  # type: ignore[union-attr]
    finally:
        server.close()
        thread.join(5)


def _given_back(holding: Holding) -> bool:
    deadline = time.monotonic() + 10
    while holding.held and time.monotonic() < deadline:
        time.sleep(0.01)
    return holding.held == 0


def test_waitress_sends_a_held_answer_whole(served: tuple[int, Holding]) -> None:
    port, holding = served
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for _ in range(2):  # on one kept-alive connection
        connection.request("GET", "/sparql")
        response = connection.getresponse()
        assert response.status == 200
        assert response.read() == HUGE
    connection.close()
    assert _given_back(holding)


def test_a_client_gone_before_reading_gives_the_answer_back(served: tuple[int, Holding]) -> None:
    port, holding = served
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        client.sendall(b"GET /sparql HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert client.recv(4096).startswith(b"HTTP/1.1 200")
        time.sleep(0.5)
        assert holding.held == len(HUGE)  # held while the client reads nothing more
    assert _given_back(holding)
