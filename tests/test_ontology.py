"""Checks of the ontology file (ontology/habitat.ttl): syntax, declarations, labels, schemes.

Most tests are parametrized over the terms of the file, so that a failure names the term.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS

from habitat_kg import namespaces as ns

TTL = Path(__file__).parents[1] / "ontology" / "habitat.ttl"
ONTOLOGY = URIRef("https://w3id.org/habitat-kg/ontology")
HKG = ns.HKG
ORG, PROV, SCHEMA, TIME, UNDO = ns.ORG, ns.PROV, ns.SCHEMA, ns.TIME, ns.UNDO
CONCEPT = Namespace(ns.BASE + "concept/")

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _words(text: str) -> list[str]:
    return text.split()


# The terms other people write data against: none of them may go missing.
EXPECTED_CLASSES = _words("""
GoverningBody Bureau WorkingGroup Secretariat Post
ResolutionOrDecision Resolution Decision Mandate
ProgressReport ReportPart ReportSection Paragraph SubParagraph Footnote TemporalExpression Statement
Activity
Organization UNEntity Fund Network University CivilSocietyOrganization LocalGovernmentAssociation
Initiative OrganizationalUnit Division Branch Unit Office Committee AdvisoryGroup
Place Country MemberState Region City
Event Meeting Session ExpertGroupMeeting Workshop Webinar Forum Conference Campaign Observance
EventSeries LectureSeries WebinarSeries
Document UNDocument Agenda ConceptNote TermsOfReference Evaluation FundingProposal PositionPaper
Survey GlobalAgenda
Product Strategy StrategicPlan ActionPlan Handbook Platform Catalogue Policy Guidelines Framework
IndicatorSet TrainingCourse Programme Project Mechanism Topic
""")

EXPECTED_OBJECT_PROPERTIES = _words("""
sessionOf resumedSessionOf adoptedAt adoptedBy givesMandate mandatedBy submittedTo postIn
status forMandate forResolution responsibleUnit partner funder organizer participant place
deliveryMode atEvent partOf produced obstacle forSession forNextSessionOf reportsOn datePrecision
basedIn inCountry inRegion
about implements buildsOn revises publishedOn preparedBy presentedBy presentedAt
inReport inSection mentionsDate citesDocument refersTo concerns mentions footnoteOf
""")

EXPECTED_DATATYPE_PROPERTIES = _words("""
acronym symbol resolutionNumber iso3166Alpha2 iso3166Alpha3 m49Code subdivisionCode
sessionNumber operativeRequest agendaItem outcome reason nextStep
startDate endDate dueDate coversPeriodStart coversPeriodEnd
text sectionNumber paragraphNumber subParagraphLabel footnoteMarker sourceLine sourceFile
sourceChecksum language
count numberOfResolutionsAdopted numberOfResolutionsReported numberOfDecisionsReported
numberOfProjectDocumentsReviewed numberOfConceptNotesReviewed numberOfLecturers
minimumNumberOfCountries numberOfStaff numberOfProjectAreas numberOfEvents numberOfMeetings
seasonNumber durationInDays numberOfParticipants numberOfCountries numberOfCities
numberOfDocuments figureValue
""")

FIGURES = EXPECTED_DATATYPE_PROPERTIES[EXPECTED_DATATYPE_PROPERTIES.index("count") + 1 :]

EXPECTED_SCHEMES = {
    "status": "completed ongoing planned stalled postponed no-progress",
    "role": "lead partner funder organizer co-organizer host participant contributor presenter "
    "member board-member chair co-chair secretariat",
    "mode": "online in-person hybrid",
    "obstacle": "covid-19 insufficient-resources consultations-not-possible",
    "precision": "day day-range month month-range part-of-month half-year year year-range "
    "end-of-year",
}

# (hkg term, property, external term) that the design requires.
ALIGNMENTS = [
    (HKG.Resolution, RDFS.subClassOf, UNDO.Resolution),
    (HKG.Decision, RDFS.subClassOf, UNDO.Decision),
    (HKG.ProgressReport, RDFS.subClassOf, UNDO.ProgressReport),
    (HKG.OrganizationalUnit, RDFS.subClassOf, ORG.OrganizationalUnit),
    (HKG.WorkingGroup, RDFS.subClassOf, ORG.OrganizationalUnit),
    (HKG.Bureau, RDFS.subClassOf, ORG.OrganizationalUnit),
    (HKG.Secretariat, RDFS.subClassOf, ORG.OrganizationalUnit),
    (HKG.GoverningBody, RDFS.subClassOf, ORG.FormalOrganization),
    (HKG.Organization, RDFS.subClassOf, ORG.FormalOrganization),
    (HKG.Post, RDFS.subClassOf, ORG.Post),
    (HKG.Activity, RDFS.subClassOf, PROV.Activity),
    (HKG.Event, RDFS.subClassOf, PROV.Activity),
    (HKG.Event, RDFS.subClassOf, SCHEMA.Event),
    (HKG.Mandate, RDFS.subClassOf, PROV.Plan),
    (HKG.ResolutionOrDecision, RDFS.subClassOf, PROV.Entity),
    (HKG.Place, RDFS.subClassOf, SCHEMA.Place),
    (HKG.Place, RDFS.subClassOf, PROV.Location),
    (HKG.TemporalExpression, RDFS.subClassOf, TIME.TemporalEntity),
    (HKG.Statement, RDFS.subClassOf, RDF.Statement),
    (HKG.Topic, RDFS.subClassOf, SKOS.Concept),
    (HKG.postIn, RDFS.subPropertyOf, ORG.postIn),
    (HKG.responsibleUnit, RDFS.subPropertyOf, PROV.wasAssociatedWith),
    (HKG.partner, RDFS.subPropertyOf, PROV.wasAssociatedWith),
    (HKG.organizer, RDFS.subPropertyOf, SCHEMA.organizer),
    (HKG.forResolution, RDFS.subPropertyOf, PROV.wasInfluencedBy),
    (HKG.place, RDFS.subPropertyOf, PROV.atLocation),
    (HKG.produced, RDFS.subPropertyOf, PROV.generated),
    (HKG.inReport, RDFS.subPropertyOf, DCTERMS.isPartOf),
    (HKG.startDate, RDFS.subPropertyOf, SCHEMA.startDate),
    (HKG.iso3166Alpha3, RDFS.subPropertyOf, SKOS.notation),
    (ns.OBSTACLE["covid-19"], SKOS.closeMatch, ns.WD.Q81068910),
]


@cache
def _graph() -> Graph | None:
    """The parsed file, or None if it does not parse (test_parses then says why)."""
    try:
        return Graph().parse(data=TTL.read_text(encoding="utf-8"), format="turtle")
    except Exception:
        return None


def _hkg_terms() -> list[URIRef]:
    """Every hkg: IRI that occurs anywhere in the file (subject, predicate or object)."""
    graph = _graph()
    if graph is None:
        return []
    found = {node for triple in graph for node in triple if _is_hkg(node)}
    return sorted(found)


def _concepts() -> list[URIRef]:
    graph = _graph()
    if graph is None:
        return []
    found = set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(SKOS.inScheme))
    found |= {o for o in graph.objects(None, SKOS.hasTopConcept) if isinstance(o, URIRef)}
    return sorted(c for c in found if isinstance(c, URIRef) and not _is_hkg(c))


def _is_hkg(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(HKG))


def _short(term: URIRef) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def graph() -> Graph:
    loaded = _graph()
    assert loaded is not None, f"{TTL} does not parse"
    return loaded


def test_parses() -> None:
    Graph().parse(
        data=TTL.read_text(encoding="utf-8"), format="turtle"
    )  # raises with the parser's message if it does not


def test_package_path_is_the_file() -> None:
    from habitat_kg import ontology

    assert ontology.path().read_bytes() == TTL.read_bytes()


def test_ontology_header(graph: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY, OWL.versionInfo) == Literal("0.1.0")
    titles = {t.language for t in graph.objects(ONTOLOGY, DCTERMS.title)}
    assert {"en", "zh"} <= titles
    assert graph.value(ONTOLOGY, DCTERMS.description) is not None
    assert isinstance(graph.value(ONTOLOGY, DCTERMS.license), URIRef)


def test_header_comment_explains_reuse() -> None:
    header = TTL.read_text(encoding="utf-8").split("@prefix", 1)[0]
    for prefix in ("org:", "prov:", "dcterms:", "skos:", "schema:", "time:", "undo:", "sdg:"):
        assert prefix in header, f"the header comment says nothing about {prefix}"
    assert "subClassOf" in header and "closeMatch" in header


@pytest.mark.parametrize("name", EXPECTED_CLASSES)
def test_expected_class_declared(graph: Graph, name: str) -> None:
    assert (HKG[name], RDF.type, OWL.Class) in graph


@pytest.mark.parametrize("name", EXPECTED_OBJECT_PROPERTIES)
def test_expected_object_property_declared(graph: Graph, name: str) -> None:
    assert (HKG[name], RDF.type, OWL.ObjectProperty) in graph


@pytest.mark.parametrize("name", EXPECTED_DATATYPE_PROPERTIES)
def test_expected_datatype_property_declared(graph: Graph, name: str) -> None:
    assert (HKG[name], RDF.type, OWL.DatatypeProperty) in graph


def test_hkg_terms_found() -> None:
    expected = len(EXPECTED_CLASSES + EXPECTED_OBJECT_PROPERTIES + EXPECTED_DATATYPE_PROPERTIES)
    assert len(_hkg_terms()) >= expected


@pytest.mark.parametrize("term", _hkg_terms(), ids=_short)
def test_term_has_exactly_one_declaration(graph: Graph, term: URIRef) -> None:
    kinds = [k for k in DECLARATION_TYPES if (term, RDF.type, k) in graph]
    assert len(kinds) == 1, f"{term} is declared as {kinds}"


@pytest.mark.parametrize("term", _hkg_terms(), ids=_short)
def test_term_is_documented(graph: Graph, term: URIRef) -> None:
    labels = list(graph.objects(term, RDFS.label))
    en = [x for x in labels if isinstance(x, Literal) and x.language == "en"]
    zh = [x for x in labels if isinstance(x, Literal) and x.language == "zh"]
    assert len(en) == 1, f"{term}: {len(en)} English labels"
    assert len(zh) == 1, f"{term}: {len(zh)} Chinese labels"
    assert CJK.search(str(zh[0])), f"{term}: the zh label {zh[0]!r} has no Chinese characters"
    comments = [
        c
        for c in graph.objects(term, RDFS.comment)
        if isinstance(c, Literal) and c.language == "en"
    ]
    assert comments and all(str(c).strip() for c in comments), f"{term}: no English comment"
    assert (term, RDFS.isDefinedBy, ONTOLOGY) in graph


def _axiom_objects(graph: Graph, predicate: URIRef) -> list[tuple[URIRef, URIRef]]:
    """(subject, object) of ``predicate``, with the members of owl:unionOf lists unfolded."""
    pairs = []
    for subject, obj in graph.subject_objects(predicate):
        if isinstance(obj, BNode):
            for union in graph.objects(obj, OWL.unionOf):
                pairs.extend((subject, member) for member in Collection(graph, union))
        else:
            pairs.append((subject, obj))
    return pairs


AXIOMS = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf)


@pytest.mark.parametrize("predicate", AXIOMS, ids=_short)
def test_hkg_terms_in_axioms_are_declared(graph: Graph, predicate: URIRef) -> None:
    undeclared = [
        (s, o)
        for s, o in _axiom_objects(graph, predicate)
        if _is_hkg(o) and not any((o, RDF.type, k) in graph for k in DECLARATION_TYPES)
    ]
    assert not undeclared, f"undeclared terms used with {predicate}: {undeclared}"


@pytest.mark.parametrize("predicate", (RDFS.domain, RDFS.range), ids=_short)
def test_domain_and_range_are_not_blank_except_unions(graph: Graph, predicate: URIRef) -> None:
    for subject, obj in graph.subject_objects(predicate):
        if isinstance(obj, BNode):
            assert graph.value(obj, OWL.unionOf) is not None, f"{subject}: odd {predicate}"


@pytest.mark.parametrize("term", sorted(HKG[n] for n in EXPECTED_OBJECT_PROPERTIES), ids=_short)
def test_object_property_range_is_not_a_datatype(graph: Graph, term: URIRef) -> None:
    for rng in graph.objects(term, RDFS.range):
        assert not str(rng).startswith(str(XSD)) and rng != RDF.langString, f"{term}: {rng}"


@pytest.mark.parametrize("term", sorted(HKG[n] for n in EXPECTED_DATATYPE_PROPERTIES), ids=_short)
def test_datatype_property_range_is_a_datatype(graph: Graph, term: URIRef) -> None:
    for rng in graph.objects(term, RDFS.range):
        assert str(rng).startswith(str(XSD)) or rng == RDF.langString, f"{term}: {rng}"


@pytest.mark.parametrize("name", FIGURES)
def test_figures_are_integer_counts(graph: Graph, name: str) -> None:
    assert (HKG[name], RDFS.subPropertyOf, HKG["count"]) in graph
    assert (HKG[name], RDFS.range, XSD.integer) in graph


@pytest.mark.parametrize(
    ("subject", "predicate", "obj"), ALIGNMENTS, ids=lambda t: _short(t) if t else ""
)
def test_alignment_present(graph: Graph, subject: URIRef, predicate: URIRef, obj: URIRef) -> None:
    assert (subject, predicate, obj) in graph


def test_no_external_term_is_redefined(graph: Graph) -> None:
    outside = sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and not s.startswith(ns.BASE)}
    )
    assert not outside, f"statements about external terms: {outside}"


def test_no_literal_is_typed_xsd_string(graph: Graph) -> None:
    typed = [(s, p, o) for s, p, o in graph if isinstance(o, Literal) and o.datatype == XSD.string]
    assert not typed, typed


@pytest.mark.parametrize("scheme", sorted(EXPECTED_SCHEMES))
def test_scheme_has_exactly_the_expected_concepts(graph: Graph, scheme: str) -> None:
    scheme_iri = URIRef(CONCEPT + scheme)
    assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in graph
    members = {c for c in graph.subjects(SKOS.inScheme, scheme_iri)}
    expected = {URIRef(f"{CONCEPT}{scheme}/{name}") for name in EXPECTED_SCHEMES[scheme].split()}
    assert members == expected
    assert set(graph.objects(scheme_iri, SKOS.hasTopConcept)) == expected
    labels = {x.language for x in graph.objects(scheme_iri, SKOS.prefLabel)}
    assert {"en", "zh"} <= labels


@pytest.mark.parametrize("concept", _concepts(), ids=lambda c: str(c)[len(CONCEPT) :])
def test_concept_is_labelled_and_in_its_scheme(graph: Graph, concept: URIRef) -> None:
    assert (concept, RDF.type, SKOS.Concept) in graph
    for lang in ("en", "zh"):
        labels = [x for x in graph.objects(concept, SKOS.prefLabel) if x.language == lang]
        assert len(labels) == 1, f"{concept}: {len(labels)} prefLabels @{lang}"
    assert any(d.language == "en" for d in graph.objects(concept, SKOS.definition))
    scheme = URIRef(str(concept).rsplit("/", 1)[0])
    assert (concept, SKOS.inScheme, scheme) in graph
    assert (concept, SKOS.topConceptOf, scheme) in graph
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph


@pytest.mark.parametrize("concept", sorted(ns.ROLE[n] for n in EXPECTED_SCHEMES["role"].split()))
def test_role_concepts_are_prov_roles(graph: Graph, concept: URIRef) -> None:
    assert (concept, RDF.type, PROV.Role) in graph


def _examples() -> str:
    """The commented usage examples at the end of the file, uncommented, from their @base line."""
    block = TTL.read_text(encoding="utf-8").split("# Usage examples", 1)[1]
    lines = [line.removeprefix("#").removeprefix(" ") for line in block.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("@base"))
    return "\n".join(line for line in lines[start:] if not line.startswith("Example"))


def test_usage_examples_parse_and_use_declared_terms(graph: Graph) -> None:
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in ns.PREFIXES.items())
    examples = Graph().parse(data=prefixes + _examples(), format="turtle")
    assert len(examples) >= 20
    assert any(examples.subjects(RDF.type, HKG.Statement))
    assert any(examples.objects(None, PROV.hadRole))
    used = {node for triple in examples for node in triple if _is_hkg(node)}
    undeclared = [t for t in used if not any((t, RDF.type, k) in graph for k in DECLARATION_TYPES)]
    assert not undeclared, undeclared
