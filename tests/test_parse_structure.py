"""The parser reads the structure of a report: header, sections, paragraphs, footnotes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from habitat_kg.errors import SourceError
from habitat_kg.graph.parse import (
    HeaderLine,
    ReportText,
    detect_language,
    header_report_id,
    read_report,
)
from habitat_kg.graph.parse.numerals import chinese_numeral, roman_numeral, to_chinese

REPO = Path(__file__).resolve().parents[1]
CHINESE_REPORT = REPO / "graph" / "sources" / "report" / "eb-2020-2_item-7.zh.txt"
DATA = Path(__file__).resolve().parent / "data" / "reports"
ENGLISH_REPORT = DATA / "english-report.en.txt"


@pytest.fixture(scope="module")
def zh() -> ReportText:
    return read_report(CHINESE_REPORT)


@pytest.fixture(scope="module")
def en() -> ReportText:
    return read_report(ENGLISH_REPORT)


# --- the Chinese report ----------------------------------------------------------------------


def test_language_and_checksum(zh: ReportText) -> None:
    assert zh.language == "zh"
    assert zh.sha256 == hashlib.sha256(CHINESE_REPORT.read_bytes()).hexdigest()


def test_header(zh: ReportText) -> None:
    header = zh.header
    assert header.governing_body == HeaderLine("联合国人类住区规划署执行局", 5, (5,))
    assert header.session == HeaderLine("2020年第二次会议", 6, (6,))
    assert header.date_place == HeaderLine("2020年10月27日至29日，在线", 7, (7,))
    assert header.agenda == HeaderLine("临时议程*项目7", 8, (8,))
    assert (header.agenda_item, header.agenda_marker) == ("7", "*")
    assert header.agenda_title == HeaderLine(
        "人居大会第一届会议所通过决议和决定的执行情况", 9, (9, 10)
    )
    assert header.title is not None and header.title.line == 12
    assert header.title.text.endswith("所通过决议和决定的执行进展情况")
    assert header.byline == HeaderLine("执行主任的报告", 14, (14,))
    assert header.place == "在线"
    assert (header.organ, header.session_year, header.session_number) == ("eb", 2020, 2)
    assert zh.year == 2020
    assert header_report_id(header) == "eb-2020-2/item-7"


def test_sections(zh: ReportText) -> None:
    assert [(s.number, s.line) for s in zh.sections] == [
        (1, 16),
        (2, 26),
        (3, 37),
        (4, 55),
        (5, 69),
        (6, 79),
    ]
    assert zh.section(1).title == "引言"
    assert zh.section(1).heading == "一、 引言"
    assert zh.section(6).title == "关于向联合国人类住区规划署新治理结构过渡的安排的 第 1/3 号决定"


def test_thirty_paragraphs_in_their_sections(zh: ReportText) -> None:
    assert [p.number for p in zh.paragraphs] == list(range(1, 31))
    by_section = {
        s.number: [p.number for p in zh.paragraphs if p.section == s.number] for s in zh.sections
    }
    assert by_section == {
        1: [1],
        2: [2, 3, 4, 5, 6],
        3: list(range(7, 19)),
        4: list(range(19, 25)),
        5: [25, 26, 27],
        6: [28, 29, 30],
    }
    assert zh.paragraph(5).line == 34
    assert zh.paragraph(30).line == 91


def test_paragraph_text_is_kept_as_written(zh: ReportText) -> None:
    assert zh.paragraph(3).text.startswith("鉴于 2021-2023 年期间全球一级审查进程")
    assert zh.paragraph(3).text.endswith("聘用一名工作人员到 2020 年底。")


def test_paragraph_18_continues_after_the_page_break(zh: ReportText) -> None:
    paragraph = zh.paragraph(18)
    assert paragraph.lines == (51, 53)
    assert paragraph.text == (
        "冠状病毒病大流行清楚地表明，需要利用数字电子学习方法，以创新的方式实现能力发展。"
        "面对重新开发现有工具和服务并开发新工具和服务的需要，"
        "人居署要在更大的压力下实现会员国、其他伙伴和人居署内部对能力发展的期望。"
    )


def test_paragraph_26_continues_after_the_page_break(zh: ReportText) -> None:
    paragraph = zh.paragraph(26)
    assert paragraph.lines == (73, 75)
    assert "为城乡大会做出贡献；这是一项城乡联系活动" in paragraph.text
    assert paragraph.text.endswith("共同举办三场关于城乡联系工作的会议。")


def test_subparagraphs(zh: ReportText) -> None:
    with_children = {
        p.number: [s.label for s in p.subparagraphs] for p in zh.paragraphs if p.subparagraphs
    }
    assert with_children == {1: ["a", "b", "c", "d", "e"], 28: ["a", "b", "c"]}
    first = zh.paragraph(1).subparagraphs[0]
    assert (first.paragraph, first.line) == (1, 20)
    assert first.text == "关于联合国全系统更安全城市和人类住区准则的第1/2号决议；"
    assert zh.paragraph(28).subparagraphs[2].line == 87
    assert zh.paragraph(1).text.endswith("执行情况，即：")


def test_footnote_annotates_the_agenda_line(zh: ReportText) -> None:
    (note,) = zh.footnotes
    assert (note.number, note.marker, note.text, note.line) == (1, "*", "HSP/EB.2020/19。", 30)
    assert note.carrier_line == 8
    assert zh.passage_at(note.carrier_line) == zh.header.agenda


def test_passages_come_in_source_order(zh: ReportText) -> None:
    lines = [passage.line for passage in zh.passages()]
    assert lines == sorted(lines)
    assert len(lines) == 7 + 6 + 30 + 8 + 1


# --- the English test report -------------------------------------------------------------------


def test_english_header(en: ReportText) -> None:
    header = en.header
    assert en.language == "en"
    assert header.session is not None and header.session.text == "Second session of 2021"
    assert header.place == "Nairobi"
    assert (header.agenda_item, header.agenda_marker) == ("5", "*")
    assert header.title is not None and header.title.text.startswith(
        "Progress in the implementation"
    )
    assert header.byline is not None and header.byline.text == "Report of the Executive Director"
    assert header_report_id(header) == "eb-2021-2/item-5"


def test_english_body(en: ReportText) -> None:
    assert [(s.number, s.title.split(" ")[0]) for s in en.sections] == [
        (1, "Introduction"),
        (2, "Resolution"),
        (3, "Decision"),
    ]
    assert [(p.number, p.section) for p in en.paragraphs] == [
        (1, 1),
        (2, 2),
        (3, 2),
        (4, 3),
        (5, 3),
        (6, 3),
    ]
    assert [s.label for s in en.paragraph(1).subparagraphs] == ["a", "b"]
    # English continuation lines are joined with one space.
    assert en.paragraph(3).lines == (21, 23)
    assert en.paragraph(3).text.endswith("additional resources for Member States and partners.")
    (note,) = en.footnotes
    assert (note.marker, note.text, note.carrier_line) == ("*", "HSP/EB.2021/1.", 4)


def test_numbered_footnotes_in_english(tmp_path: Path) -> None:
    path = tmp_path / "notes.en.txt"
    path.write_text(
        "I. Introduction\n\n1. The Board met in Nairobi.1 It adopted a decision.\n"
        "1 See HSP/EB.2021/2.\n2. The Bureau met again.\n",
        encoding="utf-8",
    )
    report = read_report(path)
    (note,) = report.footnotes
    assert (note.marker, note.text, note.carrier_line) == ("1", "See HSP/EB.2021/2.", 3)
    assert report.paragraph(1).text == "The Board met in Nairobi.1 It adopted a decision."


def test_language_detection() -> None:
    assert detect_language("执行局注意到 HSP/EB.2020/19 和 COVID-19") == "zh"
    assert (
        detect_language("The Executive Board of UN-Habitat (联合国人居署) met in Nairobi.") == "en"
    )


# --- numerals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23)]
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_numeral(numeral) == value
    assert to_chinese(value) == numeral


@pytest.mark.parametrize("bad", ["", "十十", "一二", "abc"])
def test_bad_chinese_numerals(bad: str) -> None:
    with pytest.raises(ValueError):
        chinese_numeral(bad)


def test_roman_numerals() -> None:
    assert [roman_numeral(n) for n in ("I", "IV", "IX", "XIV", "XX")] == [1, 4, 9, 14, 20]
    with pytest.raises(ValueError):
        roman_numeral("IIII")


# --- inputs the parser refuses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("not-utf8.txt", 7, "not UTF-8: byte 0xe9 at byte offset 147"),
        ("empty.txt", None, "the file is empty"),
        ("no-paragraphs.txt", None, "no numbered paragraphs found"),
        ("paragraph-gap.txt", 10, "paragraph numbering jumps from 2 to 4"),
    ],
)
def test_bad_inputs_name_file_line_and_problem(name: str, line: int | None, problem: str) -> None:
    with pytest.raises(SourceError) as caught:
        read_report(DATA / name)
    error = caught.value
    assert (error.path, error.line) == (DATA / name, line)
    assert problem in error.problem
    prefix = f"{DATA / name}:{line}: " if line else f"{DATA / name}: "
    assert str(error).startswith(prefix)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("   \n\t\n", None, "only whitespace"),
        ("I. A\n\n1. One.\n2. Two.\n2. Two again.\n", 5, "paragraph 2 repeats"),
        ("I. A\n\n2. Two.\n", 3, "the first paragraph is numbered 2"),
        ("I. A\n1. One.\nIII. C\n2. Two.\n", 3, "section numbering jumps from 1 to 3"),
        ("I. A\n(a) Orphan.\n1. One.\n", 2, "sub-paragraph (a) follows no paragraph"),
        ("I. A\n1. One:\n(a) x;\n(a) y.\n", 4, "sub-paragraph (a) of paragraph 1 repeats"),
    ],
)
def test_structural_faults(tmp_path: Path, text: str, line: int | None, problem: str) -> None:
    path = tmp_path / "faulty.en.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_report(path)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert problem in caught.value.problem


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_report(tmp_path / "absent.txt")
    with pytest.raises(SourceError, match="is a directory"):
        read_report(tmp_path)


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.en.txt"
    path.write_bytes("\ufeffI. Introduction\n1. Text.\n".encode())
    assert read_report(path).paragraph(1).text == "Text."
