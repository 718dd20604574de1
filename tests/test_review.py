"""The review store: decisions on proposals, the review file, and the accepted statements in TriG
with their provenance, as the builder reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from replace_faults import fail_second_replace

from habitat_kg.errors import SourceError, TargetError
from habitat_kg.graph.build import build
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.review import (
    Review,
    ReviewItem,
    accepted_path,
    list_reviews,
    load_review,
    merge,
    review_path,
    save_review,
    update_review,
)
from habitat_kg.namespaces import HKG, ID, STATUS, country, paragraph, report

REPORT_ID = "eb-2030-1/item-4"
BASE = report(REPORT_ID)
P1, P2 = paragraph(BASE, 1), paragraph(BASE, 2)
ACT1 = ID["activity/eb-2030-1-item-4/p1"]
ACT2 = ID["activity/eb-2030-1-item-4/p2"]
YAOUNDE = ID["city/cm-yaounde"]
# Written for these tests, in the form of the bundled report.
TEXT = """\
Executive Board of the United Nations Human Settlements Programme
First session of 2030
Nairobi, 1–3 April 2030
Item 4 of the provisional agenda

I. Resolution 1/5 on urban-rural linkages

1. A training on urban-rural linkages was held with the Food and Agriculture Organization in \
Yaoundé in March 2030.
2. The guide on territorial planning is being translated in Kenya.
"""


def words(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


P1_TEXT = TEXT.split("1. ", 1)[1].split("\n")[0]


def proposal(kind, subject, predicate, value, span=None, confidence=0.9, passage=P1, rule="r1"):
    return Proposal(REPORT_ID, passage, kind, subject, predicate, value, span, confidence, rule)


YAOUNDE_WORDS = words(P1_TEXT, "Yaoundé")
FAO = proposal(
    "partner",
    ACT1,
    HKG.partner,
    ID["org/fao"],
    words(P1_TEXT, "Food and Agriculture Organization"),
    rule="partner-with",
)
PROPOSALS = [
    proposal("activity", ACT1, RDF.type, HKG.Activity, rule="activity"),
    proposal("activity", ACT1, RDFS.label, Literal("Training on urban-rural linkages", lang="en")),
    FAO,
    proposal("place", ACT1, HKG.place, YAOUNDE, words(P1_TEXT, "Yaoundé"), 0.8, rule="in-city"),
    proposal("entity", YAOUNDE, RDF.type, HKG.City, words(P1_TEXT, "Yaoundé")),
    proposal(
        "entity", YAOUNDE, RDFS.label, Literal("Yaoundé", lang="en"), words(P1_TEXT, "Yaoundé")
    ),
    proposal("entity", YAOUNDE, HKG.inCountry, country("CMR"), words(P1_TEXT, "Yaoundé")),
    proposal("status", ACT1, HKG.status, STATUS.completed, words(P1_TEXT, "was held"), 0.7),
    proposal("activity", ACT2, RDF.type, HKG.Activity, passage=P2),
    proposal("place", ACT2, HKG.place, country("KEN"), passage=P2, confidence=0.5),
    proposal("status", ACT2, HKG.status, STATUS.ongoing, passage=P2, confidence=0.6),
]


@pytest.fixture
def sources(sources_copy: Path) -> Path:
    (sources_copy / "report" / "eb-2030-1_item-4.en.txt").write_text(TEXT, encoding="utf-8")
    return sources_copy


def new_review() -> Review:
    return Review(REPORT_ID, [ReviewItem(p, extractor="1.0") for p in PROPOSALS], "en", "abc")


def ids(*wanted: Proposal) -> list[str]:
    return [p.id for p in wanted]


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


def test_save_and_load(sources: Path) -> None:
    review = new_review()
    review.accept_confident(0.75, "Ana", at="2030-04-05T10:00:00Z")
    trig = save_review(sources, review)
    assert trig == accepted_path(sources, REPORT_ID)
    assert trig == sources / "curated" / "accepted" / "eb-2030-1_item-4.trig"
    assert review_path(sources, REPORT_ID) == sources / "review" / "eb-2030-1_item-4.json"
    assert load_review(sources, REPORT_ID) == review
    assert list_reviews(sources) == [REPORT_ID]
    data = json.loads(review_path(sources, REPORT_ID).read_text("utf-8"))
    entry = next(e for e in data["items"] if e["id"] == FAO.id)
    assert entry["object"] == "<https://w3id.org/habitat-kg/id/org/fao>"
    assert (entry["state"], entry["by"], entry["span"]) == ("accepted", "Ana", list(FAO.span))


def test_saving_twice_changes_no_byte(sources: Path) -> None:
    review = new_review()
    review.accept(ids(FAO), "Ana", at="2030-04-05T10:00:00Z")
    save_review(sources, review)
    first = {p: p.read_bytes() for p in (sources / "review").iterdir()}
    first[accepted_path(sources, REPORT_ID)] = accepted_path(sources, REPORT_ID).read_bytes()
    save_review(sources, load_review(sources, REPORT_ID))
    assert {p: p.read_bytes() for p in first} == first


def test_the_accepted_trig_reads_well(sources: Path) -> None:
    review = new_review()
    review.accept_confident(0.75, "Ana", at="2030-04-05T10:00:00Z")
    text = save_review(sources, review).read_text("utf-8")
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


def test_a_broken_review_file_is_named(sources: Path) -> None:
    save_review(sources, new_review())
    path = review_path(sources, REPORT_ID)
    path.write_text(path.read_text("utf-8").replace('"state": "pending"', '"state": "maybe"', 1))
    with pytest.raises(SourceError, match="unknown review state 'maybe'") as caught:
        load_review(sources, REPORT_ID)
    assert caught.value.path == path
    path.write_text('{"format": 1,\n "items": [,]}', encoding="utf-8")
    with pytest.raises(SourceError, match="not JSON") as caught:
        load_review(sources, REPORT_ID)
    assert caught.value.line == 2
    with pytest.raises(SourceError, match="no review of report eb-2030-1/item-5"):
        load_review(sources, "eb-2030-1/item-5")


def test_an_edited_statement_that_no_longer_matches_its_id_is_refused(sources: Path) -> None:
    save_review(sources, new_review())
    path = review_path(sources, REPORT_ID)
    path.write_text(path.read_text("utf-8").replace("org/fao>", "org/unep>"), encoding="utf-8")
    with pytest.raises(SourceError, match=f"item {FAO.id} does not match its statement"):
        load_review(sources, REPORT_ID)


def test_a_failed_save_changes_nothing(sources: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    review = new_review()
    save_review(sources, review)
    before = {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()}
    review.accept(ids(FAO), "Ana")
    calls = fail_second_replace(monkeypatch)
    with pytest.raises(
        TargetError, match=r"sources: cannot write the report.s review.*No space left on device"
    ):
        save_review(sources, review)
    assert len(calls) == 2  # the review file was in place before the TriG failed
    assert {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()} == before


# -- what the builder makes of them -------------------------------------------------------------

PROVENANCE_QUERY = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?predicate ?object ?who ?when ?decision ?rule ?revised WHERE {
  ?statement rdf:predicate ?predicate ; rdf:object ?object ;
      prov:wasDerivedFrom <%s> ;
      prov:wasAttributedTo/rdfs:label ?who ; prov:generatedAtTime ?when ;
      prov:wasGeneratedBy ?made .
  ?made a ?decision .
  OPTIONAL { ?made prov:used/hkg:extractionRule ?rule }
  OPTIONAL { ?statement prov:wasRevisionOf ?revised }
} ORDER BY ?predicate ?object
"""


