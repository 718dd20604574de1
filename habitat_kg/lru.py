"""The values used last, kept up to a total size: the endpoint's read queries (sized by their
tokens) and the network pictures (by their bytes) share it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SizedLRU(Generic[K, V]):
    """At most ``capacity`` of size together (``size`` of each value), the least recently used
    pushed out first; a value larger than ``largest`` is never kept. Safe across threads."""

    def __init__(self, capacity: int, size: Callable[[V], int], largest: int | None = None) -> None:
        self.capacity = capacity
        self._size = size
        self._largest = capacity if largest is None else largest
        self._values: OrderedDict[K, V] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value kept under ``key`` (now the last to go), if any."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def keep(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key`` unless it is too large or a value is kept there."""
        size = self._size(value)
        if size > self._largest:
            return
        with self._lock:
            if key in self._values:
                return
            self._values[key] = value
            self._total += size
            while self._total > self.capacity:
                _, oldest = self._values.popitem(last=False)
                self._total -= self._size(oldest)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._total = 0

    def __len__(self) -> int:
        return len(self._values)
