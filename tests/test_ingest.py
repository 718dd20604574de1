"""Ingesting a report: the text, its proposals and its review are written together, or nothing
is; a second ingest keeps every decision and, for the same text, changes no byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from folders import contents
from rdflib import RDF
from replace_faults import disk_full_half_way

from habitat_kg.errors import SourceError, TargetError
from habitat_kg.graph.ingest import ingest_with_proposals
from habitat_kg.graph.review import files as files_module
from habitat_kg.graph.review import load_review, save_review
from habitat_kg.namespaces import HKG

REPO = Path(__file__).resolve().parents[1]
CHINESE_REPORT = REPO / "graph" / "sources" / "report" / "eb-2020-2_item-7.zh.txt"
DATA = Path(__file__).resolve().parent / "data" / "reports"
ENGLISH_REPORT = DATA / "english-report.en.txt"
REPORT_ID = "eb-2021-2/item-5"


@pytest.fixture
def sources(sources_copy: Path) -> Path:
    """A project's sources: the bundled record's."""
    return sources_copy


def test_ingest_writes_the_text_the_review_and_the_accepted_statements(sources: Path) -> None:
    before = contents(sources)
    result = ingest_with_proposals(ENGLISH_REPORT, sources)
    assert (result.report_id, result.language, result.new_text) == (REPORT_ID, "en", True)
    assert result.report_path.read_bytes() == ENGLISH_REPORT.read_bytes()
    assert sorted(set(contents(sources)) - set(before)) == [
        "report/eb-2021-2_item-5.en.txt",
        "review",
        "review/eb-2021-2_item-5.json",
    ]
    review = load_review(sources, REPORT_ID)
    assert review == result.review
    assert len(review.items) == len(result.proposals) > 0
    assert {item.state for item in review.items} == {"pending"}
    kinds = result.proposals_by_kind()
    assert kinds.get("resolution", 0) > 0 and kinds.get("place", 0) > 0


def test_the_same_text_twice_changes_no_byte(sources: Path) -> None:
    ingest_with_proposals(ENGLISH_REPORT, sources, accept=True, min_confidence=0.8, by="Ana")
    before = contents(sources)
    again = ingest_with_proposals(ENGLISH_REPORT, sources)
    assert again.new_text is False and again.written == []
    assert contents(sources) == before


def test_accept_takes_what_is_confident_enough(sources: Path) -> None:
    result = ingest_with_proposals(
        ENGLISH_REPORT, sources, accept=True, min_confidence=0.8, by="Ana"
    )
    confident = {p.id for p in result.proposals if p.confidence >= 0.8}
    accepted = {item.id: item.proposal for item in result.accepted_now}
    assert confident <= set(accepted)
    # Beyond them, only what the activities they are about are (accepted with them).
    subjects = {accepted[pid].subject for pid in confident}
    for pid in set(accepted) - confident:
        assert (accepted[pid].predicate, accepted[pid].object) == (RDF.type, HKG.Activity)
        assert accepted[pid].subject in subjects
    assert all(item.by == "Ana" for item in result.accepted_now)
    files = sorted(result.accepted_path.iterdir())
    assert files and all(path.name.startswith("paragraph-") for path in files)
    trig = files[0].read_text("utf-8")
    assert "<https://w3id.org/habitat-kg/id/provenance/eb-2021-2/item-5> {" in trig


def test_a_later_ingest_keeps_corrections_and_decisions(sources: Path) -> None:
    result = ingest_with_proposals(ENGLISH_REPORT, sources)
    review = result.review
    first, second = review.items[0], review.items[1]
    review.reject([first.id], "Ana")
    corrected = review.correct(
        second.id,
        "Ana",
        predicate=second.proposal.predicate,
        object=_another_object(second.proposal.object),
    )
    save_review(sources, review)
    again = ingest_with_proposals(ENGLISH_REPORT, sources, accept=True, by="Bo")
    assert again.review.item(first.id).state == "rejected"
    assert again.review.item(second.id).state == "corrected"
    assert again.review.item(corrected.id).by == "Ana"
    assert again.review.item(corrected.id).revision_of == second.id


def _another_object(value):
    from rdflib import Literal, URIRef

    if isinstance(value, URIRef):
        return URIRef(str(value) + "-corrected")
    return Literal(str(value) + " (corrected)")


def test_a_given_id_is_used(sources: Path) -> None:
    result = ingest_with_proposals(ENGLISH_REPORT, sources, report_id="eb-2021-2/item-5b")
    assert result.report_path.name == "eb-2021-2_item-5b.en.txt"
    assert result.review_path.name == "eb-2021-2_item-5b.json"
    assert all(p.report_id == "eb-2021-2/item-5b" for p in result.proposals)


# -- refusals: nothing written ----------------------------------------------------------------


def test_a_header_without_an_id_asks_for_one(sources: Path, tmp_path: Path) -> None:
    path = tmp_path / "Bureau Notes_2021.en.txt"
    path.write_text(
        "Notes of the Bureau\n\nI. Introduction\n\n1. The Bureau met in Nairobi.\n", "utf-8"
    )
    before = contents(sources)
    with pytest.raises(SourceError, match=r"cannot tell the report's id .*--id bureau-notes-2021"):
        ingest_with_proposals(path, sources)
    assert contents(sources) == before


@pytest.mark.parametrize("bad_id", ["EB-2021", "eb_2021/item-5", "eb-2021//item-5", "/eb", "a b"])
def test_a_bad_id_is_refused(sources: Path, bad_id: str) -> None:
    before = contents(sources)
    with pytest.raises(ValueError, match="must be lower-case segments"):
        ingest_with_proposals(ENGLISH_REPORT, sources, report_id=bad_id)
    assert contents(sources) == before


def test_another_text_for_a_report_in_the_sources_is_refused(sources: Path, tmp_path: Path) -> None:
    ingest_with_proposals(ENGLISH_REPORT, sources)
    changed = tmp_path / "changed.en.txt"
    changed.write_text(ENGLISH_REPORT.read_text("utf-8").replace("June 2021", "July 2021"))
    before = contents(sources)
    with pytest.raises(SourceError, match=r"report eb-2021-2/item-5 is already in .* another text"):
        ingest_with_proposals(changed, sources)
    assert contents(sources) == before


def test_the_chinese_report_in_english_is_refused(sources: Path, tmp_path: Path) -> None:
    english = tmp_path / "copy.en.txt"
    english.write_bytes(ENGLISH_REPORT.read_bytes())
    before = contents(sources)
    with pytest.raises(SourceError, match="report eb-2020-2/item-7 is already in"):
        ingest_with_proposals(english, sources, report_id="eb-2020-2/item-7")
    assert contents(sources) == before


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
    before = contents(sources)
    with pytest.raises(SourceError, match=problem) as caught:
        ingest_with_proposals(DATA / name, sources)
    assert caught.value.path == DATA / name
    assert contents(sources) == before


def test_an_enormous_file_is_refused_before_it_is_read(sources: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.en.txt"
    with big.open("wb") as stream:
        stream.truncate(3 * 1024 * 1024)  # sparse: 3 MiB of NUL bytes, never read
    before = contents(sources)
    with pytest.raises(SourceError, match=r"3\.0 MiB is larger than a report may be \(2 MiB"):
        ingest_with_proposals(big, sources, max_report_mb=2)
    assert contents(sources) == before


def test_the_size_limit_is_a_setting(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HABITAT_KG_MAX_REPORT_MB", "0.001")
    with pytest.raises(SourceError, match="setting max-report-mb"):
        ingest_with_proposals(ENGLISH_REPORT, sources)


MIXED = """\
Executive Board of the United Nations Human Settlements Programme
Second session of 2021
Nairobi, 9–11 November 2021
Item 5 of the provisional agenda

