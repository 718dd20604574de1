"""The accepted statements of a review as readable, deterministic TriG, with their provenance.

One file per part of the report (a paragraph, with its sub-paragraphs' statements), so that a
decision rewrites, and the builder reads again, only the file of the paragraph it is about.
A file holds the paragraph's block, named by the paragraph's IRI as in the hand-curated files,
so the builder reifies each statement with ``prov:wasDerivedFrom`` that paragraph. What
reference data says of a new node the paragraph links to (the country of a new city) cites the
gazetteer instead: the paragraph need not name it.

The last block, named under ``PROVENANCE`` (one graph per report, spread over its files), says
of each reified statement (``st:…``, the IRI the builder gives it) how it came to be, in
PROV-O: the review decision that generated it (an ``hkg:Acceptance``, ``hkg:Correction`` or
``hkg:Addition``), by whom and when, and the proposal it used, with the extractor's rule,
version and confidence; a correction is ``prov:wasRevisionOf`` the proposal it corrects.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from decimal import Decimal

import pyoxigraph
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Literal, Node, URIRef

from habitat_kg.graph.curated import GAZETTEER, PROVENANCE, statement_iri
from habitat_kg.graph.parse import ReportText
from habitat_kg.graph.review.model import ANALYST_RULE, Review, ReviewItem, paragraph_of
from habitat_kg.graph.review.reference import Describe, reference_facts
from habitat_kg.namespaces import HKG, ID, ORG, PREFIXES, PROV, slug

_LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}
#: Links whose words name the linked thing: those words become a hidden label of it, so that
#: the builder's check that a paragraph names what it links holds whatever its official name.
_NAMING_KINDS = frozenset({"unit", "partner", "place", "resolution", "document"})
_LONGEST_NAME = 80
#: The source that reference facts about linked things cite (a prov:Entity, as shapes ask).
_GAZETTEER_SOURCE = (
    (GAZETTEER, RDF.type, PROV.Entity),
    (
        GAZETTEER,
        RDFS.label,
        Literal("habitat-kg gazetteer: reference lists of places and organizations", lang="en"),
    ),
    (GAZETTEER, RDFS.label, Literal("habitat-kg 地名和组织参考列表", lang="zh")),
)
#: What reference data says of a new node: where a place lies, what an office belongs to or
#: where it is based. The paragraph need not name the container, so these cite the gazetteer.
_REFERENCE_LINKS = frozenset({HKG.inCountry, HKG.inRegion, HKG.basedIn, ORG.subOrganizationOf})
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")


def provenance_graph(report_id: str) -> URIRef:
    return URIRef(f"{PROVENANCE}{report_id}")


def part_trigs(
    review: Review,
    parts: Iterable[URIRef],
    text: ReportText,
    source_label: str,
    describe: Describe | None = None,
) -> dict[URIRef, str]:
    """The TriG text of each of ``parts`` that holds accepted statements, by part.

    ``describe`` (the gazetteer's ``entity``) gives what is known of the things they link to,
    for those the graph would otherwise say nothing of (see ``review.reference``).
    """
    wanted = set(parts)
    accepted: dict[URIRef, list[ReviewItem]] = {}
    for item in review.accepted():
        part = part_of(item)
        if part in wanted:
            accepted.setdefault(part, []).append(item)
    by_id = {item.id: item for item in review.items}
    lines_of = _paragraph_lines(text)
    return {
        part: _part_trig(review, part, items, text, source_label, describe, by_id, lines_of)
        for part, items in accepted.items()
    }


def part_of(item: ReviewItem) -> URIRef:
    """The part of the report whose file holds an item: its paragraph."""
    return paragraph_of(item.proposal.passage)


def _part_trig(
    review: Review,
    part: URIRef,
    accepted: list[ReviewItem],
    text: ReportText,
    source_label: str,
    describe: Describe | None,
    by_id: dict[str, ReviewItem],
    lines_of: dict[int, int],
) -> str:
    prefixes = _prefixes(review.report_id)
    write = Writer(prefixes)
    language = _LANGUAGE_NAMES.get(text.language, text.language)
    lines = [
        f"# Statements accepted in the review of report {review.report_id} ({language}):",
        f"# {_part_name(part, lines_of)} of {source_label}",
        f"# (the text's sha256 {text.sha256}).",
        "#",
        "# Written by habitat-kg from the review (sources/review/): change them with",
        "# `habitat-kg ingest --accept`, `habitat-kg review` or the curation page. One file per",
        "# paragraph: a save rewrites the files of the paragraphs whose decisions changed.",
        "# Words the paragraph uses for a known entity are its skos:hiddenLabel there. The last",
        "# block is the provenance of each statement (PROV-O).",
        "",
        *(f"@prefix {name}: <{namespace}> ." for name, namespace in prefixes.items()),
    ]
    blocks: dict[URIRef, list[tuple[Node, Node, Node]]] = {}
    citations: dict[str, URIRef] = {}
    for item in accepted:
        citation = _citation(item)
        citations[item.id] = citation
        proposal = item.proposal
        triples = blocks.setdefault(citation, [])
        triples.append((proposal.subject, proposal.predicate, proposal.object))
        hidden = _hidden_label(item, text)
        if hidden is not None:
            triples.append(hidden)
    if describe is not None:
        facts = reference_facts([item.proposal.object for item in accepted], describe)
        if facts:
            blocks.setdefault(GAZETTEER, []).extend(facts)
    for citation in sorted(blocks, key=_block_key):
        lines.append("")
        lines.append(_block_comment(citation, lines_of))
        lines.append(f"<{citation}> {{")
        lines.extend(write.triples(blocks[citation]))
        lines.append("}")
    provenance = [
        triple
        for item in accepted
        for triple in _provenance(item, citations[item.id], by_id.get(item.revision_of or ""))
    ]
    lines.append("")
    lines.append("# Provenance of each statement above: the decision, who took it and when, the")
    lines.append("# proposal it used (rule, confidence, extractor version).")
    if GAZETTEER in blocks:
        provenance.extend(_GAZETTEER_SOURCE)
    lines.append(f"<{provenance_graph(review.report_id)}> {{")
    lines.extend(write.triples(provenance))
    lines.append("}")
    return "\n".join(lines) + "\n"


def statement_of(item: ReviewItem) -> URIRef:
    """The IRI the builder gives the reified statement of an accepted item."""
    proposal = item.proposal
    return statement_iri(proposal.subject, proposal.predicate, proposal.object, _citation(item))


def _citation(item: ReviewItem) -> URIRef:
    """The paragraph a statement cites; the gazetteer for reference facts about a new node."""
    proposal = item.proposal
    background = proposal.kind == "entity" and proposal.predicate in _REFERENCE_LINKS
    return GAZETTEER if background else paragraph_of(proposal.passage)


def _hidden_label(item: ReviewItem, text: ReportText) -> tuple[Node, Node, Node] | None:
    proposal = item.proposal
    if proposal.kind not in _NAMING_KINDS or not isinstance(proposal.object, URIRef):
        return None
    words = _span_text(item, text)
    if words is None or not words.strip() or len(words) > _LONGEST_NAME or "\n" in words:
        return None
    return proposal.object, SKOS.hiddenLabel, Literal(words.strip(), lang=text.language)


def _span_text(item: ReviewItem, text: ReportText) -> str | None:
    proposal = item.proposal
    if proposal.span is None:
        return None
    passage = passage_text(text, proposal.passage)
    start, end = proposal.span
    if passage is None or not 0 <= start < end <= len(passage):
        return None
    return passage[start:end]


def passage_text(text: ReportText, passage: URIRef) -> str | None:
    """The text of a paragraph or sub-paragraph of ``text`` by its IRI."""
    match = re.search(r"/paragraph/(\d+)(?:/([a-z]+))?$", str(passage))
    if match is None:
        return None
    number, letter = int(match.group(1)), match.group(2)
    for part in text.paragraphs:
        if part.number != number:
            continue
        if letter is None:
            return part.text
        return next((sub.text for sub in part.subparagraphs if sub.label == letter), None)
    return None


def _provenance(
    item: ReviewItem, citation: URIRef, revised: ReviewItem | None
) -> Iterable[tuple[Node, Node, Node]]:
    proposal = item.proposal
    statement = statement_iri(proposal.subject, proposal.predicate, proposal.object, citation)
    decision = ID[f"review/{proposal.report_id}/{item.id}"]
    curator = curator_iri(item.by or "")
    when = Literal(item.at or "", datatype=XSD.dateTime)
    if revised is not None:
        kind, used = HKG.Correction, revised
    elif proposal.rule == ANALYST_RULE:
        kind, used = HKG.Addition, None
    else:
        kind, used = HKG.Acceptance, item
    yield statement, PROV.wasGeneratedBy, decision
    yield statement, PROV.wasAttributedTo, curator
    yield statement, PROV.generatedAtTime, when
    yield decision, RDF.type, kind
    yield decision, PROV.wasAssociatedWith, curator
    yield decision, PROV.endedAtTime, when
    yield curator, RDF.type, PROV.Person
    yield curator, RDFS.label, Literal(item.by or "")
    if used is None:
        return
    yield decision, PROV.used, proposal_iri(proposal.report_id, used.id)
    if revised is not None:
        yield statement, PROV.wasRevisionOf, proposal_iri(proposal.report_id, used.id)
    yield from _proposal_description(used)


def _proposal_description(item: ReviewItem) -> Iterable[tuple[Node, Node, Node]]:
    """A proposal as an entity the extractor made: its rule, confidence and version."""
    proposal = item.proposal
    used = proposal_iri(proposal.report_id, item.id)
    yield used, RDF.type, HKG.Proposal
    yield used, HKG.extractionRule, Literal(proposal.rule)
    yield used, HKG.confidence, _decimal(proposal.confidence)
    if item.extractor:
        software = ID[f"software/habitat-kg-extractor/{_segment(item.extractor)}"]
        yield used, PROV.wasAttributedTo, software
        yield software, RDF.type, PROV.SoftwareAgent
        yield software, RDFS.label, Literal(f"habitat-kg extractor {item.extractor}")
        yield software, OWL.versionInfo, Literal(item.extractor)


def _decimal(value: float) -> Literal:
    """A confidence as xsd:decimal in its shortest form (0.9, 1.0), never in exponent form."""
    return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)


def proposal_iri(report_id: str, proposal_id: str) -> URIRef:
    return ID[f"proposal/{report_id}/{proposal_id}"]


def curator_iri(name: str) -> URIRef:
    """A curator by name: readable where the name is, else a digest of it."""
    return ID[f"curator/{_segment(name)}"]


def _segment(text: str) -> str:
    try:
        readable = slug(text)
    except ValueError:
        readable = ""
    if readable and readable == text.strip().lower():
        return readable
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}" if readable else digest


def _prefixes(report_id: str) -> dict[str, str]:
    prefixes = {
        name: PREFIXES[name]
        for name in ("hkg", "rdf", "rdfs", "skos", "xsd", "owl", "prov", "org", "dcterms")
    }
    prefixes.update(
        {
            "status": PREFIXES["status"],
            "role": PREFIXES["role"],
            "precision": PREFIXES["precision"],
            "o": str(ID["org/"]),
            "city": str(ID["city/"]),
            "country": str(ID["country/"]),
            "region": str(ID["region/"]),
            "res": str(ID["resolution/"]),
            "dec": str(ID["decision/"]),
            "act": str(ID[f"activity/{report_id.replace('/', '-')}/"]),
            "st": str(ID["statement/"]),
            "proposal": str(ID[f"proposal/{report_id}/"]),
            "decision": str(ID[f"review/{report_id}/"]),
            "curator": str(ID["curator/"]),
        }
    )
    return prefixes


class Writer:
    """Turtle terms and subject groups, with the file's prefixes."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so that act: wins over a shorter namespace it lies in.
        self.prefixes = sorted(prefixes.items(), key=lambda pair: (-len(pair[1]), pair[0]))
        self._written: dict[Node, str] = {}  # a file names the same things many times

    @classmethod
    def for_report(cls, report_id: str) -> Writer:
        return cls(_prefixes(report_id))

    def term(self, node: Node) -> str:
        written = self._written.get(node)
        if written is None:
            written = self._written[node] = self._term(node)
        return written

    def _term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            if node == RDF.type:
                return "a"
            for name, namespace in self.prefixes:
                local = str(node)[len(namespace) :]
                if str(node).startswith(namespace) and _LOCAL_NAME.match(local):
                    return f"{name}:{local}"
            return str(pyoxigraph.NamedNode(str(node)))
        if isinstance(node, Literal):
            return self._literal(node)
        raise ValueError(f"a review statement may not hold the blank node {node}")

    def _literal(self, value: Literal) -> str:
        if value.language:
            return str(pyoxigraph.Literal(str(value), language=value.language))
        if value.datatype is None or value.datatype == XSD.string:
            return str(pyoxigraph.Literal(str(value)))
        lexical = str(pyoxigraph.Literal(str(value)))
        return f"{lexical}^^{self.term(value.datatype)}"

    def triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
        """Grouped by subject, each subject's predicates with ``;``, each in a stable order."""
        unique = sorted(set(triples), key=_triple_key)
        lines: list[str] = []
        subjects: dict[Node, list[tuple[Node, Node]]] = {}
        for subject, predicate, value in unique:
            subjects.setdefault(subject, []).append((predicate, value))
        for subject, pairs in subjects.items():
            if lines:
                lines.append("")
            lines.append(f"    {self.term(subject)}")
            for index, (predicate, value) in enumerate(pairs):
                end = " ." if index == len(pairs) - 1 else " ;"
                lines.append(f"        {self.term(predicate)} {self.term(value)}{end}")
        return lines


def _triple_key(triple: tuple[Node, Node, Node]) -> tuple[str, int, str, str]:
    subject, predicate, value = triple
    return (subject.n3(), 0 if predicate == RDF.type else 1, predicate.n3(), value.n3())


def _block_key(citation: URIRef) -> tuple[int, int, str]:
    match = re.search(r"/paragraph/(\d+)$", str(citation))
    if match is None:
        return (1, 0, str(citation))
    return (0, int(match.group(1)), str(citation))


def _paragraph_lines(text: ReportText) -> dict[int, int]:
    return {part.number: part.line for part in text.paragraphs}


def _part_name(part: URIRef, lines_of: dict[int, int]) -> str:
    match = re.search(r"/paragraph/(\d+)$", str(part))
    if match is None:
        return f"<{part}>"
    line = lines_of.get(int(match.group(1)))
    return f"paragraph {match.group(1)}" + (f" (line {line})" if line else "")


def _block_comment(citation: URIRef, lines_of: dict[int, int]) -> str:
    match = re.search(r"/paragraph/(\d+)$", str(citation))
    if match is None:
        return "# Reference data (the gazetteer's) on the places and organizations linked above"
    number = int(match.group(1))
    line = lines_of.get(number)
    return f"# Paragraph {number}" + (f" (line {line})" if line else "")
