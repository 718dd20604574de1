"""The command line: build, stats and ingest, and one-line errors for bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from folders import contents

from habitat_kg.cli import main

REPORTS = Path(__file__).parent / "data" / "reports"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_prints_where_and_counts(
    runner: CliRunner, sources_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    result = runner.invoke(main, ["build", "--sources", str(sources_copy), "--data", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}/" in result.output
    assert "triples in the curated layer" in result.output
    assert "Member State" in result.output and "implementation activity" in result.output


def test_stats_on_a_built_graph(runner: CliRunner, built) -> None:
    result = runner.invoke(main, ["stats", "--data", str(built.out_dir)])
    assert result.exit_code == 0
    assert "193  Member State" in result.output


def test_stats_without_a_build_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["stats", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "run 'habitat-kg build' first" in result.output


@pytest.mark.parametrize("command", [["stats"], ["validate"], ["network", "partners"]])
def test_data_naming_a_file_says_it_takes_a_folder(
    runner: CliRunner, built, command: list[str]
) -> None:
    dataset = built.out_dir / "habitat-kg.trig"
    result = runner.invoke(main, [*command, "--data", str(dataset)])
    assert result.exit_code == 2
    assert result.output == (
        f"habitat-kg: error: --data {dataset}: a file; --data takes the folder the build "
        "writes habitat-kg.trig to\n"
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing.txt", "no such file"),
        ("not-utf8.txt", "UTF-8"),
        ("empty.txt", "empty"),
        ("no-paragraphs.txt", "numbered paragraph"),
    ],
)
def test_ingest_bad_input(runner: CliRunner, sources_copy: Path, name: str, problem: str) -> None:
    before = contents(sources_copy)
    result = runner.invoke(main, ["ingest", str(REPORTS / name), "--sources", str(sources_copy)])
    assert result.exit_code == 2
    assert result.output.startswith("habitat-kg: error: ") and result.output.count("\n") == 1
    assert name in result.output and problem.lower() in result.output.lower()
    assert contents(sources_copy) == before


def test_ingest_then_build(runner: CliRunner, sources_copy: Path, tmp_path: Path) -> None:
    report = tmp_path / "english-report.en.txt"
    shutil.copy(REPORTS / "english-report.en.txt", report)
    result = runner.invoke(main, ["ingest", str(report), "--sources", str(sources_copy)])
    assert result.exit_code == 0, result.output
    assert "proposals (" in result.output and "next: habitat-kg review" in result.output
    built = runner.invoke(
        main, ["build", "--sources", str(sources_copy), "--data", str(tmp_path / "d")]
    )
    assert built.exit_code == 0, built.output
    assert "report eb-2021-2_item-5.en.txt" in built.output  # the ingested report is built
    # the bundled three: a report with nothing accepted yet has no accepted paragraph files
    assert "3 curated file(s)" in built.output
