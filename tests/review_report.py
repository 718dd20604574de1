"""A report written for testing the review store, and proposals of the extractor on it (a
partner, a place and the place's description, statuses), as a review holds them."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, Literal

from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.review import Review, ReviewItem
from habitat_kg.namespaces import HKG, ID, STATUS, country, paragraph, report

REPORT_ID = "eb-2030-1/item-4"
BASE = report(REPORT_ID)
P1, P2 = paragraph(BASE, 1), paragraph(BASE, 2)
ACT1 = ID["activity/eb-2030-1-item-4/p1"]
ACT2 = ID["activity/eb-2030-1-item-4/p2"]
YAOUNDE = ID["city/cm-yaounde"]
# Written for these tests, in the form of the bundled report.
TEXT = """\
Executive Board of the United Nations Human Settlements Programme
First session of 2030
Nairobi, 1–3 April 2030
Item 4 of the provisional agenda

I. Resolution 1/5 on urban-rural linkages

1. A training on urban-rural linkages was held with the Food and Agriculture Organization in \
Yaoundé in March 2030.
2. The guide on territorial planning is being translated in Kenya.
"""


def words(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


P1_TEXT = TEXT.split("1. ", 1)[1].split("\n")[0]


def proposal(kind, subject, predicate, value, span=None, confidence=0.9, passage=P1, rule="r1"):
    return Proposal(REPORT_ID, passage, kind, subject, predicate, value, span, confidence, rule)


YAOUNDE_WORDS = words(P1_TEXT, "Yaoundé")
FAO = proposal(
    "partner",
    ACT1,
    HKG.partner,
    ID["org/fao"],
    words(P1_TEXT, "Food and Agriculture Organization"),
    rule="partner-with",
)
PROPOSALS = [
    proposal("activity", ACT1, RDF.type, HKG.Activity, rule="activity"),
    proposal("activity", ACT1, RDFS.label, Literal("Training on urban-rural linkages", lang="en")),
    FAO,
    proposal("place", ACT1, HKG.place, YAOUNDE, words(P1_TEXT, "Yaoundé"), 0.8, rule="in-city"),
    proposal("entity", YAOUNDE, RDF.type, HKG.City, words(P1_TEXT, "Yaoundé")),
    proposal(
        "entity", YAOUNDE, RDFS.label, Literal("Yaoundé", lang="en"), words(P1_TEXT, "Yaoundé")
    ),
    proposal("entity", YAOUNDE, HKG.inCountry, country("CMR"), words(P1_TEXT, "Yaoundé")),
    proposal("status", ACT1, HKG.status, STATUS.completed, words(P1_TEXT, "was held"), 0.7),
    proposal("activity", ACT2, RDF.type, HKG.Activity, passage=P2),
    proposal("place", ACT2, HKG.place, country("KEN"), passage=P2, confidence=0.5),
    proposal("status", ACT2, HKG.status, STATUS.ongoing, passage=P2, confidence=0.6),
]


def new_review() -> Review:
    return Review(REPORT_ID, [ReviewItem(p, extractor="1.0") for p in PROPOSALS], "en", "abc")


def ids(*wanted: Proposal) -> list[str]:
    return [p.id for p in wanted]


def with_the_report(sources: Path) -> Path:
    """``sources`` (a copy of the bundled ones) with the test report's text among the reports."""
    (sources / "report" / "eb-2030-1_item-4.en.txt").write_text(TEXT, encoding="utf-8")
    return sources
