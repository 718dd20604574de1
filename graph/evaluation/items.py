"""What is compared: the items a paragraph says, from a gold file, a curated file or proposals.

An :class:`Item` is one thing of one kind said in one passage: a resolution, a unit, a partner, a
place (by IRI, or by the names it goes by), a date (its start and end), a figure (its value), a
document (by IRI), a status (by name). Gold files name units, partners and places as written, so
those items carry normalised names, and a proposal matches them by the labels of the entity it
proposes or by the text its span covers; everything else matches on its key.

One normalisation applies to both sides (``counted``): UN-Habitat itself as a responsible unit
is counted neither as expected nor as proposed. The curated file of the bundled report names it
(``hkg:responsibleUnit o:un-habitat``) where a paragraph names no unit, while the gold files
never list it, UN-Habitat as a whole not being one of its own units.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import RDFS, SKOS, Literal, Node, URIRef

from habitat_kg.graph.curated import load_curated
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.parse import ReportText
from habitat_kg.namespaces import (
    HKG,
    ID,
    PROV,
    ROLE,
    STATUS,
    country,
    decision,
    document,
    paragraph,
    report,
    subparagraph,
)

#: The role shortcuts of the curated files; any of them, or a qualified association, is a partner.
PARTNER_PREDICATES = frozenset({HKG.partner, HKG.funder, HKG.organizer, HKG.participant})
NAME_PREDICATES = frozenset({RDFS.label, SKOS.altLabel, SKOS.prefLabel, HKG.acronym})
DOCUMENT_PREFIX = str(ID["document/"])
#: A figure's property: numberOfParticipants, minimumNumberOfCountries ...
_FIGURE_PROPERTY = re.compile(r"(?:^|[a-z])[Nn]umberOf[A-Z]")
_NOT_A_NAME_CHARACTER = re.compile(r"[\W_]+")
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")

#: UN-Habitat as a whole, by IRI and by the names a gold file could write it with.
UN_HABITAT = ID["org/un-habitat"]
_UN_HABITAT_NAMES = (
    "UN-Habitat",
    "United Nations Human Settlements Programme",
    "人居署",
    "联合国人类住区规划署",
)
#: Gives the names an entity goes by (labels in any language, acronyms).
LabelsOf = Callable[[URIRef], Iterable[str]]


@dataclass(frozen=True)
class Item:
    """One thing of one ``kind`` said in ``passage`` ("3", "1(a)")."""

    passage: str
    kind: str
    #: What identifies it: an IRI, (start, end) ISO dates, an integer, a status name; None for
    #: a gold unit, partner or city known only by name.
    key: object
    #: Normalised names it goes by (see ``normalise``), for the kinds matched by name.
    names: frozenset[str] = frozenset()
    #: How it reads, for the list of misses.
    text: str = ""
    #: A partner's roles, in the gold files' words (co-organizer, funder, participant, partner).
    roles: frozenset[str] = frozenset()


def normalise(name: str) -> str:
    """A name for comparison: compatibility forms, case, a leading "the", spaces and
    punctuation removed ("the Kroo Bay Tidewater Residents' Forum" = "KROO BAY ...")."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    return _NOT_A_NAME_CHARACTER.sub("", _LEADING_ARTICLE.sub("", folded))


def names_of(*names: str | None) -> frozenset[str]:
    return frozenset(n for n in (normalise(name) for name in names if name) if n)


def counted(items: Iterable[Item]) -> list[Item]:
    """The items that are measured: all but UN-Habitat itself as a unit (see the module's
    docstring), applied alike to the expected and the proposed items."""
    whole = names_of(*_UN_HABITAT_NAMES)
    return [
        item
        for item in items
        if not (
            item.kind == "unit"
            and (item.key == UN_HABITAT or (item.key is None and item.names & whole))
        )
    ]


# --- passages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PassageText:
    key: str
    text: str


def passages_of(text: ReportText, report_id: str, fold: bool = False) -> dict[URIRef, PassageText]:
    """Every paragraph and sub-paragraph by IRI, keyed "3" and "1(a)" as the gold files key them;
    with ``fold``, a sub-paragraph takes its paragraph's key (the curated file's blocks are
    paragraphs, which cover their sub-paragraphs)."""
    base = report(report_id)
    found: dict[URIRef, PassageText] = {}
    for para in text.paragraphs:
        found[paragraph(base, para.number)] = PassageText(str(para.number), para.text)
        for sub in para.subparagraphs:
            key = str(para.number) if fold else f"{para.number}({sub.label})"
            found[subparagraph(base, para.number, sub.label)] = PassageText(key, sub.text)
    return found


# --- gold files ---------------------------------------------------------------------------------


