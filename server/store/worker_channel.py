"""The line between the pool and one query worker: messages over a pair of connected sockets.

A message is a pickled tuple and, beside it, a body of raw bytes (an answer, written by the
worker): an 8-byte header gives both lengths. The body is not pickled: pickling a large answer
costs several times copying it over the line.

A short message is written in one call and read in one: a request to a worker costs its server
thread three system calls (send, wait, read), each of which lets the server's other threads
run (multiprocessing's Connection reads twice and builds a selector for every wait).
"""

from __future__ import annotations

import math
import pickle
import select
import socket
import struct
import time

_HEADER = struct.Struct("!II")  # the pickled message's length, the body's length
#: What one read takes at most; a longer message is read on into a buffer of its own size.
_BUFFER_BYTES = 256 * 1024
#: Room for a long answer in one go: with the default (some 200 kB) the two ends take turns,
#: each woken for every 200 kB. The system may grant less (net.core.wmem_max).
_SEND_BUFFER_BYTES = 4 * 1024 * 1024


class PastDeadline(Exception):
    """No message came before the deadline (not an OSError: the channel itself is fine)."""


class Channel:
    """One end of a worker's line. Not for two threads at once: the pool lends a worker (and
    its channel) to one request at a time."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(True)
        self.sock = sock
        self._buffer = bytearray(_BUFFER_BYTES)
        self._poller = select.poll()
        self._poller.register(sock, select.POLLIN)

    def send(self, message: tuple, body: bytes = b"") -> None:
        """Write ``message`` and ``body``; OSError if the other end is gone."""
        pickled = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        header = _HEADER.pack(len(pickled), len(body))
        if len(body) <= _BUFFER_BYTES:
            self.sock.sendall(header + pickled + body)  # one call
        else:  # a long body is not copied once more to put the rest in front of it
            self.sock.sendall(header + pickled)
            self.sock.sendall(body)

    def receive(self, deadline: float | None = None) -> tuple[tuple, bytes]:
        """The next message and its body; PastDeadline if none came by ``deadline``
        (time.monotonic), EOFError if the other end is gone (OSError if the line broke)."""
        view = memoryview(self._buffer)
        got = self._read_into(view, deadline)
        while got < _HEADER.size:
            got += self._read_into(view[got:], deadline)
        pickled, body = _HEADER.unpack_from(view)
        end = _HEADER.size + pickled + body
        if end > len(view):  # longer than the buffer: read the rest into one of its size
            whole = bytearray(end)
            whole[:got] = view[:got]
            view = memoryview(whole)
        while got < end:
            got += self._read_into(view[got:end], deadline)
        message = pickle.loads(view[_HEADER.size : _HEADER.size + pickled])
        return message, bytes(view[_HEADER.size + pickled : end])

    def _read_into(self, view: memoryview, deadline: float | None) -> int:
        if deadline is not None:
            # poll takes whole milliseconds: rounded up, so that it never gives up early.
            wait = max(0, math.ceil((deadline - time.monotonic()) * 1000))
            if not self._poller.poll(wait):
                raise PastDeadline()
        count = self.sock.recv_into(view)
        if count == 0:
            raise EOFError("the other end of the channel is closed")
        return count

    def close(self) -> None:
        self.sock.close()


def channel_pair() -> tuple[Channel, socket.socket]:
    """The pool's end of a new line, and the socket to hand to the worker."""
    ours, theirs = socket.socketpair()
    for end in (ours, theirs):
        end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SEND_BUFFER_BYTES)
    return Channel(ours), theirs
