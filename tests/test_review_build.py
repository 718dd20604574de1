"""What the builder makes of the accepted statements of a review: their provenance (who, when,
which rule), the hidden label of a known entity named otherwise, and the places only the
gazetteer knows, described in the accepted TriG."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, XSD, Literal, URIRef
from review_report import (
    ACT2,
    FAO,
    P1,
    P2,
    PROPOSALS,
    REPORT_ID,
    ids,
    new_review,
    proposal,
)

from habitat_kg.errors import SourceError
from habitat_kg.graph.build import build
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.review import (
    ReviewItem,
    save_review,
)
from habitat_kg.namespaces import HKG, ID, STATUS

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
    review_sources: Path, tmp_path: Path
) -> None:
    review = new_review()
    review.accept(ids(FAO, PROPOSALS[0]), "Ana", at="2030-04-05T10:00:00Z")
    corrected = review.correct(
        PROPOSALS[10].id, "Bo", object=STATUS.planned, at="2030-04-06T09:30:00Z"
    )
    end = Literal("2030-12-31", datatype=XSD.date)
    review.add(P2, ACT2, HKG.endDate, end, "date", "Bo", at="2030-04-06T09:31:00Z")
    save_review(review_sources, review)
    result = build(review_sources, tmp_path / "build")
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


def test_a_known_entity_named_otherwise_in_the_text_builds(
    review_sources: Path, tmp_path: Path
) -> None:
    # The text says "Food and Agriculture Organization", none of FAO's labels: the words of the
    # proposal become its hidden label in paragraph 1, which the builder's mention check counts.
    review = new_review()
    review.accept(ids(FAO, PROPOSALS[3], *PROPOSALS[4:7]), "Ana", at="2030-04-05T10:00:00Z")
    save_review(review_sources, review)
    build(review_sources, tmp_path / "build")
    # Without the words, the check fails: the hidden label is what makes it hold.
    review = new_review()
    bare = Proposal(**{**FAO.__dict__, "span": None})
    review.items = [ReviewItem(bare, "accepted", "Ana", "2030-04-05T10:00:00Z")]
    save_review(review_sources, review)
    with pytest.raises(SourceError, match=r"does not mention .*org/fao"):
        build(review_sources, tmp_path / "build2")


def test_a_linked_place_only_the_gazetteer_knows_is_described(review_sources: Path) -> None:
    review = new_review()
    nairobi = proposal("place", ACT2, HKG.place, ID["city/ke-nairobi"], passage=P2)
    review.items.append(ReviewItem(nairobi))
    review.accept(ids(PROPOSALS[3], PROPOSALS[9], nairobi), "Ana", at="2030-04-05T10:00:00Z")
    folder = save_review(review_sources, review)
    text = "".join(path.read_text("utf-8") for path in sorted(folder.iterdir()))
    blocks = text.split("<https://w3id.org/habitat-kg/id/source/gazetteer> {")[1:]
    gazetteer = "".join(block.split("}")[0] for block in blocks)
    # Yaoundé is on GeoNames' list, not in the reference layer: the file says what it is.
    assert "city:cm-yaounde\n        a hkg:City ;" in gazetteer
    assert 'rdfs:label "Yaounde"@en' in gazetteer or 'rdfs:label "Yaoundé"@en' in gazetteer
    assert "hkg:inCountry country:CMR" in gazetteer
    # Nairobi (the reference layer's) and Kenya (a Member State) are described there already.
    assert "ke-nairobi" not in gazetteer and "country:KEN\n" not in gazetteer
    assert "<https://w3id.org/habitat-kg/id/source/gazetteer>\n        a prov:Entity ;" in text