def gold_items(gold: Mapping) -> list[Item]:
    """The items of a report's gold file (see tests/data/corpus/README.md)."""
    english = gold.get("names", {})
    items: list[Item] = []
    for key, entry in gold.get("paragraphs", {}).items():

        def named(kind: str, name: str, iri: URIRef | None = None, key: str = key) -> Item:
            return Item(key, kind, iri, names_of(name, english.get(name)), name)

        for number in entry.get("resolutions", []):
            items.append(Item(key, "resolution", ID[f"resolution/{number}"], text=number))
        for number in entry.get("decisions", []):
            items.append(Item(key, "resolution", decision(*number.split("-", 1)), text=number))
        items += [named("unit", unit) for unit in entry.get("units", [])]
        for partner in entry.get("partners", []):
            item = named("partner", partner["name"])
            items.append(replace(item, roles=frozenset({partner["role"]})))
        for place in entry.get("places", []):
            iri = country(place["country"]) if place["kind"] == "country" else None
            items.append(named("place", place["name"], iri))
        for found in entry.get("dates", []):
            items.append(Item(key, "date", (found["start"], found["end"]), text=found["text"]))
        for figure in entry.get("figures", []):
            items.append(Item(key, "figure", figure["value"], text=figure["text"]))
        for symbol in entry.get("documents", []):
            items.append(Item(key, "document", document(symbol), text=symbol))
        status = entry.get("status")
        for name in status if isinstance(status, list) else [status] if status else []:
            items.append(Item(key, "status", name, text=name))
    return unique(items)


# --- the curated file of the bundled report -----------------------------------------------------


def curated_items(
    path: Path, passages: Mapping[URIRef, PassageText], labels_of: LabelsOf
) -> list[Item]:
    """The items of a curated TriG file's paragraph blocks (header, section and footnote blocks
    are not paragraphs, and the extractor proposes for paragraphs only).

    Documents count where the paragraph writes their symbol: the extractor finds documents by
    symbol, and a curated block also links "the strategy" (该战略) to the document it means."""
    quads = load_curated(path).quads
    statements: list[Statement] = [
        (citation, s, p, o, None) for citation, s, p, o in quads if citation in passages
    ]
    said: dict[str, str] = {}
    for where in passages.values():
        said[where.key] = said.get(where.key, "") + _WHITESPACE.sub("", where.text)
    return [
        item
        for item in _items_of(statements, passages, labels_of)
        if item.kind != "document" or _WHITESPACE.sub("", item.text) in said[item.passage]
    ]


def curated_labels(paths: Iterable[Path]) -> dict[URIRef, set[str]]:
    """The names every entity of these curated files goes by (hidden labels left out: "该股",
    "the Unit" name a unit only in their paragraph)."""
    labels: dict[URIRef, set[str]] = {}
    for path in paths:
        for _, subject, predicate, value in load_curated(path).quads:
            if predicate in NAME_PREDICATES and isinstance(subject, URIRef):
                labels.setdefault(subject, set()).add(str(value))
    return labels


# --- proposals ----------------------------------------------------------------------------------


def proposed_items(
    proposals: Iterable[Proposal], passages: Mapping[URIRef, PassageText], labels_of: LabelsOf
) -> tuple[list[Item], int]:
    """The items the proposals make, and how many measured proposals stand outside any paragraph
    (on a heading or the header: not compared). An entity's names are its labels, those the
    proposals give a new node, and the text of every span it was proposed on."""
    proposals = list(proposals)
    spans: dict[tuple[str, Node], set[str]] = {}
    new_labels: dict[Node, set[str]] = {}
    statements: list[Statement] = []
    outside = 0
    for proposal in proposals:
        if proposal.predicate in NAME_PREDICATES:
            new_labels.setdefault(proposal.subject, set()).add(str(proposal.object))
        where = passages.get(proposal.passage)
        if where is None:
            outside += proposal.kind in ("resolution", "unit", "partner", "place")
            continue
        statements.append(
            (proposal.passage, proposal.subject, proposal.predicate, proposal.object, proposal.kind)
        )
        if proposal.span is not None:
            start, end = proposal.span
            said = where.text[start:end]
            for term in (proposal.object, proposal.subject):
                spans.setdefault((where.key, term), set()).add(said)

    def labels(entity: URIRef) -> Iterable[str]:
        return [*labels_of(entity), *new_labels.get(entity, ())]

    items = _items_of(statements, passages, labels, spans)
    return items, outside


# --- shared -------------------------------------------------------------------------------------

#: (passage IRI, subject, predicate, object, kind): the kind a proposal says it is, or None for
#: a curated statement, whose kind follows from its predicate (``kind_of``).
Statement = tuple[URIRef, Node, Node, Node, str | None]


def kind_of(predicate: Node, value: Node) -> str | None:
    """The measured kind of a curated statement; None for what is not measured (types, labels,
    mandates...). Documents are found by IRI in any statement, see ``_items_of``."""
    # An introduction says which acts the report covers (hkg:reportsOn); the gold files list
    # them as its paragraph's resolutions, and so does this reading of the curated file.
    if predicate in (HKG.forResolution, HKG.reportsOn):
        return "resolution"
    if predicate == HKG.responsibleUnit:
        return "unit"
    if predicate in PARTNER_PREDICATES or predicate in (PROV.qualifiedAssociation, PROV.agent):
        return "partner"
    if predicate == HKG.place:
        return "place"
    if predicate in (HKG.startDate, HKG.endDate):
        return "date"
    if predicate == HKG.status:
        return "status"
    if predicate == HKG.symbol:
        return "document"
    if _FIGURE_PROPERTY.search(_local(predicate)) and isinstance(value, Literal):
        return "figure"
    return None


