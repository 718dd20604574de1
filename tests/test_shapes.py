"""Every shape, checked on examples: ``tests/shapes/<Shape>-valid.ttl`` gives no result from the
shape, each ``<Shape>-invalid-NN.ttl`` exactly the results it lists.

An example lists what it should give as ``[] a t:Expected ; t:focus ... ; t:path "..." ;
t:severity ... ; t:shape ...`` (the path written as a SPARQL property path, none for a rule on
the thing itself); ``[] t:session "YYYY-MM-DD"^^xsd:date`` sets the session date (2020-10-27 if
not). The examples are found by name, so a shape without examples fails a test here.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from habitat_kg.namespaces import HKG
from habitat_kg.ontology import graph as ontology_graph
from habitat_kg.shapes import SHAPES
from habitat_kg.shapes.validation.data import graph_from_files, store_of
from habitat_kg.shapes.validation.report import build_report
from habitat_kg.shapes.validation.run import ENGINES, run_validation
from habitat_kg.shapes.validation.shapes import load_shapes

EXAMPLES = Path(__file__).parent / "shapes"
T = Namespace("https://w3id.org/habitat-kg/test#")
HKGSH = Namespace(SHAPES)
DEFAULT_SESSION = date(2020, 10, 27)
EXAMPLE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+)-(?P<kind>valid|invalid-\d{2})\.ttl$")

#: Predicates of a node shape that are not constraints on the thing itself.
NOT_NODE_CONSTRAINTS = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.severity,
    SH.message,
    SH.deactivated,
    RDF.type,
    RDFS.label,
    RDFS.comment,
}


@cache
def shapes_graph(session: date) -> Graph:
    return load_shapes(session=session)


@cache
def targeted_shapes() -> dict[str, URIRef]:
    """The shapes with a target, by local name."""
    graph = shapes_graph(DEFAULT_SESSION)
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    shapes = {s for p in targets for s in graph.subjects(p, None)}
    return {str(shape).removeprefix(SHAPES): shape for shape in shapes}


@cache
def families() -> dict[str, frozenset[str]]:
    """Each shape with a target, by local name: its IRI and the IRIs of its property shapes."""
    graph = shapes_graph(DEFAULT_SESSION)
    return {
        name: frozenset({str(shape), *(str(p) for p in graph.objects(shape, SH.property))})
        for name, shape in targeted_shapes().items()
    }


def has_node_constraints(shape: str) -> bool:
    graph = shapes_graph(DEFAULT_SESSION)
    return any(p not in NOT_NODE_CONSTRAINTS for p in graph.predicates(URIRef(shape), None))


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.ttl"))


def expectations(data: Graph) -> Counter[tuple[str, str | None, str, str]]:
    expected: Counter[tuple[str, str | None, str, str]] = Counter()
    for node in data.subjects(RDF.type, T.Expected):
        path = data.value(node, T.path)
        expected[
            (
                str(data.value(node, T.focus)),
                str(path) if path is not None else None,
                str(data.value(node, T.severity)).removeprefix(str(SH)),
                str(data.value(node, T.shape)),
            )
        ] += 1
    return expected


def session_of(data: Graph) -> date:
    value = next(data.objects(None, T.session), None)
    return value.toPython() if isinstance(value, Literal) else DEFAULT_SESSION


def without_expectations(data: Graph) -> Graph:
    """The example's data: everything but what it says about its own results."""
    notes = set(data.subjects(RDF.type, T.Expected)) | set(data.subjects(T.session, None))
    clean = Graph()
    for s, p, o in data:
        if s not in notes:
            clean.add((s, p, o))
    return clean


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", example_files(), ids=lambda path: path.stem)
def test_example_gives_exactly_its_results(example: Path, engine: str) -> None:
    name = EXAMPLE_NAME.match(example.name)
    assert name, f"{example.name}: name it <Shape>-valid.ttl or <Shape>-invalid-NN.ttl"
    family = families()[name["shape"]]
    data = graph_from_files([example])
    expected = expectations(data)
    session = session_of(data)
    store = store_of(without_expectations(data))
    validation = run_validation(store, shapes_graph(session), session, engine)
    report = build_report(validation, example.name)
    found = Counter(
        (f.focus, f.path, f.severity, f.shape) for f in report.findings() if f.shape in family
    )
    assert found == expected
    if name["kind"] == "valid":
        assert not expected, "a valid example expects no result"
    else:
        assert expected, "an invalid example expects at least one result"


def test_every_shape_has_a_valid_and_an_invalid_example() -> None:
    names = {path.name for path in example_files()}
    missing = [
        f"{shape}-{kind}.ttl"
        for shape in sorted(families())
        for kind in ("valid", "invalid-01")
        if f"{shape}-{kind}.ttl" not in names
    ]
    assert missing == []


def test_every_example_is_of_a_shape() -> None:
    strays = [
        path.name
        for path in example_files()
        if not (m := EXAMPLE_NAME.match(path.name)) or m["shape"] not in families()
    ]
    assert strays == []


def test_the_invalid_examples_break_every_rule_of_their_shape() -> None:
    """Across its invalid examples, each property shape (and the node shape itself, where it
    has rules of its own) gives at least one result."""
    exercised: dict[str, set[str]] = {}
    for path in example_files():
        name = EXAMPLE_NAME.match(path.name)
        if name and name["kind"] != "valid":
            shapes = {shape for *_, shape in expectations(graph_from_files([path]))}
            exercised.setdefault(name["shape"], set()).update(shapes)
    unexercised = {
        shape: sorted(
            s
            for s in family
            if s not in exercised.get(shape, set())
            and (s != str(targeted_shapes()[shape]) or has_node_constraints(s))
        )
        for shape, family in families().items()
    }
    assert {shape: gaps for shape, gaps in unexercised.items() if gaps} == {}


def test_every_reporting_shape_has_a_severity_and_messages_in_english_and_chinese() -> None:
    graph = shapes_graph(DEFAULT_SESSION)
    lacking = []
    for name, family in families().items():
        node_shape = str(targeted_shapes()[name])
        for shape in family:
            if shape == node_shape and not has_node_constraints(shape):
                continue  # a node shape that only holds property shapes never reports itself
            languages = {m.language for m in graph.objects(URIRef(shape), SH.message)}
            if graph.value(URIRef(shape), SH.severity) is None or not {"en", "zh"} <= languages:
                lacking.append(shape)
    assert sorted(lacking) == []


def test_every_class_of_the_ontology_is_checked_by_a_shape() -> None:
    """Each class is the target of a shape, itself or through a class it is a subclass of."""
    ontology = ontology_graph()  # every file of the ontology, as the one loader reads it
    graph = shapes_graph(DEFAULT_SESSION)
    targeted = set(graph.objects(None, SH.targetClass))
    classes = [c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith(str(HKG))]
    unchecked = [
        c for c in classes if not targeted & set(ontology.transitive_objects(c, RDFS.subClassOf))
    ]
    assert len(classes) > 70
    assert unchecked == []


def test_the_session_date_is_filled_in_everywhere() -> None:
    graph = shapes_graph(date(2021, 1, 1))
    placeholders = [
        o for o in graph.objects() if isinstance(o, Literal) and "SessionDate" in str(o.datatype)
    ]
    dates = {o for o in graph.objects(None, SH.minInclusive)} | set(
        graph.objects(None, SH.minExclusive)
    )
    assert placeholders == []
    assert Literal(date(2021, 1, 1)) in dates
