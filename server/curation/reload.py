"""The call point between a saved review and the served graph: after every write the curation
routes call :func:`show_accepted`, which has the server rebuild the dataset from the sources
and swap it in (``habitat_kg.server.reload``: queries in flight finish on the old graph)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from habitat_kg.server.reload import ReloadBusy, reload_dataset

#: Seconds a write waits for a reload already running (another curator's click) to end.
RELOAD_WAIT = 60.0
#: Where the app keeps why the last reload after a write did not swap (None: it did).
_PROBLEM = "habitat_kg.curation.reload-problem"


@dataclass(frozen=True)
class Shown:
    """What came of a reload after a write: None, or why the served graph does not show it
    and, for a source that does not build, which file."""

    problem: str | None = None
    source: Path | None = None


def show_accepted(app: Flask) -> Shown:
    """Make the served graph show what the sources now hold."""
    try:
        result = reload_dataset(app, wait=RELOAD_WAIT)
    except ReloadBusy as busy:
        shown = Shown(str(busy))
    else:
        if result.swapped:
            shown = Shown()
        else:
            shown = Shown(result.error or "the dataset was not swapped", result.source)
    app.extensions[_PROBLEM] = shown.problem
    return shown


def last_problem(app: Flask) -> str | None:
    """Why the graph served does not show the last write, if it does not."""
    return app.extensions.get(_PROBLEM)


def forget_problem(app: Flask) -> None:
    """The served graph shows the sources again (a refused write was undone)."""
    app.extensions[_PROBLEM] = None
