"""Date expressions written in English: ``27 to 29 October 2020``, ``second half of 2019`` …

The grammar's rules are data (dates_en.toml); here is what English words mean: a month's name,
a part of a month, a half, a quarter, and how a day range finds its years.
"""

from __future__ import annotations

import re

from habitat_kg.graph.parse import dates_base as base
from habitat_kg.tables import load_table

_TABLE = "dates_en"
MONTH_NAMES: tuple[str, ...] = tuple(load_table("habitat_kg.graph.parse", _TABLE)["months"])
_MONTH_NUMBER = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTHS = "(?:" + "|".join(MONTH_NAMES) + ")"


def _month(name: str) -> int:
    return _MONTH_NUMBER[name]


def _part(word: str) -> str:
    word = word.lower()
    if "late" in word or "end" in word:
        return "late"
    return "early" if "early" in word or "beginning" in word else "middle"


WORDS = base.Words(
    month=_month,
    months=lambda text: [_month(name) for name in re.findall(_MONTHS, text)],
    part=_part,
    half=lambda word: 1 if word == "first" else 2,
    quarter_number=lambda word: ("first", "second", "third", "fourth").index(word) + 1,
)


def _day_to_day(match: re.Match[str], year: int | None) -> base.Span | None:
    """``30 September to 2 October 2020``: the first date takes the second's year if it has none."""
    last_year = base.year_of(match, "y2", year)
    first_year = base.year_of(match, "y", last_year)
    return WORDS.day_to_day(match, first_year, last_year)


PATTERNS = base.load_grammar(_TABLE, WORDS, _day_to_day, {"MONTHS": _MONTHS})
