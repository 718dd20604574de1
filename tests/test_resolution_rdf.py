"""Operative paragraphs and mandates as RDF (graph/resolution/rdf.py), and the ontology file
that declares their terms and the operative action scheme (ontology/operative-actions.ttl)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from habitat_kg import namespaces as ns
from habitat_kg.graph.resolution import (
    ACTION,
    actions_graph,
    actions_path,
    mandates_graph,
    read_resolution,
)
from habitat_kg.ontology import path as ontology_path

CORPUS = Path(__file__).parent / "data" / "corpus"
HKG, ID, PROV = ns.HKG, ns.ID, ns.PROV
ONTOLOGY = URIRef("https://w3id.org/habitat-kg/ontology")
SCHEME = URIRef(ns.BASE + "concept/action")
CJK = re.compile(r"[\u4e00-\u9fff]")
RES = ID["resolution/ha-3-4"]


@pytest.fixture(scope="module")
def english() -> Graph:
    return mandates_graph(read_resolution(CORPUS / "resolution_ha-3-4.en.txt"))


@pytest.fixture(scope="module")
def chinese() -> Graph:
    return mandates_graph(read_resolution(CORPUS / "resolution_ha-3-9.zh.txt"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_path(), format="turtle")
    graph += actions_graph()
    return graph


def test_paragraphs_are_nodes_with_akoma_ntoso_numbers(english: Graph) -> None:
    paragraphs = set(english.subjects(RDF.type, HKG.OperativeParagraph))
    assert len(paragraphs) == 11
    sub = URIRef(f"{RES}/op/2/a")
    assert sub in paragraphs
    assert english.value(sub, HKG.eId) == Literal("para_2__subpara_a")
    assert english.value(sub, HKG.operativeNumber) == Literal("2(a)")
    assert english.value(sub, HKG.subParagraphOf) == URIRef(f"{RES}/op/2")
    assert english.value(sub, HKG.operativeParagraphOf) == RES
    assert english.value(sub, HKG.sourceLine) == Literal(19, datatype=XSD.integer)
    welcome = URIRef(f"{RES}/op/7")
    assert english.value(welcome, HKG.action) == ACTION.welcomes
    assert str(english.value(welcome, HKG.text)).startswith("Welcomes the offer")


def test_mandates_with_their_clauses(english: Graph) -> None:
    mandates = set(english.subjects(RDF.type, HKG.Mandate))
    keys = sorted(str(m).rsplit("/", 1)[1] for m in mandates)
    assert keys == ["op-1", "op-2a", "op-2b", "op-3", "op-4", "op-5", "op-6", "op-9"]
    first = ID["mandate/ha-3-4/op-1"]
    assert (RES, HKG.givesMandate, first) in english
    assert english.value(first, HKG.mandatedBy) == RES
    assert english.value(first, PROV.wasDerivedFrom) == URIRef(f"{RES}/op/1")
    assert english.value(first, HKG.addressee) == ID["post/executive-director"]
    assert english.value(first, HKG.action) == ACTION.requests
    assert english.value(first, HKG.dueDate) == Literal("2025-12-31", datatype=XSD.date)
    assert english.value(first, HKG.reportingTo) == ID["org/executive-board"]
    assert english.value(first, HKG.reportingSession) == ID["session/eb-2024-2"]
    assert english.value(first, HKG.resourcesClause) == Literal(
        "within available resources", lang="en"
    )
    assert english.value(first, HKG.hasEndClause) == Literal(False)
    facility = ID["mandate/ha-3-4/op-2a"]
    assert english.value(facility, HKG.hasEndClause) == Literal(True)
    assert "initial period of three years" in str(english.value(facility, HKG.endClause))
    urged = set(english.objects(ID["mandate/ha-3-4/op-5"], HKG.addressee))
    assert urged == {ID["group/member-states"], ID["group/local-authorities"]}
    assert english.value(ID["group/member-states"], RDF.type) == HKG.AddresseeGroup
    assert english.value(ID["mandate/ha-3-4/op-9"], HKG.reportingSession) == ID["session/ha-4"]
    assert (ID["session/ha-4"], HKG.sessionNumber, Literal("4")) in english


def test_the_chinese_text_and_its_clause_for_the_whole_text(chinese: Graph) -> None:
    res = ID["resolution/ha-3-9"]
    assert chinese.value(res, HKG.adoptedAt) == ID["session/ha-3"]
    assert Literal("第3/9号决议", lang="zh") in set(chinese.objects(res, RDFS.label))
    urged = ID["mandate/ha-3-9/op-6"]
    assert chinese.value(urged, HKG.object) == Literal("保护城市居民的个人数据", lang="zh")
    ends = {chinese.value(m, HKG.hasEndClause) for m in chinese.subjects(RDF.type, HKG.Mandate)}
    assert ends == {Literal(True)}
    clause = str(chinese.value(urged, HKG.endClause))
    assert clause.startswith("决定在第五届会议上审查本决议")


def test_a_named_body_on_no_list_is_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "r.en.txt"
    path.write_text(
        "Resolution 4/2: T\n\nThe United Nations Habitat Assembly,\n\n"
        "1. Invites the Global Network of Safer Cities to share its experience;\n",
        encoding="utf-8",
    )
    graph = mandates_graph(read_resolution(path))
    mandate = ID["mandate/ha-4-2/op-1"]
    assert graph.value(mandate, HKG.addresseeName) == Literal(
        "the Global Network of Safer Cities", lang="en"
    )
    assert graph.value(mandate, HKG.addressee) is None


def test_every_term_used_is_declared(english: Graph, chinese: Graph, ontology: Graph) -> None:
    declared = set(ontology.subjects(RDF.type, None))
    for graph in (english, chinese):
        used = {p for _, p, _ in graph if str(p).startswith(str(HKG))}
        used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(str(HKG))}
        assert used - declared == set()
        actions = set(graph.objects(None, HKG.action))
        assert actions and all((a, SKOS.inScheme, SCHEME) in ontology for a in actions)


def test_the_registry_can_be_queried(english: Graph, ontology: Graph) -> None:
    rows = (english + ontology).query(
        """
        SELECT ?op ?label ?due WHERE {
          ?m a hkg:Mandate ; hkg:action/skos:prefLabel ?label ; hkg:dueDate ?due ;
             prov:wasDerivedFrom/hkg:operativeNumber ?op .
          FILTER (LANG(?label) = "zh")
        } ORDER BY ?due
        """,
        initNs={"hkg": HKG, "skos": SKOS, "prov": PROV},
    )
    assert [(str(r.op), str(r.label), str(r.due)) for r in rows] == [
        ("1", "请", "2025-12-31"),
        ("2(b)", "又请", "2026-12-31"),
    ]


def new_terms() -> list[URIRef]:
    graph = actions_graph()
    return sorted(s for s in set(graph.subjects(RDF.type, None)) if str(s).startswith(str(HKG)))


@pytest.mark.parametrize("term", new_terms(), ids=lambda t: str(t).rsplit("#", 1)[1])
def test_new_terms_are_documented_once(term: URIRef) -> None:
    graph = actions_graph()
    kinds = [
        k
        for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        if (term, RDF.type, k) in graph
    ]
    assert len(kinds) == 1
    labels = {label.language: str(label) for label in graph.objects(term, RDFS.label)}
    assert set(labels) == {"en", "zh"} and CJK.search(labels["zh"])
    assert any(c.language == "en" for c in graph.objects(term, RDFS.comment))
    assert (term, RDFS.isDefinedBy, ONTOLOGY) in graph
    existing = Graph().parse(ontology_path(), format="turtle")
    assert (term, None, None) not in existing, "declared in habitat.ttl already"


def test_action_concepts_follow_the_scheme_form() -> None:
    graph = actions_graph()
    concepts = set(graph.subjects(SKOS.inScheme, SCHEME))
    assert len(concepts) == 17
    assert set(graph.objects(SCHEME, SKOS.hasTopConcept)) == concepts
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert (concept, SKOS.topConceptOf, SCHEME) in graph
        for language in ("en", "zh"):
            assert (
                len([x for x in graph.objects(concept, SKOS.prefLabel) if x.language == language])
                == 1
            )
        assert any(d.language == "en" for d in graph.objects(concept, SKOS.definition))
    members = set(graph.objects(URIRef(f"{SCHEME}/requesting"), SKOS.member))
    assert members < concepts
    # One opening, one action: no label may name two concepts.
    openings: dict[str, URIRef] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for concept, label in graph.subject_objects(predicate):
            if concept in concepts:
                assert openings.setdefault(str(label).lower(), concept) == concept, label


def test_the_scheme_ships_beside_the_ontology() -> None:
    assert actions_path().parent == ontology_path().parent
    assert (UNDO_RELATION := URIRef(str(ns.UNDO) + "Relation")) in set(
        actions_graph().objects(HKG.Mandate, SKOS.closeMatch)
    ), UNDO_RELATION
