"""Undo on the review page: the review as it was before each of the last writes, per report,
kept in the server's memory (a restart forgets them: the saved files are what counts).

An undo puts back the review as it was before the last write, provided nothing has been saved
since that write (another curator's click): then it is refused rather than undoing theirs.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from flask import Flask

from habitat_kg.graph.review import Review
from habitat_kg.graph.review.store import review_json

#: Writes that can be undone, per report (older ones are forgotten).
DEPTH = 50
_KEY = "habitat_kg.curation.history"
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Step:
    """One write: what it did (for the Undo button), the review before and the file after."""

    done: str
    before: Review
    after: bytes


def _steps(app: Flask, report_id: str) -> deque[Step]:
    with _LOCK:
        books: dict[str, deque[Step]] = app.extensions.setdefault(_KEY, {})
        return books.setdefault(report_id, deque(maxlen=DEPTH))


def remember(app: Flask, done: str, before: Review, after: Review) -> None:
    _steps(app, after.report_id).append(Step(done, before, review_json(after)))


def last(app: Flask, report_id: str) -> Step | None:
    steps = _steps(app, report_id)
    return steps[-1] if steps else None


def to_undo(app: Flask, current: Review) -> Step:
    """The last write of ``current``'s report (left on the history until the undo is saved:
    ``undone``); ValueError when there is none or when the review was saved since by
    something else."""
    steps = _steps(app, current.report_id)
    if not steps:
        raise ValueError("nothing to undo: no decision was taken on this page since the start")
    if steps[-1].after != review_json(current):
        steps.clear()  # its history no longer leads to what is saved
        raise ValueError("the review was changed since (another curator?): reload the page")
    return steps[-1]


def undone(app: Flask, report_id: str) -> None:
    """The undo of the last write is saved: take it off the history."""
    steps = _steps(app, report_id)
    if steps:
        steps.pop()
