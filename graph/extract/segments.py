"""Further activities of a paragraph whose clauses report work at different stages.

"The reviews of Bogotá and Medellín have been completed, and the review of Hanoi is being
finalized"; 工作组已于……举行两次会议，并将于2022年12月向执行局提交报告.  One activity can
have only one status and one start date (the shapes say so), so a later clause whose status
differs from everything before it becomes an activity of its own (``…/p7-2``), for the same
resolutions, with that clause's status, label and date.  The paragraph's main activity keeps
its partners, places and figures.  A postponement or a lack of progress speaks for the whole
paragraph ("planned for January, has been postponed"): no further activity is proposed then.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, URIRef

from habitat_kg.graph.extract.context import PassageContext
from habitat_kg.graph.extract.dates import propose_date, timely_dates
from habitat_kg.graph.extract.status import status_cues
from habitat_kg.graph.parse import TemporalExpression
from habitat_kg.namespaces import HKG, STATUS

# Where a clause ends: punctuation, or "and" joining two clauses.
_BOUNDARY = re.compile(r"[，；;。.]|,|\band\b|并且|并")
_LABEL_END = re.compile(r"[，；;。:：]|,(?=\s)|\.(?=\s|$)")
_LONGEST = {"zh": 60, "en": 180}
_ZH_FIRM = re.compile(
    r"将于|计划于|预计|定于|拟于|正在|仍在|目前正|已于|成功举办|成功举行|(?:已经|已)(?:举办|举行|完成|召开|启动|开展|提交)"
)


def propose_further_activities(
    context: PassageContext, dates: list[TemporalExpression], main_date: TemporalExpression | None
) -> None:
    cues = status_cues(context.text, context.chinese)
    if not cues or any(strong for *_, strong in cues):
        return
    # (clause start, cue start, cue end, status, where its words begin: after the last cue)
    segments: list[tuple[int, int, int, str, int]] = []
    seen = {cues[0][2]}
    previous_end = cues[0][1]
    for start, end, status, _ in cues[1:]:
        boundaries = list(_BOUNDARY.finditer(context.text, previous_end, start))
        after_last_cue, previous_end = previous_end, end
        if status in seen or not boundaries or not _firm(context, start, dates):
            continue
        boundary = boundaries[-1]
        seen.add(status)
        sentence_start, _ = context.sentence_of(start)
        clause = sentence_start if after_last_cue <= sentence_start else boundary.end()
        segments.append((clause, start, end, status, after_last_cue))
    if not segments:
        return
    resolutions = [
        p for p in context.proposals if p.kind == "resolution" and p.subject == context.activity
    ]
    timely = [d for d in timely_dates(context.text, dates) if d is not main_date]
    for index, (clause, start, end, status, words) in enumerate(segments, start=2):
        activity = URIRef(f"{context.activity}-{index}")
        until = segments[index - 1][0] if index - 1 < len(segments) else len(context.text)
        context.propose(
            "activity", RDF.type, HKG.Activity, (start, end), 0.55, "activity.clause", activity
        )
        label = _label(context, clause)
        if label is not None:
            text, span = label
            context.propose(
                "activity",
                RDFS.label,
                context.literal(text),
                span,
                0.5,
                "activity.clause",
                activity,
            )
        for proposal in resolutions:
            context.propose(
                "resolution",
                proposal.predicate,
                proposal.object,
                proposal.span,
                proposal.confidence - 0.1,
                "resolution.clause",
                activity,
            )
        context.propose(
            "status",
            HKG.status,
            STATUS[status],
            (start, end),
            0.6,
            f"status.clause-{status}",
            activity,
        )
        here = [d for d in timely if words <= d.offset < until]
        if here:
            propose_date(context, here[0], 0.6, "date.clause", activity)


def _firm(context: PassageContext, start: int, dates: list[TemporalExpression]) -> bool:
    """Chinese future and past markers also run through clauses that describe what the work
    will bring (这些活动将整合……, 已经制定并已在实施的举措): a further activity needs one that
    names a time or an act, or a date just before it (2020 年 10 月，将与……)."""
    if not context.chinese or _ZH_FIRM.match(context.text, start):
        return True
    return any(start - 20 <= d.offset + len(d.text) <= start for d in dates)


def _label(context: PassageContext, clause: int) -> tuple[str, tuple[int, int]] | None:
    text = context.text
    start = clause + len(text[clause:]) - len(text[clause:].lstrip(" ,，"))
    stop = _LABEL_END.search(text, start)
    end = stop.start() if stop else len(text)
    end = min(end, start + _LONGEST.get(context.language, 180))
    label = text[start:end].strip()
    return (label, (start, start + len(label))) if label else None