def _items_of(
    statements: list[Statement],
    passages: Mapping[URIRef, PassageText],
    labels_of: LabelsOf,
    spans: Mapping[tuple[str, Node], set[str]] | None = None,
) -> list[Item]:
    """Items from statements: one reading for the curated statements and the proposals, so
    that both are counted alike."""
    spans = spans or {}
    agents = {s: o for _, s, p, o, _ in statements if p == PROV.agent}
    roles: dict[Node, set[Node]] = {}
    for _, subject, predicate, value, _ in statements:
        if predicate == PROV.hadRole:
            roles.setdefault(subject, set()).add(value)
    dates: dict[tuple[str, Node], dict[str, str]] = {}
    items: list[Item] = []

    def entity(key: str, kind: str, iri: Node) -> Item:
        said = spans.get((key, iri), set())
        names = names_of(*labels_of(iri), *said) if isinstance(iri, URIRef) else names_of(*said)
        shown = next(iter(sorted(said)), None) or next(iter(sorted(labels_of(iri))), None)
        return Item(key, kind, iri, names, shown or _local(iri))

    for citation, subject, predicate, value, said_kind in statements:
        key = passages[citation].key
        kind = said_kind or kind_of(predicate, value)
        if said_kind is None or kind == "document":
            for term in (subject, value):
                if str(term).startswith(DOCUMENT_PREFIX):
                    items.append(Item(key, "document", term, text=_local(term, DOCUMENT_PREFIX)))
        if kind in ("resolution", "status") and isinstance(value, URIRef):
            name = _local(value, str(STATUS)) if kind == "status" else value
            items.append(Item(key, kind, name, text=_local(value)))
        elif kind in ("unit", "place") and isinstance(value, URIRef):
            items.append(entity(key, kind, value))
        elif kind == "partner":
            agent = _agent(subject, predicate, value, agents, roles)
            if agent is not None:
                said_roles = _roles(predicate, roles.get(value) or roles.get(subject) or set())
                items.append(replace(entity(key, kind, agent), roles=said_roles))
        elif kind == "date" and predicate in (HKG.startDate, HKG.endDate):
            end = "end" if predicate == HKG.endDate else "start"
            dates.setdefault((key, subject), {})[end] = str(value)
        elif kind == "figure" and isinstance(value, Literal):
            number = value.toPython()
            if isinstance(number, int) and not isinstance(number, bool):
                items.append(Item(key, "figure", number, text=str(value)))
        elif kind == "document" and isinstance(value, Literal):
            items.append(Item(key, "document", document(str(value)), text=str(value)))
    for (key, _), ends in dates.items():
        pair = (ends.get("start"), ends.get("end"))
        items.append(Item(key, "date", pair, text=" to ".join(filter(None, pair))))
    return unique(items)


def _agent(
    subject: Node, predicate: Node, value: Node, agents: Mapping, roles: Mapping
) -> Node | None:
    """The partner a statement names: directly (hkg:partner ...), or through a qualified
    association, whose role must not be lead (a responsible unit written the long way)."""
    if predicate == PROV.qualifiedAssociation:
        return agents.get(value) if roles.get(value) != {ROLE.lead} else None
    if predicate == PROV.agent:
        return value if roles.get(subject) != {ROLE.lead} else None
    if predicate == PROV.hadRole:
        return None
    return value if isinstance(value, URIRef) else None


def _roles(predicate: Node, association_roles: Iterable[Node]) -> frozenset[str]:
    """A partner's roles in the gold files' words: an organizer organizes with UN-Habitat (a
    co-organizer); a host, presenter or contributor is a partner."""
    said = [predicate] if predicate in PARTNER_PREDICATES else list(association_roles)
    found = set()
    for role in said:
        name = str(role).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if name == "lead":
            continue
        if name == "organizer":
            name = "co-organizer"
        found.add(name if name in ("co-organizer", "funder", "participant") else "partner")
    return frozenset(found)


def unique(items: Iterable[Item]) -> list[Item]:
    """Each (passage, kind, key) once, names and roles gathered; name-only items once per
    names."""
    merged: dict[tuple, Item] = {}
    for item in items:
        ident = (item.passage, item.kind, item.key if item.key is not None else item.names)
        if ident in merged:
            known = merged[ident]
            item = replace(known, names=known.names | item.names, roles=known.roles | item.roles)
        merged[ident] = item
    return list(merged.values())


def _local(term: Node, prefix: str | None = None) -> str:
    text = str(term)
    if prefix is not None:
        return text.removeprefix(prefix)
    return re.split(r"[/#]", text)[-1] if text.startswith("http") else text
