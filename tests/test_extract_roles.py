"""Roles and links the bundled report's curated file gives and the wording supports: the Board
that takes note and the post that presents at a session, a document submitted to a body, a
country working with UN-Habitat, a body's own meeting, a board member, and the unit another
is placed in (no responsible unit). Read with the real gazetteer, without the bundled
report's curated file."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from report_fronts import front_page

from habitat_kg.graph.extract import Proposal, propose
from habitat_kg.graph.gazetteer import Gazetteer, load_gazetteer
from habitat_kg.graph.parse import read_report
from habitat_kg.namespaces import HKG, ID, PROV, ROLE, country

SOURCES = Path(__file__).resolve().parents[1] / "graph" / "sources"
BUNDLED_CURATED = SOURCES / "curated" / "eb-2020-2-item-7.trig"
BOARD = ID["org/executive-board"]
BUREAU = ID["org/executive-board-bureau"]
DIRECTOR = ID["post/executive-director"]
PRESIDENT = ID["post/president-of-the-executive-board"]
BRANCH = ID["org/programme-development-branch"]

ZH_HEAD = (
    front_page("zh", "HSP/EB.2030/4", "2030年第一次会议", "2030年3月5日至7日", 5)
    + "一、关于城市规划的第9/2号决议\n\n"
)
EN_HEAD = (
    front_page("en", "HSP/EB.2030/4", "First session of 2030", "5–7 March 2030", 5)
    + "I. Resolution 9/2 on urban planning\n\n"
)


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    cache = tmp_path_factory.mktemp("gazetteer-cache")
    return load_gazetteer(SOURCES, exclude_curated=[BUNDLED_CURATED], cache_dir=cache)


def proposed(tmp_path: Path, gazetteer: Gazetteer, text: str, language: str) -> list[Proposal]:
    path = tmp_path / f"report.{language}.txt"
    head = ZH_HEAD if language == "zh" else EN_HEAD
    path.write_text(f"{head}1. {text}\n", encoding="utf-8")
    return [p for p in propose(read_report(path), "eb-2030-1/item-5", gazetteer)]


def roles(proposals: list[Proposal]) -> set[tuple[URIRef, URIRef]]:
    """(agent, role or shortcut property) of every partner proposal."""
    said = {p.subject: p.object for p in proposals if p.predicate == PROV.hadRole}
    found = set()
    for p in proposals:
        if p.kind != "partner":
            continue
        found.add(
            (p.object, said[p.subject]) if p.predicate == PROV.agent else (p.object, p.predicate)
        )
    return found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "在2030年1月10日举行的会议上，执行局注意到执行主任就城市规划准则所作的介绍。"),
        (
            "en",
            "At its meeting on 10 January 2030, the Executive Board took note of the guidelines"
            " presented by the Executive Director.",
        ),
    ],
)
def test_the_board_takes_note_of_what_the_director_presents(
    tmp_path: Path, gazetteer: Gazetteer, language: str, text: str
) -> None:
    found = roles(proposed(tmp_path, gazetteer, text, language))
    assert found == {(BOARD, HKG.participant), (DIRECTOR, ROLE.presenter)}


def test_the_president_presents_and_the_board_alone_is_no_partner(
    tmp_path: Path, gazetteer: Gazetteer
) -> None:
    text = "在2030年1月10日的执行局会议上，执行局主席介绍了工作组工作的最新情况。"
    assert roles(proposed(tmp_path, gazetteer, text, "zh")) == {(PRESIDENT, ROLE.presenter)}


@pytest.mark.parametrize(
    ("language", "text", "body"),
    [
        ("zh", "战略草案已于2030年2月4日提交执行局方案、预算和行政事项特设工作组。", None),
        ("en", "The draft strategy was submitted to the Bureau of the Executive Board.", BUREAU),
    ],
)
def test_a_body_a_document_is_submitted_to_takes_part(
    tmp_path: Path, gazetteer: Gazetteer, language: str, text: str, body: URIRef | None
) -> None:
    [(agent, role)] = roles(proposed(tmp_path, gazetteer, text, language))
    assert role == HKG.participant
    assert body is None or agent == body


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "战略草案将提交执行局下次会议审议。"),
        ("en", "The draft strategy will be submitted to the Executive Board at its next session."),
    ],
)
def test_the_board_a_document_is_submitted_to_is_no_partner(
    tmp_path: Path, gazetteer: Gazetteer, language: str, text: str
) -> None:
    assert roles(proposed(tmp_path, gazetteer, text, language)) == set()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "墨西哥和南非已开始与人居署接触，审查试点城市的现行市政政策。"),
        ("en", "Mexico and South Africa have begun working with UN-Habitat to review policies."),
    ],
)
def test_countries_working_with_un_habitat_are_partners(
    tmp_path: Path, gazetteer: Gazetteer, language: str, text: str
) -> None:
    found = roles(proposed(tmp_path, gazetteer, text, language))
    assert found == {(country("MEX"), HKG.partner), (country("ZAF"), HKG.partner)}


def test_a_country_only_named_is_no_partner(tmp_path: Path, gazetteer: Gazetteer) -> None:
    text = "人居署将在墨西哥和南非审查试点城市的现行市政政策。"
    assert roles(proposed(tmp_path, gazetteer, text, "zh")) == set()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "2030年8月10日举行的执行局主席团会议指出，将安排新的主席。"),
        ("en", "The meeting of the Bureau of the Executive Board on 10 August 2030 noted it."),
    ],
)
def test_a_bureau_meeting_is_the_bureau_taking_part(
    tmp_path: Path, gazetteer: Gazetteer, language: str, text: str
) -> None:
    assert roles(proposed(tmp_path, gazetteer, text, language)) == {(BUREAU, HKG.participant)}


def test_a_board_member(tmp_path: Path, gazetteer: Gazetteer) -> None:
    text = "2030年6月26日，启动了该网络。人居署执行主任是该网络的理事会成员。"
    assert roles(proposed(tmp_path, gazetteer, text, "zh")) == {(DIRECTOR, ROLE["board-member"])}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "在新结构下，能力发展和培训股设在方案发展处。该股正在编写课程。"),
        (
            "en",
            "The Capacity Development and Training Unit sits in the Programme Development"
            " Branch. The Unit is preparing a course.",
        ),
    ],
)
def test_the_unit_another_is_placed_in_is_not_responsible(
    tmp_path: Path, gazetteer: Gazetteer, language: str, text: str
) -> None:
    units = {p.object for p in proposed(tmp_path, gazetteer, text, language) if p.kind == "unit"}
    assert units == {ID["org/capacity-development-and-training-unit"]}
