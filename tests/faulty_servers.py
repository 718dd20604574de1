"""Small HTTP servers on loopback that fail the way real ones do: slow, refusing, or cut off.

Each answers the ``ASK {}`` a store sends first (to learn what server it talks to) like a SPARQL
server, then misbehaves. The proxy stands in front of a real server and fails one request.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

ASK_TRUE = b'{"head": {}, "boolean": true}'


@dataclass
class Behaviour:
    """What the server does; the handler records every request it saw."""

    #: Seconds to sleep before answering a query other than ``ASK {}`` (None: answer at once).
    query_delay: float | None = None
    #: Status to answer to PUT (Graph Store Protocol) and to updates (None: forward/accept).
    refuse_status: int | None = None
    #: For a proxy: the real server's base URL, and which requests to cut off.
    upstream: str | None = None
    cut: Callable[[str, str, bytes], bool] = lambda method, path, body: False
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


class _Handler(http.server.BaseHTTPRequestHandler):
    behaviour: Behaviour

    def log_message(self, *_args: object) -> None:  # keep the test output clean
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _answer(self, status: int, body: bytes, media_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Server", "faulty-test-server")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._handle("GET", b"")

    def do_POST(self) -> None:
        self._handle("POST", self._body())

    def do_PUT(self) -> None:
        self._handle("PUT", self._body())

    def _handle(self, method: str, body: bytes) -> None:
        behaviour = self.behaviour
        behaviour.seen.append((method, self.path, dict(self.headers)))
        if behaviour.upstream is not None:
            self._proxy(method, body)
            return
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if form.get("query") == ["ASK {}"]:
            self._answer(200, ASK_TRUE, "application/sparql-results+json")
            return
        if behaviour.refuse_status is not None and (method == "PUT" or "update" in form):
            self._answer(behaviour.refuse_status, b"the store is read-only today")
            return
        if behaviour.query_delay is not None:
            behaviour.stop.wait(behaviour.query_delay)
        self._answer(200, ASK_TRUE, "application/sparql-results+json")

    def _proxy(self, method: str, body: bytes) -> None:
        behaviour = self.behaviour
        assert behaviour.upstream is not None
        if behaviour.cut(method, self.path, body):
            _send_half(behaviour.upstream, method, self.path, self.headers, body)
            self._answer(502, b"the connection to the store was cut")
            return
        request = urllib.request.Request(
            behaviour.upstream + self.path, data=body or None, method=method
        )
        for name in ("Content-Type", "Accept"):
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer = response.status, response.read()
                media_type = response.headers.get("Content-Type", "text/plain")
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read()
            media_type = error.headers.get("Content-Type", "text/plain")
        self._answer(status, answer, media_type)


def _send_half(upstream: str, method: str, path: str, headers: object, body: bytes) -> None:
    """Send the request to the real server with only half its body, then hang up."""
    address = urllib.parse.urlsplit(upstream)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
            f"Content-Type: {headers['Content-Type']}\r\n"  # type: ignore[index]
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        connection.sendall(head.encode("ascii") + body[: len(body) // 2])
    time.sleep(0.2)  # let the server notice the cut before the client hears of it


@contextmanager
def faulty_server(behaviour: Behaviour) -> Iterator[str]:
    """Serve on a free loopback port; yields the base URL (``http://127.0.0.1:PORT``)."""
    handler = type("Handler", (_Handler,), {"behaviour": behaviour})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        behaviour.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
