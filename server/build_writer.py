"""The build folder written behind the served graph: after a reload has handed its changes to
the query workers, the build behind them is written in a thread of its own, so that the next
accepted statement is served without waiting for it.

Writes are coalesced: a thread writes the ledger's latest build (one consistent reading of it,
``graph.build.ledger_rows``), and the reloads that asked meanwhile are settled by that write;
asked again while it writes, it writes once more when done. Should a write fail, ``failed`` is
told why (the reload module then serves the dataset the folder still holds).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from habitat_kg.errors import SourceError
from habitat_kg.graph.build import ledger_rows, record_written
from habitat_kg.graph.dataset_files import write_rows


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
                try:
                    state, rows = ledger_rows(self.data)
                    digest = write_rows(rows, self.data)
                    record_written(self.data, state, digest)
                except (SourceError, OSError, sqlite3.Error) as error:
                    told = self._failed(str(error))
                    for result in taken:
                        result.late_error.extend(told)
                else:
                    self._written(state)
            finally:
                for result in taken:
                    result.settled.set()
