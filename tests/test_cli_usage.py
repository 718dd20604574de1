"""Usage errors (an unknown command, option or choice, a missing argument) are one line and
exit status 2, like every other piece of bad input; --help and --version still exit 0."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from habitat_kg.cli import main


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["nosuch"], ["No such command 'nosuch'", "habitat-kg --help"]),
        (["build", "--nosuch"], ["No such option '--nosuch'", "habitat-kg build --help"]),
        (["network"], ["Missing argument 'VIEW'. Choose from: partners, bipartite"]),
        (["network", "partners", "--format"], ["'--format' requires an argument"]),
        (["validate", "--engine", "jena"], ["'jena' is not one of 'sparql', 'pyshacl'"]),
        (["validate", "--severity", "loud"], ["'loud' is not one of 'violation'"]),
        (["query", "--format", "xml", "ASK {}"], ["'xml' is not one of 'table', 'csv'"]),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(arguments: list[str], words: list[str]) -> None:
    result = CliRunner().invoke(main, arguments, prog_name="habitat-kg")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("habitat-kg: error: "), result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("arguments", [["--help"], ["validate", "--help"], ["--version"]])
def test_help_and_version_exit_0(arguments: list[str]) -> None:
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert result.stdout and result.stderr == ""


def test_choices_are_case_blind_where_the_names_are(built) -> None:
    options = ["--severity", "WARNING", "--format", "JSON", "--data", str(built.out_dir)]
    result = CliRunner().invoke(main, ["validate", *options])
    assert result.exit_code in (0, 1), result.output  # 1: the graph has warnings to report
    assert result.stdout.lstrip().startswith("{")
