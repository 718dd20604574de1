"""The line between the pool and one query worker: messages over a pair of connected sockets.

A message is a 4-byte length and a pickled tuple (the two ends are the same program, started
by the pool). It is written in one call and, when it fits the channel's buffer, read in one:
a request to a worker costs its server thread three system calls (send, wait, read), each of
which lets the server's other threads run. multiprocessing's Connection takes two reads and
builds a selector for every wait, which showed in the endpoint's overhead.
"""

from __future__ import annotations

import math
import pickle
import select
import socket
import struct
import time

_LENGTH = struct.Struct("!I")
#: What one read takes at most; a longer message is read on into a buffer of its own size.
_BUFFER_BYTES = 256 * 1024


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

    def fileno(self) -> int:
        return self.sock.fileno()

    def send(self, message: tuple) -> None:
        """Write ``message``; OSError if the other end is gone."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) <= _BUFFER_BYTES:
            self.sock.sendall(_LENGTH.pack(len(data)) + data)  # one call
        else:  # a long answer is not copied once more to put its length in front
            self.sock.sendall(_LENGTH.pack(len(data)))
            self.sock.sendall(data)

    def receive(self, deadline: float | None = None) -> tuple:
        """The next message; PastDeadline if none came by ``deadline`` (time.monotonic), EOFError
        if the other end is gone (OSError if the line broke)."""
        view = memoryview(self._buffer)
        got = self._read_into(view, deadline)
        while got < _LENGTH.size:
            got += self._read_into(view[got:], deadline)
        end = _LENGTH.size + _LENGTH.unpack_from(view)[0]
        if end > len(view):  # longer than the buffer: read the rest into one of its size
            whole = bytearray(end)
            whole[:got] = view[:got]
            view = memoryview(whole)
        while got < end:
            got += self._read_into(view[got:end], deadline)
        return pickle.loads(view[_LENGTH.size : end])

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
    return Channel(ours), theirs
