"""A mandate's status from the wording of the paragraphs that speak to it.

The cues are the extractor's (``graph/extract/status.py``: "has been established", "is
being reviewed", "will take place", "has not started", 已完成, 正在, 将, 推迟, 未能 ...), mapped
to the five values of the UN Mandate Registry: done and nothing else → completed; nothing done
(no progress, not started, could not: a strong cue, which wins over the rest) → not
implemented; anything under way, planned, postponed or partly done → in progress. A paragraph
that reports on a mandate without any of these words still shows work on it: in progress.
Mandates asked of others than the Secretariat are non-applicable whatever the report says; a
mandate no paragraph speaks to has no indication.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef

from habitat_kg.graph.extract.status import status_cues
from habitat_kg.namespaces import MANDATE_STATUS

COMPLETED = MANDATE_STATUS["completed"]
IN_PROGRESS = MANDATE_STATUS["in-progress"]
NOT_IMPLEMENTED = MANDATE_STATUS["not-implemented"]
NON_APPLICABLE = MANDATE_STATUS["non-applicable"]
NO_INDICATION = MANDATE_STATUS["no-indication"]
VALUES = (COMPLETED, IN_PROGRESS, NOT_IMPLEMENTED, NON_APPLICABLE, NO_INDICATION)

#: The activity statuses of the extractor's cues, by the mandate status they point to.
_NOTHING_DONE = frozenset({"no-progress", "stalled"})
_UNDER_WAY = frozenset({"ongoing", "planned", "postponed"})


@dataclass(frozen=True)
class Wording:
    """The status one passage's words show, and the words that show it (offsets in it)."""

    value: URIRef
    span: tuple[int, int] | None
    rule: str


def passage_wording(text: str, chinese: bool) -> Wording:
    """What the words of one passage show of the work on what it reports on."""
    cues = status_cues(text, chinese)
    if not cues:
        return Wording(IN_PROGRESS, None, "wording.reported")
    kinds = {cue[2] for cue in cues}
    strong = [cue for cue in cues if cue[3]]
    # As the extractor reads them, a strong cue says more than the auxiliaries around it: "has
    # not started, as no resources have been received" is nothing done.
    if strong and strong[0][2] in _NOTHING_DONE:
        return Wording(NOT_IMPLEMENTED, strong[0][:2], "wording.none")
    if kinds <= _NOTHING_DONE:
        return Wording(NOT_IMPLEMENTED, cues[0][:2], "wording.none")
    if kinds == {"completed"}:
        return Wording(COMPLETED, cues[0][:2], "wording.completed")
    under_way = [cue for cue in cues if cue[2] in _UNDER_WAY] or cues
    return Wording(IN_PROGRESS, under_way[0][:2], "wording.under-way")


def combined(values: Sequence[URIRef]) -> URIRef:
    """The status several passages show together: done only when each says done, nothing done
    only when each says nothing was done."""
    if not values:
        return NO_INDICATION
    if all(value == COMPLETED for value in values):
        return COMPLETED
    if all(value == NOT_IMPLEMENTED for value in values):
        return NOT_IMPLEMENTED
    return IN_PROGRESS
