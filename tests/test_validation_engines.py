"""The sparql engine gives pySHACL's results: on every SHACL Core component, on every example of
the bundled shapes, on the built graph and on a synthetic graph of 10,000 triples.

Results are compared whole: focus node, severity, shape, component, path, value and both
messages (shapes without sh:message are compared without messages: the engines word their
generic messages differently).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph

from habitat_kg.graph.build import BuildResult
from habitat_kg.server.store import Store, open_dataset
from habitat_kg.shapes.validation.data import graph_from_files, store_of
from habitat_kg.shapes.validation.report import Finding, build_report
from habitat_kg.shapes.validation.run import run_validation
from habitat_kg.shapes.validation.shape_model import COMPONENTS
from habitat_kg.shapes.validation.shapes import ShapesError, load_shapes

ENGINES_DIR = Path(__file__).parent / "engines"
EXAMPLES = Path(__file__).parent / "shapes"
SESSION = date(2020, 10, 27)

#: Where the sparql engine follows the SHACL specification and pySHACL does not: an ill-typed
#: literal ("x"^^xsd:nonNegativeInteger) cannot be compared with sh:minExclusive's 0, so
#: "$minExclusive < $value" is not true and the value fails (SHACL 4.3.1); pySHACL lets it pass.
SPEC_OVER_PYSHACL = {
    (
        "http://example.org/bob",
        "http://example.org/Person-score",
        "MinExclusive",
        '"x"^^xsd:nonNegativeInteger',
    )
}


def findings(store: Store, shapes: Graph, engine: str) -> set[tuple]:
    report = build_report(run_validation(store, shapes, SESSION, engine), "test")
    return {_key(finding) for finding in report.findings()}


def _key(finding: Finding) -> tuple:
    shape = "_:" if finding.shape.startswith("_:") else finding.shape  # blank nodes differ
    return (
        finding.focus,
        finding.severity,
        shape,
        finding.component,
        finding.path,
        finding.value,
        finding.message_en,
        finding.message_zh,
    )


def without_messages(keys: set[tuple]) -> set[tuple]:
    return {key[:6] for key in keys}


@pytest.fixture(scope="module")
def core() -> tuple[Store, Graph]:
    shapes = Graph().parse(
        data=(ENGINES_DIR / "core-shapes.ttl").read_text(encoding="utf-8"), format="turtle"
    )
    return store_of(graph_from_files([ENGINES_DIR / "core-data.ttl"])), shapes


def test_every_core_component_gives_pyshacls_results(core: tuple[Store, Graph]) -> None:
    store, shapes = core
    ours = without_messages(findings(store, shapes, "sparql"))
    theirs = without_messages(findings(store, shapes, "pyshacl"))
    differences = {(k[0], k[2], k[3], k[5]) for k in ours ^ theirs}
    assert differences == SPEC_OVER_PYSHACL
    assert len(ours) > 70


def test_the_core_example_breaks_every_component(core: tuple[Store, Graph]) -> None:
    """So that the comparison above covers each component (it would pass on no results)."""
    store, shapes = core
    found = {key[3] for key in findings(store, shapes, "sparql")}
    assert found == {component.name for component in COMPONENTS}


def test_a_deactivated_shape_gives_nothing(core: tuple[Store, Graph]) -> None:
    store, shapes = core
    shapes_found = {key[2] for key in findings(store, shapes, "sparql")}
    assert "http://example.org/Retired-name" not in shapes_found


def example_files() -> list[Path]:
    return sorted(EXAMPLES.glob("*.ttl"))


@pytest.mark.parametrize("example", example_files(), ids=lambda path: path.stem)
def test_every_example_gives_the_same_results_in_both_engines(example: Path) -> None:
    store = store_of(graph_from_files([example]))
    shapes = load_shapes(session=SESSION)
    assert findings(store, shapes, "sparql") == findings(store, shapes, "pyshacl")


def test_the_built_graph_gives_the_same_results_in_both_engines(built: BuildResult) -> None:
    store = open_dataset(built.out_dir / "habitat-kg.trig")
    shapes = load_shapes(session=SESSION)
    ours = findings(store, shapes, "sparql")
    assert ours == findings(store, shapes, "pyshacl")
    recorded = (Path(__file__).parent / "data" / "validation-findings.txt").read_text("utf-8")
    assert len(ours) == sum(1 for line in recorded.splitlines() if line and line[0] != "#")


def test_a_synthetic_graph_gives_the_same_results_in_both_engines(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # benchmarks/ is a folder of the repository, not installed (plain `pytest` does not add it)
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))
    from benchmarks.generate import generate

    dataset = generate(10_000, tmp_path, seed=3, data=built.out_dir)
    store = open_dataset(dataset)
    shapes = load_shapes(session=SESSION)
    ours = findings(store, shapes, "sparql")
    assert ours == findings(store, shapes, "pyshacl")
    assert len(ours) > 50


def test_a_shape_beyond_shacl_core_is_refused_by_name(tmp_path: Path) -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
        """,
        format="turtle",
    )
    store = store_of(Graph())
    with pytest.raises(
        ShapesError, match=r"<http://example.org/S> uses sh:sparql.*--engine pyshacl"
    ):
        run_validation(store, shapes, SESSION, "sparql")


def test_a_shape_that_refers_to_itself_is_refused() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:S .
        """,
        format="turtle",
    )
    with pytest.raises(ShapesError, match="refers to itself"):
        run_validation(store_of(Graph()), shapes, SESSION, "sparql")


def test_a_focus_node_outside_the_data_is_its_own_value_on_a_path_that_can_be_empty() -> None:
    """SHACL 2.3.1: ``p*`` and ``p?`` reach the focus node itself; SPARQL's zero-length step
    only starts from the nodes of the data, and ex:nobody and "text" are not in it."""
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:PropertyShape ; sh:targetNode ex:nobody, "text" ;
            sh:path [ sh:zeroOrMorePath ex:p ] ; sh:nodeKind sh:BlankNode .
        ex:U a sh:PropertyShape ; sh:targetNode ex:nobody ;
            sh:path [ sh:zeroOrOnePath ex:p ] ; sh:hasValue ex:nobody ; sh:maxCount 1 .
        """,
        format="turtle",
    )
    store = store_of(
        Graph().parse(data="<http://example.org/a> <http://example.org/p> 1 .", format="turtle")
    )
    ours = findings(store, shapes, "sparql")
    assert {(key[0], key[2], key[3], key[5]) for key in ours} == {
        (
            "http://example.org/nobody",
            "http://example.org/S",
            "NodeKind",
            "<http://example.org/nobody>",
        ),
        ("text", "http://example.org/S", "NodeKind", '"text"'),
    }
    assert without_messages(ours) == without_messages(findings(store, shapes, "pyshacl"))