def test_the_built_graph_says_who_accepted_what_when_and_by_which_rule(
    sources: Path, tmp_path: Path
) -> None:
    review = new_review()
    review.accept(ids(FAO, PROPOSALS[0]), "Ana", at="2030-04-05T10:00:00Z")
    corrected = review.correct(
        PROPOSALS[10].id, "Bo", object=STATUS.planned, at="2030-04-06T09:30:00Z"
    )
    end = Literal("2030-12-31", datatype=XSD.date)
    review.add(P2, ACT2, HKG.endDate, end, "date", "Bo", at="2030-04-06T09:31:00Z")
    save_review(sources, review)
    result = build(sources, tmp_path / "build")
    store = pyoxigraph.Store()
    store.load(result.dataset_path.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)

    def rows(part: URIRef) -> list[list[str | None]]:
        answer = store.query(PROVENANCE_QUERY % part, use_default_graph_as_union=True)
        return [[r[v].value if r[v] else None for v in range(7)] for r in answer]

    hkg, when = str(HKG), "2030-04-05T10:00:00Z"
    assert rows(P1) == [
        [str(RDF.type), str(HKG.Activity), "Ana", when, hkg + "Acceptance", "activity", None],
        [
            hkg + "partner",
            str(ID["org/fao"]),
            "Ana",
            when,
            hkg + "Acceptance",
            "partner-with",
            None,
        ],
    ]
    revised = str(ID[f"proposal/{REPORT_ID}/{PROPOSALS[10].id}"])
    assert rows(P2) == [
        [
            str(RDF.type),
            str(HKG.Activity),
            "Bo",
            "2030-04-06T09:31:00Z",
            hkg + "Acceptance",
            "r1",
            None,
        ],
        [hkg + "endDate", "2030-12-31", "Bo", "2030-04-06T09:31:00Z", hkg + "Addition", None, None],
        [
            hkg + "status",
            str(STATUS.planned),
            "Bo",
            "2030-04-06T09:30:00Z",
            hkg + "Correction",
            "r1",
            revised,
        ],
    ]
    assert corrected.object == STATUS.planned


