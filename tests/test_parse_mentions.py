"""Mentions of gazetteer entities: longest match, no overlap, spacing and word boundaries."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from habitat_kg.graph.parse import find_mention_spans, find_mentions, read_report

REPO = Path(__file__).resolve().parents[1]
CHINESE_REPORT = REPO / "graph" / "sources" / "report" / "eb-2020-2_item-7.zh.txt"

GAZETTEER = {
    "内罗毕": "city:nairobi",
    "马德里": "city:madrid",
    "墨西哥": "country:MEX",
    "南非": "country:ZAF",
    "肯尼亚": "country:KEN",
    "肯尼亚Groots": "org:groots-kenya",
    "尼日利亚": "country:NGA",
    "尼日尔": "country:NER",
    "尼日尔州": "region:NG-NI",
    "几内亚": "country:GIN",
    "喀麦隆": "country:CMR",
    "德国": "country:DEU",
    "柏林": "city:berlin",
    "联合国毒品和犯罪问题办公室": "org:unodc",
    "联合国": "org:un",
}


def test_mentions_in_paragraphs_of_the_report() -> None:
    report = read_report(CHINESE_REPORT)
    assert find_mentions(report.paragraph(2).text, GAZETTEER) == ["city:nairobi", "org:un"]
    assert find_mentions(report.paragraph(5).text, GAZETTEER) == [
        "city:madrid",
        "country:MEX",
        "country:ZAF",
    ]
    # The longest form wins: the Office, not "联合国" inside its name.
    assert find_mentions(report.paragraph(6).text, GAZETTEER) == ["org:unodc", "org:un"]
    # "肯尼亚 Groots" is written with a space; the organization wins over the country.
    assert find_mentions(report.paragraph(26).text, GAZETTEER) == [
        "org:un",
        "org:groots-kenya",
        "city:berlin",  # first inside 柏林工业大学, which this gazetteer does not know
        "country:DEU",
    ]
    # Niger State, not the country Niger, inside "尼日利亚尼日尔州".
    assert find_mentions(report.paragraph(27).text, GAZETTEER) == [
        "org:un",
        "country:CMR",
        "country:GIN",
        "country:NGA",
        "region:NG-NI",
    ]


def test_spans_are_positions_in_the_text_as_written() -> None:
    text = "与肯尼亚 Groots 和内罗毕合作"
    spans = find_mention_spans(text, GAZETTEER)
    assert [(m.text, m.entity) for m in spans] == [
        ("肯尼亚 Groots", "org:groots-kenya"),
        ("内罗毕", "city:nairobi"),
    ]
    assert all(text[m.start : m.end] == m.text for m in spans)


ENGLISH = {
    "Mexico": "country:MEX",
    "Mexico City": "city:mexico-city",
    "Niger": "country:NER",
    "UNODC": "org:unodc",
    "United Nations Office on Drugs and Crime": "org:unodc",
    "the Bureau": "org:bureau",
}


def test_english_word_boundaries_and_case() -> None:
    text = (
        "In Mexico City, Mexico and Nigeria; UNODC (the United Nations Office on\nDrugs and Crime)."
    )
    assert [(m.text, m.entity) for m in find_mention_spans(text, ENGLISH)] == [
        ("Mexico City", "city:mexico-city"),
        ("Mexico", "country:MEX"),
        ("UNODC", "org:unodc"),
        ("United Nations Office on\nDrugs and Crime", "org:unodc"),
    ]
    assert find_mentions("unodc and niger", ENGLISH) == []
    # A lower-case form also matches capitalised at the start of a sentence.
    assert find_mentions("The Bureau met; the Bureau agreed.", ENGLISH) == ["org:bureau"]
    assert len(find_mention_spans("The Bureau met; the Bureau agreed.", ENGLISH)) == 2


def test_no_forms_no_mentions() -> None:
    assert find_mentions("内罗毕", {}) == []


@pytest.mark.alone
def test_a_thousand_forms_over_a_hundred_paragraphs_is_fast() -> None:
    forms = {f"实体名称{i}号机构": f"e{i}" for i in range(500)}
    forms |= {f"Entity Number {i} Office": f"x{i}" for i in range(500)}
    paragraphs = [p.text for p in read_report(CHINESE_REPORT).paragraphs] * 4
    paragraphs.append("由实体名称7号机构和 Entity Number 12 Office 合作")
    started = time.perf_counter()
    found = [find_mentions(text, forms) for text in paragraphs]
    assert time.perf_counter() - started < 2.0
    assert found[-1] == ["e7", "x12"]
