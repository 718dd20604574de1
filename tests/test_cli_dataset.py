"""The command line without a server (issue 17): ``query`` from the built dataset, ``query
--list``, a port in use named in one line, and CSV exports never a zip named .csv."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from habitat_kg.cli import main
from habitat_kg.graph.build import BuildResult
from habitat_kg.namespaces import BASE
from habitat_kg.server.questions import all_questions

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
FAO = BASE + "id/org/fao"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def taken_port() -> Iterator[int]:
    """A loopback port something else listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_query_answers_from_the_built_dataset_when_no_server_runs(built: BuildResult) -> None:
    port, data = str(_closed_port()), str(built.out_dir)
    labels = f"PREFIX rdfs: <{RDFS}> SELECT ?label WHERE {{ <{FAO}> rdfs:label ?label }}"
    result = _run("query", "--port", port, "--data", data, "--format", "json", labels)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("\n") == 1
    assert "answering from the built dataset" in result.stderr and data in result.stderr
    labels = [row["label"] for row in json.loads(result.stdout)["results"]["bindings"]]
    assert {"value": "联合国粮食及农业组织", "type": "literal", "xml:lang": "zh"} in labels


def test_query_from_the_dataset_asks_stored_questions_and_construct(built: BuildResult) -> None:
    common = ["--port", str(_closed_port()), "--data", str(built.out_dir)]
    asked = _run("query", *common, "--question", "activities-of-an-organization")
    assert asked.exit_code == 0, asked.stderr
    assert "row" in asked.stdout.splitlines()[-1] and asked.stdout.count("\n") > 3
    graph = _run("query", *common, f"CONSTRUCT {{ <{FAO}> ?p ?o }} WHERE {{ <{FAO}> ?p ?o }}")
    assert graph.exit_code == 0, graph.stderr
    assert graph.stdout.splitlines()[0].split() == ["subject", "predicate", "object"]
    bad = _run("query", *common, "SELECT * WHERE { ?s ?p }")
    assert bad.exit_code == 2
    assert bad.stderr.splitlines()[-1].startswith("habitat-kg: error: malformed query: line 1")


def test_query_from_a_missing_dataset_is_one_line(tmp_path: Path) -> None:
    result = _run("query", "--port", str(_closed_port()), "--data", str(tmp_path), "ASK {}")
    assert result.exit_code == 2
    assert "no built graph here; run 'habitat-kg build' first" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_list_names_every_question_with_its_parameters() -> None:
    result = _run("query", "--list")
    assert result.exit_code == 0, result.stderr
    blocks = {block.split(":")[0]: block for block in result.stdout.split("\n\n")}
    for question in all_questions():
        block = blocks[question.name]
        assert block.startswith(f"{question.name}: {question.title_en}\n")
        assert question.description in block
        for parameter in question.parameters:
            line = next(
                line
                for line in block.splitlines()
                if line.strip().startswith(f"--param {parameter.name}=")
            )
            assert parameter.label in line
            assert (parameter.default or "optional") in line


def test_serve_on_a_taken_port_is_one_line_naming_port(built: BuildResult, taken_port: int) -> None:
    result = _run(
        "serve",
        "--port",
        str(taken_port),
        "--data",
        str(built.out_dir),
        "--workers",
        "1",
        "--short-workers",
        "0",
    )
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"habitat-kg: error: --port {taken_port}: ")
    assert "in use" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "csv", "-o", "{dir}/p.csv"],
        ["-o", "{dir}/p.csv"],
        ["--format", "csv", "-o", "{dir}/p.txt"],
    ],
)
def test_csv_export_refuses_a_single_file_name(
    built: BuildResult, tmp_path: Path, args: list[str]
) -> None:
    args = [arg.replace("{dir}", str(tmp_path)) for arg in args]
    result = _run("network", "partners", "--data", str(built.out_dir), *args)
    assert result.exit_code == 2
    assert "-o " in result.stderr and "--format csv" in result.stderr and "p.zip" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_csv_export_is_a_zip_named_zip(built: BuildResult, tmp_path: Path) -> None:
    target = tmp_path / "partners.zip"
    result = _run(
        "network", "partners", "--data", str(built.out_dir), "--format", "csv", "-o", str(target)
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes()[:2] == b"PK"
