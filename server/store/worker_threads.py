"""One query worker process that answers several queries at once from its one copy of the graph
(the setting ``worker-threads``), so that the memory the server holds does not grow with the
queries it answers together.

Oxigraph lets go of Python's global lock while it evaluates a query, so the threads of one
process evaluate side by side on the processor's cores, each reading the same in-memory store.
The pool sees each thread as a worker of its own, with a line of its own (``Channel``); they
share one process, so what ends one ends all: a query past the time or memory limit ends the
process, and the other queries it was answering are told to ask again (see pool.py).

Updates (``worker.apply_update``) are applied once to the shared store, while no query reads
it: each thread is sent every update in order (the pool keeps one generation per thread), and
the first to get one applies it; the others find it in the process's log and give its reply.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import pickle
import socket
import threading
from collections.abc import Iterator, Mapping

import pyoxigraph as ox

from habitat_kg.server.store.worker import (
    UPDATES,
    DatasetSource,
    WorkerRequest,
    answer,
    apply_update,
    send_answer,
    start_worker,
)
from habitat_kg.server.store.worker_channel import Channel


class ReadersWriter:
    """Many readers at once, or one writer alone; a writer waiting keeps new readers out, so
    that an update is not put off for ever by queries that keep coming."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            while self._writing or self._writers_waiting:
                self._changed.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._changed:
                self._readers -= 1
                if not self._readers:
                    self._changed.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._changed:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._changed.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()


class SharedGraph:
    """The store the threads of one worker process read, and the updates applied to it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._lock = ReadersWriter()
        #: Each update applied, in order: a digest of its message and body, and its reply.
        self._log: list[tuple[bytes, tuple]] = []

    def answer(self, request: WorkerRequest, prefixes: Mapping[str, str]) -> tuple:
        with self._lock.reading():
            return answer(self.store, request, prefixes)

    def update(self, seen: int, message: tuple, body: bytes) -> tuple[tuple, int]:
        """The reply to an update for a thread that has been sent the first ``seen`` updates
        of the log, and how many it has been sent with this one. An update that another thread
        applied already is not applied again (one it refused is not in the others' order: the
        pool withdrew it, so the search goes on past it)."""
        digest = hashlib.blake2b(pickle.dumps(message) + body, digest_size=16).digest()
        with self._lock.writing():
            for index in range(seen, len(self._log)):
                if self._log[index][0] == digest:
                    return self._log[index][1], index + 1
            reply = apply_update(self.store, message, body)
            self._log.append((digest, reply))
            return reply, len(self._log)


def run_worker_group(
    lines: list[socket.socket],
    source: DatasetSource,
    prefixes: Mapping[str, str],
    memory_mb: int = 0,
) -> None:
    """The life of a worker process with a thread per line of ``lines``: load the graph once
    (``source`` is a TriG file or a store on disk of the user's), then answer on every line
    until one of them ends (the pool closed it, or memory was refused): the process ends."""
    started = start_worker(lines, source, memory_mb)
    if started is None:
        return
    channels, store = started
    _share_arenas()
    graph = SharedGraph(store)
    ended = threading.Event()
    for number, channel in enumerate(channels):
        threading.Thread(
            target=_serve,
            args=(channel, graph, prefixes, ended),
            name=f"query-thread-{number}",
            daemon=True,
        ).start()
    ended.wait()


#: glibc's mallopt parameter for the most malloc arenas, and the arenas the threads share.
_M_ARENA_MAX, ARENAS = -8, 2


def _share_arenas() -> None:
    """glibc gives each thread that allocates beside another an arena of its own (up to 8 per
    core), which keeps much of what a query freed; the query threads share a few instead."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, ARENAS)


def _serve(
    channel: Channel, graph: SharedGraph, prefixes: Mapping[str, str], ended: threading.Event
) -> None:
    seen = 0
    try:
        while True:
            message, body = channel.receive()
            if len(message) == 2 and message[0] in UPDATES:
                reply, seen = graph.update(seen, message, body)
                channel.send(reply)
                continue
            send_answer(channel, graph.answer(WorkerRequest(*message), prefixes))
    except MemoryError:  # refused memory past the limit: say so; the process ends
        with contextlib.suppress(OSError, MemoryError):
            channel.send(("memory",))
    except (EOFError, OSError):  # the pool closed this line: it is done with the process
        pass
    finally:
        ended.set()
