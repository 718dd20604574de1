"""Ingesting a report: the text and a draft are written together, or nothing is."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset

from habitat_kg.errors import SourceError, TargetError
from habitat_kg.graph import ingest as ingest_module
from habitat_kg.graph.ingest import ingest_report
from habitat_kg.namespaces import ID, country

REPO = Path(__file__).resolve().parents[1]
CHINESE_REPORT = REPO / "graph" / "sources" / "report" / "eb-2020-2_item-7.zh.txt"
DATA = Path(__file__).resolve().parent / "data" / "reports"
ENGLISH_REPORT = DATA / "english-report.en.txt"
BASE = "https://w3id.org/habitat-kg/id/report/eb-2021-2/item-5"

GAZETTEER = {
    "Nairobi": ID["city/nairobi"],
    "Kenya": country("KEN"),
    "Mexico": country("MEX"),
    "Mexico City": ID["city/mexico-city"],
    "United Nations Office on Drugs and Crime": ID["org/unodc"],
}


def listing(folder: Path) -> list[str]:
    """Every file and folder under ``folder``, hidden ones included."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    (folder / "report").mkdir(parents=True)
    (folder / "report" / "eb-2020-2_item-7.zh.txt").write_bytes(CHINESE_REPORT.read_bytes())
    return folder


def test_ingest_the_english_report(sources: Path) -> None:
    result = ingest_report(ENGLISH_REPORT, sources, GAZETTEER)
    assert (result.report_id, result.language) == ("eb-2021-2/item-5", "en")
    assert result.report_path == sources / "report" / "eb-2021-2_item-5.en.txt"
    assert result.draft_path == sources / "curated" / "drafts" / "eb-2021-2_item-5.draft.trig"
    assert result.report_path.read_bytes() == ENGLISH_REPORT.read_bytes()
    assert listing(sources) == [
        "curated",
        "curated/drafts",
        "curated/drafts/eb-2021-2_item-5.draft.trig",
        "report",
        "report/eb-2020-2_item-7.zh.txt",
        "report/eb-2021-2_item-5.en.txt",
    ]


def test_the_draft_is_trig_with_a_block_per_paragraph(sources: Path) -> None:
    draft = ingest_report(ENGLISH_REPORT, sources, GAZETTEER).draft_path.read_text("utf-8")
    assert list(pyoxigraph.parse(draft, format=pyoxigraph.RdfFormat.TRIG)) == []  # comments only
    with warnings.catch_warnings():
        # rdflib 7.6 warns about its own use of ConjunctiveGraph when it parses TriG.
        warnings.simplefilter("ignore", DeprecationWarning)
        Dataset().parse(data=draft, format="trig")  # the curated loader's parser accepts it too
    blocks = re.findall(r"^GRAPH <([^>]+)> \{$", draft, flags=re.MULTILINE)
    assert blocks == [f"{BASE}/paragraph/{n}" for n in range(1, 7)]
    assert draft.count("# TODO") == 6
    assert "sources/report/eb-2021-2_item-5.en.txt" in draft


def test_the_draft_lists_what_the_parser_found(sources: Path) -> None:
    draft = ingest_report(ENGLISH_REPORT, sources, GAZETTEER).draft_path.read_text("utf-8")
    block = draft.split(f"GRAPH <{BASE}/paragraph/3> {{")[1].split("}")[0]
    assert "# date: «June 2021» month 2021-06-01/2021-06-30" in block
    assert "«21 September to 31 October» day-range 2021-09-21/2021-10-31 (year taken" in block
    assert "# date: «until the end of 2021» end-of-year 2021-12-31" in block
    assert "# resolution: 1/2 (ha) <https://w3id.org/habitat-kg/id/resolution/ha-1-2>" in block
    assert "# mentions: Mexico City <https://w3id.org/habitat-kg/id/city/mexico-city>" in block
    assert "<https://w3id.org/habitat-kg/id/org/unodc>" in block
    first = draft.split(f"GRAPH <{BASE}/paragraph/1> {{")[1].split("}")[0]
    assert (
        "# (b) decision: 2019/3 (eb) <https://w3id.org/habitat-kg/id/decision/eb-2019-3>" in first
    )
    last = draft.split(f"GRAPH <{BASE}/paragraph/6> {{")[1].split("}")[0]
    assert (
        "# document: HSP/EB.2021/INF/2 <https://w3id.org/habitat-kg/id/document/HSP/EB.2021/INF/2>"
        in last
    )


