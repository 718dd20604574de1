"""Which query worker a query gets, and when it gets none: cheap questions beside heavy ones.

A query cannot be known to be cheap before it runs, so the pool keeps ``short_workers`` of its
workers for queries that turn out short. A query takes a worker of the *long lane* when one is
free; when all are busy it takes a worker of the *short lane*, where it may run ``short_limit``
seconds: past that it is stopped (its worker replaced) and waits for the long lane like any
other. A query that once ran past a limit is remembered (by its text) and not given the short
lane again, so that a heavy query asked over and over stops a short worker once only; and a
client whose query was stopped there does not get the short lane for as long as the time limit,
so that heavy queries written anew each time do not keep it either.

What waits holds a thread of the HTTP server, which has a fixed number of them; so no more than
``queue_length`` queries wait for the long lane, one client (one remote address) holds at most
``client_queries`` places in it (running or waiting), and the rest are refused at once with
:class:`Busy`, which carries a time to ask again. A query that may use the short lane waits for
it at most ``short_limit`` seconds.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from habitat_kg.server.store.base import QueryTimeout
from habitat_kg.server.store.serving import Busy

Worker = TypeVar("Worker")

#: How many query texts that ran long are remembered (the oldest forgotten first).
REMEMBERED_HEAVY = 4096
#: Seconds between two looks at the short lane while a query waits for either lane.
SHORT_LOOK = 0.005
#: Seconds between two checks that a query waiting for the short lane alone may still have it.
SHORT_RECHECK = 0.05


@dataclass(frozen=True)
class PoolLimits:
    """What the pool admits; the defaults (for a pool made in code) limit nothing but memory."""

    #: Queries that may wait for a worker of the long lane (None: no limit).
    queue_length: int | None = None
    #: Places in the long lane (running or waiting) one client may hold (0: no limit).
    client_queries: int = 0
    #: Workers kept for short queries (at most all workers but one).
    short_workers: int = 0
    #: Seconds a query may run on a worker of the short lane.
    short_limit: float = 1.0
    #: Most memory one worker may hold, in MiB (0: what it holds with the graph + 1024 MiB).
    memory_mb: int = 0
    #: Workers in memory that are threads of one process, reading one copy of the graph (see
    #: worker_threads); more than 1 keeps no worker for short queries.
    worker_threads: int = 1

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PoolLimits:
        """The limits from an app's settings (QUEUE_LENGTH, CLIENT_QUERIES, ...); ValueError
        naming the setting for a value that is not a number in range."""
        return cls(
            queue_length=_number(config, "QUEUE_LENGTH", int, 0),
            client_queries=_number(config, "CLIENT_QUERIES", int, 0),
            short_workers=_number(config, "SHORT_WORKERS", int, 0),
            short_limit=_number(config, "SHORT_LIMIT", float, 0, open_low=True),
            memory_mb=_number(config, "WORKER_MEMORY_MB", int, 0),
            worker_threads=_number(config, "WORKER_THREADS", int, 1)
            if "WORKER_THREADS" in config
            else 1,
        )


def _number(
    config: Mapping[str, Any], key: str, kind: type, low: float, open_low: bool = False
) -> Any:
    name = key.lower().replace("_", "-")
    try:
        value = kind(config[key])
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, not {config[key]!r}") from None
    if value < low or (open_low and value == low):
        bound = "more than" if open_low else "at least"
        raise ValueError(f"{name}: must be {bound} {low:g}, not {config[key]!r}")
    return value


class IdleWorkers(Generic[Worker]):
    """The workers of a lane free to take a query, the one freed last first: while it is free
    it answers the next query too, its caches (and its processor's) still warm with the graph.
    Workers for which ``first`` is true (those holding the graph in memory, which answer
    fastest) are taken before the others.

    A stack, and a queue of tokens that says how many are on it: the tokens' queue is written
    in C, where queue.LifoQueue takes a Python lock and condition for every get and put, on
    every query.
    """

    def __init__(self, first: Callable[[Worker], bool] = lambda _worker: True) -> None:
        # the others below the first ones, each part freed last on top
        self._stack: list[Worker] = []
        self._others = 0
        self._first = first
        self._lock = threading.Lock()
        self._tokens: queue.SimpleQueue[None] = queue.SimpleQueue()

    def put(self, worker: Worker) -> None:
        with self._lock:
            if self._first(worker):
                self._stack.append(worker)
            else:
                self._stack.insert(self._others, worker)
                self._others += 1
        self._tokens.put(None)

    def get(self, timeout: float) -> Worker:
        """The worker freed last (of the first ones if one is free); queue.Empty if none is
        free within ``timeout`` seconds."""
        self._tokens.get(timeout=timeout)
        with self._lock:  # a token is taken only after its worker was put: never empty
            if len(self._stack) == self._others:
                self._others -= 1
            return self._stack.pop()


class Lanes(Generic[Worker]):
    """The long and the short lane of a pool of ``size`` workers, and who may wait for them."""

    def __init__(
        self,
        limits: PoolLimits,
        size: int,
        timeout: float,
        retry_after: Callable[[], int],
        first: Callable[[Worker], bool] = lambda _worker: True,
    ) -> None:
        self.limits = limits
        self.size = size
        self.timeout = timeout
        self.short_size = min(limits.short_workers, size - 1)
        self.long = IdleWorkers[Worker](first)
        self.short = IdleWorkers[Worker](first)
        self._retry_after = retry_after
        self._lock = threading.Lock()
        self._waiting = 0
        self._held: dict[str, int] = {}  # places in the long lane by client
        # Texts are kept as their hashes (salted per process): a text may be half a megabyte.
        self._heavy: OrderedDict[int, None] = OrderedDict()
        self._barred: dict[str, float] = {}  # clients kept off the short lane, until when

    # -- places in the long lane ------------------------------------------------------------

    def enter(self, client: str | None) -> bool:
        """Count a place in the long lane for ``client``; False if it holds all it may."""
        most = self.limits.client_queries
        if not most or client is None:
            return True
        with self._lock:
            held = self._held.get(client, 0)
            if held >= most:
                return False
            self._held[client] = held + 1
        return True

    def leave(self, client: str | None) -> None:
        if not self.limits.client_queries or client is None:
            return
        with self._lock:
            held = self._held.pop(client) - 1
            if held:
                self._held[client] = held

    # -- queries that ran long -----------------------------------------------------------------

    def ran_long(self, text: str, client: str | None, on_short_lane: bool) -> None:
        """Remember that ``text`` ran past a limit: it is not given the short lane again, nor
        (stopped on the short lane) is ``client`` for as long as the time limit."""
        key = hash(text)
        with self._lock:
            self._heavy[key] = None
            self._heavy.move_to_end(key)
            if len(self._heavy) > REMEMBERED_HEAVY:
                self._heavy.popitem(last=False)
            if on_short_lane and client is not None:
                now = time.monotonic()
                if len(self._barred) >= REMEMBERED_HEAVY:
                    self._barred = {c: t for c, t in self._barred.items() if t > now}
                self._barred[client] = now + self.timeout

    def ran_short(self) -> str:
        """Why a query stopped on the short lane found no other worker."""
        return (
            f"the query ran past the {self.limits.short_limit:g} s a query may run on the "
            "worker kept for short queries (setting short-limit) while the others were busy"
        )

    def may_run_short(self, text: str, client: str | None) -> bool:
        if not self.short_size or hash(text) in self._heavy:
            return False
        return client is None or self._barred.get(client, 0.0) <= time.monotonic()

    # -- taking a worker ---------------------------------------------------------------------

    def take(
        self,
        in_long_lane: bool,
        may_short: Callable[[], bool],
        deadline: float,
        alive: Callable[[], None],
    ) -> tuple[Worker, bool]:
        """A free worker for a query (``in_long_lane``: it holds a place there), and whether it
        is of the short lane, which it may take while ``may_short()`` (asked again while it
        waits: another client may meanwhile have found the query heavy). Raises Busy when it
        may not wait, QueryTimeout when no worker was free by ``deadline``; ``alive`` is called
        now and then (it raises if the pool failed)."""
        if in_long_lane:
            try:
                return self.long.get(0), False
            except queue.Empty:
                pass
        if may_short():
            try:
                return self.short.get(0), True
            except queue.Empty:
                pass
        waits = in_long_lane and self._queue()
        if not waits and not may_short():
            raise self._busy(client_full=not in_long_lane)
        try:
            return self._wait(waits, may_short, deadline, alive, client_full=not in_long_lane)
        finally:
            if waits:
                with self._lock:
                    self._waiting -= 1

    def _queue(self) -> bool:
        with self._lock:
            if self.limits.queue_length is not None and self._waiting >= self.limits.queue_length:
                return False
            self._waiting += 1
        return True

    def _wait(
        self,
        long: bool,
        may_short: Callable[[], bool],
        deadline: float,
        alive: Callable[[], None],
        client_full: bool,
    ) -> tuple[Worker, bool]:
        short_until = time.monotonic() + self.limits.short_limit
        while True:
            alive()
            short = may_short()
            if not short and not long:
                raise self._busy(client_full)
            now = time.monotonic()
            if now >= deadline:
                raise QueryTimeout(
                    f"no query worker was free within the time limit of {self.timeout:g} s "
                    f"(all {self.size} were busy); the query was not run"
                )
            if short and not long and now >= short_until:
                raise self._busy(client_full)
            try:
                if short:
                    if not long:
                        wait = min(short_until, deadline, now + SHORT_RECHECK) - now
                        return self.short.get(wait), True
                    try:
                        return self.short.get(0), True
                    except queue.Empty:
                        return self.long.get(min(SHORT_LOOK, deadline - now)), False
                return self.long.get(min(1.0, deadline - now)), False
            except queue.Empty:
                continue

    def _busy(self, client_full: bool) -> Busy:
        after = self._retry_after()
        if client_full:
            why = (
                f"this client has {self.limits.client_queries} queries running or waiting "
                "already (setting client-queries)"
            )
        else:
            why = (
                f"every query worker is busy and {self.limits.queue_length} queries wait "
                "already (setting queue-length)"
            )
        return Busy(f"{why}; the query was not run: ask again in {after} s", after)
