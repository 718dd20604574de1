"""Date expressions written in Chinese: ``2020 年 10 月 29 日和 30 日``, ``2019 年下半年`` …

The grammar's rules are data (dates_zh.toml); here is what Chinese words mean: a part of a
month, a half, a quarter, and how a day range finds its years.
"""

from __future__ import annotations

import re

from habitat_kg.graph.parse import dates_base as base


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


PATTERNS = base.load_grammar("dates_zh", WORDS, _day_to_day)
