"""The bundled record's eight mandates with their status as of the bundled report and its
evidence paragraphs (graph/sources/curated/mandate-status.trig), asked in SPARQL of the built
graph; and what the status proposals say of the bundled report agrees with that file."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from conftest import SOURCES

from habitat_kg.graph.build import BuildResult
from habitat_kg.graph.mandates import known_acts, mandate_findings
from habitat_kg.graph.parse import read_report

STATUSES = """
PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?mandate ?status ?asOf (GROUP_CONCAT(STR(?number); separator=" ") AS ?evidence) WHERE {
  ?s a hkg:MandateStatus ; hkg:statusOf ?mandate ; hkg:asOf ?asOf ;
     hkg:reportedIn <https://w3id.org/habitat-kg/id/report/eb-2020-2/item-7> ;
     hkg:implementationStatus/skos:prefLabel ?status ; hkg:evidence/hkg:paragraphNumber ?number .
  FILTER (LANG(?status) = "en")
}
GROUP BY ?mandate ?status ?asOf
ORDER BY ?mandate
"""

EXPECTED = {
    "dec-eb-2019-3-stakeholder-engagement-working-group": ("non-applicable", "28 29 30"),
    "dec-ha-1-3-governance-transition": ("in progress", "28 29 30"),
    "ha-1-2-inter-agency-framework": ("in progress", "6"),
    "ha-1-2-review-process": ("in progress", "2 3 4 5"),
    "ha-1-3-capacity-building-strategy": ("in progress", "7 8 10 11 12 13 14 15 16 17 18"),
    "ha-1-3-partnerships-with-knowledge-institutions": ("in progress", "9"),
    "ha-1-4-gender-mainstreaming": ("in progress", "19 20 21 22 23 24"),
    "ha-1-5-urban-rural-linkages": ("in progress", "25 26 27"),
}


def test_each_bundled_mandate_has_its_status_and_evidence(built: BuildResult) -> None:
    graph = pyoxigraph.Store()
    graph.load(built.dataset_path.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
    rows = list(graph.query(STATUSES, use_default_graph_as_union=True))
    found = {
        row["mandate"].value.rsplit("/", 1)[1]: (
            row["status"].value,
            " ".join(sorted(row["evidence"].value.split(), key=int)),
        )
        for row in rows
    }
    assert found == EXPECTED
    assert {row["asOf"].value for row in rows} == {"2020-10-27"}


def test_the_bundled_decision_of_the_board_asks_the_board(built: BuildResult) -> None:
    graph = pyoxigraph.Store()
    graph.load(built.dataset_path.read_bytes(), format=pyoxigraph.RdfFormat.TRIG)
    query = """
        PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX m: <https://w3id.org/habitat-kg/id/mandate/>
        SELECT ?action ?addressee ?source WHERE {
          m:dec-eb-2019-3-stakeholder-engagement-working-group
              hkg:action ?action ; hkg:addressee ?addressee .
          ?st rdf:subject m:dec-eb-2019-3-stakeholder-engagement-working-group ;
              rdf:predicate hkg:addressee ; prov:wasDerivedFrom ?source .
        }"""
    rows = [
        tuple(term.value.rsplit("/", 1)[1] for term in row)
        for row in graph.query(query, use_default_graph_as_union=True)
    ]
    assert rows == [("decides", "executive-board", "28")]


def test_the_proposals_for_the_bundled_report_agree_with_the_curated_file() -> None:
    findings = mandate_findings(
        read_report(SOURCES / "report" / "eb-2020-2_item-7.zh.txt"),
        "eb-2020-2/item-7",
        known_acts(Path(SOURCES)),
    )
    proposed = {
        str(f.mandate).rsplit("/", 1)[1]: (
            str(f.value)
            .rsplit("/", 1)[1]
            .replace("-", " ")
            .replace("non applicable", "non-applicable"),
            " ".join(str(e.passage).rsplit("/", 1)[1] for e in f.evidence),
        )
        for f in findings
    }
    assert proposed == EXPECTED
