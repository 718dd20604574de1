"""A resolution's operative part and its mandates as RDF, in the project's ontology.

    <resolution/ha-3-4> a hkg:Resolution ; hkg:givesMandate <mandate/ha-3-4/op-2a> .
    <resolution/ha-3-4/op/2/a> a hkg:OperativeParagraph ; hkg:eId "para_2__subpara_a" ;
        hkg:subParagraphOf <resolution/ha-3-4/op/2> ; hkg:action action:also-requests ; …
    <mandate/ha-3-4/op-2a> a hkg:Mandate ; hkg:addressee <post/executive-director> ;
        hkg:object "…"@en ; hkg:resourcesClause "…"@en ; hkg:hasEndClause true ;
        prov:wasDerivedFrom <resolution/ha-3-4/op/2/a> .

Known addressees take the IRIs the curated record uses (post:executive-director,
org:executive-board); groups such as Member States are ``group/member-states``; a named body on
no list is kept as written with hkg:addresseeName.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from habitat_kg import namespaces as ns
from habitat_kg.graph.resolution.actions import ACTION
from habitat_kg.graph.resolution.addressees import KNOWN
from habitat_kg.graph.resolution.mandates import analyse
from habitat_kg.graph.resolution.model import Operative, OperativeText, ResolutionText
from habitat_kg.namespaces import HKG, ID, PROV

_KNOWN = {known.key: known for known in KNOWN}
_ORGANS = {"ha": ID["org/un-habitat-assembly"], "eb": ID["org/executive-board"]}
_KIND_LABEL = {
    ("resolution", "en"): "Resolution {}",
    ("resolution", "zh"): "第{}号决议",
    ("decision", "en"): "Decision {}",
    ("decision", "zh"): "第{}号决定",
}


def text_iri(text: ResolutionText) -> URIRef:
    """The resolution's or decision's IRI, as the curated record names it (res:ha-1-2)."""
    organ = text.identifier.split("-", 1)[0]
    minter = ns.resolution if text.kind == "resolution" else ns.decision
    return minter(organ, text.number)


def paragraph_iri(text: ResolutionText, passage: OperativeText) -> URIRef:
    """``<resolution IRI>/op/4``, ``<resolution IRI>/op/2/a``."""
    return URIRef(f"{text_iri(text)}/{passage.path}")


def mandate_iri(text: ResolutionText, passage: OperativeText) -> URIRef:
    """``mandate/ha-3-4/op-2a``: the registry's name for a mandate, stable across builds."""
    return ID[f"mandate/{text.identifier}/op-{passage.number}{passage.label}"]


def session_iri(organ: str, session: str) -> URIRef:
    """``session/ha-4``, ``session/eb-2024-2``, as the curated record names sessions."""
    return ID[f"session/{organ}-{session.replace('/', '-')}"]


def mandates_graph(text: ResolutionText, operatives: Sequence[Operative] | None = None) -> Graph:
    """The text, its operative paragraphs and the mandates they give, as one graph."""
    if operatives is None:
        operatives = analyse(text)
    graph = Graph()
    for prefix, namespace in ns.PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("action", ACTION)
    subject = text_iri(text)
    _describe_text(graph, text, subject)
    for operative in operatives:
        node = _paragraph(graph, text, subject, operative)
        if operative.is_mandate:
            _mandate(graph, text, subject, node, operative)
    return graph


def _describe_text(graph: Graph, text: ResolutionText, subject: URIRef) -> None:
    graph.add((subject, RDF.type, HKG.Resolution if text.kind == "resolution" else HKG.Decision))
    for language in ("en", "zh"):
        label = _KIND_LABEL[(text.kind, language)].format(text.number)
        graph.add((subject, RDFS.label, Literal(label, lang=language)))
    graph.add((subject, HKG.resolutionNumber, Literal(text.number)))
    graph.add((subject, DCTERMS.title, Literal(text.title, lang=text.language)))
    if text.symbol:
        graph.add((subject, HKG.symbol, Literal(text.symbol)))
    if text.organ:
        graph.add((subject, HKG.adoptedBy, _ORGANS[text.organ]))
        if text.session:
            adopted_at = _session(graph, text.organ, text.session)
            graph.add((subject, HKG.adoptedAt, adopted_at))


