"""A report's header gives its id in both languages, whatever document lines precede the organ;
where it cannot, ``header_problem`` names the line it could not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitat_kg.graph.parse import Header, header_problem, header_report_id, read_report

BODY_EN = "\nI. Introduction\n\n1. The present report outlines progress.\n"
BODY_ZH = "\n一、引言\n\n1. 本报告概述了执行情况。\n"


def header_of(tmp_path: Path, lines: list[str], language: str = "en") -> Header:
    path = tmp_path / f"report.{language}.txt"
    body = BODY_ZH if language == "zh" else BODY_EN
    path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
    return read_report(path).header


def test_marker_and_symbol_lines_before_the_organ(tmp_path: Path) -> None:
    header = header_of(
        tmp_path,
        [
            "[TEXT WRITTEN FOR TESTING - not a UN document]",
            "HSP/EB.2022/5",
            "Executive Board of the United Nations Human Settlements Programme",
            "First session of 2022",
            "Nairobi, 29–31 March 2022",
            "Item 6 of the provisional agenda*",
            "Progress in the implementation of resolutions",
        ],
    )
    assert header.governing_body is not None
    assert header.governing_body.text.startswith("Executive Board")
    assert (header.organ, header.symbol, header.place) == ("eb", "HSP/EB.2022/5", "Nairobi")
    assert header_report_id(header) == "eb-2022-1/item-6"
    assert header_problem(header) is None


def test_a_un_document_front_page_in_english(tmp_path: Path) -> None:
    """Symbol, distribution, date of issue and original language come before the organ; the
    date of issue must not be taken for the meeting's dates."""
    header = header_of(
        tmp_path,
        [
            "HSP/EB.2022/5*",
            "Distr.: General",
            "2 February 2022",
            "Original: English",
            "English only",
            "Executive Board of the United Nations Human Settlements Programme",
            "First session of 2022",
            "Nairobi, 29–31 March 2022",
            "Item 5 of the provisional agenda**",
        ],
    )
    assert header.date_place is not None and header.date_place.text.startswith("Nairobi")
    assert (header.place, header.symbol, header.agenda_item) == ("Nairobi", "HSP/EB.2022/5", "5")
    assert header_report_id(header) == "eb-2022-1/item-5"


def test_a_un_document_front_page_in_chinese(tmp_path: Path) -> None:
    header = header_of(
        tmp_path,
        [
            "[测试用文本——非联合国文件]",
            "HSP/EB.2022/14",
            "Distr.: General",
            "2022年8月2日",
            "Chinese",
            "Original: English",
            "联合国人类住区规划署执行局",
            "2022年第二次会议",
            "2022年11月15日至17日，内罗毕",
            "临时议程*项目7",
        ],
        "zh",
    )
    assert header.governing_body is not None
    assert header.governing_body.text == "联合国人类住区规划署执行局"
    assert header.place == "内罗毕"
    assert header_report_id(header) == "eb-2022-2/item-7"


@pytest.mark.parametrize(
    ("lines", "organ", "report_id"),
    [
        (
            [
                "Executive Board of the United Nations Human Settlements Programme",
                "First session",
                "Nairobi, 29–31 March 2022",
                "Item 5 of the provisional agenda",
            ],
            "eb",
            "eb-2022-1/item-5",
        ),
        (
            [
                "HSP/EB.2023/8",
                "Conseil exécutif",
                "Second session of 2023",
                "Nairobi, 14–16 November 2023",
                "Item 4 of the provisional agenda",
            ],
            "eb",
            "eb-2023-2/item-4",
        ),
        (
            [
                "United Nations Habitat Assembly of the United Nations Human Settlements Programme",
                "Second session",
                "Nairobi, 5–9 June 2023",
                "Item 5 of the provisional agenda",
            ],
            "ha",
            "ha-2/item-5",
        ),
    ],
    # A Board session without its year takes the meeting's; the symbol names the organ when no
    # line does; an Assembly session has no year in its id.
    ids=["board-session-without-year", "organ-from-the-symbol", "assembly"],
)
def test_the_id_of_a_header(tmp_path: Path, lines: list[str], organ: str, report_id: str) -> None:
    header = header_of(tmp_path, lines)
    assert (header.organ, header_report_id(header)) == (organ, report_id)


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        (
            [
                "Executive Board of the United Nations Human Settlements Programme",
                "First session of 2022",
                "Nairobi, 29–31 March 2022",
                "Point 6 de l’ordre du jour provisoire",
            ],
            4,
            "'Point 6 de l’ordre du jour provisoire' is not an agenda item line",
        ),
        (
            [
                "Governing Council of the Programme",
                "First session of 2022",
                "Nairobi, 29–31 March 2022",
                "Item 6 of the provisional agenda",
            ],
            1,
            "cannot tell the governing body from 'Governing Council of the Programme'",
        ),
        (
            [
                "[TEXT WRITTEN FOR TESTING - not a UN document]",
                "Executive Board of the United Nations Human Settlements Programme",
                "Spring meeting",
                "Nairobi, 29–31 March 2022",
                "Item 6 of the provisional agenda",
            ],
            3,
            "no session line such as 'Second session of 2022' or '2022年第二次会议' "
            "(found 'Spring meeting')",
        ),
        (
            ["Executive Board", "First session", "Item 6 of the provisional agenda"],
            2,
            "the session line gives no year",
        ),
    ],
    ids=["agenda", "organ", "session", "year"],
)
def test_the_problem_names_the_line_it_could_not_read(
    tmp_path: Path, lines: list[str], line: int, words: str
) -> None:
    header = header_of(tmp_path, lines)
    assert header_report_id(header) is None
    problem = header_problem(header)
    assert problem is not None
    assert problem[0] == line, problem
    assert words in problem[1] and "--id" in problem[1], problem[1]


def test_no_agenda_line_in_chinese_names_the_line_after_the_meeting(tmp_path: Path) -> None:
    header = header_of(
        tmp_path,
        [
            "联合国人类住区规划署执行局",
            "2022年第二次会议",
            "2022年11月15日至17日，内罗毕",
            "议题七",
        ],
        "zh",
    )
    assert header_problem(header) == (
        4,
        "'议题七' is not an agenda item line such as 'Item 5 of the provisional agenda' or "
        "'临时议程项目7'; give the report's id with --id (such as eb-2022-1/item-6)",
    )


def test_the_bundled_report_has_its_id() -> None:
    path = Path(__file__).resolve().parents[1] / "graph/sources/report/eb-2020-2_item-7.zh.txt"
    header = read_report(path).header
    assert header_report_id(header) == "eb-2020-2/item-7"
    assert header_problem(header) is None and header.symbol is None
