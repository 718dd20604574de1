"""What the shapes find on the real graph, recorded in tests/data/validation-findings.txt.

The findings are the report's real gaps (resolution 1/1 adopted with no progress reported,
mandates no unit carries, things planned before the session with no outcome or with no date),
named in the file; a change to the graph or the shapes that alters them fails here.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from habitat_kg.namespaces import BASE
from habitat_kg.server.store import Store
from habitat_kg.shapes import SHAPES
from habitat_kg.shapes.validation import validate_store
from habitat_kg.shapes.validation.report import Report

RECORDED = Path(__file__).parent / "data" / "validation-findings.txt"
SESSION = date(2020, 10, 27)


@pytest.fixture(scope="module")
def report(store: Store) -> Report:
    return validate_store(store, "built graph", SESSION)


def recorded() -> list[str]:
    lines = RECORDED.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def found(report: Report) -> list[str]:
    return sorted(
        "\t".join((f.severity, f.focus.removeprefix(BASE), f.shape.removeprefix(SHAPES)))
        for f in report.findings()
    )


def test_the_findings_are_the_recorded_ones(report: Report) -> None:
    now, then = found(report), recorded()
    assert {
        "found now, not recorded": sorted(set(now) - set(then)),
        "recorded, not found now": sorted(set(then) - set(now)),
    } == {"found now, not recorded": [], "recorded, not found now": []}
    assert now == then


def test_the_real_gaps_of_the_report_are_found(report: Report) -> None:
    """What an analyst must hear before the session, whatever else changes."""
    things = {(f.focus.removeprefix(BASE), f.shape.removeprefix(SHAPES)) for f in report.findings()}
    # The Assembly adopted five resolutions; the report covers four: 1/1 has no progress.
    assert ("id/resolution/ha-1-1", "AssemblyOutcomeReportedShape") in things
    assert ("id/resolution/ha-1-1", "AssemblyOutcomeActivityShape") in things
    # The report never names the unit for the work on resolutions 1/2 and 1/5.
    assert ("id/mandate/ha-1-2-review-process", "Mandate-unit") in things
    assert ("id/mandate/ha-1-5-urban-rural-linkages", "Mandate-unit") in things
    # Planned with no date: the online survey of Member States (para. 4).
    assert (
        "id/activity/eb-2020-2-item-7/p04-member-state-survey",
        "PlannedWithoutDateShape",
    ) in things
    # Planned before the session, no outcome: the national workshop in Cameroon (August 2020).
    assert (
        "id/activity/eb-2020-2-item-7/p27-cameroon-national-workshop",
        "PlannedBeforeSessionShape",
    ) in things
    assert report.counts["Violation"] == 0


def test_the_report_names_things_by_their_labels(report: Report) -> None:
    groups = {g.node.removeprefix(BASE): g for g in report.groups}
    resolution = groups["id/resolution/ha-1-1"]
    assert (resolution.label_en, resolution.label_zh) == ("Resolution 1/1", "第1/1号决议")


def test_validation_takes_seconds(store: Store) -> None:
    started = time.perf_counter()
    validate_store(store, "built graph", SESSION)
    assert time.perf_counter() - started < 15
