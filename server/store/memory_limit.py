"""The most memory one query worker may hold, and the two guards that keep it there.

Oxigraph evaluates in memory without bound: an ORDER BY over a cartesian product grows a worker
by hundreds of megabytes a second. The limit is the ``worker-memory-mb`` setting, or (0) what a
worker holds once it has loaded the graph plus :data:`HEADROOM_MIB`.

- A watchdog in the pool (:class:`MemoryWatch`): while a server thread waits for a worker's
  answer it reads the worker's resident size every :data:`WATCH_SECONDS` and kills the worker
  past the limit; the caller gets
  :class:`~habitat_kg.server.store.serving.MemoryLimitExceeded`, which names the limit. Answers
  that come within the first look cost no read at all.
- The operating system, in case the watchdog is late (a starved server thread): the worker sets
  its own RLIMIT_DATA a quarter past the limit, so that the kernel refuses it memory; Oxigraph
  (Rust) then aborts the process (SIGABRT), and Python raises MemoryError. Either way the pool
  answers as for the watchdog.
"""

from __future__ import annotations

import contextlib
import math
import os
import resource
import select
import signal
import threading
import time
from pathlib import Path

MIB = 1024 * 1024
#: What a worker may hold beyond the loaded graph, by default.
HEADROOM_MIB = 1024
#: Seconds between two looks at a busy worker's size.
WATCH_SECONDS = 0.005
#: The OS refuses memory this far past the limit (as a share of what the query may add).
BACKSTOP_SHARE = 0.25
_PAGE = os.sysconf("SC_PAGE_SIZE")
#: Exit code of a worker that the kernel refused memory (Rust aborts on a failed allocation).
ABORTED = -signal.SIGABRT


class MemoryTooSmall(ValueError):
    """The limit is below what one worker holds with the graph loaded."""


def own_memory() -> tuple[int, int]:
    """This process's resident size and its data segment (what RLIMIT_DATA counts), bytes."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmData"):
            fields[name] = int(value.split()[0]) * 1024
    return fields["VmRSS"], fields["VmData"]


def limit_in_worker(memory_mb: int) -> int:
    """Called by a worker once it has loaded the graph: its limit in bytes (``memory_mb`` MiB,
    or what it holds + HEADROOM_MIB for 0), which the OS then enforces with a backstop.
    MemoryTooSmall if the graph alone passes it."""
    try:
        resident, data = own_memory()
    except (OSError, KeyError):  # no /proc (not Linux): the watchdog cannot see it either
        return 0
    limit = memory_mb * MIB if memory_mb else resident + HEADROOM_MIB * MIB
    if limit <= resident:
        raise MemoryTooSmall(
            f"worker-memory-mb: {memory_mb} MiB is less than one query worker holds with the "
            f"graph loaded ({resident / MIB:.0f} MiB)"
        )
    room = limit - resident
    backstop = data + room + int(room * BACKSTOP_SHARE)
    with contextlib.suppress(ValueError, OSError):  # a hard limit below it already holds
        resource.setrlimit(resource.RLIMIT_DATA, (backstop, backstop))
    return limit


def describe(limit: int, memory_mb: int) -> str:
    """The limit in words, with the setting that sets it."""
    if memory_mb:
        return f"{limit / MIB:.0f} MiB (setting worker-memory-mb)"
    return (
        f"{limit / MIB:.0f} MiB (what it holds with the graph loaded + {HEADROOM_MIB} MiB; "
        "setting worker-memory-mb)"
    )


def past_limit(limit: int, memory_mb: int) -> str:
    """What a query that passed the limit is told."""
    return (
        "the query needed more memory than one query worker may hold, "
        f"{describe(limit, memory_mb)}; it was stopped and a new worker is starting"
    )


class MemoryWatch:
    """Reads one worker's resident size (from /proc/PID/statm, kept open)."""

    def __init__(self, pid: int | None, limit: int) -> None:
        self.limit = limit
        self._fd: int | None = None
        # a worker may be stopped from two threads at once (a time-out and the pool closing):
        # the descriptor is closed once, and never read once closed, whatever took its number
        self._lock = threading.Lock()
        if pid is not None and limit:
            try:
                self._fd = os.open(f"/proc/{pid}/statm", os.O_RDONLY)
            except OSError:
                self._fd = None

    def past_limit(self) -> bool:
        with self._lock:
            if self._fd is None:
                return False
            try:
                resident_pages = int(os.pread(self._fd, 128, 0).split()[1])
            except (OSError, IndexError, ValueError):  # the worker has ended: its line says so
                return False
        return resident_pages * _PAGE > self.limit

    def passed_while_waiting(self, answer_ready: select.poll, deadline: float) -> bool:
        """Wait for the worker's answer (``answer_ready`` polls its line) or the deadline,
        looking at its size meanwhile; True if it passed the limit. An answer within the first
        look costs no read of the size."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or answer_ready.poll(math.ceil(min(WATCH_SECONDS, left) * 1000)):
                return False
            if self.past_limit():
                return True

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
