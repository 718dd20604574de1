"""Figures with what they count, in English and Chinese, and read from how a report counts the
acts it covers: "X项决议中的Y项" (Y of the X resolutions adopted)."""

from __future__ import annotations

from pathlib import Path

from extract_reports import chinese, english, of
from rdflib import Literal
from rdflib.namespace import XSD
from report_fronts import front_page

from habitat_kg.graph.extract import EntityMatch, propose
from habitat_kg.graph.parse import read_report
from habitat_kg.namespaces import HKG, ID

HEAD = (
    front_page("zh", "HSP/EB.2030/4", "2030年第一次会议", "2030年3月5日至7日", 5) + "一、引言\n\n"
)


class NothingKnown:
    def recognise(self, text: str, language: str) -> list[EntityMatch]:
        return []


def test_part_of_the_resolutions_adopted(tmp_path: Path) -> None:
    path = tmp_path / "report.zh.txt"
    text = "本报告概述了人居大会第一届会议通过的五项决议中的四项以及一项决定的执行情况。"
    path.write_text(f"{HEAD}1. {text}\n", encoding="utf-8")
    proposals = propose(read_report(path), "eb-2030-1/item-5", NothingKnown())
    figures = {(p.predicate, p.object.toPython()) for p in proposals if p.kind == "figure"}
    assert figures == {
        (HKG.numberOfResolutionsAdopted, 5),
        (HKG.numberOfResolutionsReported, 4),
        (HKG.numberOfDecisionsReported, 1),
    }
    four = next(p for p in proposals if p.object == Literal(4, datatype=XSD.integer))
    assert four.span is not None and text[slice(*four.span)] == "四项"


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def test_figures_with_what_they_count(tmp_path: Path) -> None:
    proposals = english(
        tmp_path,
        "Some 35 participants from 9 francophone countries attended; Thirty-one experts reviewed "
        "27 national urban data sets in six cities.",
    )
    figures = of(proposals, 2, "figure")
    assert (HKG.numberOfParticipants, _integer(35)) in figures
    assert (HKG.numberOfCountries, _integer(9)) in figures
    assert (HKG.numberOfParticipants, _integer(31)) in figures
    assert (HKG.numberOfCities, _integer(6)) in figures
    assert (HKG.figureValue, _integer(27)) in figures
    noun = next(p.object for p in proposals if p.predicate == HKG.countedNoun)
    assert noun == Literal("national urban data sets", lang="en")
    # The report counts what it covers: the figure is the report's.
    counts = [p for p in proposals if p.predicate == HKG.numberOfResolutionsReported]
    assert [p.object for p in counts] == [_integer(2)]
    assert counts[0].subject == ID["report/eb-2022-1/item-6"]


def test_chinese_figures(tmp_path: Path) -> None:
    proposals = chinese(
        tmp_path,
        "有来自8个西非国家的42名学员参加。工作组已举行两次会议，在两个低收入社区试行。",
        "审查了 34 份项目文件和 11 份概念说明，允许聘用一名工作人员，举办了一系列会议。",
    )
    assert of(proposals, 2, "figure") == {
        (HKG.numberOfCountries, _integer(8)),
        (HKG.numberOfParticipants, _integer(42)),
        (HKG.numberOfMeetings, _integer(2)),
        (HKG.figureValue, _integer(2)),
    }
    assert of(proposals, 3, "figure") == {
        (HKG.numberOfProjectDocumentsReviewed, _integer(34)),
        (HKG.numberOfConceptNotesReviewed, _integer(11)),
        (HKG.numberOfStaff, _integer(1)),
    }
