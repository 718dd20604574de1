"""``habitat-kg validate`` on bad input: one line naming the problem, exit status 2; and what
it reads beside the built graph (several files, typed strings, the session's default)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH
from validating import (
    CONFORMING,
    FLAWED,
    PREFIXES,
    WARNING_ONLY,
    free_port,
    one_error_line,
    validate,
    write,
)

from habitat_kg.ontology import path as ontology_path
from habitat_kg.server.store import Solutions
from habitat_kg.shapes.validation.data import graph_from_files, store_of
from habitat_kg.shapes.validation.run import ENGINES, run_validation
from habitat_kg.shapes.validation.shapes import load_shapes

# ---------------------------------------------------------------- bad input


def test_a_missing_file(tmp_path: Path) -> None:
    one_error_line(validate(str(tmp_path / "nope.ttl")), "nope.ttl", "no such file")


def test_a_file_that_is_not_turtle_names_file_and_line(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.ttl", PREFIXES + "ex:a ex:b ex:c .\nex:a ex:b .\n")
    one_error_line(validate(str(bad)), "bad.ttl:6:", "not valid Turtle")


def test_bad_n_triples_names_the_line(tmp_path: Path) -> None:
    good = "<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    bad = write(
        tmp_path, "bad.nt", good + good + "<http://example.org/a> <http://example.org/b> .\n"
    )
    one_error_line(validate(str(bad)), "bad.nt:3:", "not valid N-Triples")


def test_a_file_of_unknown_format(tmp_path: Path) -> None:
    one_error_line(validate(str(write(tmp_path, "data.txt", CONFORMING))), "data.txt", ".ttl")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.ttl"
    path.write_bytes(CONFORMING.encode("utf-8") + b'ex:x rdfs:label "caf\xe9" .\n')
    one_error_line(validate(str(path)), "latin.ttl", "not UTF-8")


def test_a_shapes_file_that_is_not_turtle(tmp_path: Path) -> None:
    shapes = write(
        tmp_path, "shapes.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y\n"
    )
    data = write(tmp_path, "ok.ttl", CONFORMING)
    one_error_line(validate(str(data), "--shapes", str(shapes)), "shapes.ttl:", "not valid Turtle")


def test_a_shapes_file_that_breaks_shacl(tmp_path: Path) -> None:
    shapes = _shapes(
        tmp_path,
        """
ex:TopicShape a sh:NodeShape ;
    sh:targetClass ex:Topic ;
    sh:property ex:Topic-name .

ex:Topic-name sh:path ex:name ;
    sh:minCount "one" .
""",
    )
    data = write(tmp_path, "ok.ttl", CONFORMING)
    one_error_line(validate(str(data), "--shapes", str(shapes)), "shapes.ttl:9:", "ex:Topic-name")


def test_a_shapes_file_of_ones_own_is_used(tmp_path: Path) -> None:
    shapes = _shapes(
        tmp_path,
        """ex:CountryShape a sh:NodeShape ;
    sh:targetClass hkg:Country ;
    sh:property [ sh:path hkg:basedIn ; sh:maxCount 0 ; sh:severity sh:Info ;
        sh:message "A country is based nowhere"@en ] ;
    sh:property [ sh:path hkg:about ; sh:minCount 1 ; sh:severity sh:Info ;
        sh:message "Country about nothing"@en ] .
""",
    )
    result = validate(str(write(tmp_path, "ok.ttl", CONFORMING)), "--shapes", str(shapes))
    assert result.exit_code == 1
    assert "Country about nothing" in result.stdout
    assert "Found 1 info about 1 thing." in result.stdout


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_a_message_in_a_language_tag_oxigraph_refuses_is_still_reported(
    tmp_path: Path, engine: str
) -> None:
    # rdflib reads "x"@abcdefghi; pyoxigraph refuses a subtag of more than 8 letters (BCP 47).
    shapes = _shapes(
        tmp_path,
        """ex:CountryShape a sh:NodeShape ;
    sh:targetClass hkg:Country ;
    sh:property [ sh:path hkg:about ; sh:minCount 1 ; sh:severity sh:Info ;
        sh:message "Country about nothing"@en, "Ein Land über nichts"@abcdefghi ] .
