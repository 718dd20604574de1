"""The build folder written behind the served graph: after a reload has handed its changes to
the query workers, the build behind them is written in a thread of its own, so that the next
accepted statement is served without waiting for it.

Writes are coalesced: a thread has a process of its own (``habitat_kg.graph.write_behind``, so
that the write does not hold this interpreter while the next reload runs) write the ledger's
latest build, and the reloads that asked meanwhile are settled by that write;
asked again while it writes, it writes once more when done. Should a write fail, ``failed`` is
told why (the reload module then serves the dataset the folder still holds).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

#: Seconds a write behind the served graph may take (a large project's takes minutes); past
#: them it is ended, and the server goes back to the dataset the folder holds.
WRITE_LIMIT = 3600


class Settled(Protocol):
    """What a write settles: a reload's result (``reload.ReloadResult``)."""

    settled: threading.Event
    late_error: list[str]


class BuildWriter:
    """Writes the build folder ``data`` from its ledger; ``written(state)`` is called once the
    folder holds the ledger's build ``state``, ``failed(problem)`` when it could not be written
    (it returns what to tell the reloads that asked)."""

    def __init__(
        self,
        data: Path,
        written: Callable[[int], None],
        failed: Callable[[str], list[str]],
    ) -> None:
        self.data = data
        self._written = written
        self._failed = failed
        self._lock = threading.Lock()
        self._waiting: list[Settled] = []
        self._thread: threading.Thread | None = None

    def ask(self, result: Settled) -> None:
        """Write the latest build, then settle ``result``."""
        with self._lock:
            self._waiting.append(result)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="build-writer", daemon=True)
                self._thread.start()

    def wait_idle(self) -> None:
        """Return once no write runs (at once from the writer's own thread): a whole reload
        writes the folder itself, and a write behind it finishing later would put an older
        build back."""
        while True:
            with self._lock:
                thread = self._thread
            if thread is None or thread is threading.current_thread():
                return
            thread.join()

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._thread is not None

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._waiting:
                    self._thread = None
                    return
                taken, self._waiting = self._waiting, []
            try:
                state, problem = _write(self.data)
                if problem is not None:
                    told = self._failed(problem)
                    for result in taken:
                        result.late_error.extend(told)
                else:
                    self._written(state)
            finally:
                for result in taken:
                    result.settled.set()


def _write(data: Path) -> tuple[int, str | None]:
    """Write the folder from the ledger in a process of its own (habitat_kg.graph.write_behind):
    (the build written, None) or (-1, why it could not be)."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "habitat_kg.graph.write_behind", str(data)],
            capture_output=True,
            text=True,
            check=False,
            timeout=WRITE_LIMIT,
        )
    except subprocess.TimeoutExpired:  # run() has ended it; the folder is as it was
        return -1, f"the build could not be written within {WRITE_LIMIT} s"
    except OSError as error:
        return -1, f"the build could not be written: {error}"
    if done.returncode != 0:
        told = done.stderr.strip().splitlines()
        return -1, told[-1] if told else f"the build writer ended with {done.returncode}"
    return int(done.stdout.split()[-1]), None