I. Introduction

1. The present report outlines progress in the implementation of resolution 1/2.
2. 人居署正在通过与其他组织（包括世界城市和地方政府联合组织、《联合国防治荒漠化公约》秘书处、\
粮农组织）合作，加强城乡联系。
"""


def test_a_paragraph_in_another_language_is_refused(sources: Path, tmp_path: Path) -> None:
    path = tmp_path / "mixed.en.txt"
    path.write_text(MIXED, encoding="utf-8")
    before = contents(sources)
    with pytest.raises(SourceError) as caught:
        ingest_with_proposals(path, sources)
    assert (caught.value.path, caught.value.line) == (path, 9)
    assert "paragraph 2 is in Chinese but the report's other paragraphs are in English" in (
        caught.value.problem
    )
    assert contents(sources) == before


def test_ocr_noise_is_refused(sources: Path, tmp_path: Path) -> None:
    noisy = (
        MIXED.split("2. ")[0] + "2. Th~ ¦¦ pr#gr@mme |||| w^s ¬¬ ~~ h€ld ¦ in ||| N@irobi ~~ ¦¦.\n"
    )
    path = tmp_path / "noisy.en.txt"
    path.write_text(noisy, encoding="utf-8")
    before = contents(sources)
    with pytest.raises(SourceError, match="paragraph 2 looks like OCR noise") as caught:
        ingest_with_proposals(path, sources)
    assert caught.value.line == 9
    assert contents(sources) == before


def test_the_bundled_reports_are_not_noise_nor_mixed(sources: Path) -> None:
    from habitat_kg.graph.parse import read_report
    from habitat_kg.graph.review.screening import check_text

    for path in [
        CHINESE_REPORT,
        ENGLISH_REPORT,
        *sorted((REPO / "tests/data/corpus").glob("*.txt")),
    ]:
        check_text(read_report(path))


def test_a_failure_while_writing_leaves_nothing_behind(
    sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with disk_full_half_way(monkeypatch, sources):
        ingest_with_proposals(ENGLISH_REPORT, sources)


def test_a_file_where_a_folder_must_be_is_refused(sources: Path) -> None:
    (sources / "review").write_text("a file", encoding="utf-8")
    before = contents(sources)
    with pytest.raises(TargetError, match=r"review: a file is in the way"):
        ingest_with_proposals(ENGLISH_REPORT, sources)
    assert contents(sources) == before


def test_write_together_creates_and_removes_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.txt"
    files_module.write_together({target: b"data"})
    assert target.read_bytes() == b"data"
    assert sorted(contents(tmp_path)) == ["a", "a/b", "a/b/file.txt"]


#: Texts written for testing, in both languages (tests/data/corpus/README.md; not the held-out).
CORPUS = REPO / "tests" / "data" / "corpus"
TUNING_TEXTS = [
    "eb-2022-1_item-6.en.txt",
    "eb-2022-2_item-7.zh.txt",
    "eb-2024-2_item-5.en.txt",
    "resolution_ha-3-4.en.txt",
    "decision_eb-2024-1.en.txt",
    "resolution_ha-3-9.zh.txt",
]


def test_reports_accepted_whole_build(sources: Path, tmp_path: Path) -> None:
    # Whatever an analyst accepts of the proposals, the builder's checks hold: every link's
    # words name what it links to, and what a paragraph need not say cites the gazetteer.
    from habitat_kg.graph.build import build

    for name in TUNING_TEXTS:
        report_id = name.split(".", 1)[0].replace("_", "/")
        result = ingest_with_proposals(CORPUS / name, sources, report_id, accept=True, by="Ana")
        assert not result.review.pending()
    built = build(sources, tmp_path / "build")
    assert len(built.reports) == 1 + len(TUNING_TEXTS)
