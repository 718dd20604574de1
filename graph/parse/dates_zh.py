"""Date expressions written in Chinese: ``2020 年 10 月 29 日和 30 日``, ``2019 年下半年`` …

The reports put ASCII spaces between numbers and the characters 年/月/日 (an artefact of the
typesetting), so every gap allows optional spaces; the matched text is kept as written.
"""

from __future__ import annotations

import re

from habitat_kg.graph.parse import dates_base as base

# Templates: a space stands for optional ASCII spaces, <NAME> for a macro.
_SPACES = r"[ \t]*"
_MACROS = {
    # Not inside a number, a Latin word or a document symbol (HSP/EB.2020/13).
    "START": r"(?<![0-9A-Za-z/.\-])",
    # A deadline marker belongs to the expression: "截至 2019 年 5 月 7 日" is "as of".
    "ASOF": r"(?:(?:截至|截止到?)[ \t]*)?",
    "Y": r"(?P<y>\d{4})",
    "Y2": r"(?P<y2>\d{4})",
    "M": r"(?P<m>\d{1,2})",
    "M2": r"(?P<m2>\d{1,2})",
    "D": r"(?P<d>\d{1,2})",
    "D2": r"(?P<d2>\d{1,2})",
    "N": r"\d{1,2}",
    "TO": r"(?:至|到|-|–|—|~|～)",
    "AND": r"(?:至|到|和|及|与|、|-|–|—|~|～)",
    # A year not followed by a month: "2014 年至 2019 年" but not "2014 年至 2019 年 5 月".
    "NOMONTH": r"(?![ \t]*\d{1,2}[ \t]*月)",
}


def _rule(name: str, template: str, read: base.Reader) -> base.DatePattern:
    return base.pattern(name, base.expand("<START>" + template, _SPACES, _MACROS), read)


def _day_to_day(match: re.Match[str], year: int | None) -> base.Span | None:
    """A range across months or years: ``12 月 28 日至 2021 年 1 月 3 日``."""
    last_year = base.year_of(match, "y2", None)
    first_year = base.year_of(match, "y", last_year if last_year is not None else year)
    last_year = last_year if last_year is not None else first_year
    return WORDS.day_to_day(match, first_year, last_year)


_PARTS = {"初": "early", "上旬": "early", "中旬": "middle", "下旬": "late", "底": "late"}

WORDS = base.Words(
    month=int,
    months=lambda text: base.numbers_before(text, "月"),
    part=lambda word: _PARTS.get(word, "late"),  # 末 reads as 底
    half=lambda word: 1 if word == "上" else 2,
    quarter_number=lambda word: "一二三四".find(word) + 1 or int(word),
)


PATTERNS: tuple[base.DatePattern, ...] = (
    # 2020年10月27日至29日, 2020 年 10 月 29 日和 30 日
    _rule(
        "zh-day-list",
        "<ASOF>(?:<Y> 年 )?<M> 月 (?P<days><N> 日?(?: <AND> <N> 日?)*? <AND> <N> 日)",
        WORDS.read_day_list,
    ),
    # 2019 年 12 月 28 日至 2020 年 1 月 3 日
    _rule(
        "zh-day-to-day",
        "<ASOF>(?:<Y> 年 )?<M> 月 <D> 日 <TO> (?:<Y2> 年 )?<M2> 月 <D2> 日",
        _day_to_day,
    ),
    # 2020年6月29日, 9 月 21 日
    _rule("zh-day", "<ASOF>(?:<Y> 年 )?<M> 月 <D> 日", WORDS.read_one_day),
    # 2020 年 1 月至 8 月期间, 2020 年 6 月、7 月和 8 月
    _rule(
        "zh-month-list",
        "<ASOF><Y> 年 (?P<months><N> 月(?: <AND> <N> 月)+)(?: 期间)?",
        WORDS.read_month_list,
    ),
    # 2019 年 11 月至 2020 年 2 月
    _rule(
        "zh-month-to-month",
        "<ASOF><Y> 年 <M> 月 <TO> <Y2> 年 <M2> 月(?: 期间)?",
        WORDS.read_month_to_month,
    ),
    # 2020 年 7 月初
    _rule(
        "zh-part-of-month",
        "<ASOF><Y> 年 <M> 月 (?P<part>初|上旬|中旬|下旬|底|末)",
        WORDS.read_part_of_month,
    ),
    # 2020 年 8 月, 2020 年 9 月前
    _rule("zh-month", "<ASOF><Y> 年 <M> 月(?: (?:期间|之前|前|份|内))?", WORDS.read_one_month),
    # 2019 年下半年
    _rule("zh-half-year", "<ASOF><Y> 年 (?P<h>上|下)半年(?: 期间)?", WORDS.read_half_year),
    # 2020 年第一季度
    _rule("zh-quarter", "<ASOF><Y> 年 第 (?P<q>[一二三四1-4]) 季度(?: 期间)?", WORDS.read_quarter),
    # 2021-2023 年期间, 2014 年至 2019 年期间
    _rule("zh-year-range", "<ASOF><Y> (?:年 )?<TO> <Y2> 年<NOMONTH>(?: 期间)?", base.read_years),
    # 到 2020 年底
    _rule(
        "zh-end-of-year",
        "(?:(?:到|截至|截止到?) )?<Y> 年 (?:底|末)(?: (?:之前|前))?",
        base.read_end_of_year,
    ),
    # 2020 年
    _rule("zh-year", "<ASOF><Y> 年<NOMONTH>(?: (?:期间|内|度))?", base.read_one_year),
)
