"""Mandate statuses proposed from a report: citations, wording, evidence, measured against the
gold of the report on mandates (a tuning file), and reviewed like any other statement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from habitat_kg.graph.mandates import (
    acts_of_resolution,
    find_citations,
    mandate_findings,
    passage_wording,
    propose_mandate_statuses,
)
from habitat_kg.graph.parse import read_report
from habitat_kg.graph.resolution import read_resolution
from habitat_kg.graph.review import Review, merge
from habitat_kg.namespaces import HKG, ID, MANDATE_STATUS, mandate_status, paragraph, report

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
REPORT = CORPUS / "eb-2024-2_item-5.en.txt"
REPORT_ID = "eb-2024-2/item-5"
# The tuning texts; resolution 3/6 (held out) is left out of what is measured here.
TUNING_ACTS = ("resolution_ha-3-4.en.txt", "decision_eb-2024-1.en.txt")
_VALUES = {
    "completed": "completed",
    "in-progress": "in progress",
    "not-implemented": "not implemented",
    "non-applicable": "non-applicable",
    "no-indication": "no indication",
}


def acts(*names: str):
    found = [acts_of_resolution(read_resolution(CORPUS / name)) for name in names]
    return {act.iri: act for act in found}


def gold_key(mandate: URIRef) -> str:
    """``id/mandate/ha-3-4/op-2a`` → ``ha-3-4/op-2(a)``, as the gold writes mandates."""
    act, op = str(mandate).removeprefix(str(ID["mandate/"])).split("/")
    return f"{act}/{op[:-1]}({op[-1]})" if op[-1].isalpha() else f"{act}/{op}"


def evidence_key(passage: URIRef) -> str:
    number = str(passage).split("/paragraph/")[1]
    return number.replace("/", "(") + ")" if "/" in number else number


@pytest.mark.parametrize(
    ("text", "cited"),
    [
        ("pursuant to paragraph 1 of resolution 3/4 and", [("3/4", 1, "")]),
        ("requested in paragraph 2 (a) of resolution 3/4 was", [("3/4", 2, "a")]),
        ("As requested in paragraph 3 of decision 2024/1,", [("2024/1", 3, "")]),
        ("as OP 3, 4 ask", [(None, 3, ""), (None, 4, "")]),
        ("sub-paragraph (b) of paragraph 2 of the present resolution", [(None, 2, "b")]),
        ("resolution 3/4, paragraph 2 (b),", [("3/4", 2, "b")]),
        ("根据第3/6号决议第2段(a)分段，", [("3/6", 2, "a")]),
        ("按照第3/6号决议第2(b)段的要求", [("3/6", 2, "b")]),
        ("执行部分第4和第5段", [(None, 4, ""), (None, 5, "")]),
        # The report's own paragraphs are no operative paragraphs.
        ("as described in paragraph 4 above", []),
        ("见上文第4段", []),
    ],
)
def test_citations_of_operative_paragraphs(text: str, cited: list) -> None:
    assert [(c.act, c.number, c.label) for c in find_citations(text)] == cited


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The facility was established in September 2024.", "completed"),
        ("A draft has been prepared, which is being reviewed by experts.", "in-progress"),
        ("The meeting will take place in Mombasa in March 2025.", "in-progress"),
        ("The workshop has been postponed to 2026.", "in-progress"),
        (
            "The pilot testing has not started, as no resources have been received.",
            "not-implemented",
        ),
        ("The resources required are as follows:", "in-progress"),
        ("该战略已于2020年3月定稿。", "completed"),
        ("该股目前正在制定行动计划草案。", "in-progress"),
        ("由于缺乏资源，试点工作未能启动。", "not-implemented"),
    ],
)
def test_status_from_wording(text: str, value: str) -> None:
    chinese = not text.isascii()
    assert passage_wording(text, chinese).value == MANDATE_STATUS[value]


def test_statuses_and_evidence_match_the_gold_of_the_tuning_report() -> None:
    gold = json.loads((CORPUS / "eb-2024-2_item-5.en.gold.json").read_text("utf-8"))
    tuning = {k: v for k, v in gold["mandate_status"].items() if not k.startswith("ha-3-6/")}
    findings = mandate_findings(read_report(REPORT), REPORT_ID, acts(*TUNING_ACTS))
    found = {
        gold_key(f.mandate): {
            "status": _VALUES[str(f.value).rsplit("/", 1)[1]],
            "evidence": sorted(evidence_key(e.passage) for e in f.evidence),
        }
        for f in findings
    }
    expected = {k: {**v, "evidence": sorted(v["evidence"])} for k, v in tuning.items()}
    assert found == expected


def test_a_paragraph_about_the_report_itself_is_no_evidence() -> None:
    """Paragraph 1 cites paragraph 1 of resolution 3/4 to say why the report is submitted."""
    findings = mandate_findings(read_report(REPORT), REPORT_ID, acts(*TUNING_ACTS))
    introduction = paragraph(report(REPORT_ID), 1)
    assert all(e.passage != introduction for f in findings for e in f.evidence)


@pytest.fixture
def project(sources_copy: Path) -> Path:
    folder = sources_copy / "resolution"
    folder.mkdir()
    for name in TUNING_ACTS:
        shutil.copy(CORPUS / name, folder / name)
    return sources_copy


def test_proposals_describe_each_status_node(project: Path) -> None:
    proposals = propose_mandate_statuses(read_report(REPORT), REPORT_ID, project)
    node = mandate_status(REPORT_ID, ID["mandate/ha-3-4/op-2a"])
    about = {(p.kind, p.predicate, p.object) for p in proposals if p.subject == node}
    p3 = paragraph(report(REPORT_ID), 3)
    assert about == {
        ("mandate", HKG.implementationStatus, MANDATE_STATUS["completed"]),
        ("entity", RDF.type, HKG.MandateStatus),
        (
            "entity",
            RDFS.label,
            Literal(f"Resolution 3/4, OP 2(a): status in report {REPORT_ID}", lang="en"),
        ),
        (
            "entity",
            RDFS.label,
            Literal(f"第3/4号决议执行部分第2(a)段：报告 {REPORT_ID} 所示执行状况", lang="zh"),
        ),
        ("entity", HKG.statusOf, ID["mandate/ha-3-4/op-2a"]),
        ("entity", HKG.reportedIn, report(REPORT_ID)),
        ("entity", HKG.asOf, next(p.object for p in proposals if p.predicate == HKG.asOf)),
        ("entity", HKG.evidence, p3),
    }
    assert str(next(p.object for p in proposals if p.predicate == HKG.asOf)) == "2024-11-12"
    value = next(p for p in proposals if p.subject == node and p.kind == "mandate")
    text = read_report(REPORT).paragraphs[2].text
    # The value rests on the words that show it.
    assert value.passage == p3 and value.span is not None
    assert text[value.span[0] : value.span[1]] == "was established"


def test_accepting_a_status_accepts_its_node_with_it(project: Path) -> None:
    proposals = propose_mandate_statuses(read_report(REPORT), REPORT_ID, project)
    review = merge(Review(REPORT_ID, []), proposals, "test")
    node = mandate_status(REPORT_ID, ID["mandate/eb-2024-1/op-3"])
    value = next(
        i for i in review.items if i.proposal.subject == node and i.proposal.kind == "mandate"
    )
    review.accept([value.id], "Ana")
    accepted = {i.proposal.subject: [] for i in review.accepted()}
    for item in review.accepted():
        accepted[item.proposal.subject].append(item.proposal.predicate)
    # Only this status, with everything that says what it is: evidence 12, 12(a) and 12(b).
    assert list(accepted) == [node]
    assert sorted(accepted[node], key=str) == sorted(
        [
            HKG.asOf,
            HKG.evidence,
            HKG.evidence,
            HKG.evidence,
            HKG.implementationStatus,
            HKG.reportedIn,
            HKG.statusOf,
            RDF.type,
            RDFS.label,
            RDFS.label,
        ],
        key=str,
    )
    # Rejecting it leaves its description pending: nothing of it reaches the graph.
    review.reject([value.id], "Ana")
    assert [i for i in review.accepted() if i.proposal.kind == "mandate"] == []
