"""What the review page of one report shows: its passages, each with its text cut into pieces
at the edges of the proposals' spans, and the proposals as rows with readable names."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from habitat_kg.graph.extract.proposal import KINDS, Proposal
from habitat_kg.graph.parse import ReportText, read_report
from habitat_kg.namespaces import ID, PREFIXES, PROV, paragraph, report, subparagraph
from habitat_kg.server.curation.vocabulary import object_form

#: Kinds whose rows describe the nodes the measured links join: shown after the links.
DESCRIPTIVE_KINDS = ("activity", "entity")
_LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)
#: Words for the vocabulary terms a row shows that have no label in the graph (a curator reads
#: "role: co-organizer", not "prov:hadRole").
READABLE = {
    str(RDF.type): "is a",
    str(RDFS.label): "label",
    str(SKOS.prefLabel): "label",
    str(PROV.agent): "agent",
    str(PROV.hadRole): "role",
    str(PROV.qualifiedAssociation): "association",
    str(PROV.Association): "association (agent and role)",
}


@dataclass(frozen=True)
class Name:
    """A thing as a row shows it: its label (and the other language's beside it), its IRI."""

    text: str
    other: str | None = None
    iri: str | None = None


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    subject: Name
    about_activity: bool  # the subject is the passage's own activity (shown short)
    about_part: str | None  # the subject is a part of that activity: its path below it
    #: the subject is one of the activity's associations: "the association with X (role)"
    about_association: str | None
    predicate: Name
    object: Name
    object_value: str  # what the correction field starts with: an IRI or a literal's text
    object_form: str  # iri, date, integer or text (vocabulary.object_form)
    confidence: float
    rule: str
    state: str
    by: str | None
    at: str | None
    replaced_by: str | None
    quote: str | None  # the words of the span


@dataclass(frozen=True)
class Piece:
    """A stretch of a passage's text and the proposals whose spans cover it."""

    text: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class PassageView:
    iri: str
    label: str  # "3", "3(a)"
    anchor: str  # "p3", "p3a"
    activity: str  # the IRI a statement added here is about by default
    section: str | None
    pieces: tuple[Piece, ...]
    rows: tuple[Row, ...]

    @property
    def pending(self) -> int:
        return sum(row.state == "pending" for row in self.rows)


def report_files(sources: Path) -> dict[str, Path]:
    """The report texts of the sources, by report id (``eb-2022-1_item-6.en.txt`` is
    ``eb-2022-1/item-6``)."""
    found: dict[str, Path] = {}
    for path in sorted((sources / "report").glob("*.txt")):
        found.setdefault(path.name.split(".", 1)[0].replace("_", "/"), path)
    return found


def url_key(report_id: str) -> str:
    """A report id in a page address: its file stem (report ids never hold ``_``)."""
    return report_id.replace("/", "_")


def activity_iri(report_id: str, number: int, letter: str = "") -> URIRef:
    """The activity the extractor proposes for a paragraph (issue 15's plan)."""
    return ID[f"activity/{report_id.replace('/', '-')}/p{number}{letter}"]


def passages_of(text: ReportText, report_id: str) -> Iterator[tuple[URIRef, str, str, str, str]]:
    """(IRI, label, anchor, activity IRI, own text) of every paragraph and sub-paragraph."""
    report_iri = report(report_id)
    for part in text.paragraphs:
        n = part.number
        yield (paragraph(report_iri, n), str(n), f"p{n}", activity_iri(report_id, n), part.text)
        for sub in part.subparagraphs:
            yield (
                subparagraph(report_iri, n, sub.label),
                f"{n}({sub.label})",
                f"p{n}{sub.label}",
                activity_iri(report_id, n, sub.label),
                sub.text,
            )


def cut(text: str, spans: Iterable[tuple[str, tuple[int, int]]]) -> tuple[Piece, ...]:
    """``text`` in pieces at every span edge, each piece with the ids whose spans cover it
    (spans may overlap; one outside the text is clipped to it)."""
    spans = [(pid, (max(0, a), min(len(text), b))) for pid, (a, b) in spans]
    spans = [(pid, (a, b)) for pid, (a, b) in spans if a < b]
    edges = sorted({0, len(text), *(a for _, (a, _b) in spans), *(b for _, (_a, b) in spans)})
    pieces = []
    for start, end in itertools.pairwise(edges):
        ids = tuple(pid for pid, (a, b) in spans if a <= start and end <= b)
        pieces.append(Piece(text[start:end], ids))
    return tuple(pieces)


class Namer:
    """Names for IRIs: the labels the review itself proposes, then those of the served graph,
    then the gazetteer's, then a prefixed name."""

    def __init__(self, language: str, proposals: Iterable[Proposal], served, gazetteer) -> None:
        self.language = language
        self.own: dict[str, dict[str, str]] = {}
        for proposal in proposals:
            if proposal.predicate in _LABEL_PREDICATES and isinstance(proposal.object, Literal):
                by_language = self.own.setdefault(str(proposal.subject), {})
                by_language.setdefault(proposal.object.language or "", str(proposal.object))
        self.served = served  # habitat_kg.server.answers.Labels
        self.gazetteer = gazetteer

    def name(self, term: URIRef | Literal) -> Name:
        if isinstance(term, Literal):
            return Name(str(term))
        iri = str(term)
        english, chinese = self.served.of(iri)
        own = self.own.get(iri, {})
        english = english or own.get("en")
        chinese = chinese or own.get("zh")
        if not (english or chinese) and self.gazetteer is not None:
            english, chinese = _gazetteer_labels(self.gazetteer, term)
        first, second = (chinese, english) if self.language == "zh" else (english, chinese)
        if first or second:
            return Name(first or second or iri, second if first else None, iri)
        return Name(READABLE.get(iri) or curie(iri), None, iri)


def _gazetteer_labels(gazetteer, iri: URIRef) -> tuple[str | None, str | None]:
    known = gazetteer.entity(iri)
    if known is None:
        return None, None
    return known.label("en"), known.label("zh")


def curie(iri: str) -> str:
    """``id:org/fao`` for an IRI of a known namespace (the longest that fits), else the IRI."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(name for name, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def build_passages(
    text: ReportText, report_id: str, items, namer: Namer
) -> tuple[PassageView, ...]:
    """Every passage of the report with its pieces and rows (items: the review's)."""
    associations = describe_associations(items, namer)
    by_passage: dict[str, list] = {}
    for item in items:
        by_passage.setdefault(str(item.proposal.passage), []).append(item)
    sections = {s.number: s.title for s in text.sections}
    section_of = {p.number: p.section for p in text.paragraphs}
    views = []
    for iri, label, anchor, activity, own_text in passages_of(text, report_id):
        found = sorted(
            by_passage.get(str(iri), []),
            key=lambda i: (order(i.proposal.kind), (i.proposal.span or (1 << 30,))[0]),
        )
        number = int(label.split("(")[0])
        section = sections.get(section_of.get(number) or -1)
        spans = [(i.proposal.id, i.proposal.span) for i in found if i.proposal.span]
        rows = tuple(_row(item, own_text, namer, activity, associations) for item in found)
        views.append(
            PassageView(str(iri), label, anchor, str(activity), section, cut(own_text, spans), rows)
        )
    return tuple(views)


@dataclass(frozen=True)
class Association:
    """An activity's qualified association as the review states it: who, in which role."""

    agent: Name | None
    role: Name | None

    def describe(self) -> str:
        who = self.agent.text if self.agent else "an agent not yet named"
        return f"{who} as {self.role.text}" if self.role else who


def describe_associations(items, namer: Namer) -> dict[str, Association]:
    """The agent and role of every association the review's statements describe (a corrected
    statement gives way to the one that replaces it)."""
    agents: dict[str, Name] = {}
    roles: dict[str, Name] = {}
    for item in items:
        p: Proposal = item.proposal
        if item.state == "corrected":
            continue
        if p.predicate == PROV.agent:
            agents[str(p.subject)] = namer.name(p.object)
        elif p.predicate == PROV.hadRole:
            roles[str(p.subject)] = namer.name(p.object)
    return {iri: Association(agents.get(iri), roles.get(iri)) for iri in {*agents, *roles}}


def _row(
    item, text: str, namer: Namer, activity: URIRef, associations: dict[str, Association]
) -> Row:
    p: Proposal = item.proposal
    quote = text[p.span[0] : p.span[1]] if p.span else None
    association = associations.get(str(p.subject))
    predicate = namer.name(p.predicate)
    about_association = None
    if association is not None and p.predicate == PROV.agent and association.role:
        # "co-organizer: UCLG Africa", the way the report says it
        predicate = Name(association.role.text, association.role.other, str(p.predicate))
        about_association = ""  # the row says it all
    elif association is not None:
        about_association = f"the association with {association.describe()}"
    object_name = namer.name(p.object)
    if str(p.object) in associations:
        described = associations[str(p.object)].describe()
        object_name = Name(f"with {described}", None, str(p.object))
    return Row(
        id=p.id,
        kind=p.kind,
        subject=namer.name(p.subject),
        about_activity=p.subject == activity,
        about_part=str(p.subject).removeprefix(f"{activity}/")
        if str(p.subject).startswith(f"{activity}/") and association is None
        else None,
        about_association=about_association,
        predicate=predicate,
        object=object_name,
        object_value=curie(str(p.object)) if isinstance(p.object, URIRef) else str(p.object),
        object_form=object_form(p.kind, p.object),
        confidence=p.confidence,
        rule=p.rule,
        state=item.state,
        by=item.by,
        at=item.at,
        replaced_by=item.replaced_by,
        quote=quote,
    )


def read_text(path: Path) -> ReportText:
    return read_report(path)
