"""Building blocks shared by the Chinese and English date grammars.

A grammar is a list of :class:`DatePattern`: a regular expression and a function that turns a
match into a calendar span, or into ``None`` when the match is not a real date (31 June).
Expressions without a year (``9 月 21 日``) are read with a year supplied by the caller, so the
same pattern serves both "2020 年 9 月 21 日" and "9 月 21 日".
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from habitat_kg.tables import load_table

#: The precisions a temporal expression can have (the ``precision:`` concept scheme).
PRECISIONS = (
    "day",
    "day-range",
    "month",
    "month-range",
    "part-of-month",
    "half-year",
    "year",
    "year-range",
    "end-of-year",
)

#: A calendar span and its precision.
Span = tuple[date, date, str]

#: Reads a match, given the year to use when the match names none; None when not a date.
Reader = Callable[[re.Match[str], int | None], Span | None]

#: Years we accept as years: anything else written with four digits is a quantity or a code.
MIN_YEAR = 1900
MAX_YEAR = 2099


@dataclass(frozen=True)
class DatePattern:
    """One shape of date expression, e.g. "a day range within one month"."""

    name: str
    regex: re.Pattern[str]
    read: Reader


def pattern(name: str, source: str, read: Reader) -> DatePattern:
    """Compile one grammar rule from its regex source."""
    return DatePattern(name, re.compile(source), read)


def expand(template: str, space: str, macros: dict[str, str]) -> str:
    """A regex from a readable template: each space stands for ``space`` (optional spaces in
    Chinese, required whitespace in English) and ``<NAME>`` (upper case, unlike the names of
    regex groups) for ``macros[NAME]``, inserted as is (a macro may itself match spaces)."""
    source = template.replace(" ", space)
    return re.sub(r"<([A-Z][A-Z0-9]*)>", lambda found: macros[found[1]], source)


def year_of(match: re.Match[str], group: str, fallback: int | None) -> int | None:
    """The year a group names, else ``fallback`` (the year inferred from the context)."""
    text = match.groupdict().get(group)
    year = int(text) if text else fallback
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return year


def day(year: int | None, month: int, day_number: int) -> date | None:
    """A calendar day, or None when it does not exist (31 June, 29 February 2021)."""
    if year is None:
        return None
    try:
        return date(year, month, day_number)
    except ValueError:
        return None


def month_start(year: int | None, month: int) -> date | None:
    return day(year, month, 1)


def month_end(year: int | None, month: int) -> date | None:
    if year is None or not 1 <= month <= 12:
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def ordered(start: date | None, end: date | None, precision: str) -> Span | None:
    """A span, provided both ends exist and the start does not come after the end."""
    if start is None or end is None or start > end:
        return None
    return (start, end, precision)


def ascending(numbers: Sequence[int]) -> bool:
    """True when a written list of days or months runs forward (``29 日和 30 日``)."""
    return all(a < b for a, b in itertools.pairwise(numbers))


def numbers_before(text: str, unit: str) -> list[int]:
    """The numbers written before ``unit`` in ``text``, e.g. the days of ``29 日和 30 日``."""
    return [int(n) for n in re.findall(r"(\d{1,2})\s*" + unit, text)]


def part_of_month(year: int | None, month: int, part: str) -> Span | None:
    """Early (1–10), middle (11–20) or late (21–end) part of a month."""
    end_of_month = month_end(year, month)
    if end_of_month is None:
        return None
    bounds = {"early": (1, 10), "middle": (11, 20), "late": (21, end_of_month.day)}
    first, last = bounds[part]
    return ordered(day(year, month, first), day(year, month, last), "part-of-month")


def half_year(year: int | None, half: int) -> Span | None:
    """First (January–June) or second (July–December) half of a year."""
    first_month = 1 if half == 1 else 7
    return ordered(month_start(year, first_month), month_end(year, first_month + 5), "half-year")


def quarter(year: int | None, number: int) -> Span | None:
    """A calendar quarter, as the range of its three months."""
    first_month = 3 * (number - 1) + 1
    return ordered(month_start(year, first_month), month_end(year, first_month + 2), "month-range")


def whole_years(first: int | None, last: int | None, precision: str) -> Span | None:
    """1 January of ``first`` to 31 December of ``last``."""
    if first is None or last is None:
        return None
    return ordered(date(first, 1, 1), date(last, 12, 31), precision)


def end_of_year(year: int | None) -> Span | None:
    """A deadline ("by the end of 2020"): the span is the single day 31 December."""
    if year is None:
        return None
    return (date(year, 12, 31), date(year, 12, 31), "end-of-year")


# Readers that are the same in every language: they look only at the named year groups.


def read_years(match: re.Match[str], year: int | None) -> Span | None:
    """``2021-2023年期间`` / ``2021–2023``: the whole years from the first to the last."""
    first, last = year_of(match, "y", None), year_of(match, "y2", None)
    if first is None or last is None or first >= last:
        return None
    return whole_years(first, last, "year-range")


def read_one_year(match: re.Match[str], year: int | None) -> Span | None:
    found = year_of(match, "y", None)
    return whole_years(found, found, "year")


def read_end_of_year(match: re.Match[str], year: int | None) -> Span | None:
    return end_of_year(year_of(match, "y", None))


@dataclass(frozen=True)
class Words:
    """How one language writes what the readers below take from a match: a month
    (``October``, ``10``), the months of a list, a part of a month, a half and a quarter of a
    year. Each ``read_*`` method is a :data:`Reader` of a grammar's pattern."""

    month: Callable[[str], int]
    months: Callable[[str], list[int]]
    #: "early", "middle" or "late"
    part: Callable[[str], str]
    #: 1 or 2
    half: Callable[[str], int]
    #: 1 to 4
    quarter_number: Callable[[str], int]

    def read_day_list(self, match: re.Match[str], year: int | None) -> Span | None:
        """Several days of one month (``27 to 29 October 2020``, ``29 日和 30 日``): the span
        covering them."""
        days = [int(n) for n in re.findall(r"\d{1,2}", match["days"])]
        if not ascending(days):
            return None
        year, month = year_of(match, "y", year), self.month(match["m"])
        return ordered(day(year, month, days[0]), day(year, month, days[-1]), "day-range")

    def day_to_day(
        self, match: re.Match[str], first_year: int | None, last_year: int | None
    ) -> Span | None:
        """From day ``d`` of month ``m`` in ``first_year`` to day ``d2`` of month ``m2`` in
        ``last_year``: how each language finds the two years is its own."""
        start = day(first_year, self.month(match["m"]), int(match["d"]))
        end = day(last_year, self.month(match["m2"]), int(match["d2"]))
        return ordered(start, end, "day-range")

    def read_one_day(self, match: re.Match[str], year: int | None) -> Span | None:
        found = day(year_of(match, "y", year), self.month(match["m"]), int(match["d"]))
        return ordered(found, found, "day")

    def read_month_list(self, match: re.Match[str], year: int | None) -> Span | None:
        """Months of one year (``January to August 2020``, ``6 月、7 月和 8 月``): first to
        last."""
        months = self.months(match["months"])
        if not ascending(months):
            return None
        year = year_of(match, "y", year)
        return ordered(month_start(year, months[0]), month_end(year, months[-1]), "month-range")

    def read_month_to_month(self, match: re.Match[str], year: int | None) -> Span | None:
        start = month_start(year_of(match, "y", year), self.month(match["m"]))
        end = month_end(year_of(match, "y2", year), self.month(match["m2"]))
        return ordered(start, end, "month-range")

    def read_one_month(self, match: re.Match[str], year: int | None) -> Span | None:
        year, month = year_of(match, "y", year), self.month(match["m"])
        return ordered(month_start(year, month), month_end(year, month), "month")

    def read_part_of_month(self, match: re.Match[str], year: int | None) -> Span | None:
        month = self.month(match["m"])
        return part_of_month(year_of(match, "y", year), month, self.part(match["part"]))

    def read_half_year(self, match: re.Match[str], year: int | None) -> Span | None:
        return half_year(year_of(match, "y", year), self.half(match["h"]))

    def read_quarter(self, match: re.Match[str], year: int | None) -> Span | None:
        return quarter(year_of(match, "y", year), self.quarter_number(match["q"]))


