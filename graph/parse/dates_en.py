"""Date expressions written in English: ``27 to 29 October 2020``, ``second half of 2019`` …

Month names are matched with their capital (UN style), so the verb "may" is never a month.
"""

from __future__ import annotations

import re

from habitat_kg.graph.parse.dates_base import (
    DatePattern,
    Reader,
    Span,
    ascending,
    day,
    expand,
    half_year,
    month_end,
    month_start,
    ordered,
    part_of_month,
    pattern,
    quarter,
    read_end_of_year,
    read_one_year,
    read_years,
    year_of,
)

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


def _rule(name: str, template: str, read: Reader) -> DatePattern:
    return pattern(name, expand("<START><ASOF>" + template + "<END>", r"\s+", _MACROS), read)


def _month(name: str) -> int:
    return _MONTH_NUMBER[name]


def _day_list(match: re.Match[str], year: int | None) -> Span | None:
    """``27 to 29 October 2020``, ``29 and 30 October 2020``: the span covering the days."""
    days = [int(n) for n in re.findall(r"\d{1,2}", match["days"])]
    if not ascending(days):
        return None
    year, month = year_of(match, "y", year), _month(match["m"])
    return ordered(day(year, month, days[0]), day(year, month, days[-1]), "day-range")


def _day_to_day(match: re.Match[str], year: int | None) -> Span | None:
    """``30 September to 2 October 2020``: the first date takes the second's year if it has none."""
    last_year = year_of(match, "y2", year)
    first_year = year_of(match, "y", last_year)
    start = day(first_year, _month(match["m"]), int(match["d"]))
    end = day(last_year, _month(match["m2"]), int(match["d2"]))
    return ordered(start, end, "day-range")


def _one_day(match: re.Match[str], year: int | None) -> Span | None:
    found = day(year_of(match, "y", year), _month(match["m"]), int(match["d"]))
    return ordered(found, found, "day")


def _month_list(match: re.Match[str], year: int | None) -> Span | None:
    """``January to August 2020``, ``June, July and August 2020``: first to last month."""
    months = [_month(name) for name in re.findall(_MONTHS, match["months"])]
    if not ascending(months):
        return None
    year = year_of(match, "y", year)
    return ordered(month_start(year, months[0]), month_end(year, months[-1]), "month-range")


def _month_to_month(match: re.Match[str], year: int | None) -> Span | None:
    start = month_start(year_of(match, "y", year), _month(match["m"]))
    end = month_end(year_of(match, "y2", year), _month(match["m2"]))
    return ordered(start, end, "month-range")


def _one_month(match: re.Match[str], year: int | None) -> Span | None:
    year, month = year_of(match, "y", year), _month(match["m"])
    return ordered(month_start(year, month), month_end(year, month), "month")


def _part_of_month(match: re.Match[str], year: int | None) -> Span | None:
    word = match["part"].lower()
    part = "early" if "early" in word or "beginning" in word else "middle"
    if "late" in word or "end" in word:
        part = "late"
    return part_of_month(year_of(match, "y", year), _month(match["m"]), part)


def _half_year(match: re.Match[str], year: int | None) -> Span | None:
    return half_year(year_of(match, "y", year), 1 if match["h"] == "first" else 2)


def _quarter(match: re.Match[str], year: int | None) -> Span | None:
    number = ("first", "second", "third", "fourth").index(match["q"]) + 1
    return quarter(year_of(match, "y", year), number)


PATTERNS: tuple[DatePattern, ...] = (
    # 27 to 29 October 2020, 27–29 October 2020, 29 and 30 October 2020
    _rule("en-day-list", "(?P<days><DAY>(?:<STEP><DAY>)+) <M>(?:,? <Y>)?", _day_list),
    # 30 September to 2 October 2020, 21 September to 31 October
    _rule(
        "en-day-to-day",
        "(?P<d><DAY>) <M>(?:,? <Y>)?<RANGE>(?P<d2><DAY>) <M2>(?:,? <Y2>)?",
        _day_to_day,
    ),
    # 29 June 2020, 21 September
    _rule("en-day", "(?P<d><DAY>) <M>(?:,? <Y>)?", _one_day),
    # June 29, 2020
    _rule("en-us-day", "<M> (?P<d><DAY>), <Y>", _one_day),
    # January to August 2020, June, July and August 2020
    _rule("en-month-list", "(?P<months><MONTHS>(?:<STEP><MONTHS>)+),? <Y>", _month_list),
    # November 2019 to February 2020
    _rule("en-month-to-month", "<M>,? <Y><RANGE><M2>,? <Y2>", _month_to_month),
    # early July 2020, mid-July 2020, the end of July 2020
    _rule("en-part-of-month", "(?P<part><PART>)<M>,? <Y>", _part_of_month),
    # June 2020, by September 2020
    _rule("en-month", "<M>,? <Y>", _one_month),
    # second half of 2019
    _rule("en-half-year", "(?:[Tt]he )?(?P<h>first|second) half of <Y>", _half_year),
    # the first quarter of 2021
    _rule("en-quarter", "(?:[Tt]he )?(?P<q>first|second|third|fourth) quarter of <Y>", _quarter),
    # 2021–2023, the period 2014–2019
    _rule("en-year-range", "(?:(?:[Tt]he )?period (?:of )?)?<Y><YRANGE><Y2>", read_years),
    # end of 2020, by the end of 2020
    _rule("en-end-of-year", "(?:[Tt]he )?[Ee]nd of (?:the year )?<Y>", read_end_of_year),
    # 2020
    _rule("en-year", "<Y>", read_one_year),
)