def _session(graph: Graph, organ: str, session: str) -> URIRef:
    node = session_iri(organ, session)
    graph.add((node, RDF.type, HKG.Session))
    graph.add((node, HKG.sessionOf, _ORGANS[organ]))
    graph.add((node, HKG.sessionNumber, Literal(session)))
    return node


def _paragraph(graph: Graph, text: ResolutionText, subject: URIRef, operative: Operative) -> URIRef:
    passage = operative.passage
    node = paragraph_iri(text, passage)
    graph.add((node, RDF.type, HKG.OperativeParagraph))
    graph.add((node, HKG.operativeParagraphOf, subject))
    if passage.label:
        parent = URIRef(f"{subject}/op/{passage.number}")
        graph.add((node, HKG.subParagraphOf, parent))
    graph.add((node, HKG.operativeNumber, Literal(passage.key)))
    graph.add((node, HKG.eId, Literal(passage.eid)))
    graph.add((node, HKG.text, Literal(passage.text, lang=text.language)))
    graph.add((node, HKG.sourceLine, Literal(passage.line, datatype=XSD.integer)))
    if operative.action:
        graph.add((node, HKG.action, ACTION[operative.action]))
    _addressees(graph, node, operative, text.language)
    return node


def _addressees(graph: Graph, node: URIRef, operative: Operative, language: str) -> None:
    for addressee in operative.addressees:
        known = _KNOWN.get(addressee.key) if addressee.key else None
        if known is None:
            graph.add((node, HKG.addresseeName, Literal(addressee.written, lang=language)))
            continue
        graph.add((node, HKG.addressee, known.node))
        if known.iri is None:  # a group: described here; posts and bodies are in the record
            graph.add((known.node, RDF.type, HKG.AddresseeGroup))
            graph.add((known.node, RDFS.label, Literal(known.en, lang="en")))
            graph.add((known.node, RDFS.label, Literal(known.zh, lang="zh")))


def _mandate(
    graph: Graph, text: ResolutionText, subject: URIRef, paragraph: URIRef, operative: Operative
) -> None:
    passage = operative.passage
    node = mandate_iri(text, passage)
    language = text.language
    graph.add((node, RDF.type, HKG.Mandate))
    for label_language, label in _mandate_labels(text, passage).items():
        graph.add((node, RDFS.label, Literal(label, lang=label_language)))
    graph.add((node, HKG.mandatedBy, subject))
    graph.add((subject, HKG.givesMandate, node))
    graph.add((node, PROV.wasDerivedFrom, paragraph))
    if operative.action:
        graph.add((node, HKG.action, ACTION[operative.action]))
    _addressees(graph, node, operative, language)
    if operative.object:
        graph.add((node, HKG.object, Literal(operative.object, lang=language)))
        graph.add((node, HKG.operativeRequest, Literal(operative.object, lang=language)))
    if operative.deadline:
        graph.add((node, HKG.dueDate, Literal(operative.deadline.isoformat(), datatype=XSD.date)))
    if operative.reporting:
        graph.add((node, HKG.reportingTo, _ORGANS[operative.reporting.organ]))
        if operative.reporting.session:
            session = _session(graph, operative.reporting.organ, operative.reporting.session)
            graph.add((node, HKG.reportingSession, session))
    if operative.resources:
        graph.add((node, HKG.resourcesClause, Literal(operative.resources, lang=language)))
    graph.add((node, HKG.hasEndClause, Literal(operative.has_end_clause)))
    clause = operative.end_clause or _text_clause(text, operative)
    if clause:
        graph.add((node, HKG.endClause, Literal(clause, lang=language)))


def _text_clause(text: ResolutionText, operative: Operative) -> str | None:
    """The text of the paragraph whose clause covers the whole resolution."""
    if operative.text_end_clause is None:
        return None
    for passage in text.passages():
        if passage.key == operative.text_end_clause:
            return passage.text
    return None


def _mandate_labels(text: ResolutionText, passage: OperativeText) -> dict[str, str]:
    number = f"{passage.number}({passage.label})" if passage.label else str(passage.number)
    return {
        "en": _KIND_LABEL[(text.kind, "en")].format(text.number) + f", OP {number}",
        "zh": _KIND_LABEL[(text.kind, "zh")].format(text.number) + f"执行部分第{number}段",
    }