def test_a_known_entity_named_otherwise_in_the_text_builds(sources: Path, tmp_path: Path) -> None:
    # The text says "Food and Agriculture Organization", none of FAO's labels: the words of the
    # proposal become its hidden label in paragraph 1, which the builder's mention check counts.
    review = new_review()
    review.accept(ids(FAO, PROPOSALS[3], *PROPOSALS[4:7]), "Ana", at="2030-04-05T10:00:00Z")
    save_review(sources, review)
    build(sources, tmp_path / "build")
    # Without the words, the check fails: the hidden label is what makes it hold.
    review = new_review()
    bare = Proposal(**{**FAO.__dict__, "span": None})
    review.items = [ReviewItem(bare, "accepted", "Ana", "2030-04-05T10:00:00Z")]
    save_review(sources, review)
    with pytest.raises(SourceError, match=r"does not mention .*org/fao"):
        build(sources, tmp_path / "build2")


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


def test_update_review_applies_a_change_or_none(sources: Path) -> None:
    save_review(sources, new_review())
    decided, trig = update_review(sources, REPORT_ID, lambda review: review.accept(ids(FAO), "Ana"))
    assert decided[0].id == FAO.id and trig.is_file()
    assert load_review(sources, REPORT_ID).item(FAO.id).state == "accepted"
    before = {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()}

    def half_done(review: Review) -> None:
        review.reject(ids(PROPOSALS[1]), "Ana")
        raise ValueError("the page sent nonsense")

    with pytest.raises(ValueError, match="nonsense"):
        update_review(sources, REPORT_ID, half_done)
    assert {p: p.read_bytes() for p in sources.rglob("*") if p.is_file()} == before


def test_decisions_from_many_threads_are_all_kept(sources: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    save_review(sources, new_review())
    wanted = [p.id for p in PROPOSALS[1:8]]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda pid: update_review(
                    sources, REPORT_ID, lambda review: review.reject([pid], "Ana")
                ),
                wanted,
            )
        )
    review = load_review(sources, REPORT_ID)
    assert {item.id for item in review.items if item.state == "rejected"} == set(wanted)


def test_a_linked_place_only_the_gazetteer_knows_is_described(sources: Path) -> None:
    review = new_review()
    nairobi = proposal("place", ACT2, HKG.place, ID["city/ke-nairobi"], passage=P2)
    review.items.append(ReviewItem(nairobi))
    review.accept(ids(PROPOSALS[3], PROPOSALS[9], nairobi), "Ana", at="2030-04-05T10:00:00Z")
    text = save_review(sources, review).read_text("utf-8")
    gazetteer = text.split("<https://w3id.org/habitat-kg/id/source/gazetteer> {")[1]
    gazetteer = gazetteer.split("}")[0]
    # Yaoundé is on GeoNames' list, not in the reference layer: the file says what it is.
    assert "city:cm-yaounde\n        a hkg:City ;" in gazetteer
    assert 'rdfs:label "Yaounde"@en' in gazetteer or 'rdfs:label "Yaoundé"@en' in gazetteer
    assert "hkg:inCountry country:CMR" in gazetteer
    # Nairobi (the reference layer's) and Kenya (a Member State) are described there already.
    assert "ke-nairobi" not in gazetteer and "country:KEN\n" not in gazetteer
    assert "<https://w3id.org/habitat-kg/id/source/gazetteer>\n        a prov:Entity ;" in text
