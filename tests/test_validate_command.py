"""``habitat-kg validate``: exit codes, every format read back by its own parser, bad input as one
line with exit 2, data from files and from a real SPARQL endpoint, the data graph untouched."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from servers import habitat_kg_serving
from validating import (
    CONFORMING,
    FLAWED,
    HABITAT_KG,
    SESSION,
    WARNING_ONLY,
    one_error_line,
    validate,
    write,
)

from habitat_kg.graph.build import BuildResult
from habitat_kg.shapes.validation.run import ENGINES, count_shapes
from habitat_kg.shapes.validation.shapes import load_shapes


@pytest.fixture(scope="module")
def data_dir(built: BuildResult) -> str:
    return str(built.out_dir)


@pytest.fixture(scope="module")
def shown(data_dir: str) -> dict:
    """The JSON report of the built graph, once for the tests that compare with it."""
    result = validate("--data", data_dir, "--session", SESSION, "--format", "json")
    assert result.exit_code == 1
    return json.loads(result.stdout)


# ---------------------------------------------------------------- exit codes


def test_the_built_graph_has_findings_so_exit_1(data_dir: str) -> None:
    result = validate("--data", data_dir, "--session", SESSION)
    assert result.exit_code == 1
    assert "Resolution 1/1" in result.stdout
    assert "第1/1号决议" in result.stdout


def test_nothing_at_or_above_the_severity_so_exit_0(data_dir: str) -> None:
    result = validate("--data", data_dir, "--session", SESSION, "--severity", "violation")
    assert result.exit_code == 0
    assert "Nothing found at or above violation" in result.stdout
    assert "Not shown:" in result.stdout


def test_a_conforming_file_exits_0_and_a_flawed_one_1(tmp_path: Path) -> None:
    assert validate(str(write(tmp_path, "ok.ttl", CONFORMING))).exit_code == 0
    flawed = write(tmp_path, "flawed.ttl", FLAWED)
    assert validate(str(flawed)).exit_code == 1
    assert validate(str(flawed), "--severity", "Violation").exit_code == 1
    only_warning = write(tmp_path, "warning.ttl", WARNING_ONLY)
    assert validate(str(only_warning), "--severity", "violation").exit_code == 0
    assert validate(str(only_warning), "--severity", "WARNING").exit_code == 1


# ---------------------------------------------------------------- formats


def test_text_groups_by_thing_then_severity_with_counts_first(tmp_path: Path) -> None:
    result = validate(str(write(tmp_path, "flawed.ttl", FLAWED)))
    lines = result.stdout.splitlines()
    assert lines[3] == "Found 1 violation and 1 warning about 2 things."
    text = result.stdout
    # Tanzania (a violation) comes before Kenya (a warning only)
    assert text.index("\nUnited Republic of Tanzania  坦桑尼亚联合共和国\n") < text.index(
        "\nKenya\n"
    )
    assert "  Violation 违规\n" in text and "  Warning 警告\n" in text
    assert "缺少中文名称" in text  # the Chinese message too
    assert "path rdfs:label · shape hkgsh:Label-zh" in text


def test_json_lists_things_with_labels_and_messages_in_both_languages(shown: dict) -> None:
    report = shown
    assert report["session"] == SESSION and report["conforms"] is False
    assert report["counts"]["Warning"] > 0
    things = {thing["node"]: thing for thing in report["focusNodes"]}
    resolution = things["https://w3id.org/habitat-kg/id/resolution/ha-1-1"]
    assert resolution["label"] == {"en": "Resolution 1/1", "zh": "第1/1号决议"}
    messages = [r["message"] for r in resolution["results"]]
    assert all(m["en"] and m["zh"] and m["en"] != m["zh"] for m in messages)
    assert sum(len(t["results"]) for t in report["focusNodes"]) == sum(report["counts"].values())


def test_turtle_is_a_standard_validation_report(data_dir: str, shown: dict) -> None:
    result = validate("--data", data_dir, "--session", SESSION, "--format", "turtle")
    graph = Graph().parse(data=result.stdout, format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == sum(shown["counts"].values())
    languages = {m.language for r in results for m in graph.objects(r, SH.resultMessage)}
    assert languages == {"en", "zh"}
    assert all(graph.value(r, SH.focusNode) is not None for r in results)


def test_turtle_of_a_filtered_report_keeps_only_what_is_shown(data_dir: str) -> None:
    result = validate(
        "--data", data_dir, "--session", SESSION, "--format", "turtle", "--severity", "violation"
    )
    graph = Graph().parse(data=result.stdout, format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms) == Literal(True)
    assert list(graph.objects(report, SH.result)) == []


def test_csv_has_one_row_per_result(data_dir: str, shown: dict) -> None:
    result = validate("--data", data_dir, "--session", SESSION, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == sum(shown["counts"].values())
    assert {row["severity"] for row in rows} <= {"Violation", "Warning", "Info"}
    row = next(r for r in rows if r["focus_node"].endswith("/resolution/ha-1-1"))
    assert (row["label_en"], row["label_zh"]) == ("Resolution 1/1", "第1/1号决议")


def test_html_is_a_page_with_the_labels_and_links(data_dir: str) -> None:
    result = validate("--data", data_dir, "--session", SESSION, "--format", "html")
    page = result.stdout
    assert page.startswith("<!doctype html>")
    assert "Resolution 1/1" in page and "第1/1号决议" in page
    assert 'href="https://w3id.org/habitat-kg/id/resolution/ha-1-1"' in page
    assert 'id="id-resolution-ha-1-1"' in page  # each thing can be linked to
    assert "--accent" in page  # the site's stylesheet is in the page
    assert "<script" not in page


# ---------------------------------------------------------------- a real endpoint


@contextmanager
def serving(built: BuildResult, max_rows: int) -> Iterator[str]:
    """``habitat-kg serve`` on the built dataset, answering at most ``max_rows`` rows or
    triples: its SPARQL endpoint."""
    with habitat_kg_serving(built.out_dir, "--workers", "1", "--max-rows", str(max_rows)) as at:
        yield at + "sparql"


def test_the_graph_behind_an_endpoint_gives_the_same_report(
    built: BuildResult, shown: dict
) -> None:
    local = shown
    with serving(built, max_rows=100_000) as endpoint:
        remote = validate("--endpoint", endpoint, "--session", SESSION, "--format", "json")
    assert remote.exit_code == 1
    found = json.loads(remote.stdout)
    assert found["source"] == f"SPARQL endpoint {endpoint}"
    assert found["triples"] == local["triples"]
    assert found["focusNodes"] == local["focusNodes"]


def test_an_endpoint_that_cuts_the_graph_is_an_error_not_a_partial_report(
    built: BuildResult,
) -> None:
    with serving(built, max_rows=5000) as endpoint:
        result = validate("--endpoint", endpoint)
    one_error_line(result, endpoint, "sent 5000 of its", "triples")


def test_on_a_terminal_validation_says_how_it_advances(data_dir: str) -> None:
    """Progress goes to stderr when it is a terminal (a pseudo-terminal here), and only then."""
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [HABITAT_KG, "validate", "--data", data_dir, "--session", SESSION, "--format", "csv"],
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=300,
        )
        os.close(terminal)
        said = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other end is closed: all is read
                break
            if not chunk:
                break
            said += chunk
    finally:
        os.close(controller)
    lines = said.decode().splitlines()
    plain = validate("--data", data_dir, "--session", SESSION, "--format", "csv")
    assert done.returncode == plain.exit_code == 1
    assert done.stdout.decode() == plain.stdout and plain.stderr == ""
    assert lines[0].startswith("  loading ") and lines[0].endswith("habitat-kg.trig ...")
    answered = [line for line in lines if "constraint queries answered" in line]
    assert 2 <= len(answered) <= 11
    last = answered[-1].split()
    assert last[0] == last[2]  # "N of N": every query answered
    assert lines[-1] == "  reading the results ..."


# ---------------------------------------------------------------- shapes handed over to pySHACL

HANDED_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .

ex:Listed a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:colour ; sh:in ( ex:red [ ex:mixOf ex:red, ex:blue ] ) ] .

ex:Counted a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:colour ; sh:minCount 2 ] .
"""


