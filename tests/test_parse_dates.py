"""Temporal expressions: every date of the Chinese report, English equivalents, edge cases."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from habitat_kg.graph.parse import PRECISIONS, TemporalExpression, find_dates, read_report

REPO = Path(__file__).resolve().parents[1]
CHINESE_REPORT = REPO / "graph" / "sources" / "report" / "eb-2020-2_item-7.zh.txt"

# (line of the passage, text as written, first day, last day, precision): every date expression
# of the report, in order.  Paragraph 26 starts on line 73 and continues on line 75.
REPORT_DATES = [
    (6, "2020年", "2020-01-01", "2020-12-31", "year"),
    (7, "2020年10月27日至29日", "2020-10-27", "2020-10-29", "day-range"),
    (18, "2019年5月27日至31日", "2019-05-27", "2019-05-31", "day-range"),
    (21, "2030年", "2030-01-01", "2030-12-31", "year"),
    (28, "2020年6月29日", "2020-06-29", "2020-06-29", "day"),
    (28, "2020年", "2020-01-01", "2020-12-31", "year"),
    (32, "2021-2023 年期间", "2021-01-01", "2023-12-31", "year-range"),
    (32, "到 2020 年底", "2020-12-31", "2020-12-31", "end-of-year"),
    (34, "2020 年 10 月 29 日和 30 日", "2020-10-29", "2020-10-30", "day-range"),
    (34, "9 月 21 日", "2020-09-21", "2020-09-21", "day"),
    (34, "10 月 31 日", "2020-10-31", "2020-10-31", "day"),
    (37, "2030 年", "2030-01-01", "2030-12-31", "year"),
    (39, "2020 年 3 月 4 日", "2020-03-04", "2020-03-04", "day"),
    (46, "2019 年下半年", "2019-07-01", "2019-12-31", "half-year"),
    (46, "2020 年 7 月初", "2020-07-01", "2020-07-10", "part-of-month"),
    (47, "2020 年 10 月", "2020-10-01", "2020-10-31", "month"),
    (48, "2020 年 6 月、7 月和 8 月", "2020-06-01", "2020-08-31", "month-range"),
    (49, "2020 年", "2020-01-01", "2020-12-31", "year"),
    (57, "2020 年 1 月至 8 月期间", "2020-01-01", "2020-08-31", "month-range"),
    (59, "2020 年 2 月 8 日至 13 日", "2020-02-08", "2020-02-13", "day-range"),
    (61, "2020 年 5 月", "2020-05-01", "2020-05-31", "month"),
    (61, "2020 年 10 月", "2020-10-01", "2020-10-31", "month"),
    (63, "2014-2019 年", "2014-01-01", "2019-12-31", "year-range"),
    (63, "2014-2019 年", "2014-01-01", "2019-12-31", "year-range"),
    (63, "2020-2023 年期间", "2020-01-01", "2023-12-31", "year-range"),
    (65, "2014 年至 2019 年期间", "2014-01-01", "2019-12-31", "year-range"),
    (65, "2020 年 9 月前", "2020-09-01", "2020-09-30", "month"),
    (67, "2020 年 6 月 26 日", "2020-06-26", "2020-06-26", "day"),
    (73, "2020 年 9 月 23 日和 24 日", "2020-09-23", "2020-09-24", "day-range"),
    (73, "2020 年 11 月 25 日至 27 日", "2020-11-25", "2020-11-27", "day-range"),
    (77, "2020 年 9 月 3 日", "2020-09-03", "2020-09-03", "day"),
    (77, "2020 年 8 月", "2020-08-01", "2020-08-31", "month"),
    (81, "2019 年 11 月 19 日和 20 日", "2019-11-19", "2019-11-20", "day-range"),
    (81, "2020 年 6 月 29 日", "2020-06-29", "2020-06-29", "day"),
    (81, "2020 年 3 月 11 日", "2020-03-11", "2020-03-11", "day"),
    (81, "截至 2019 年 5 月 7 日", "2019-05-07", "2019-05-07", "day"),
    (81, "截至 2019 年 5 月 8 日", "2019-05-08", "2019-05-08", "day"),
    (91, "2020 年 8 月 10 日", "2020-08-10", "2020-08-10", "day"),
]


def _row(expression: TemporalExpression) -> tuple[str, str, str, str]:
    return (
        expression.text,
        expression.start.isoformat(),
        expression.end.isoformat(),
        expression.precision,
    )


def test_every_date_of_the_report() -> None:
    report = read_report(CHINESE_REPORT)
    found = [
        (passage.line, *_row(expression))
        for passage in report.passages()
        for expression in find_dates(passage.text, report.year, report.language)
    ]
    assert found == REPORT_DATES


def test_paragraph_5_dates() -> None:
    text = read_report(CHINESE_REPORT).paragraph(5).text
    found = find_dates(text, default_year=None, language="zh")
    assert [(_row(d), d.year_inferred) for d in found] == [
        (("2020 年 10 月 29 日和 30 日", "2020-10-29", "2020-10-30", "day-range"), False),
        # No year is written: the nearest explicit year before them in the paragraph.
        (("9 月 21 日", "2020-09-21", "2020-09-21", "day"), True),
        (("10 月 31 日", "2020-10-31", "2020-10-31", "day"), True),
    ]
    assert text[found[1].offset :].startswith("9 月 21 日")


def _expressions() -> list[tuple[str, tuple[str, str, str, str]]]:
    """Expressions in each language and the span each denotes (tests/data/date_expressions.csv,
    written for these tests): one row per rule of each grammar, and edge cases."""
    with (REPO / "tests" / "data" / "date_expressions.csv").open(encoding="utf-8") as table:
        return [(row[0], (row[1], row[2], row[3], row[4])) for row in list(csv.reader(table))[1:]]


#: A sentence around an expression, in each language.
SENTENCES = {"en": "Held {}.", "zh": "于{}举行"}
EXPRESSIONS = _expressions()


@pytest.mark.parametrize(("language", "row"), EXPRESSIONS, ids=[r[0] for _, r in EXPRESSIONS])
def test_expressions_in_a_sentence(language: str, row: tuple[str, str, str, str]) -> None:
    sentence = SENTENCES[language].format(row[0])
    assert [_row(d) for d in find_dates(sentence, language=language)] == [row]


def test_dates_without_year_take_the_context_or_the_default() -> None:
    found = find_dates("From 21 September to 31 October, then 3 November.", 2020, "en")
    assert [(_row(d), d.year_inferred) for d in found] == [
        (("21 September to 31 October", "2020-09-21", "2020-10-31", "day-range"), True),
        (("3 November", "2020-11-03", "2020-11-03", "day"), True),
    ]
    preceded = find_dates("Since June 2019 and on 21 September", 2020, "en")
    assert preceded[-1].start == date(2019, 9, 21)
    assert find_dates("on 21 September", None, "en") == []


@pytest.mark.parametrize(
    "text",
    [
        "31 June 2020",
        "2020 年 6 月 31 日",
        "29 February 2021",
        "2021 年 2 月 29 日",
        "31 to 29 October 2020",
        "HSP/EB.2020/13/Add.2",
        "第 2019/3 号决定",
        "decision 2019/3",
        "和/或",
        "第六季全球城市讲座",
        "40 天挑战",
        "it may rain",
    ],
)
def test_things_that_are_not_dates(text: str) -> None:
    assert find_dates(text, 2020) == []


def test_longest_match_wins() -> None:
    (found,) = find_dates("2020 年 10 月 29 日和 30 日", language="zh")
    assert found.precision == "day-range"
    (found,) = find_dates("2014 年至 2019 年期间", language="zh")
    assert found.precision == "year-range"


def test_iso_renderings() -> None:
    month, day_range = find_dates("In June 2020 and 27–29 October 2020", language="en")
    assert (month.iso, month.interval) == ("2020-06", "2020-06-01/2020-06-30")
    assert day_range.iso == "2020-10-27/2020-10-29"


def test_precisions_are_the_concept_scheme() -> None:
    found = {row[-1] for row in [*REPORT_DATES, *(row for _, row in EXPRESSIONS)]}
    assert found == set(PRECISIONS)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        find_dates("2020", language="fr")
