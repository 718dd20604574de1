"""The W3C SHACL Core test suite (``tests/w3c-shacl-core``, see its README) run as a peer would run
it: each Validate test through ``habitat-kg validate DATA --shapes SHAPES --format turtle``, with
both engines, the report compared with the one the test expects.

A result is compared by its focus node, constraint component, severity, value, path and the
shape it comes from, as a multiset, and the report by sh:conforms. A path is compared by
structure: written out as the tree of its terms, so that ``sh:resultPath ( ex:p ex:q )`` matches
whatever blank nodes either side chose. A focus node, value or shape that is a blank node
compares as "a blank node": a report names it, but cannot spell it (its triples are in the data
or the shapes). Each test runs in this process (click's runner): one process per test would
take minutes; one test runs as a separate ``habitat-kg`` process, as a peer would run it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from habitat_kg.cli import main
from habitat_kg.shapes.validation.data import literals_as_written

SUITE = Path(__file__).parent / "w3c-shacl-core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")

#: What a result is compared by (SHACL 3.6.2): the messages are free text, and not compared.
COMPARED = (
    SH.focusNode,
    SH.sourceConstraintComponent,
    SH.resultSeverity,
    SH.value,
    SH.resultPath,
    SH.sourceShape,
)

#: The tests pySHACL fails, with the reason (strict: each must still fail).
PYSHACL_FAILURES = {
    "property/uniqueLang-002.ttl": 'pySHACL takes sh:uniqueLang "1"^^xsd:boolean for true: it '
    "reads the value where SHACL names the literal true, and the constraint is not to apply",
}

#: The tests where the sparql engine hands a shape over to pySHACL, and why; in every other test
#: it runs every shape itself.
HANDED_OVER = {
    "property/datatype-ill-formed.ttl": 'the store holds "300"^^xsd:byte as an xsd:integer, '
    "and the shape reads datatypes",
}


def suite_files() -> list[Path]:
    """Every test file of the suite that holds a Validate test (the manifests only list them)."""
    return sorted(
        path for path in SUITE.rglob("*.ttl") if "sht:Validate" in path.read_text(encoding="utf-8")
    )


def parse(path: Path) -> Graph:
    with literals_as_written():  # "none"^^xsd:boolean, not rdflib's "false"
        return Graph().parse(path, format="turtle")


def the_test(path: Path) -> tuple[Path, Path, Graph, Node]:
    """(data file, shapes file, the manifest graph, its expected report) of the test in ``path``."""
    manifest = parse(path)
    tests = list(manifest.subjects(RDF.type, SHT.Validate))
    assert len(tests) == 1, f"{path}: one Validate test per file"
    action = manifest.value(tests[0], MF.action)
    data, shapes = (manifest.value(action, key) for key in (SHT.dataGraph, SHT.shapesGraph))
    expected = manifest.value(tests[0], MF.result)
    assert expected is not None
    return _file(data), _file(shapes), manifest, expected


def _file(iri: Node | None) -> Path:
    assert isinstance(iri, URIRef)
    return Path(str(iri).removeprefix("file://"))


def canonical_results(graph: Graph, report: Node) -> Counter[tuple[str, ...]]:
    """Each result of ``report`` in canonical form (see the module's docstring), counted."""
    found: Counter[tuple[str, ...]] = Counter()
    for result in graph.objects(report, SH.result):
        found[tuple(_canonical(graph, result, predicate) for predicate in COMPARED)] += 1
    return found


def _canonical(graph: Graph, result: Node, predicate: URIRef) -> str:
    values = sorted(
        spelled_path(graph, value) if predicate == SH.resultPath else _term(value)
        for value in graph.objects(result, predicate)
    )
    return " ".join(values) or "-"


def _term(node: Node) -> str:
    return "a blank node" if isinstance(node, BNode) else node.n3()


def spelled_path(graph: Graph, path: Node) -> str:
    """A SHACL property path as the tree of its terms: the same text for the same path whatever
    blank nodes spell it (and whether or not two of its steps share one)."""
    if not isinstance(path, BNode):
        return path.n3()
    if (path, RDF.first, None) in graph:
        return "(" + " ".join(spelled_path(graph, step) for step in graph.items(path)) + ")"
    forms = sorted(
        f"[{predicate.n3()} {spelled_path(graph, inner)}]"
        for predicate, inner in graph.predicate_objects(path)
    )
    return " ".join(forms)


def conforms(graph: Graph, report: Node) -> bool:
    value = graph.value(report, SH.conforms)
    assert isinstance(value, Literal), "the report says whether the data conforms"
    return bool(value.value)


def validate(data: Path, shapes: Path, engine: str) -> tuple[int, str, str]:
    """``habitat-kg validate`` run in this process (a new process per test would take minutes)."""
    outcome = CliRunner().invoke(
        main,
        ["validate", str(data), "--shapes", str(shapes), "--format", "turtle", "--engine", engine],
    )
    return outcome.exit_code, outcome.stdout, outcome.stderr


CASES = [
    pytest.param(
        path,
        engine,
        id=f"{engine}-{path.relative_to(SUITE).with_suffix('')}",
        marks=[pytest.mark.xfail(strict=True, reason=PYSHACL_FAILURES[key])]
        if engine == "pyshacl" and (key := str(path.relative_to(SUITE))) in PYSHACL_FAILURES
        else [],
    )
    for path in suite_files()
    for engine in ("sparql", "pyshacl")
]


@pytest.mark.parametrize(("path", "engine"), CASES)
def test_the_engine_gives_the_report_the_suite_expects(path: Path, engine: str) -> None:
    data, shapes, manifest, expected = the_test(path)
    status, turtle, errors = validate(data, shapes, engine)
    assert errors == "", "nothing on stderr"
    assert status in (0, 1), turtle
    with literals_as_written():
        report_graph = Graph().parse(data=turtle, format="turtle")
    report = report_graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert report is not None
    assert conforms(report_graph, report) == conforms(manifest, expected)
    assert status == (0 if conforms(manifest, expected) else 1)
    assert canonical_results(report_graph, report) == canonical_results(manifest, expected)
    comments = [line for line in turtle.splitlines() if line.startswith("# ")]
    handed = str(path.relative_to(SUITE)) in HANDED_OVER
    assert ("ran in pySHACL" in comments[0]) == (engine == "sparql" and handed), comments


def test_the_suite_is_all_there() -> None:
    """98 Validate tests; the manifests list every file that holds one."""
    assert len(suite_files()) == 98


def test_the_command_itself_gives_the_report_the_suite_expects() -> None:
    """node/class-003 (an untyped node fails two sh:class: two results) through the installed
    ``habitat-kg`` command, in a process of its own."""
    path = SUITE / "node" / "class-003.ttl"
    data, shapes, manifest, expected = the_test(path)
    command = shutil.which("habitat-kg") or str(Path(sys.executable).parent / "habitat-kg")
    done = subprocess.run(
        [command, "validate", str(data), "--shapes", str(shapes), "--format", "turtle"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "")
    with literals_as_written():
        report_graph = Graph().parse(data=done.stdout, format="turtle")
    report = report_graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert report is not None
    assert canonical_results(report_graph, report) == canonical_results(manifest, expected)
    assert sum(canonical_results(manifest, expected).values()) == 5
