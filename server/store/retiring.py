"""A pool's last queries when the server moves to another: the queries it is answering finish
on it, and the ones that reach it afterwards are passed on to its successor.

The server swaps in a rebuilt dataset by starting a new pool and pointing the application at it
(``habitat_kg.server.reload``). A request that picked up the old pool just before the swap may
still call it: rather than fail, such a query is answered by the pool that took over. Once the
old pool's own queries have ended, its workers are ended.
"""

from __future__ import annotations

import threading
from typing import Any


class Retirement:
    """The queries a pool is answering, counted, and the pool that takes over once it retires."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._running = 0
        self._successor: Any = None

    def enter(self) -> Any:
        """Count a query in, or return the successor that must answer it instead (the pool
        has retired); a query counted in must be counted out with :meth:`leave`."""
        with self._changed:
            if self._successor is not None:
                return self._successor
            self._running += 1
            return None

    def leave(self) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify_all()

    @property
    def running(self) -> int:
        """How many queries the pool is answering now."""
        with self._changed:
            return self._running

    def retire(self, successor: Any, limit: float) -> bool:
        """From now on pass new queries to ``successor``; wait up to ``limit`` seconds for the
        queries running here to end. True if they all ended."""
        if successor is None:
            raise ValueError("a pool retires in favour of another pool, not None")
        with self._changed:
            self._successor = successor
            return self._changed.wait_for(lambda: self._running == 0, limit)
