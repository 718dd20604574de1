"""Document symbols and references to resolutions and decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitat_kg.graph.parse import find_references, find_symbols, organ_of, read_report

REPO = Path(__file__).resolve().parents[1]
CHINESE_REPORT = REPO / "graph" / "sources" / "report" / "eb-2020-2_item-7.zh.txt"


def test_symbols_of_the_report() -> None:
    report = read_report(CHINESE_REPORT)
    by_passage = {
        passage.line: find_symbols(passage.text)
        for passage in report.passages()
        if find_symbols(passage.text)
    }
    assert by_passage == {
        28: ["HSP/EB.2020/13/Add.2"],
        30: ["HSP/EB.2020/19"],
        39: ["HSP/EB.2020/13/Add.1"],
    }


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("（HSP/EB.2020/13/Add.2）所作的介绍", ["HSP/EB.2020/13/Add.2"]),
        ("* HSP/EB.2021/1.", ["HSP/EB.2021/1"]),
        (
            "HSP/HA.1/Res.2, A/RES/70/1 and E/2020/10;",
            ["HSP/HA.1/Res.2", "A/RES/70/1", "E/2020/10"],
        ),
        ("see E/CN.6/2020/3 and E/CN.6/2020/3 again", ["E/CN.6/2020/3"]),
        ("发生严重干旱和/或荒漠化", []),
        ("and/or N/A 2019/3 1/2 COVID-19 UN-Habitat", []),
    ],
)
def test_symbols(text: str, symbols: list[str]) -> None:
    assert find_symbols(text) == symbols


def _acts(text: str) -> list[tuple[str, str, str]]:
    return [(r.kind, r.number, r.organ) for r in find_references(text)]


def test_references_per_paragraph() -> None:
    report = read_report(CHINESE_REPORT)
    found = {p.number: _acts(p.text) for p in report.paragraphs if _acts(p.text)}
    assert found == {
        6: [("resolution", "1/2", "ha")],
        19: [("resolution", "1/4", "ha")],
        28: [("decision", "2019/3", "eb")],
    }
    # Paragraph 1's sub-paragraphs list what the report covers; sections II-VI take one each.
    covered = [("resolution", f"1/{n}", "ha") for n in (2, 3, 4, 5)] + [("decision", "1/3", "ha")]
    children = [_acts(s.text) for s in report.paragraph(1).subparagraphs]
    assert children == [[act] for act in covered]
    headings = [_acts(s.title) for s in report.sections]
    assert headings == [[], *([act] for act in covered)]


@pytest.mark.parametrize(
    ("text", "acts"),
    [
        ("第1/2号决议", [("resolution", "1/2", "ha")]),
        ("第 1/2 号决议", [("resolution", "1/2", "ha")]),
        ("第1/3号决定", [("decision", "1/3", "ha")]),
        ("第 2019/3 号决定", [("decision", "2019/3", "eb")]),
        ("第1/2号、第1/3号决议", [("resolution", "1/2", "ha"), ("resolution", "1/3", "ha")]),
        ("resolution 1/2", [("resolution", "1/2", "ha")]),
        ("Resolution 1/2 on safer cities", [("resolution", "1/2", "ha")]),
        ("decision 2019/3", [("decision", "2019/3", "eb")]),
        ("resolutions 1/2 and 1/3", [("resolution", "1/2", "ha"), ("resolution", "1/3", "ha")]),
        (
            "decisions 1/1, 1/2 and 2019/3",
            [("decision", "1/1", "ha"), ("decision", "1/2", "ha"), ("decision", "2019/3", "eb")],
        ),
        # Other bodies' numbering is not guessed at.
        ("General Assembly resolution 70/1", []),
        ("the 1/2 majority", []),
    ],
)
def test_references(text: str, acts: list[tuple[str, str, str]]) -> None:
    assert _acts(text) == acts


def test_reference_keeps_its_phrase_and_position() -> None:
    (first, second) = find_references("依照第1/2号、第1/3号决议")
    assert first.text == second.text == "第1/2号、第1/3号决议"
    assert (first.offset, second.offset) == (3, 9)


@pytest.mark.parametrize(("number", "organ"), [("1/2", "ha"), ("2019/3", "eb"), ("70/1", None)])
def test_organ_heuristic(number: str, organ: str | None) -> None:
    assert organ_of(number) == organ
