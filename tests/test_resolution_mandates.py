"""Operative paragraphs to mandates (graph/resolution/): actions, addressees, clauses, the
mandate rule, and per-field accuracy on the tuning texts of the corpus."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from habitat_kg.graph.resolution import (
    action_labels,
    analyse,
    find_action,
    find_addressees,
    known_addressee,
    read_resolution,
    requesting_actions,
)
from habitat_kg.graph.resolution.clauses import (
    covers_whole_text,
    find_deadline,
    find_end_clause,
    find_reporting,
    find_resources,
)
from habitat_kg.graph.resolution.measure import FIELDS, score_files

CORPUS = Path(__file__).parent / "data" / "corpus"
TUNING = [
    CORPUS / "resolution_ha-3-4.en.txt",
    CORPUS / "decision_eb-2024-1.en.txt",
    CORPUS / "resolution_ha-3-9.zh.txt",
]


@pytest.mark.parametrize(
    ("text", "language", "action", "rest"),
    [
        ("Also requests the Executive Director", "en", "also-requests", "the Executive Director"),
        ("Further requests the Executive Director", "en", "further-requests", "the Executive"),
        ("Requests the Executive Director", "en", "requests", "the Executive Director"),
        ("Takes note with appreciation of the report", "en", "takes-note", "the report"),
        ("Calls upon Member States", "en", "calls-upon", "Member States"),
        ("Strongly encourages Member States", "en", "encourages", "Member States"),
        ("又请执行主任", "zh", "also-requests", "执行主任"),
        ("还请执行主任", "zh", "further-requests", "执行主任"),
        ("又邀请会员国", "zh", "invites", "会员国"),
        ("请执行主任", "zh", "requests", "执行主任"),
        ("赞赏地注意到执行主任的报告", "zh", "takes-note", "执行主任的报告"),
        ("吁请国际金融机构", "zh", "calls-upon", "国际金融机构"),
        ("重申其承诺", "zh", "reaffirms", "其承诺"),
    ],
)
def test_the_opening_verb_longest_first(text: str, language: str, action: str, rest: str) -> None:
    found = find_action(text, language)
    assert found is not None and found.name == action
    assert text[found.end :].startswith(rest)


def test_no_action_where_the_text_does_not_open_with_one() -> None:
    assert find_action("To establish a facility", "en") is None
    assert find_action("Requested by the Board", "en") is None  # not "Requests"
    assert find_action("建立咨询服务", "zh") is None


def test_requesting_actions_and_labels_come_from_the_scheme() -> None:
    assert {"requests", "invites", "urges", "calls-upon"} <= requesting_actions()
    assert not {"welcomes", "takes-note", "endorses", "adopts", "decides"} & requesting_actions()
    assert action_labels("also-requests") == {"en": "also requests", "zh": "又请"}


@pytest.mark.parametrize(
    ("text", "language", "keys", "rest"),
    [
        (
            "the Executive Director, within available resources, to",
            "en",
            ["executive-director"],
            ",",
        ),
        (
            "Member States and local authorities to involve",
            "en",
            ["member-states", "local-authorities"],
            " to",
        ),
        (
            "Member States, development partners and the private sector to",
            "en",
            ["member-states", "development-partners", "private-sector"],
            " to",
        ),
        ("the Global Network of Safer Cities to share", "en", [None], " to share"),
        ("会员国和地方政府保护", "zh", ["member-states", "local-governments"], "保护"),
        ("有能力的会员国向基金会捐款", "zh", ["member-states"], "向"),
        ("全球安全城市网络分享经验", "zh", [None], "分享"),
    ],
)
def test_addressees_after_the_verb(text: str, language: str, keys: list, rest: str) -> None:
    found = find_addressees(text, 0, language)
    assert [a.key for a in found.addressees] == keys
    assert text[found.end :].startswith(rest)


def test_known_addressees_in_either_language() -> None:
    assert known_addressee("执行主任") == known_addressee("Executive Director")
    assert known_addressee("the Executive Board").key == "executive-board"
    assert known_addressee("a committee of experts") is None


@pytest.mark.parametrize(
    ("text", "language", "due"),
    [
        ("to complete the review by 2043;", "en", date(2043, 12, 31)),
        ("to develop, by the end of 2025 and in consultation", "en", date(2025, 12, 31)),
        ("to submit it no later than 30 June 2026", "en", date(2026, 6, 30)),
        ("to host a meeting in 2025", "en", None),
        ("于2043年底前完成审查", "zh", date(2043, 12, 31)),
        ("在2027年年底之前支持", "zh", date(2027, 12, 31)),
        ("于2030年前将数字包容纳入", "zh", date(2030, 12, 31)),
        ("在2025年主办全球论坛", "zh", None),
        ("至迟于2026年底提交", "zh", date(2026, 12, 31)),
        ("到2030年实现", "zh", date(2030, 12, 31)),
        ("2027年12月31日前完成", "zh", date(2027, 12, 31)),
    ],
)
def test_deadline(text: str, language: str, due: date | None) -> None:
    found = find_deadline(text, language)
    assert (found.day if found else None) == due


def test_a_reporting_session_year_is_no_deadline() -> None:
    text = "and to report to the Executive Board at its second session of 2024"
    assert find_deadline(text, "en") is None
    assert find_deadline("并向执行局2025年第二次会议报告", "zh") is None


@pytest.mark.parametrize(
    ("text", "language", "organ", "session"),
    [
        ("to report to the Executive Board at its second session of 2024", "en", "eb", "2024/2"),
        ("to report to the Assembly at its fourth session", "en", "ha", "4"),
        ("to report to the UN-Habitat Assembly at its next session", "en", "ha", "4"),
        ("to report to the Executive Board at its next session", "en", "eb", None),
        ("并向执行局2025年第二次会议报告进展情况", "zh", "eb", "2025/2"),
        ("提交执行局2042年第二次会议", "zh", "eb", "2042/2"),
        ("向人居大会第十届会议提交报告", "zh", "ha", "10"),
        ("在人居大会第四届会议上报告执行情况", "zh", "ha", "4"),
        ("向人居署执行局2026年第一次会议报告", "zh", "eb", "2026/1"),
        ("并向执行局下次会议报告", "zh", "eb", None),
    ],
)
def test_reporting(text: str, language: str, organ: str, session: str | None) -> None:
    found = find_reporting(text, language, "ha", "3")
    assert found is not None and (found.organ, found.session) == (organ, session)


def test_no_reporting_without_a_session() -> None:
    assert (
        find_reporting("before its presentation to the Executive Board", "en", "eb", "2024/1")
        is None
    )
    assert find_reporting("决定在第五届会议上审查本决议", "zh", "ha", "3") is None
    assert find_reporting("在人居大会第四届会议上举办会外活动", "zh", "ha", "3") is None


def test_resources_and_end_clauses_as_written() -> None:
    assert (
        find_resources("Requests X, within available resources, to", "en")
        == "within available resources"
    )
    written = "subject to the availability of extrabudgetary resources"
    assert find_resources(f"Also requests X, {written}:", "en") == written
    assert find_resources("请执行主任在现有资源范围内编写", "zh") == "在现有资源范围内"
    assert find_resources("请执行主任编写", "zh") is None
    assert find_resources("在预算外资源到位的情况下开展", "zh") == "在预算外资源到位的情况下"
    assert find_resources("视预算外资源的情况，", "zh") == "视预算外资源的情况"
    assert find_end_clause("for an initial period of three years, after which", "en")
    assert find_end_clause("初步为期四年，届满后由执行局审查是否延续", "zh") == "初步为期四年"
    assert (
        find_end_clause("to report on the implementation of the present resolution", "en") is None
    )
    assert covers_whole_text("Decides to review the present resolution at its sixth session", "en")
    assert covers_whole_text("决定在第五届会议上审查本决议的执行情况", "zh")
    assert not covers_whole_text("to report on the implementation of the present resolution", "en")


def resolution(tmp_path: Path, operative: str) -> list:
    head = "HSP/HA.4/Res.1\nUnited Nations Habitat Assembly\nFourth session\n\n"
    path = tmp_path / "r.en.txt"
    path.write_text(head + "Resolution 4/1: T\n\nThe Assembly,\n\n" + operative, encoding="utf-8")
    return list(analyse(read_resolution(path)))


def test_what_is_a_mandate(tmp_path: Path) -> None:
    found = resolution(
        tmp_path,
        "1. Welcomes the report;\n"
        "2. Decides to include the item in the provisional agenda of its fifth session;\n"
        "3. Decides that the Executive Director shall convene a forum by 2027;\n"
        "4. Requests the Executive Director:\n"
        "(a) To prepare guidelines;\n"
        "(b) Invites Member States to comment on them;\n"
        "5. Endorses the guidelines;\n",
    )
    mandates = {op.key: op.is_mandate for op in found}
    assert mandates == {
        "1": False,
        "2": False,
        "3": True,
        "4": False,
        "4(a)": True,
        "4(b)": True,
        "5": False,
    }
    by_key = {op.key: op for op in found}
    assert by_key["3"].addressees[0].key == "executive-director"
    assert by_key["3"].deadline == date(2027, 12, 31)
    # A sub-paragraph with its own verb keeps it; one without continues the chapeau.
    assert (by_key["4(a)"].action, by_key["4(a)"].addressees[0].key) == (
        "requests",
        "executive-director",
    )
    assert (by_key["4(b)"].action, by_key["4(b)"].addressees[0].key) == ("invites", "member-states")
    assert by_key["4(a)"].object == "prepare guidelines"


def test_a_clause_for_the_whole_text_covers_every_mandate(tmp_path: Path) -> None:
    found = resolution(
        tmp_path,
        "1. Requests the Executive Director to act;\n"
        "2. Takes note of the report;\n"
        "3. Decides to review the present resolution at its sixth session.\n",
    )
    ends = {op.key: (op.has_end_clause, op.text_end_clause) for op in found}
    assert ends == {"1": (True, "3"), "2": (False, None), "3": (True, "3")}
    without = resolution(tmp_path, "1. Requests the Executive Director to act;\n")
    assert not without[0].has_end_clause


def test_accuracy_on_the_tuning_texts() -> None:
    score = score_files(TUNING)
    assert score.total["action"] == 30
    low = {name: score.accuracy(name) for name in FIELDS if score.accuracy(name) < 0.95}
    assert not low, "\n".join(score.misses)


def test_the_measure_sees_a_wrong_answer(tmp_path: Path) -> None:
    source = CORPUS / "decision_eb-2024-1.en.txt"
    copy = tmp_path / source.name
    copy.write_text(source.read_text(encoding="utf-8").replace("Encourages", "Welcomes"), "utf-8")
    gold = source.with_name("decision_eb-2024-1.en.gold.json")
    (tmp_path / gold.name).write_text(gold.read_text(encoding="utf-8"), encoding="utf-8")
    score = score_files([copy])
    assert score.right["action"] == 4 and score.right["is_mandate"] == 4
    assert any("4 action" in miss for miss in score.misses)
