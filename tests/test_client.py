"""``habitat-kg query``: SPARQLWrapper against a real endpoint (waitress serving the app), its
three output formats, and its errors (one line; exit 2 for bad input, 1 for a failed query)."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from listeners import Listener
from rdflib import Graph, Literal, URIRef
from waitress.server import create_server

from habitat_kg.cli import main
from habitat_kg.graph.build import BuildResult
from habitat_kg.namespaces import BASE
from habitat_kg.rdf import rdflib_internals_quiet

FAO = BASE + "id/org/fao"
LABELS = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {{ BIND(<{FAO}> AS ?thing) ?thing rdfs:label ?label }} ORDER BY ?label
"""
FAO_EN = "Food and Agriculture Organization of the United Nations"
FAO_ZH = "联合国粮食及农业组织"


@pytest.fixture(scope="module")
def endpoint(app: Flask) -> Iterator[str]:
    """The session's app behind waitress on a free loopback port."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}/sparql"
    server.close()
    thread.join(5)
    server.task_dispatcher.shutdown()


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["query", *args], env=env)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def test_table_is_aligned_in_the_terminal(endpoint: str) -> None:
    result = _run("--endpoint", endpoint, LABELS)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["thing", "label"]
    assert set(lines[1]) == {"-", " "}
    assert lines[-1] == "(2 rows)"
    rows = lines[2:-1]
    assert [row.split(None, 1) for row in rows] == [["id:org/fao", FAO_EN], ["id:org/fao", FAO_ZH]]
    # The second column starts at the same terminal column on every line, Chinese included.
    label_column = _width(lines[0][: lines[0].index("label")])
    for row in rows:
        label = row.split(None, 1)[1]
        assert _width(row[: len(row) - len(label)]) == label_column


def test_csv_and_json_output(endpoint: str) -> None:
    as_csv = _run("--endpoint", endpoint, "--format", "csv", LABELS)
    assert as_csv.exit_code == 0, as_csv.stderr
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["thing", "label"],
        [FAO, FAO_EN],
        [FAO, FAO_ZH],
    ]
    as_json = _run("--endpoint", endpoint, "--format", "json", LABELS)
    document = json.loads(as_json.stdout)
    assert document["head"]["vars"] == ["thing", "label"]
    assert document["results"]["bindings"][1]["label"] == {
        "type": "literal",
        "value": FAO_ZH,
        "xml:lang": "zh",
    }


def test_ask_and_construct(endpoint: str) -> None:
    assert _run("--endpoint", endpoint, f"ASK {{ <{FAO}> ?p ?o }}").stdout == "true\n"
    construct = f"CONSTRUCT WHERE {{ <{FAO}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    table = _run("--endpoint", endpoint, construct)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["subject", "predicate", "object"]
    assert "id:org/fao  rdfs:label" in table.stdout and FAO_ZH in table.stdout
    as_json = _run("--endpoint", endpoint, "--format", "json", construct)
    with rdflib_internals_quiet():
        graph = Graph().parse(data=as_json.stdout, format="json-ld")
    assert (URIRef(FAO), None, Literal(FAO_ZH, lang="zh")) in graph


def test_query_from_a_file_and_a_stored_question(endpoint: str, tmp_path: Path) -> None:
    query_file = tmp_path / "labels.rq"
    query_file.write_text(LABELS, encoding="utf-8")
    from_file = _run("--endpoint", endpoint, "--file", str(query_file), "--format", "csv")
    assert from_file.stdout.count("\n") == 3
    question = _run(
        "--endpoint",
        endpoint,
        "--question",
        "partners-of-a-resolution",
        "--param",
        "resolution=1/5",
        "--format",
        "csv",
    )
    assert question.exit_code == 0, question.stderr
    rows = list(csv.DictReader(io.StringIO(question.stdout)))
    assert {"GROOTS Kenya", "Food and Agriculture Organization of the United Nations"} <= {
        row["agentLabel"] for row in rows
    }


def test_default_endpoint_is_this_server_on_the_port_setting(endpoint: str) -> None:
    port = endpoint.rsplit(":", 1)[1].split("/")[0]
    result = _run(f"ASK {{ <{FAO}> ?p ?o }}", env={"HABITAT_KG_PORT": port})
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "true\n"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["SELECT * WHERE { ?s ?p }"], "answered 400: malformed query: line 1, column"),
        (["SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { } }"], "answered 400: SERVICE"),
        (["--endpoint", "{base}/nothing-here", "ASK {}"], "answered 404"),
        (["--endpoint", "{closed}/sparql", "ASK {}"], "cannot reach"),
    ],
)
def test_failed_query_is_one_line_and_exit_1(endpoint: str, args: list[str], problem: str) -> None:
    base = endpoint.removesuffix("/sparql")
    closed = f"http://127.0.0.1:{_closed_port()}"
    args = [arg.replace("{base}", base).replace("{closed}", closed) for arg in args]
    if "--endpoint" not in args:
        args = ["--endpoint", endpoint, *args]
    result = _run(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("habitat-kg: error: ")
    assert problem in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ([], "give one query"),
        (["ASK {}", "--question", "events"], "give one query"),
        (["--file", "/no/such/file.rq"], "/no/such/file.rq: cannot read the query"),
        (["--question", "no-such-question"], "'--question': 'no-such-question' is not one of"),
        (["--question", "timeline", "--param", "since"], "expected NAME=VALUE"),
        (["--question", "timeline", "--param", "since=yesterday"], "since"),
        (["--question", "timeline", "--param", "colour=red"], "no parameter 'colour'"),
        (["ASK {}", "--param", "a=b"], "--param goes with --question"),
        (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "SPARQL Update is not sent"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(endpoint: str, args: list[str], problem: str) -> None:
    result = _run("--endpoint", endpoint, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("habitat-kg: error: ")
    assert problem in result.stderr
    assert result.stderr.count("\n") == 1


NOT_HTTP = [
    "file:///etc/passwd",
    "FILE:/etc/passwd",
    "ftp://127.0.0.1:{port}/sparql",
    "gopher://127.0.0.1:{port}/sparql",
    "data:application/sparql-results+json,{{%22boolean%22:true}}",
    "http:///sparql",
    "127.0.0.1:{port}/sparql",
]


@pytest.mark.parametrize("url", NOT_HTTP)
def test_query_endpoint_must_be_an_http_url(url: str, listener: Listener) -> None:
    url = url.format(port=listener.port)
    result = _run("--endpoint", url, "ASK {}")
    assert result.exit_code == 2
    assert result.stderr.startswith("habitat-kg: error: --endpoint: ")
    assert "only http(s) URLs are accepted" in result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert not listener.reached()


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["validate", "--endpoint", "{url}"], "--endpoint"),
        (["serve", "--port", "0", "--store", "{url}"], "--store"),
        (["publish", "--store", "{url}"], "store"),
        (
            ["publish", "--store", "http://127.0.0.1:{port}/q", "--update-url", "{url}"],
            "update-url",
        ),
        (["publish", "--store", "http://127.0.0.1:{port}/q", "--gsp-url", "{url}"], "gsp-url"),
        (["network", "partners", "--store", "{url}"], "store"),
    ],
)
@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1:{port}/q"])
def test_every_url_option_refuses_what_is_not_http(
    command: list[str],
    option: str,
    url: str,
    listener: Listener,
    tmp_path: Path,
    built: BuildResult,
) -> None:
    port = str(listener.port)
    url = url.replace("{port}", port)
    args = [arg.replace("{url}", url).replace("{port}", port) for arg in command]
    data = tmp_path / "data"
    # network reads the dataset before it opens the store: give it one
    given = built.out_dir if command[0] == "network" else data
    result = CliRunner().invoke(main, [*args, "--data", str(given)])
    assert result.exit_code == 2, result.output
    error = result.stderr.splitlines()[-1]  # after a note that a project was made, if one was
    assert error.startswith("habitat-kg: error: ")
    assert option in error and url in error
    assert "Traceback" not in result.output
    assert not listener.reached()
    assert not data.exists()  # refused before anything was built or read
