"""``habitat-kg evaluate`` runs the real extractor over the bundled report and a corpus folder:
its JSON, its tables, its targets, held-out reports never itemised, bad input in one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from habitat_kg.cli import main

CORPUS = Path(__file__).parent / "data" / "corpus"
TUNING = "eb-2022-1_item-6.en"  # a tuning report: its gold and its misses may be read


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tuning report, and the same report again under another id, marked held out."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(CORPUS / f"{TUNING}.txt", folder)
    shutil.copy(CORPUS / f"{TUNING}.gold.json", folder)
    gold = json.loads((CORPUS / f"{TUNING}.gold.json").read_text(encoding="utf-8"))
    gold.update(id="eb-2022-9/item-6", tuning=False)
    shutil.copy(CORPUS / f"{TUNING}.txt", folder / "eb-2022-9_item-6.en.txt")
    (folder / "eb-2022-9_item-6.en.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def measured(small_corpus: Path) -> dict:
    result = CliRunner().invoke(
        main, ["evaluate", "--corpus", str(small_corpus), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_gives_every_kind_per_group_and_per_file(measured: dict) -> None:
    assert set(measured["groups"]) == {"bundled", "tuning", "held-out"}
    names = [f["name"] for f in measured["files"]]
    assert names == ["eb-2020-2_item-7.zh.txt", f"{TUNING}.txt", "eb-2022-9_item-6.en.txt"]
    kinds = ["resolution", "unit", "partner", "place", "date", "figure", "document", "status"]
    for group in measured["groups"].values():
        assert list(group["kinds"]) == kinds
    bundled, tuning, held_out = measured["files"]
    assert bundled["paragraphs"] == 30 and bundled["language"] == "zh"
    # The curated file of the bundled report states this many links; the gold of the tuning
    # report as many as its paragraphs list.
    assert bundled["links"]["expected"] > 80
    gold = json.loads((CORPUS / f"{TUNING}.gold.json").read_text(encoding="utf-8"))
    listed = sum(
        len(entry.get(key, []))
        for entry in gold["paragraphs"].values()
        for key in ("resolutions", "decisions", "units", "partners", "places")
    )
    assert tuning["links"]["expected"] == listed
    # The same text scores the same, whatever its group.
    assert tuning["kinds"] == held_out["kinds"]
    assert measured["timing"]["seconds_per_30_paragraphs"] > 0
    assert [t["name"] for t in measured["targets"]] == [
        "untuned reports: links precision",
        "untuned reports: links recall",
        "bundled report: links recall",
        "seconds to propose 30 paragraphs",
    ]


def test_check_exits_1_only_when_a_target_is_missed(small_corpus: Path, measured: dict) -> None:
    result = CliRunner().invoke(main, ["evaluate", "--corpus", str(small_corpus), "--check"])
    missed = not all(target["met"] for target in measured["targets"])
    assert result.exit_code == (1 if missed else 0), result.output
    assert "targets" in result.output


def test_misses_are_listed_for_tuning_reports_only(small_corpus: Path) -> None:
    result = CliRunner().invoke(main, ["evaluate", "--corpus", str(small_corpus), "--misses"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("misses and wrong proposals", 1)[1]
    assert f"{TUNING}.txt" in listed and "eb-2020-2_item-7.zh.txt" in listed
    assert "eb-2022-9_item-6" not in listed
    assert "per report" in result.output and "eb-2022-9_item-6.en.txt" in result.output


def test_markdown_table(small_corpus: Path) -> None:
    result = CliRunner().invoke(
        main, ["evaluate", "--corpus", str(small_corpus), "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("| kind | bundled precision | bundled recall | tuning precision")
    assert lines[2 + 8].startswith("| **links**")
    # What is left out of the count travels with the table.
    assert lines[-1].startswith("Note: UN-Habitat itself as a responsible unit is counted neither")


@pytest.mark.parametrize(
    ("files", "words"),
    [
        ({}, "no report gold files"),
        ({"x.en.gold.json": "{not json"}, "x.en.gold.json:1:"),
        ({"x.en.gold.json": '{"kind": "report", "paragraphs": {"1": {"places": [{}]}}}'}, "form"),
        ({"x.en.gold.json": '{"kind": "report", "paragraphs": {}}'}, "no text beside it"),
    ],
    ids=["empty", "json", "form", "text"],
)
def test_bad_corpus_is_one_line_and_exit_2(tmp_path: Path, files: dict, words: str) -> None:
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", "--corpus", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_benchmark_writes_its_numbers_and_table(
    small_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1]))
    from benchmarks import extraction

    out = tmp_path / "results"
    numbers = extraction.main(["--out", str(out), "--corpus", str(small_corpus), "--repeats", "2"])
    written = json.loads((out / "extraction.json").read_text(encoding="utf-8"))
    assert written == numbers and written["timing"]["repeats"] == 2
    table = (out / "extraction.md").read_text(encoding="utf-8")
    assert "| **links** (resolution+unit+partner+place) |" in table
    assert "| bundled report: links recall |" in table
