"""What the extractor proposes: one statement, the words it rests on, and how sure it is.

A :class:`Proposal` is one triple an analyst may accept, reject or correct. It names the part
of the report it comes from (``passage``: the IRI of a paragraph or sub-paragraph), the offsets
of the text it rests on inside that passage's text, the rule that made it and a confidence in
[0, 1]. Its ``id`` depends only on the report, passage and triple, so that ingesting the same
text twice proposes the same ids and a decision taken on one is found again.

An :class:`EntityMatch` is what a gazetteer or a name pattern recognised in a passage: the
entity, what kind of thing it is, and, for a thing no list knows, the labels and type that
describe it as a new node.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

#: The kinds of proposals, in the order the review page and the measures list them. The first
#: eight are measured (precision and recall); "activity" and "entity" describe the nodes that
#: the measured links join (an activity's type and label; a new place's or organization's).
MEASURED_KINDS = ("resolution", "unit", "partner", "place", "date", "figure", "document", "status")
KINDS = (*MEASURED_KINDS, "activity", "entity", "mandate")

#: What an EntityMatch may be, and so which kind of link it gives an activity.
ENTITY_CATEGORIES = (
    "unit",  # UN-Habitat's own units, sections, branches, divisions, offices
    "un-entity",  # a UN system entity (FAO, UNDP ...)
    "governing-body",
    "post",  # a post: the Executive Director, the President of the Executive Board
    "government",  # a national or local government, ministry, municipality
    "ngo",
    "university",
    "organization",  # any other organization (network, fund, company)
    "city",
    "region",
    "country",
)


@dataclass(frozen=True)
class Proposal:
    """One proposed statement ``subject predicate object`` of a report's passage."""

    report_id: str
    passage: URIRef
    kind: str
    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal
    #: Offsets (start, end) in the passage's own text; None for a statement that rests on the
    #: section heading or on the paragraph as a whole.
    span: tuple[int, int] | None
    confidence: float
    rule: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown proposal kind {self.kind!r}; one of {', '.join(KINDS)}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence {self.confidence} is not within [0, 1]")

    @property
    def id(self) -> str:
        """Stable across ingests: the report, the passage and the triple."""
        key = " ".join(
            [
                self.report_id,
                self.passage.n3(),
                self.subject.n3(),
                self.predicate.n3(),
                self.object.n3(),
            ]
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class EntityMatch:
    """A named thing recognised in a passage's text at ``start``-``end``."""

    start: int
    end: int
    text: str
    entity: URIRef
    category: str
    #: The ontology class of the entity (hkg:Unit, hkg:City, hkg:Country, hkg:UNEntity ...).
    rdf_type: URIRef
    confidence: float
    rule: str
    #: False for a thing on no list (found by a name pattern): the proposal must describe it.
    known: bool = True
    #: Labels to give a new node (in the report's language; English too where a list has it).
    labels: tuple[Literal, ...] = field(default=())
    #: The place that contains it: a city's country or region, a region's country.
    container: URIRef | None = None

    def __post_init__(self) -> None:
        if self.category not in ENTITY_CATEGORIES:
            raise ValueError(f"unknown entity category {self.category!r}")
