"""PNG pictures for the server, drawn away from its request threads and remembered.

Drawing a view with matplotlib is pure Python work of about half a second: in a request thread
it holds the interpreter's lock and every other request waits. So the server draws in render
processes (started on first use and kept warm, since importing matplotlib is costly), at most
``picture-renders`` at once; a request past that gets :class:`PicturesBusy` (503 with
Retry-After) at once rather than a thread waiting in a queue. A render past the time limit has
its process killed (:class:`PictureFailed`) and a new one is started for the next picture.

Pictures are remembered by what was asked (view, filters, node, colours), least recently used
first out past ``CACHE_BYTES``: the served dataset does not change while the server runs (the
network's evidence is read once per application), so the same request always draws the same
picture.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import networkx as nx

from habitat_kg.lru import SizedLRU

#: Most bytes of pictures remembered (a picture of the bundled graph is 0.4 to 0.8 MB).
CACHE_BYTES = 32 * 1024 * 1024
#: Seconds a client is told to wait before asking again when every render process is busy.
RETRY_AFTER = 2


class PicturesBusy(Exception):
    """Every render process is drawing: ask again in ``retry_after`` seconds."""

    def __init__(self, renders: int) -> None:
        super().__init__(
            f"{renders} network picture{'s are' if renders != 1 else ' is'} being drawn, "
            f"as many as the server draws at once (picture-renders); ask again in "
            f"{RETRY_AFTER} s"
        )
        self.retry_after = RETRY_AFTER


class PictureFailed(Exception):
    """The picture could not be drawn: past the time limit, or its process ended."""


@dataclass(eq=False)
class _RenderProcess:
    process: BaseProcess
    connection: Connection


class PictureRenderer:
    """Draws PNG pictures in at most ``renders`` processes at once, each within ``time_limit``
    seconds, and remembers them."""

    def __init__(self, renders: int, time_limit: float, cache_bytes: int = CACHE_BYTES) -> None:
        self.renders = renders
        self.time_limit = time_limit
        self._slots = threading.BoundedSemaphore(renders)
        self._lock = threading.Lock()
        self._idle: list[_RenderProcess] = []
        self._all: set[_RenderProcess] = set()
        self._pictures: SizedLRU[Hashable, bytes] = SizedLRU(cache_bytes, len)
        self._closed = False
        #: Pictures drawn so far, and being drawn now (for health checks and tests).
        self.drawn = 0
        self.drawing = 0

    def cached(self, key: Hashable) -> bytes | None:
        """The picture remembered under ``key``, if any."""
        return self._pictures.get(key)

    def picture(self, key: Hashable, graph: Callable[[], nx.Graph], colour_by: str) -> bytes:
        """The PNG of ``graph()`` remembered under ``key``, drawn now if it is not remembered.

        Raises PicturesBusy when ``renders`` pictures are being drawn, PictureFailed when the
        drawing passes the time limit or its process ends; what ``graph`` raises passes through.
        """
        remembered = self.cached(key)
        if remembered is not None:
            return remembered
        if not self._slots.acquire(blocking=False):
            raise PicturesBusy(self.renders)
        try:
            with self._lock:
                self.drawing += 1
            picture = self._draw(graph(), colour_by)
        finally:
            with self._lock:
                self.drawing -= 1
            self._slots.release()
        self._pictures.keep(key, picture)
        return picture

    def forget(self) -> None:
        """Forget every picture remembered (the served graph has changed)."""
        self._pictures.clear()

    def close(self) -> None:
        """End the render processes."""
        with self._lock:
            self._closed = True
            processes = list(self._all)
            self._all.clear()
            self._idle.clear()
        for worker in processes:
            _end(worker)

    def process_ids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    def _draw(self, graph: nx.Graph, colour_by: str) -> bytes:
        worker, fresh = self._checkout()
        try:
            worker.connection.send((graph, colour_by))
            if not worker.connection.poll(self.time_limit):
                raise PictureFailed(
                    f"the picture took longer than the time limit of {self.time_limit:g} s"
                )
            ok, result = worker.connection.recv()
        except (EOFError, OSError):
            self._discard(worker)
            if not fresh:  # it ended while idle (killed from outside): once more, with a new one
                return self._draw(graph, colour_by)
            raise PictureFailed("the process drawing the picture ended") from None
        except PictureFailed:
            self._discard(worker)
            raise
        with self._lock:
            self.drawn += 1
            if self._closed:
                _end(worker)
            else:
                self._idle.append(worker)
        if not ok:
            raise PictureFailed(f"the picture could not be drawn: {result}")
        return result

    def _checkout(self) -> tuple[_RenderProcess, bool]:
        """An idle render process, else a new one; and whether it is new."""
        with self._lock:
            if self._closed:
                raise PictureFailed("the server is stopping")
            if self._idle:
                return self._idle.pop(), False
        ours, theirs = multiprocessing.Pipe()
        process = _context().Process(
            target=serve_renders, args=(theirs,), name="habitat-kg picture", daemon=True
        )
        process.start()
        theirs.close()
        worker = _RenderProcess(process, ours)
        with self._lock:
            self._all.add(worker)
        return worker, True

    def _discard(self, worker: _RenderProcess) -> None:
        with self._lock:
            self._all.discard(worker)
        _end(worker)


def serve_renders(connection: Connection) -> None:
    """A render process: draw each (graph, colour) received, send back (True, PNG bytes) or
    (False, message), until the server closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server, which ends us
    from habitat_kg.graph.network.picture import draw_png

    while True:
        try:
            graph, colour_by = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, draw_png(graph, colour_by))
        except Exception as error:  # the server reports it; this process goes on drawing
            answer = (False, f"{type(error).__name__}: {error}")
        try:
            connection.send(answer)
        except OSError:
            return


def _end(worker: _RenderProcess) -> None:
    worker.connection.close()
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join(10)


def _context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one (the query workers' already runs), else spawn: never a
    plain fork of a process with threads."""
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)
