"""``habitat-kg ingest`` and ``habitat-kg review`` on the command line: summaries, the next step,
and bad input as one line with exit status 2 and nothing written."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from command_build import built_store
from folders import contents
from review_report import FAO, PROPOSALS, REPORT_ID, TEXT, new_review

from habitat_kg.cli import main
from habitat_kg.graph.review import load_review, save_review
from habitat_kg.graph.review.trig import statement_of

DATA = Path(__file__).resolve().parent / "data" / "reports"
ENGLISH_REPORT = DATA / "english-report.en.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_ingest_proposes_and_says_what_next(runner: CliRunner, sources_copy: Path) -> None:
    result = runner.invoke(main, ["ingest", str(ENGLISH_REPORT), "--sources", str(sources_copy)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"added {sources_copy}/report/eb-2021-2_item-5.en.txt"
    assert lines[1].startswith("6 paragraphs, ") and "proposals (" in lines[1]
    assert lines[2].startswith("review of eb-2021-2/item-5: ") and "0 accepted" in lines[2]
    assert lines[-1].startswith("next: habitat-kg review eb-2021-2/item-5")


def test_ingest_accept_then_build_finds_the_statements(
    runner: CliRunner, sources_copy: Path, tmp_path: Path
) -> None:
    arguments = ["ingest", str(ENGLISH_REPORT), "--sources", str(sources_copy), "--accept"]
    result = runner.invoke(main, [*arguments, "--min-confidence", "0.5", "--by", "Ana"])
    assert result.exit_code == 0, result.output
    assert "accepted now: " in result.output
    # a file per paragraph, named by their folder
    assert re.search(r"accepted/eb-2021-2_item-5/ \(\d+ paragraph file\(s\)\)", result.output)
    review = load_review(sources_copy, "eb-2021-2/item-5")
    assert review.accepted() and all(item.by == "Ana" for item in review.accepted())
    store = built_store(sources_copy, tmp_path / "d")
    query = """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?statement WHERE {
          ?statement prov:wasAttributedTo/rdfs:label "Ana" ; prov:generatedAtTime ?when ;
                     rdf:subject ?s ; prov:wasDerivedFrom ?source .
        }"""
    found = {row[0].value for row in store.query(query, use_default_graph_as_union=True)}
    # Every accepted statement, reified by the builder, says who accepted it and when (two
    # paragraphs saying where Nairobi lies make one statement of the gazetteer).
    assert found == {str(statement_of(item)) for item in review.accepted()}
    assert len(found) > 20


def test_review_lists_what_is_pending(runner: CliRunner, sources_copy: Path) -> None:
    (sources_copy / "report" / "eb-2030-1_item-4.en.txt").write_text(TEXT, encoding="utf-8")
    review = new_review()
    review.accept([FAO.id], "Ana")
    save_review(sources_copy, review)
    result = runner.invoke(main, ["review", REPORT_ID, "--sources", str(sources_copy)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    total = len(PROPOSALS)
    assert lines[0] == (
        f"report {REPORT_ID}: {total} proposals, {total - 2} pending, 2 accepted, 0 rejected, "
        "0 corrected"
    )  # the partner, and that its activity is one
    assert lines[2] == "paragraph 1 (line 8): 6 pending"
    assert any("hkg:place city:cm-yaounde  «Yaoundé»" in line for line in lines)
    assert FAO.id not in result.output
    assert "paragraph 2 (line 9): 3 pending" in lines
    assert lines[-1].startswith("next: accept on the curation page")


def test_review_as_json(runner: CliRunner, sources_copy: Path) -> None:
    (sources_copy / "report" / "eb-2030-1_item-4.en.txt").write_text(TEXT, encoding="utf-8")
    save_review(sources_copy, new_review())
    arguments = ["review", REPORT_ID, "--sources", str(sources_copy), "--format", "json"]
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["pending"] == len(PROPOSALS)
    first = data["paragraphs"][0]
    assert (first["paragraph"], first["line"]) == (1, 8)
    fao = next(entry for entry in first["pending"] if entry["id"] == FAO.id)
    assert fao["object"] == "<https://w3id.org/habitat-kg/id/org/fao>"
    assert fao["words"] == "Food and Agriculture Organization"


def test_review_of_a_report_never_ingested(runner: CliRunner, sources_copy: Path) -> None:
    result = runner.invoke(main, ["review", "eb-1999-1/item-1", "--sources", str(sources_copy)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "no review of report eb-1999-1/item-1: ingest it first" in result.stderr


@pytest.mark.parametrize(
    ("name", "arguments", "problem"),
    [
        ("missing.txt", [], "no such file"),
        ("not-utf8.txt", [], "UTF-8"),
        ("no-paragraphs.txt", [], "no numbered paragraphs found"),
        ("english-report.en.txt", ["--max-report-mb", "0.001"], "setting max-report-mb"),
        ("english-report.en.txt", ["--min-confidence", "2"], "--min-confidence"),
        ("english-report.en.txt", ["--id", "Bad Id"], "must be lower-case segments"),
    ],
)
def test_ingest_bad_input(
    runner: CliRunner, sources_copy: Path, name: str, arguments: list[str], problem: str
) -> None:
    before = contents(sources_copy)
    command = ["ingest", str(DATA / name), "--sources", str(sources_copy), *arguments]
    result = runner.invoke(main, command)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("habitat-kg: error: ") and result.stderr.count("\n") == 1
    assert problem in result.stderr
    assert contents(sources_copy) == before


def test_ingest_into_a_project(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    report = tmp_path / "english-report.en.txt"
    shutil.copy(ENGLISH_REPORT, report)
    result = runner.invoke(main, ["ingest", str(report), "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "sources" / "review" / "eb-2021-2_item-5.json").is_file()
    listed = runner.invoke(main, ["review", "eb-2021-2/item-5", "--project", str(root)])
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("report eb-2021-2/item-5: ")


QUIET = """\
Executive Board of the United Nations Human Settlements Programme
Second session of 2021
Nairobi, 9–11 November 2021
Item 5 of the provisional agenda

