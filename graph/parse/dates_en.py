"""Date expressions written in English: ``27 to 29 October 2020``, ``second half of 2019`` …

Month names are matched with their capital (UN style), so the verb "may" is never a month.
"""

from __future__ import annotations

import re

from habitat_kg.graph.parse import dates_base as base

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NUMBER = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}

# Templates: a space stands for required whitespace, <NAME> for a macro.
_END = r"(?![\w/]|\.\d)"  # not followed by more of a word, number or symbol
_MONTHS = "(?:" + "|".join(MONTH_NAMES) + ")"
_MACROS = {
    # Not inside a word, a number or a document symbol (HSP/EB.2020/13, resolution 2019/3).
    "START": r"(?<![\w/.\-])",
    "END": _END,
    # A deadline marker belongs to the expression: "by September 2020" is not "in September".
    "ASOF": r"(?:(?:[Bb]y|[Aa]s\s+of|[Uu]ntil)\s+)?",
    "MONTHS": _MONTHS,
    "M": "(?P<m>" + _MONTHS + ")",
    "M2": "(?P<m2>" + _MONTHS + ")",
    "Y": r"(?P<y>\d{4})" + _END,
    "Y2": r"(?P<y2>\d{4})" + _END,
    "DAY": r"\d{1,2}(?!\d)",
    "RANGE": r"(?:\s*[–—-]\s*|\s+(?:to|until|and)\s+)",
    "STEP": r"(?:\s*[–—-]\s*|\s+(?:to|until|and)\s+|\s*,\s*(?:and\s+)?)",
    "YRANGE": r"(?:\s*[–—-]\s*|\s+to\s+)",
    "PART": (
        r"(?:[Ee]arly|[Ll]ate)\s+|[Mm]id-?\s*"
        r"|(?:[Tt]he\s+)?(?:[Bb]eginning|[Mm]iddle|[Ee]nd)\s+of\s+"
    ),
}


def _rule(name: str, template: str, read: base.Reader) -> base.DatePattern:
    return base.pattern(
        name, base.expand("<START><ASOF>" + template + "<END>", r"\s+", _MACROS), read
    )


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


PATTERNS: tuple[base.DatePattern, ...] = (
    # 27 to 29 October 2020, 27–29 October 2020, 29 and 30 October 2020
    _rule("en-day-list", "(?P<days><DAY>(?:<STEP><DAY>)+) <M>(?:,? <Y>)?", WORDS.read_day_list),
    # 30 September to 2 October 2020, 21 September to 31 October
    _rule(
        "en-day-to-day",
        "(?P<d><DAY>) <M>(?:,? <Y>)?<RANGE>(?P<d2><DAY>) <M2>(?:,? <Y2>)?",
        _day_to_day,
    ),
    # 29 June 2020, 21 September
    _rule("en-day", "(?P<d><DAY>) <M>(?:,? <Y>)?", WORDS.read_one_day),
    # June 29, 2020
    _rule("en-us-day", "<M> (?P<d><DAY>), <Y>", WORDS.read_one_day),
    # January to August 2020, June, July and August 2020
    _rule("en-month-list", "(?P<months><MONTHS>(?:<STEP><MONTHS>)+),? <Y>", WORDS.read_month_list),
    # November 2019 to February 2020
    _rule("en-month-to-month", "<M>,? <Y><RANGE><M2>,? <Y2>", WORDS.read_month_to_month),
    # early July 2020, mid-July 2020, the end of July 2020
    _rule("en-part-of-month", "(?P<part><PART>)<M>,? <Y>", WORDS.read_part_of_month),
    # June 2020, by September 2020
    _rule("en-month", "<M>,? <Y>", WORDS.read_one_month),
    # second half of 2019
    _rule("en-half-year", "(?:[Tt]he )?(?P<h>first|second) half of <Y>", WORDS.read_half_year),
    # the first quarter of 2021
    _rule(
        "en-quarter",
        "(?:[Tt]he )?(?P<q>first|second|third|fourth) quarter of <Y>",
        WORDS.read_quarter,
    ),
    # 2021–2023, the period 2014–2019
    _rule("en-year-range", "(?:(?:[Tt]he )?period (?:of )?)?<Y><YRANGE><Y2>", base.read_years),
    # end of 2020, by the end of 2020
    _rule("en-end-of-year", "(?:[Tt]he )?[Ee]nd of (?:the year )?<Y>", base.read_end_of_year),
    # 2020
    _rule("en-year", "<Y>", base.read_one_year),
)
