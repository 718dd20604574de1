"""A TCP listener on loopback that nothing may reach: the target of outbound-request tests.

The fixture ``listener`` (registered for every test by conftest.py) gives its ``port`` and
whether anything connected to it (``reached()``).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest


class Listener:
    """A socket listening on 127.0.0.1 that no command, query or page may connect to."""

    def __init__(self, server: socket.socket) -> None:
        self._server = server

    @property
    def port(self) -> int:
        return self._server.getsockname()[1]

    def reached(self) -> bool:
        """Whether anything connected (each connection is accepted and closed)."""
        try:
            connection, _ = self._server.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True


@pytest.fixture
def listener() -> Iterator[Listener]:
    with socket.create_server(("127.0.0.1", 0), backlog=8) as server:
        server.setblocking(False)
        yield Listener(server)
