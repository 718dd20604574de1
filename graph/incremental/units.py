"""What each source unit contributes to a build: its rows (N-Triples lines) in its layer, and
the facts the steps across files read from it (see ``ledger.py`` for the kinds of fact).

A unit is one source file, or the reference CSVs together, or the ontology. Its rows depend on
its own file only, except a report's: its document layer links the mentions the mention
gazetteer finds in its text, and the gazetteer is made of every curated file's names and the
reference data's (``engine.py`` decides which reports a change of the gazetteer reaches).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import DCTERMS, RDF, RDFS, SKOS, Graph, Literal, Node, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral

from habitat_kg.graph.curated import (
    BACKGROUND_SOURCES,
    CuratedSource,
    is_provenance,
    load_curated,
)
from habitat_kg.graph.document import document_layer
from habitat_kg.graph.parse import ReportText, read_report
from habitat_kg.graph.parse.mentions import compact
from habitat_kg.graph.reference import gazetteer as place_gazetteer
from habitat_kg.graph.reference import reference_layer
from habitat_kg.graph.resolution import mandates_graph, read_resolution
from habitat_kg.namespaces import HKG, ID, PROV, header, report, section
from habitat_kg.rdf import RdflibTerms

#: Properties whose values name a thing: what a curated statement's paragraph must say.
NAME_PROPERTIES = frozenset({RDFS.label, SKOS.altLabel, SKOS.hiddenLabel, HKG.symbol, HKG.acronym})
#: Properties whose values go into the mention gazetteer (hidden labels name a thing only in
#: the paragraph that uses them).
GAZETTEER_PROPERTIES = (RDFS.label, SKOS.altLabel)
#: Separates the passages of a report in its compact text (no surface form holds it).
PASSAGE_BREAK = "\x00"

Fact = tuple[str, str, str]


@dataclass(frozen=True)
class Unit:
    """A unit's contribution: its rows in ``layer``, its facts, and what a later build needs of
    it again without reading its file (a curated file's statements, a report's words)."""

    layer: str
    rows: frozenset[str]
    facts: frozenset[Fact]
    extra: Any = None
    #: A curated file's statements as read (not kept: ``extra`` holds them for the ledger).
    source: CuratedSource | None = field(default=None, compare=False)


@dataclass
class Terms:
    """N-Triples forms of rdflib terms, each written once (a unit names the same things many
    times); ``row`` writes a triple as the N-Triples writer does, without its final " ."."""

    _nt: dict[Node, str] = field(default_factory=dict)

    def nt(self, term: Node) -> str:
        written = self._nt.get(term)
        if written is None:
            written = _quoteLiteral(term) if isinstance(term, Literal) else term.n3()
            self._nt[term] = written
        return written

    def row(self, subject: Node, predicate: Node, value: Node) -> str:
        return f"{self.nt(subject)} {self.nt(predicate)} {self.nt(value)}"

    def rows(self, triples: Iterable[tuple[Node, Node, Node]]) -> frozenset[str]:
        return frozenset(self.row(*triple) for triple in triples)


def graph_unit(layer: str, graph: Graph) -> Unit:
    """A unit that is one graph and gives no facts (the ontology, its blank nodes already named
    by what they say)."""
    return Unit(layer, Terms().rows(graph), frozenset())


def reference_unit(sources: Path, unnamed: set[Node]) -> Unit:
    graph = reference_layer(sources)
    facts = set(name_facts(graph, unnamed))
    facts.update(("place", form, str(entity)) for form, entity in place_gazetteer(graph).items())
    return Unit("reference", Terms().rows(graph), frozenset(facts))


def report_id_of(path: Path) -> str:
    """``eb-2020-2_item-7.zh.txt`` is the report ``eb-2020-2/item-7`` in Chinese."""
    return path.name.split(".", 1)[0].replace("_", "/")


def report_unit(
    path: Path, sources: Path, gazetteer: Mapping[str, URIRef], unnamed: set[Node]
) -> Unit:
    """A report's document layer, the text each of its parts gives a curated statement to
    cite, its mentions, and its words in the compact spelling the gazetteer matches."""
    text = read_report(path)
    label = path.relative_to(sources.parent).as_posix()
    graph = document_layer(text, report_id_of(path), gazetteer, label)
    facts = set(name_facts(graph, unnamed))
    facts.update(("context", str(part), words) for part, words in citation_contexts(text).items())
    for part, entity in graph.subject_objects(HKG.mentions):
        # a sub-paragraph's mentions are used by the statements that cite its paragraph
        subparagraph = (part, RDF.type, HKG.SubParagraph) in graph
        whole = graph.value(part, DCTERMS.isPartOf) if subparagraph else None
        facts.add(("mention", f"{whole or part}\t{part}", str(entity)))
    return Unit("document", Terms().rows(graph), frozenset(facts), {"spelled": spelled(text)})


def resolution_unit(path: Path, unnamed: set[Node]) -> Unit:
    """A resolution's operative paragraphs and the mandates they give."""
    graph = mandates_graph(read_resolution(path))
    return Unit("document", Terms().rows(graph), frozenset(name_facts(graph, unnamed)))


