"""Reading resolutions and decisions (graph/resolution/structure.py): the UN's form in both
languages, source lines, and a clear error for a file that is not one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from habitat_kg.errors import SourceError
from habitat_kg.graph.resolution import read_resolution

CORPUS = Path(__file__).parent / "data" / "corpus"
# The held-out text is read only by the final measurement, never by tests that tune rules.
TUNING = ["resolution_ha-3-4.en.txt", "decision_eb-2024-1.en.txt", "resolution_ha-3-9.zh.txt"]

ZH_DECISION = """[测试用文本——非联合国文件]
HSP/EB.2025/3
联合国人类住区规划署执行局
2025年第一次会议
2025年3月31日至4月2日，内罗毕

第2025/2号决定：战略计划的执行情况

执行局，

回顾人居大会第2/1号决议，
注意到执行主任的报告，

1. 注意到执行主任关于战略计划执行情况的报告；
2. 请执行主任在现有资源范围内编写执行情况评估，
并提交执行局2025年第二次会议；
(a) 评估范围应包括各区域办事处；
"""


def gold(name: str) -> dict:
    path = CORPUS / name.replace(".txt", ".gold.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", TUNING)
def test_reads_the_corpus_text_as_its_gold_file_describes_it(name: str) -> None:
    text = read_resolution(CORPUS / name)
    expected = gold(name)
    assert text.kind == expected["kind"]
    assert text.language == expected["language"]
    assert text.identifier == expected["id"]
    assert text.number == expected["number"]
    assert text.symbol == expected["symbol"]
    assert text.title == expected["title"]
    assert text.session == expected["session"]
    assert {"ha": "UN-Habitat Assembly", "eb": "Executive Board"}[text.organ] == expected["organ"]
    assert len(text.preamble) == expected["preambular"]
    assert [p.key for p in text.passages()] == list(expected["operative"])


def test_every_part_keeps_its_source_line() -> None:
    path = CORPUS / "resolution_ha-3-4.en.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    text = read_resolution(path)
    assert lines[text.title_line - 1].startswith("Resolution 3/4:")
    assert lines[text.preamble[0].line - 1].startswith("Recalling its resolution 2/2")
    for passage in text.passages():
        source = lines[passage.line - 1]
        assert source.startswith(f"({passage.label})" if passage.label else f"{passage.number}.")
        assert passage.text in source
    second = text.operative[1]
    assert [s.eid for s in second.subparagraphs] == ["para_2__subpara_a", "para_2__subpara_b"]
    assert second.subparagraphs[0].path == "op/2/a"
    assert text.operative[3].eid == "para_4"


def test_a_chinese_decision_with_a_continued_line(tmp_path: Path) -> None:
    path = tmp_path / "decision.zh.txt"
    path.write_text(ZH_DECISION, encoding="utf-8")
    text = read_resolution(path)
    assert (text.kind, text.number, text.organ, text.session) == (
        "decision",
        "2025/2",
        "eb",
        "2025/1",
    )
    assert text.identifier == "eb-2025-2"
    assert len(text.preamble) == 2
    second = text.operative[1]
    # A line cut in two is one paragraph, joined without a space in Chinese.
    assert second.text.endswith("评估，并提交执行局2025年第二次会议；")
    assert second.lines == (15, 16)
    assert second.subparagraphs[0].key == "2(a)"


def write(tmp_path: Path, text: str, name: str = "text.en.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ENGLISH_HEAD = "HSP/HA.3/Res.1\nUnited Nations Habitat Assembly\nThird session\n\n"


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("The Assembly,\n\nRecalling its resolutions,\n", None, "no a title such as"),
        (
            "Resolution 3/1: A title\n\nThe Assembly,\nRecalling things,\n",
            5,
            "no numbered operative",
        ),
        (
            "1. Requests the Executive Director to act;\n",
            5,
            "a numbered paragraph before a title such as",
        ),
        (
            "Resolution 3/1: T\n1. Requests X;\n3. Invites Y;\n",
            7,
            "paragraph 3 where 2 was expected",
        ),
        (
            "Resolution 3/1: T\n1. Requests X:\n(a) To do;\n(a) To do again;\n",
            8,
            "(a) of paragraph 1 repeats",
        ),
    ],
    ids=[
        "no title",
        "no operative part",
        "paragraph before title",
        "numbering jump",
        "repeated sub",
    ],
)
def test_a_file_that_is_not_a_resolution_is_a_clear_error(
    tmp_path: Path, body: str, line: int | None, words: str
) -> None:
    path = write(tmp_path, ENGLISH_HEAD + body)
    with pytest.raises(SourceError) as raised:
        read_resolution(path)
    assert raised.value.path == path
    assert raised.value.line == line
    assert words in raised.value.problem
    assert str(raised.value).startswith(str(path))


def test_a_progress_report_is_not_a_resolution() -> None:
    path = CORPUS / "eb-2022-1_item-6.en.txt"
    with pytest.raises(SourceError, match="not a resolution or decision") as raised:
        read_resolution(path)
    assert raised.value.path == path


def test_bad_files_are_named(tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"Resolution 3/1: T\n\xff\xfe1. Requests\n")
    with pytest.raises(SourceError, match="not UTF-8") as raised:
        read_resolution(binary)
    assert raised.value.line == 2
    with pytest.raises(SourceError, match="empty"):
        read_resolution(write(tmp_path, "  \n\n", "blank.txt"))
    with pytest.raises(SourceError, match="directory"):
        read_resolution(tmp_path)
    with pytest.raises(SourceError, match="cannot be read"):
        read_resolution(tmp_path / "missing.txt")


def test_organ_from_the_opening_line_when_the_header_names_none(tmp_path: Path) -> None:
    path = write(tmp_path, "Decision 2024/3: T\n\nThe Executive Board,\n\n1. Requests X to act;\n")
    text = read_resolution(path)
    assert (text.organ, text.session, text.preamble) == ("eb", None, ())