def test_a_shape_the_sparql_engine_cannot_compile_runs_in_pyshacl_and_every_format_says_so(
    tmp_path: Path,
) -> None:
    """sh:in with a blank node cannot be written in SPARQL: ex:Listed runs in pySHACL, ex:Counted
    in SPARQL, and both results are there."""
    shapes = write(tmp_path, "shapes.ttl", HANDED_SHAPES)
    data = write(
        tmp_path,
        "data.ttl",
        "@prefix ex: <http://example.org/> .\nex:box a ex:Thing ; ex:colour ex:green .\n",
    )

    def report(output_format: str) -> str:
        result = validate(str(data), "--shapes", str(shapes), "--format", output_format)
        assert result.exit_code == 1 and result.stderr == ""
        return result.stdout

    said = "1 of the 2 shapes ran in pySHACL: <http://example.org/Listed> (a blank node"
    assert said in report("text")
    assert "\nEngine:   sparql, but " in report("text")
    shown = json.loads(report("json"))
    assert [item["shape"] for item in shown["ranInPySHACL"]] == ["<http://example.org/Listed>"]
    assert "blank node" in shown["ranInPySHACL"][0]["reason"]
    found = {r["constraint"] for group in shown["focusNodes"] for r in group["results"]}
    assert found == {"In", "MinCount"}
    turtle = report("turtle")
    assert turtle.startswith("# engine: sparql; these 1 shapes ran in pySHACL:\n")
    assert "#   <http://example.org/Listed>: a blank node" in turtle
    assert len(list(Graph().parse(data=turtle).subjects(RDF.type, SH.ValidationResult))) == 2
    assert said in unescape(report("html"))


