"""When the passage's activity takes place: one start, one end and their precision.

The shapes allow an activity one hkg:startDate and one hkg:endDate, so the extractor proposes
the dates of one expression: the first that says when something happens, passing over dates
that only qualify a thing named in passing (a period a document covers "2014-2019", "as at 7
May 2019", a deadline "by the end of 2022" when another date follows).
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from habitat_kg.graph.extract.context import PassageContext
from habitat_kg.graph.parse import TemporalExpression, find_dates
from habitat_kg.namespaces import HKG, PRECISION

# Text just before a date that makes it a qualifier rather than the activity's time.
_QUALIFIER_BEFORE = re.compile(
    r"(?:截至|截止|as at|as of|by the end of|by|before|until|到|前|planned for|原定于|原定)\s*$",
    re.IGNORECASE,
)
# "2020年第一次会议", "session of 2021": the year numbers a session.
_SESSION = re.compile(r"^\s*年?\s*第[一二三四五六七八九十\d]+次(?:会议|届会)")
_AGENDA_AFTER = re.compile(r"^\s*(?:年)?\s*(?:Agenda|议程|可持续发展议程)")
_YEAR_BEFORE = re.compile(r"(?:\b(?:in|during|since|throughout|for|until)|于|在|到|至)\s*$", re.I)
_YEAR_AFTER = re.compile(
    r"^\s*(?:[，。；、,.;)）]|$|期间|内|底|初|中|全年|年底|年内|下半年|上半年)"
)
# A year range inside a title or a period covered: "2014-2019 年", "2020-2023 年期间".
_PERIOD_AFTER = re.compile(r"^\s*(?:年期间|年)?\s*(?:期间)?\s*(?:战略|计划|政策|行动计划|的)")


def propose_dates(
    context: PassageContext, dates: list[TemporalExpression] | None = None
) -> TemporalExpression | None:
    """The activity's dates; returns the expression they come from."""
    found = dates if dates is not None else find_dates(context.text, context.year, context.language)
    if not found:
        return None
    chosen, confidence = _main_date(context.text, found)
    if chosen is None:
        return None
    rule = "date.first" if chosen is found[0] else "date.event"
    propose_date(context, chosen, confidence, rule)
    return chosen


def propose_date(
    context: PassageContext,
    chosen: TemporalExpression,
    confidence: float,
    rule: str,
    subject: URIRef | None = None,
) -> None:
    span = (chosen.offset, chosen.offset + len(chosen.text))
    for predicate, value in (
        (HKG.startDate, Literal(chosen.start)),
        (HKG.endDate, Literal(chosen.end)),
        (HKG.datePrecision, PRECISION[chosen.precision]),
    ):
        context.propose("date", predicate, value, span, confidence, rule, subject)


def timely_dates(text: str, found: list[TemporalExpression]) -> list[TemporalExpression]:
    """The dates that say when something happens (not a name, a period covered, a deadline)."""
    return [
        e
        for e in found
        if not _names_a_thing(text, e)
        and not e.text.lower().startswith(("by ", "before ", "until "))
        and not _QUALIFIER_BEFORE.search(text[max(0, e.offset - 16) : e.offset])
    ]


def _main_date(
    text: str, found: list[TemporalExpression]
) -> tuple[TemporalExpression, float] | tuple[None, float]:
    timely = [e for e in found if not _names_a_thing(text, e)]
    # A bare year is the activity's time only when the passage gives nothing more precise.
    timely.sort(key=lambda e: e.precision == "year")
    for expression in timely:
        before = text[max(0, expression.offset - 16) : expression.offset]
        deadline = expression.text.lower().startswith(("by ", "before ", "until "))
        if deadline or _QUALIFIER_BEFORE.search(before):
            continue
        return expression, 0.8 if expression is found[0] else 0.7
    # Only a deadline or a date something was set for: better than nothing, less sure.
    return (timely[0], 0.5) if timely else (None, 0.0)


def _names_a_thing(text: str, expression: TemporalExpression) -> bool:
    """A date that is part of a name or a period covered, not when something happens: the
    2030 Agenda, 《2030年可持续发展议程》, "2020 年人居署服务目录", "2014-2019 年……政策"."""
    before = text[max(0, expression.offset - 200) : expression.offset]
    after = _after(text, expression)
    if before.count("《") > before.count("》") or _AGENDA_AFTER.search(after):
        return True
    if expression.precision in ("year-range", "year") and _PERIOD_AFTER.search(after):
        return True
    if expression.precision != "year":
        return False
    if _SESSION.search(after):
        return True
    # A bare year says when only after "in", 于, 在 or before 年底, 期间, a comma.
    return not (_YEAR_BEFORE.search(before[-12:]) or _YEAR_AFTER.search(after))


def _after(text: str, expression: TemporalExpression) -> str:
    return text[expression.offset + len(expression.text) :][:12]