def load_grammar(
    name: str, words: Words, day_to_day: Reader, macros: dict[str, str] | None = None
) -> tuple[DatePattern, ...]:
    """The grammar of one language from its table (``<name>.toml`` beside this module): each
    rule's template wrapped in the table's ``before`` and ``after`` and expanded with its
    macros (each may use those before it, and ``macros``, the ones the language computes);
    each rule's ``read`` names a reader: a ``read_*`` of ``words``, a year reader above, or
    ``day_to_day`` (how a range finds its two years is the language's own)."""
    table = load_table("habitat_kg.graph.parse", name)
    defined = dict(macros or {})
    for macro, source in table["macros"].items():
        defined[macro] = expand(source, " ", defined)
    readers: dict[str, Reader] = {
        "day_list": words.read_day_list,
        "day_to_day": day_to_day,
        "one_day": words.read_one_day,
        "month_list": words.read_month_list,
        "month_to_month": words.read_month_to_month,
        "part_of_month": words.read_part_of_month,
        "one_month": words.read_one_month,
        "half_year": words.read_half_year,
        "quarter": words.read_quarter,
        "years": read_years,
        "end_of_year": read_end_of_year,
        "one_year": read_one_year,
    }
    return tuple(
        pattern(
            rule["name"],
            expand(table["before"] + rule["template"] + table["after"], table["space"], defined),
            readers[rule["read"]],
        )
        for rule in table["rules"]
    )
