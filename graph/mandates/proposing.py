"""Status proposals: for every mandate of every act a report covers, where it stands as the
report shows it, as statements an analyst reviews like any other.

Each status is a node of its own (``id/mandate-status/<report>/<mandate>``, one per mandate and
report, so a later report adds a status and never changes an earlier one):

    <status> hkg:implementationStatus mstatus:in-progress .     # kind "mandate": the value,
                                                                # resting on the words that show it
    <status> a hkg:MandateStatus ; hkg:statusOf <mandate> ;     # kind "entity": accepted with it
        hkg:reportedIn <report> ; hkg:asOf "2024-11-12"^^xsd:date ; hkg:evidence <paragraph> .

The value and the node's description (with labels in English and Chinese) stand in the first
evidence paragraph whose words show that value; each hkg:evidence statement stands in the
paragraph it names. A status without evidence stands in the section heading that names its act
(or the report's header).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from habitat_kg import namespaces as ns
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.mandates.evidence import Evidence, covered_acts, find_evidence, section_acts
from habitat_kg.graph.mandates.known import KnownAct, known_acts
from habitat_kg.graph.mandates.status import (
    NO_INDICATION,
    NON_APPLICABLE,
    Wording,
    combined,
    passage_wording,
)
from habitat_kg.graph.parse import ReportText, find_dates
from habitat_kg.namespaces import HKG


@dataclass(frozen=True)
class MandateFinding:
    """Where one mandate stands as one report shows it."""

    mandate: URIRef
    act: URIRef
    key: str
    node: URIRef
    value: URIRef
    evidence: tuple[Evidence, ...]
    #: The passage the value stands in, and the words that show it there.
    passage: URIRef
    span: tuple[int, int] | None
    rule: str
    confidence: float
    #: The mandate's labels by language.
    labels: tuple[tuple[str, str], ...] = ()


def mandate_findings(
    text: ReportText, report_id: str, acts: Mapping[URIRef, KnownAct]
) -> list[MandateFinding]:
    """A finding for every mandate of every known act the report covers, in act order."""
    evidence = find_evidence(text, report_id, acts)
    wording = _wordings(text, report_id)
    homes = _homes(text, report_id)
    findings = []
    for act_iri in covered_acts(text, acts, report_id):
        for part in acts[act_iri].mandates():
            shown = tuple(e for e in evidence if e.mandate == part.iri)
            node = ns.mandate_status(report_id, part.iri)
            home = (
                shown[0].passage if shown else homes.get(act_iri, ns.header(ns.report(report_id)))
            )
            if not part.secretariat:
                value, span, rule, confidence = NON_APPLICABLE, None, "addressee.outside", 0.9
            elif not shown:
                value, span, rule, confidence = NO_INDICATION, None, "no-paragraph", 0.6
            else:
                said = [wording[e.passage] for e in shown]
                value = combined([w.value for w in said])
                # The value stands where the words first show it.
                at = next((i for i, w in enumerate(said) if w.value == value), 0)
                first, home = said[at], shown[at].passage
                span, rule = first.span, f"{shown[0].rule}.{first.rule}"
                confidence = max(e.confidence for e in shown) * (0.9 if first.span else 0.8)
            findings.append(
                MandateFinding(
                    part.iri,
                    act_iri,
                    part.key,
                    node,
                    value,
                    shown,
                    home,
                    span,
                    rule,
                    confidence,
                    part.labels,
                )
            )
    return findings


def status_proposals(
    findings: list[MandateFinding], text: ReportText, report_id: str
) -> list[Proposal]:
    """The statements of every finding: the value (kind ``mandate``) and its node's
    description (kind ``entity``)."""
    report = ns.report(report_id)
    as_of = session_start(text)
    proposals = []
    for found in findings:
        confidence = round(found.confidence, 2)

        def say(
            kind: str,
            predicate: URIRef,
            value: URIRef | Literal,
            found: MandateFinding = found,
            confidence: float = confidence,
        ) -> None:
            proposals.append(
                Proposal(
                    report_id,
                    found.passage,
                    kind,
                    found.node,
                    predicate,
                    value,
                    found.span if kind == "mandate" else None,
                    confidence,
                    f"mandate.{found.rule}",
                )
            )

        say("mandate", HKG.implementationStatus, found.value)
        say("entity", RDF.type, HKG.MandateStatus)
        for language, label in status_labels(found.labels, report_id):
            say("entity", RDFS.label, Literal(label, lang=language))
        say("entity", HKG.statusOf, found.mandate)
        say("entity", HKG.reportedIn, report)
        if as_of is not None:
            say("entity", HKG.asOf, Literal(as_of.isoformat(), datatype=XSD.date))
        for evidence in found.evidence:
            proposals.append(
                Proposal(
                    report_id,
                    evidence.passage,
                    "entity",
                    found.node,
                    HKG.evidence,
                    evidence.passage,
                    evidence.span,
                    confidence,
                    f"mandate.evidence-{evidence.rule}",
                )
            )
    return proposals


def propose_mandate_statuses(text: ReportText, report_id: str, sources: Path) -> list[Proposal]:
    """The status proposals of a report, for the mandates the project's sources know."""
    acts = known_acts(sources)
    return status_proposals(mandate_findings(text, report_id, acts), text, report_id)


def status_labels(
    mandate_labels: tuple[tuple[str, str], ...], report_id: str
) -> list[tuple[str, str]]:
    """A status's labels in English and Chinese: the mandate's, and the report's id."""
    named = dict(mandate_labels)
    english = named.get("en") or named.get("zh") or "mandate"
    chinese = named.get("zh") or english
    return [
        ("en", f"{english}: status in report {report_id}"),
        ("zh", f"{chinese}：报告 {report_id} 所示执行状况"),
    ]


def session_start(text: ReportText) -> date | None:
    """The first day of the session the report is for (its header's dates)."""
    line = text.header.date_place
    if line is None:
        return None
    found = find_dates(line.text, text.header.year, text.language)
    return found[0].start if found else None


def _wordings(text: ReportText, report_id: str) -> dict[URIRef, Wording]:
    report = ns.report(report_id)
    chinese = text.language == "zh"
    said = {}
    for paragraph in text.paragraphs:
        said[ns.paragraph(report, paragraph.number)] = passage_wording(paragraph.text, chinese)
        for sub in paragraph.subparagraphs:
            iri = ns.subparagraph(report, paragraph.number, sub.label)
            said[iri] = passage_wording(sub.text, chinese)
    return said


def _homes(text: ReportText, report_id: str) -> dict[URIRef, URIRef]:
    """The section heading that names each act: where a status without evidence stands."""
    report = ns.report(report_id)
    homes: dict[URIRef, URIRef] = {}
    for number, acts in sorted(section_acts(text).items()):
        for act in acts:
            homes.setdefault(act, ns.section(report, number))
    return homes
