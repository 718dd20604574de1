"""Temporal expressions in a passage, read as calendar spans.

Every grammar rule proposes its matches; where matches overlap the longest wins (so
``2020 年 10 月 29 日和 30 日`` is one day range, not a day plus a stray "30 日").  A match that
is not a real date (``31 June``) still claims its characters, so that no shorter piece of it
("June 2020") is reported instead.  Expressions without a year take the nearest explicit year
written before them in the same passage, else the year the caller supplies (the report's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from habitat_kg.graph.parse.dates_base import PRECISIONS, DatePattern, Span
from habitat_kg.graph.parse.dates_en import PATTERNS as ENGLISH
from habitat_kg.graph.parse.dates_zh import PATTERNS as CHINESE

__all__ = ["PRECISIONS", "TemporalExpression", "find_dates"]

_GRAMMARS: dict[str | None, tuple[DatePattern, ...]] = {
    "zh": CHINESE,
    "en": ENGLISH,
    None: CHINESE + ENGLISH,
}
# A leap year, to check year-less candidates ("29 February") before the year is known.
_PROBE_YEAR = 2000
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


@dataclass(frozen=True)
class TemporalExpression:
    """A date expression as written (``text``) and the calendar span it denotes.

    ``offset`` is where ``text`` starts in the passage; ``year_inferred`` says that the text
    names no year and ``start``/``end`` use the year of the context.
    """

    text: str
    start: date
    end: date
    precision: str
    offset: int = 0
    year_inferred: bool = False

    @property
    def interval(self) -> str:
        """The span as an ISO 8601 date or interval: ``2020-09-01/2020-09-30``."""
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def iso(self) -> str:
        """ISO 8601 rendering: ``2020-09`` (month), ``2020`` (year), else ``start/end``."""
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


@dataclass(frozen=True)
class _Candidate:
    begin: int
    end: int
    match: re.Match[str]
    rule: DatePattern
    names_year: bool
    valid: bool


def find_dates(
    text: str, default_year: int | None = None, language: str | None = None
) -> list[TemporalExpression]:
    """The temporal expressions of ``text`` in order of position.

    ``language`` ("zh" or "en") restricts the grammar; None tries both.  ``default_year`` is
    used for expressions without a year when no explicit year precedes them.
    """
    if language not in _GRAMMARS:
        raise ValueError(f"unknown language {language!r}: expected 'zh', 'en' or None")
    chosen = _longest_first(_candidates(text, _GRAMMARS[language]))
    found: list[TemporalExpression] = []
    context_year = default_year
    for candidate in chosen:
        if not candidate.valid:
            continue
        span = candidate.rule.read(candidate.match, None if candidate.names_year else context_year)
        if span is None:
            continue
        found.append(_expression(candidate, span))
        years = _FOUR_DIGITS.findall(candidate.match.group(0))
        if years:
            context_year = int(years[-1])
    return found


def _candidates(text: str, rules: tuple[DatePattern, ...]) -> list[_Candidate]:
    candidates = []
    for rule in rules:
        for match in rule.regex.finditer(text):
            names_year = bool(_FOUR_DIGITS.search(match.group(0)))
            probe = rule.read(match, None if names_year else _PROBE_YEAR)
            candidates.append(
                _Candidate(match.start(), match.end(), match, rule, names_year, probe is not None)
            )
    return candidates


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first, ties to the earlier one; in text order."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.begin), c.begin))
    taken: list[_Candidate] = []
    for candidate in ranked:
        if all(candidate.end <= other.begin or other.end <= candidate.begin for other in taken):
            taken.append(candidate)
    return sorted(taken, key=lambda c: c.begin)


def _expression(candidate: _Candidate, span: Span) -> TemporalExpression:
    start, end, precision = span
    return TemporalExpression(
        text=candidate.match.group(0),
        start=start,
        end=end,
        precision=precision,
        offset=candidate.begin,
        year_inferred=not candidate.names_year,
    )
