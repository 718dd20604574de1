"""The search index kept up with the served graph: after a reload has handed its changes to the
query workers, the things they touch are indexed again in place (``graph/search/updating.py``),
in a thread of its own, so that ``/search`` finds an accepted statement within seconds rather
than once the build folder is written behind (which writes the index whole too).

Updates are coalesced: the changes asked while one update runs are made together by the next
(from the first one's build to the last one's, the things of all of them). An update that
cannot be made (the index holds an older build, or the class hierarchy changed) is left to the
whole write; one that fails is logged and left to it too.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from habitat_kg.graph.search.updating import changed_subjects, update_index

if TYPE_CHECKING:
    from habitat_kg.graph.build import Delta

log = logging.getLogger(__name__)


class IndexUpdater:
    """Updates the index in the build folder ``data`` from each reload's changes, in order."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._lock = threading.Lock()
        #: (the build the changes start from, the build they end at, the things they touch)
        self._pending: tuple[int, int, set[str]] | None = None
        self._thread: threading.Thread | None = None
        #: Set whenever no update is pending or running (tests and benchmarks wait on it).
        self.idle = threading.Event()
        self.idle.set()
        #: How many updates were made, and the last one's problem (None: it was made).
        self.made = 0
        self.problem: str | None = None

    def ask(self, previous: int, state: int, delta: Delta) -> None:
        """Index again what ``delta`` (the ledger's build ``previous`` to ``state``) touches."""
        subjects = changed_subjects(delta)
        with self._lock:
            if subjects is None:  # the whole write indexes the new hierarchy
                self._pending = None
                return
            if self._pending is not None:
                first, _, touched = self._pending
                self._pending = (first, state, touched | subjects)
            else:
                self._pending = (previous, state, subjects)
            self.idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="search-index-update", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._pending is None:
                    self._thread = None
                    self.idle.set()
                    return
                (previous, state, subjects), self._pending = self._pending, None
            try:
                if update_index(self.data, previous, state, subjects):
                    self.made += 1
                    self.problem = None
                else:
                    self.problem = "the index holds an earlier build: it is written whole"
            except Exception as error:  # the whole write behind brings the index up to date
                self.problem = f"{type(error).__name__}: {error}"
                log.warning("search index: not updated in place: %s", self.problem)
