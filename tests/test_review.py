"""The review store: decisions on proposals, the review file, and the accepted statements in TriG
with their provenance, as the builder reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from folders import contents
from rdflib import RDF, Literal, URIRef
from replace_faults import disk_full_half_way
from review_report import (
    ACT1,
    ACT2,
    FAO,
    P1,
    P1_TEXT,
    P2,
    PROPOSALS,
    REPORT_ID,
    YAOUNDE,
    ids,
    new_review,
    proposal,
    words,
)

from habitat_kg.errors import SourceError
from habitat_kg.graph.review import (
    Review,
    accepted_path,
    list_reviews,
    load_review,
    merge,
    review_path,
    save_review,
    update_review,
)
from habitat_kg.namespaces import HKG, ID, paragraph, report

# -- decisions ------------------------------------------------------------------------------


def test_accepting_records_who_and_when() -> None:
    review = new_review()
    review.accept(ids(FAO), "Ana", at="2030-04-05T10:00:00Z")
    item = review.item(FAO.id)
    assert (item.state, item.by, item.at) == ("accepted", "Ana", "2030-04-05T10:00:00Z")
    assert len(review.pending()) == len(PROPOSALS) - 2  # the activity's type came with it


def test_accepting_again_keeps_the_first_decision() -> None:
    review = new_review()
    review.accept(ids(FAO), "Ana", at="2030-04-05T10:00:00Z")
    review.accept(ids(FAO), "Bo", at="2030-04-06T10:00:00Z")
    assert review.item(FAO.id).by == "Ana"


def test_accept_passage_and_min_confidence() -> None:
    review = new_review()
    review.accept_confident(0.75, "Ana")
    assert {i.proposal.confidence for i in review.accepted()} == {0.9, 0.8}
    review.accept_passage(P2, "Ana")
    assert all(i.proposal.passage == P1 for i in review.pending())


def test_a_correction_replaces_and_remembers_the_proposal() -> None:
    review = new_review()
    place = PROPOSALS[3]
    corrected = review.correct(place.id, "Ana", object=ID["city/cm-douala"])
    old, new = review.item(place.id), review.item(corrected.id)
    assert (old.state, old.replaced_by) == ("corrected", corrected.id)
    assert (new.state, new.revision_of, new.by) == ("accepted", place.id, "Ana")
    assert corrected.span is None  # the words named Yaoundé, not Douala
    with pytest.raises(ValueError, match="corrected by"):
        review.accept([place.id], "Ana")
    with pytest.raises(ValueError, match="already corrected"):
        review.correct(place.id, "Ana", object=YAOUNDE)


def test_a_correction_must_change_something_and_a_decision_needs_a_name() -> None:
    review = new_review()
    with pytest.raises(ValueError, match="says the same"):
        review.correct(FAO.id, "Ana", object=FAO.object)
    with pytest.raises(ValueError, match="name of who"):
        review.accept(ids(FAO), " ")
    with pytest.raises(ValueError, match="has no proposal nope"):
        review.reject(["nope"], "Ana")


def test_adding_a_missed_statement() -> None:
    review = new_review()
    added = review.add(P2, ACT2, HKG.partner, ID["org/un-habitat"], "partner", "Ana")
    assert review.item(added.id).state == "accepted"
    with pytest.raises(ValueError, match="not a part of report"):
        review.add(
            paragraph(report("eb-2020-2/item-7"), 1),
            ACT2,
            RDF.type,
            HKG.Activity,
            "activity",
            "Ana",
        )


# -- merging a new run of the extractor -------------------------------------------------------


def test_merge_keeps_decisions_and_drops_stale_pending_ones() -> None:
    review = new_review()
    review.accept(ids(FAO), "Ana", at="2030-04-05T10:00:00Z")
    review.reject(ids(PROPOSALS[7]), "Ana", at="2030-04-05T10:00:00Z")
    corrected = review.correct(PROPOSALS[3].id, "Ana", object=ID["city/cm-douala"])
    fresh = proposal(
        "date",
        ACT1,
        HKG.startDate,
        Literal("2030-03-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
        words(P1_TEXT, "March 2030"),
    )
    # The new run no longer proposes any of these: only the pending ones go.
    merged = merge(review, [PROPOSALS[0], fresh], "1.1")
    states = {item.id: item.state for item in merged.items}
    assert states == {
        PROPOSALS[0].id: "accepted",
        fresh.id: "pending",
        FAO.id: "accepted",
        PROPOSALS[7].id: "rejected",
        PROPOSALS[3].id: "corrected",
        corrected.id: "accepted",
    }
    assert merged.item(FAO.id).at == "2030-04-05T10:00:00Z"
    assert merged.item(fresh.id).extractor == "1.1"


def test_merge_of_the_same_proposals_changes_nothing() -> None:
    review = new_review()
    review.accept(ids(FAO), "Ana", at="2030-04-05T10:00:00Z")
    assert merge(review, PROPOSALS, "1.0") == review


# -- the files --------------------------------------------------------------------------------


def test_save_and_load(review_sources: Path) -> None:
    review = new_review()
    review.accept_confident(0.75, "Ana", at="2030-04-05T10:00:00Z")
    folder = save_review(review_sources, review)
    assert folder == accepted_path(review_sources, REPORT_ID)
    assert folder == review_sources / "curated" / "accepted" / "eb-2030-1_item-4"
    assert sorted(p.name for p in folder.iterdir()) == ["paragraph-001.trig", "paragraph-002.trig"]
    assert (
        review_path(review_sources, REPORT_ID)
        == review_sources / "review" / "eb-2030-1_item-4.json"
    )
    assert load_review(review_sources, REPORT_ID) == review
    assert list_reviews(review_sources) == [REPORT_ID]
    data = json.loads(review_path(review_sources, REPORT_ID).read_text("utf-8"))
    entry = next(e for e in data["items"] if e["id"] == FAO.id)
    assert entry["object"] == "<https://w3id.org/habitat-kg/id/org/fao>"
    assert (entry["state"], entry["by"], entry["span"]) == ("accepted", "Ana", list(FAO.span))


def test_saving_twice_changes_no_byte(review_sources: Path) -> None:
    review = new_review()
    review.accept(ids(FAO), "Ana", at="2030-04-05T10:00:00Z")
    save_review(review_sources, review)
    first = {p: p.read_bytes() for p in (review_sources / "review").iterdir()}
    first.update({p: p.read_bytes() for p in accepted_path(review_sources, REPORT_ID).iterdir()})
    save_review(review_sources, load_review(review_sources, REPORT_ID))
    assert {p: p.read_bytes() for p in first} == first


def test_a_paragraph_left_without_statements_loses_its_file(review_sources: Path) -> None:
    review = new_review()
    review.accept_confident(0.75, "Ana", at="2030-04-05T10:00:00Z")
    folder = save_review(review_sources, review)
    first = (folder / "paragraph-001.trig").read_bytes()
    before = Review(REPORT_ID, list(review.items), "en", "abc")
    review.reject([i.id for i in review.accepted() if i.proposal.passage == P2], "Ana")
    save_review(review_sources, review, before)
    assert [path.name for path in folder.iterdir()] == ["paragraph-001.trig"]
    assert (folder / "paragraph-001.trig").read_bytes() == first
    before = Review(REPORT_ID, list(review.items), "en", "abc")
    review.reject([i.id for i in review.accepted()], "Ana")
    save_review(review_sources, review, before)
    assert not folder.exists()  # no statement left: no folder either


def test_the_accepted_trig_reads_well(review_sources: Path) -> None:
    review = new_review()
    review.accept_confident(0.75, "Ana", at="2030-04-05T10:00:00Z")
    text = (save_review(review_sources, review) / "paragraph-001.trig").read_text("utf-8")
    assert (
        "# Paragraph 1 (line 8)\n<https://w3id.org/habitat-kg/id/report/eb-2030-1/item-4/"
        "paragraph/1> {\n    act:p1\n        a hkg:Activity ;" in text
    )
    assert 'skos:hiddenLabel "Food and Agriculture Organization"@en' in text
    assert "country:KEN" not in text  # below the confidence asked for
    # The country of a new city is reference data, not something paragraph 1 says.
    gazetteer = text.split("<https://w3id.org/habitat-kg/id/source/gazetteer> {")[1]
    assert "hkg:inCountry country:CMR" in gazetteer.split("}")[0]
    assert len(list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TRIG))) > 30


def test_a_broken_review_file_is_named(review_sources: Path) -> None:
    save_review(review_sources, new_review())
    path = review_path(review_sources, REPORT_ID)
    path.write_text(path.read_text("utf-8").replace('"state": "pending"', '"state": "maybe"', 1))
    with pytest.raises(SourceError, match="unknown review state 'maybe'") as caught:
        load_review(review_sources, REPORT_ID)
    assert caught.value.path == path
    path.write_text('{"format": 1,\n "items": [,]}', encoding="utf-8")
    with pytest.raises(SourceError, match="not JSON") as caught:
        load_review(review_sources, REPORT_ID)
    assert caught.value.line == 2
    with pytest.raises(SourceError, match="no review of report eb-2030-1/item-5"):
        load_review(review_sources, "eb-2030-1/item-5")


def test_an_edited_statement_that_no_longer_matches_its_id_is_refused(review_sources: Path) -> None:
    save_review(review_sources, new_review())
    path = review_path(review_sources, REPORT_ID)
    path.write_text(path.read_text("utf-8").replace("org/fao>", "org/unep>"), encoding="utf-8")
    with pytest.raises(SourceError, match=f"item {FAO.id} does not match its statement"):
        load_review(review_sources, REPORT_ID)


def test_a_failed_save_changes_nothing(
    review_sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = new_review()
    save_review(review_sources, review)
    review.accept(ids(FAO), "Ana")
    with disk_full_half_way(monkeypatch, review_sources):
        save_review(review_sources, review)


def test_a_statement_about_an_activity_accepts_what_the_activity_is() -> None:
    # An activity's label is a description, not words of the text: the builder checks it unless
    # the activity is typed as one, so its type comes with anything accepted about it.
    review = new_review()
    review.accept(ids(PROPOSALS[1]), "Ana")
    assert review.item(PROPOSALS[0].id).state == "accepted"
    assert review.item(PROPOSALS[8].id).state == "pending"  # another activity's type


def test_adding_what_the_extractor_proposed_accepts_the_proposal() -> None:
    review = new_review()
    added = review.add(P1, FAO.subject, FAO.predicate, FAO.object, "partner", "Ana")
    assert added == FAO and review.item(FAO.id).state == "accepted"
    with pytest.raises(ValueError, match="already has this statement"):
        review.add(P1, FAO.subject, FAO.predicate, FAO.object, "partner", "Ana")


def test_update_review_applies_a_change_or_none(review_sources: Path) -> None:
    save_review(review_sources, new_review())
    decided, trig = update_review(
        review_sources, REPORT_ID, lambda review: review.accept(ids(FAO), "Ana")
    )
    assert decided[0].id == FAO.id and (trig / "paragraph-001.trig").is_file()
    assert load_review(review_sources, REPORT_ID).item(FAO.id).state == "accepted"
    before = contents(review_sources)

    def half_done(review: Review) -> None:
        review.reject(ids(PROPOSALS[1]), "Ana")
        raise ValueError("the page sent nonsense")

    with pytest.raises(ValueError, match="nonsense"):
        update_review(review_sources, REPORT_ID, half_done)
    assert contents(review_sources) == before


def test_decisions_from_many_threads_are_all_kept(review_sources: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    save_review(review_sources, new_review())
    wanted = [p.id for p in PROPOSALS[1:8]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda pid: update_review(
                    review_sources, REPORT_ID, lambda review: review.reject([pid], "Ana")
                ),
                wanted,
            )
        )
    review = load_review(review_sources, REPORT_ID)
    assert {item.id for item in review.items if item.state == "rejected"} == set(wanted)