def test_a_given_id_is_used(sources: Path) -> None:
    result = ingest_report(ENGLISH_REPORT, sources, GAZETTEER, report_id="eb-2021-2/item-5b")
    assert result.report_path.name == "eb-2021-2_item-5b.en.txt"
    assert result.draft_path.name == "eb-2021-2_item-5b.draft.trig"


def test_without_a_header_the_id_comes_from_the_file_name(sources: Path, tmp_path: Path) -> None:
    path = tmp_path / "Bureau Notes_2021.en.txt"
    path.write_text("I. Introduction\n\n1. The Bureau met in Nairobi.\n", encoding="utf-8")
    result = ingest_report(path, sources, GAZETTEER)
    assert result.report_id == "bureau-notes-2021"
    assert result.report_path.name == "bureau-notes-2021.en.txt"


@pytest.mark.parametrize("bad_id", ["EB-2021", "eb_2021/item-5", "eb-2021//item-5", "/eb", "a b"])
def test_a_bad_id_is_refused(sources: Path, bad_id: str) -> None:
    before = listing(sources)
    with pytest.raises(ValueError, match="must be lower-case segments"):
        ingest_report(ENGLISH_REPORT, sources, GAZETTEER, report_id=bad_id)
    assert listing(sources) == before


def test_a_report_already_in_the_sources_is_refused(sources: Path) -> None:
    ingest_report(ENGLISH_REPORT, sources, GAZETTEER)
    before = listing(sources)
    with pytest.raises(SourceError, match="report eb-2021-2/item-5 is already in"):
        ingest_report(ENGLISH_REPORT, sources, GAZETTEER)
    assert listing(sources) == before


def test_the_chinese_report_is_already_there(sources: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.zh.txt"
    copy.write_bytes(CHINESE_REPORT.read_bytes())
    before = listing(sources)
    with pytest.raises(SourceError) as caught:
        ingest_report(copy, sources, GAZETTEER)
    assert caught.value.path == copy
    assert "report eb-2020-2/item-7 is already in" in caught.value.problem
    assert listing(sources) == before


def test_an_existing_draft_is_never_overwritten(sources: Path) -> None:
    drafts = sources / "curated" / "drafts"
    drafts.mkdir(parents=True)
    (drafts / "eb-2021-2_item-5.draft.trig").write_text("# an analyst's work\n", encoding="utf-8")
    before = listing(sources)
    with pytest.raises(SourceError, match="a draft for report eb-2021-2/item-5 exists"):
        ingest_report(ENGLISH_REPORT, sources, GAZETTEER)
    assert listing(sources) == before


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("not-utf8.txt", "not UTF-8"),
        ("empty.txt", "the file is empty"),
        ("no-paragraphs.txt", "no numbered paragraphs found"),
        ("paragraph-gap.txt", "paragraph numbering jumps from 2 to 4"),
        ("absent.txt", "no such file"),
    ],
)
def test_bad_inputs_write_nothing(sources: Path, name: str, problem: str) -> None:
    before = listing(sources)
    with pytest.raises(SourceError, match=problem) as caught:
        ingest_report(DATA / name, sources, GAZETTEER)
    assert caught.value.path == DATA / name
    assert listing(sources) == before


def test_a_failure_while_writing_leaves_nothing_behind(
    sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = listing(sources)
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(source: str | Path, target: str | Path) -> None:
        calls.append(str(target))
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(ingest_module.os, "replace", failing_replace)
    with pytest.raises(TargetError, match=r"cannot write the report and its draft.*: disk full"):
        ingest_report(ENGLISH_REPORT, sources, GAZETTEER)
    assert len(calls) == 2  # the first file was in place before the second failed
    assert listing(sources) == before


def test_write_together_creates_and_removes_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.txt"
    ingest_module.write_together({target: b"data"})
    assert target.read_bytes() == b"data"
    assert listing(tmp_path) == ["a", "a/b", "a/b/file.txt"]