def test_literals_the_store_holds_otherwise_are_reported_as_the_data_writes_them(
    tmp_path: Path,
) -> None:
    """The store holds "4.0"^^xsd:decimal as "4": a comparison by value stays in SPARQL, the
    value reported as written; sh:datatype reads the datatype, and runs in pySHACL."""
    shapes = write(
        tmp_path,
        "shapes.ttl",
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Size a sh:NodeShape ; sh:targetSubjectsOf ex:size ;
    sh:property [ sh:path ex:size ; sh:maxInclusive 3 ] .
ex:Whole a sh:NodeShape ; sh:targetSubjectsOf ex:size ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:integer ] .
""",
    )
    data = write(tmp_path, "data.ttl", "<http://example.org/box> <http://example.org/size> 4.0 .\n")
    result = validate(str(data), "--shapes", str(shapes), "--format", "json")
    assert result.stderr == ""
    shown = json.loads(result.stdout)
    values = {(r["constraint"], r["value"]) for r in shown["focusNodes"][0]["results"]}
    assert values == {("MaxInclusive", '"4.0"^^xsd:decimal'), ("Datatype", '"4.0"^^xsd:decimal')}
    assert [item["shape"] for item in shown["ranInPySHACL"]] == ["<http://example.org/Whole>"]
    assert '"4.0"^^xsd:decimal and' not in shown["ranInPySHACL"][0]["reason"]
    assert 'held as "4"^^' in shown["ranInPySHACL"][0]["reason"]


def test_the_report_says_when_every_shape_ran_in_one_engine(tmp_path: Path) -> None:
    data = write(tmp_path, "flawed.ttl", FLAWED)
    bundled = count_shapes(load_shapes())
    for engine in ENGINES:
        result = validate(str(data), "--engine", engine)
        assert f"\nEngine:   {engine}, all {bundled} shapes\n" in result.stdout
        assert (
            json.loads(validate(str(data), "--engine", engine, "--format", "json").stdout)[
                "ranInPySHACL"
            ]
            == []
        )