I. Resolution 1/2 on safer cities

1. A training was held in Nairobi with the United Nations Office on Drugs and Crime.
2. Work continued as planned.
"""


def test_a_paragraph_that_names_nothing_known_is_noted(
    runner: CliRunner, sources_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "quiet.en.txt"
    path.write_text(QUIET, encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(path), "--sources", str(sources_copy)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: {path}:9: paragraph 2 names nothing known (no unit, partner, place, resolution "
        "or document proposed): add what it says on the curation page"
    ]


def test_a_header_that_gives_no_id_is_one_line(
    runner: CliRunner, sources_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "eb-2021-2_item-9.en.txt"
    path.write_text("Notes\n\nI. Introduction\n\n1. The Bureau met in Nairobi.\n", "utf-8")
    before = contents(sources_copy)
    result = runner.invoke(main, ["ingest", str(path), "--sources", str(sources_copy)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"habitat-kg: error: {path}:1: cannot tell the report's id from its header (\u00abNotes"
        "\u00bb): give one with --id, such as --id eb-2021-2/item-9\n"
    )
    assert contents(sources_copy) == before


def test_who_accepts_comes_from_the_projects_settings(runner: CliRunner, tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    settings = root / "habitat-kg.toml"
    settings.write_text(settings.read_text("utf-8") + 'curator = "Mei Lin"\n', encoding="utf-8")
    arguments = ["ingest", str(ENGLISH_REPORT), "--project", str(root), "--accept"]
    result = runner.invoke(main, [*arguments, "--min-confidence", "0.9"])
    assert result.exit_code == 0, result.output
    review = load_review(root / "sources", "eb-2021-2/item-5")
    assert review.accepted() and {item.by for item in review.accepted()} == {"Mei Lin"}