""",
    )
    data = str(write(tmp_path, "ok.ttl", CONFORMING))
    result = validate(data, "--shapes", str(shapes), "--engine", engine, "--format", "json")
    assert result.exit_code == 1, result.stderr
    [finding] = [f for node in json.loads(result.stdout)["focusNodes"] for f in node["results"]]
    assert finding["message"]["en"] == "Country about nothing"


def test_a_term_rdflib_reads_but_the_store_refuses_is_one_error_line(tmp_path: Path) -> None:
    data = write(tmp_path, "long-tag.ttl", '<urn:a> <urn:b> "x"@abcdefghi .\n')
    one_error_line(validate(str(data)), "long-tag.ttl: a term the store cannot hold", "eight")


@pytest.mark.parametrize("session", ["2020-13-01", "27/10/2020", "20201027", "tomorrow"])
def test_a_session_that_is_not_a_date(tmp_path: Path, session: str) -> None:
    data = write(tmp_path, "ok.ttl", CONFORMING)
    one_error_line(validate(str(data), "--session", session), repr(session), "YYYY-MM-DD")


def test_an_unknown_severity(tmp_path: Path) -> None:
    data = write(tmp_path, "ok.ttl", CONFORMING)
    one_error_line(validate(str(data), "--severity", "high"), "'high'", "'violation', 'warning'")


def test_an_unknown_format(tmp_path: Path) -> None:
    data = write(tmp_path, "ok.ttl", CONFORMING)
    one_error_line(validate(str(data), "--format", "xml"), "'xml'", "'text', 'json'")


def test_files_and_an_endpoint_together(tmp_path: Path) -> None:
    data = write(tmp_path, "ok.ttl", CONFORMING)
    one_error_line(validate(str(data), "--endpoint", "http://127.0.0.1:9/sparql"), "not both")


def test_an_endpoint_that_is_down() -> None:
    port = free_port()
    one_error_line(
        validate("--endpoint", f"http://127.0.0.1:{port}/sparql"), f"127.0.0.1:{port}", "reach"
    )


def test_no_built_graph(tmp_path: Path) -> None:
    one_error_line(validate("--data", str(tmp_path)), "habitat-kg build")


# ---------------------------------------------------------------- data


def test_several_files_and_a_trig_dataset_are_validated_together(tmp_path: Path) -> None:
    names = write(
        tmp_path, "names.trig", PREFIXES + "ex:g {\n" + WARNING_ONLY.split("\n")[-2] + "\n}\n"
    )
    chinese = write(
        tmp_path,
        "chinese.nt",
        '<http://example.org/kenya> <http://www.w3.org/2000/01/rdf-schema#label> "肯尼亚"@zh .\n',
    )
    assert validate(str(names)).exit_code == 1
    assert validate(str(names), str(chinese)).exit_code == 0


def test_typed_strings_are_the_plain_strings_rdf_says_they_are(tmp_path: Path) -> None:
    """pySHACL's sh:in tells "zh"^^xsd:string from "zh"; the validator makes them plain first."""
    report = PREFIXES + """ex:report a hkg:ProgressReport ; hkg:language "zh"^^xsd:string ."""
    path = write(tmp_path, "report.ttl", report)
    shapes = load_shapes(session=date(2020, 10, 27))
    as_written = Graph().parse(data=report, format="turtle")
    as_written.parse(data=ontology_path().read_text(encoding="utf-8"), format="turtle")
    _, raw, _ = pyshacl.validate(as_written, shacl_graph=shapes, inplace=False)
    language = "https://w3id.org/habitat-kg/shapes#Report-language"
    assert language in {str(s) for s in raw.objects(None, SH.sourceShape)}  # the pitfall
    result = validate(str(path), "--format", "json")
    shapes_found = {
        r["shape"] for t in json.loads(result.stdout)["focusNodes"] for r in t["results"]
    }
    assert language not in shapes_found


@pytest.mark.parametrize("engine", ENGINES)
def test_validation_never_changes_the_data(tmp_path: Path, engine: str) -> None:
    data = store_of(graph_from_files([write(tmp_path, "flawed.ttl", FLAWED)]))
    everything = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    before = data.query(everything)
    assert isinstance(before, Solutions) and len(before) > 100
    shapes = load_shapes(session=date(2020, 10, 27))
    validation = run_validation(data, shapes, date(2020, 10, 27), engine)
    assert len(list(validation.found.graph().subjects(RDF.type, SH.ValidationResult))) == 2
    assert data.query(everything) == before


def test_the_session_date_defaults_to_today(tmp_path: Path) -> None:
    result = validate(str(write(tmp_path, "ok.ttl", CONFORMING)), "--format", "json")
    assert json.loads(result.stdout)["session"] == date.today().isoformat()


def _shapes(folder: Path, body: str) -> Path:
    """A shapes file: the prefixes sh:, hkg: and ex: (three lines), then ``body``."""
    prefixes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix hkg: <https://w3id.org/habitat-kg/ontology#> .\n"
        "@prefix ex: <http://example.org/> .\n"
    )
    return write(folder, "shapes.ttl", prefixes + body)
