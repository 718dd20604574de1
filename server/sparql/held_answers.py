"""Large answers handed to the HTTP server as they are, not copied into a temporary file.

waitress copies the bytes an application returns into its output buffer, which past 1 MiB (its
``outbuf_overflow``) is a temporary file: the answer is written there whole, then read back a
piece at a time to be sent. An answer given as a ``wsgi.file_wrapper`` is sent from where it
is. It then stays in memory until the client has read it all, so a client that reads slowly
holds it; the answers held so are bounded (:data:`HELD_BYTES` at once), and past the bound an
answer goes the spooled way. A server without ``wsgi.file_wrapper`` gets the bytes.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Response

from habitat_kg.server.sparql.responses import AnswerResponse

#: Answers longer than this are held rather than spooled (waitress's outbuf_overflow: shorter
#: ones stay in its memory buffer anyway).
SPOOLED_ABOVE = 1024 * 1024
#: The most answer bytes held in memory for clients still reading them.
HELD_BYTES = 256 * 1024 * 1024
#: The pieces a server that iterates the file reads (waitress reads as much as its socket takes).
_BLOCK = 256 * 1024


class Holding:
    """How many bytes of answers are held for their clients, within ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> bool:
        """Hold ``size`` more bytes if that stays within the limit."""
        with self._lock:
            if self.held + size > self.limit:
                return False
            self.held += size
            return True

    def give_back(self, size: int) -> None:
        with self._lock:
            self.held -= size


HOLDING = Holding(HELD_BYTES)


class HeldAnswer(io.BytesIO):
    """An answer's bytes as a file (BytesIO shares them, no copy), given back when closed: the
    server closes it once sent, or when the connection ends."""

    def __init__(self, body: bytes, holding: Holding) -> None:
        super().__init__(body)
        self._holding = holding
        self._size = len(body)

    def close(self) -> None:
        if not self.closed:
            self._holding.give_back(self._size)
        super().close()


def send(
    response: Response,
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    holding: Holding = HOLDING,
) -> Iterable[bytes]:
    """``response`` as a WSGI answer: a long 200 answer as a held file when the server takes
    one and there is room, anything else as werkzeug sends it."""
    wrapper = environ.get("wsgi.file_wrapper")
    body = response.response[0] if type(response) is AnswerResponse else None
    if (
        wrapper is None
        or not isinstance(body, bytes)
        or len(body) <= SPOOLED_ABOVE
        or response.status_code != 200
        or environ.get("REQUEST_METHOD") == "HEAD"  # a file given is sent, whatever the method
        or not holding.take(len(body))
    ):
        return response(environ, start_response)
    held = HeldAnswer(body, holding)
    try:
        start_response(response.status, response.get_wsgi_headers(environ).to_wsgi_list())
        return wrapper(held, _BLOCK)
    except BaseException:
        held.close()
        raise