def curated_unit(path: Path, kinds: set[Node], unnamed: set[Node]) -> Unit:
    """A curated file's statements, reified; what the gazetteer takes of its names; what its
    checks need (the entities and parts its statements use). Its statements are kept, so that
    its checks run again without reading the file when another file changes what they read."""
    source = load_curated(path)
    triples = [(s, p, o) for _, s, p, o in source.quads]
    facts = set(name_facts(triples, unnamed))
    facts.update(("typed", str(s), "") for s, p, o in triples if p == RDF.type and o in kinds)
    facts.update(("label", str(s), str(o)) for s, p, o in triples if p in GAZETTEER_PROPERTIES)
    local_unnamed = {s for s, p, o in triples if p == RDF.type and o in unnamed}
    for citation, subject, _, value in source.quads:
        if citation in BACKGROUND_SOURCES or is_provenance(citation):
            continue
        facts.add(("cites", str(citation), ""))
        for entity in (subject, value):
            if isinstance(entity, URIRef) and entity not in local_unnamed and named(entity):
                facts.add(("checks", str(entity), ""))
    terms = Terms()
    rows = reified_rows(source.quads, terms)
    return Unit("curated", rows, frozenset(facts), curated_extra(source, terms), source)


def reified_rows(quads: Iterable[tuple[URIRef, Node, Node, Node]], terms: Terms) -> frozenset[str]:
    """The curated rows of ``quads``: each statement, and a ``hkg:Statement`` saying where it
    comes from (as ``curated.reify``; provenance blocks are added as they are)."""
    from habitat_kg.graph.curated import statement_iri

    rows: set[str] = set()
    statement_type = terms.nt(HKG.Statement)
    kind, of, about, says, source = (
        terms.nt(RDF.type),
        terms.nt(RDF.subject),
        terms.nt(RDF.predicate),
        terms.nt(RDF.object),
        terms.nt(PROV.wasDerivedFrom),
    )
    for citation, subject, predicate, value in quads:
        written = (terms.nt(subject), terms.nt(predicate), terms.nt(value))
        rows.add(" ".join(written))
        if is_provenance(citation):
            continue
        statement = f"<{statement_iri(subject, predicate, value, citation)}>"
        rows.add(f"{statement} {kind} {statement_type}")
        rows.add(f"{statement} {of} {written[0]}")
        rows.add(f"{statement} {about} {written[1]}")
        rows.add(f"{statement} {says} {written[2]}")
        rows.add(f"{statement} {source} {terms.nt(citation)}")
    return frozenset(rows)


def name_facts(triples: Iterable[tuple[Node, Node, Node]], unnamed: set[Node]) -> Iterable[Fact]:
    """What ``curated.surface_forms`` reads of these triples: the names of each thing, and the
    things of a class that is described rather than named (their names are left out here:
    such a thing has no names to check, whatever other files say of it)."""
    triples = list(triples)
    local_unnamed = {s for s, p, o in triples if p == RDF.type and o in unnamed}
    for subject in local_unnamed:
        yield ("unnamed", str(subject), "")
    for subject, predicate, value in triples:
        if (
            predicate in NAME_PROPERTIES
            and isinstance(subject, URIRef)
            and subject not in local_unnamed
        ):
            yield ("name", str(subject), str(value))


def named(entity: URIRef) -> bool:
    """False for the concepts of the schemes (statuses, roles ...), which are never checked."""
    return not str(entity).startswith(str(ID).replace("/id/", "/concept/"))


def citation_contexts(text: ReportText) -> dict[URIRef, str]:
    """The text a curated block may cite, by the IRI of the part that carries it."""
    base = report(report_id_of(text.path))
    contexts: dict[URIRef, str] = {header(base): "\n".join(line.text for line in text.header.lines)}
    headings = {s.number: s.heading for s in text.sections}
    for number, heading in headings.items():
        contexts[section(base, number)] = heading
    for paragraph in text.paragraphs:
        parts = [paragraph.text, *(sub.text for sub in paragraph.subparagraphs)]
        parts.append(headings.get(paragraph.section, ""))
        contexts[URIRef(f"{base}/paragraph/{paragraph.number}")] = "\n".join(parts)
    for note in text.footnotes:
        contexts[URIRef(f"{base}/footnote/{note.number}")] = note.text
    return contexts


def spelled(text: ReportText) -> str:
    """The passages the document layer looks for mentions in, in the gazetteer's compact
    spelling: a surface form can match in the report only if it is spelled somewhere here."""
    passages = [line.text for line in text.header.lines]
    passages += [part.title for part in text.sections]
    for paragraph in text.paragraphs:
        passages.append(paragraph.text)
        passages += [sub.text for sub in paragraph.subparagraphs]
    passages += [note.text for note in text.footnotes]
    return PASSAGE_BREAK.join(compact(passage)[0] for passage in passages)


def spellings(form: str) -> tuple[str, ...]:
    """How the gazetteer looks for ``form`` (a form that begins in lower case also matches
    capitalised, see ``parse.mentions.Gazetteer``)."""
    spelled_form = compact(form)[0]
    if not spelled_form:
        return ()
    if "a" <= spelled_form[0] <= "z":
        return (spelled_form, spelled_form[0].upper() + spelled_form[1:])
    return (spelled_form,)


def curated_extra(source: CuratedSource, terms: Terms) -> dict[str, Any]:
    """What the ledger keeps of a curated file for its checks: its statements (N-Quads, the
    citation as the graph, in their order) and the line where each cited block starts."""
    quads = "".join(
        f"{terms.row(s, p, o)} {terms.nt(citation)} .\n" for citation, s, p, o in source.quads
    )
    return {"quads": quads, "lines": {str(iri): n for iri, n in source.block_lines.items()}}


def curated_source(path: Path, extra: Mapping[str, Any]) -> CuratedSource:
    """The curated file as its checks need it, from what the ledger kept."""
    term = RdflibTerms()
    parsed = ox.parse(extra["quads"].encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    quads = tuple(
        (term(q.graph_name), term(q.subject), term(q.predicate), term(q.object))  # type: ignore[arg-type]
        for q in parsed
    )
    lines = {URIRef(iri): number for iri, number in extra["lines"].items()}
    return CuratedSource(path, quads, lines)  # type: ignore[arg-type]
