"""The first save of a review reads the gazetteer and the reference layer, which takes seconds
the first time in a process: a report's page starts reading them in the background when it is
first shown, and a write waits for that reading rather than doing it a second time."""

from __future__ import annotations

import threading
from pathlib import Path

from habitat_kg.graph.review.store import prepare_saving

_LOCK = threading.Lock()
_STARTED: dict[tuple[str, str], threading.Thread] = {}


def start(sources: Path, report_id: str) -> None:
    """Begin preparing the saves of ``report_id`` (once per process and report)."""
    key = (str(sources), report_id)
    with _LOCK:
        if key in _STARTED:
            return
        thread = threading.Thread(
            target=_prepare, args=(sources, report_id), name="curation-warm", daemon=True
        )
        _STARTED[key] = thread
        thread.start()  # under the lock: a wait() in another request never finds it unstarted


def _prepare(sources: Path, report_id: str) -> None:
    try:
        prepare_saving(sources, report_id)
    except Exception:  # the save itself meets the same problem and reports it
        return


def wait(sources: Path, report_id: str) -> None:
    """Let the preparation started for ``report_id`` end before a save."""
    with _LOCK:
        thread = _STARTED.get((str(sources), report_id))
    if thread is not None:
        thread.join()
