"""Figures read from how a report counts the acts it covers: "X项决议中的Y项" (Y of the X
resolutions adopted)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD
from report_fronts import front_page

from habitat_kg.graph.extract import EntityMatch, propose
from habitat_kg.graph.parse import read_report
from habitat_kg.namespaces import HKG

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
