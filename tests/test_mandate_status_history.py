"""History: a status belongs to its report and its date; a later report adds statuses and never
changes an earlier one. Two reports on resolution 3/4: the corpus's report to the Board's second
session of 2024, and one written for these tests for the second session of 2025
(tests/data/mandates/, marked as written for testing)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from command_build import built_store

from habitat_kg.cli import main

DATA = Path(__file__).resolve().parent / "data"
RESOLUTION = DATA / "corpus" / "resolution_ha-3-4.en.txt"
EARLIER = DATA / "corpus" / "eb-2024-2_item-5.en.txt"
LATER = DATA / "mandates" / "eb-2025-2_item-4.en.txt"

HISTORY = """
PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
SELECT ?op ?asOf ?report ?status (GROUP_CONCAT(STR(?paragraph); separator=" ") AS ?evidence) WHERE {
  ?m hkg:mandatedBy/hkg:resolutionNumber "3/4" ; hkg:operativeRequest ?request ;
     <http://www.w3.org/ns/prov#wasDerivedFrom>/hkg:operativeNumber ?op .
  ?s hkg:statusOf ?m ; hkg:asOf ?asOf ; hkg:reportedIn ?report ; hkg:implementationStatus ?status .
  OPTIONAL { ?s hkg:evidence ?e . ?e hkg:paragraphNumber ?paragraph }
  FILTER (?op IN ("1", "2(b)", "9"))
}
GROUP BY ?op ?asOf ?report ?status
ORDER BY ?op ?asOf
"""


def ingest(sources: Path, path: Path) -> None:
    arguments = ["ingest", str(path), "--sources", str(sources), "--accept", "--by", "Ana"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output


def history(sources: Path, data: Path) -> list[tuple[str, ...]]:
    store = built_store(sources, data)
    return [
        tuple(term.value.rsplit("/", 1)[-1] if term is not None else "" for term in row)
        for row in store.query(HISTORY, use_default_graph_as_union=True)
    ]


def test_a_later_report_adds_statuses_and_keeps_the_earlier(
    sources_copy: Path, tmp_path: Path
) -> None:
    ingest(sources_copy, RESOLUTION)
    ingest(sources_copy, EARLIER)
    accepted = sorted((sources_copy / "curated" / "accepted" / "eb-2024-2_item-5").iterdir())
    earlier_files = {
        path: path.read_bytes()
        for path in (*accepted, sources_copy / "review" / "eb-2024-2_item-5.json")
    }
    assert accepted
    before = history(sources_copy, tmp_path / "before")
    ingest(sources_copy, LATER)
    after = history(sources_copy, tmp_path / "after")
    # item-5 is eb-2024-2/item-5, item-4 is eb-2025-2/item-4: each status names its report.
    assert after == [
        ("1", "2024-11-12", "item-5", "in-progress", "2"),
        ("1", "2025-11-10", "item-4", "completed", "2"),
        ("2(b)", "2024-11-12", "item-5", "in-progress", "4 5"),
        ("2(b)", "2025-11-10", "item-4", "in-progress", "3"),
        ("9", "2024-11-12", "item-5", "no-indication", ""),
        ("9", "2025-11-10", "item-4", "not-implemented", "4"),
    ]
    assert [row for row in after if row[2] == "item-5"] == before
    # Nothing written for the earlier report changed.
    assert all(path.read_bytes() == data for path, data in earlier_files.items())
    # The earlier report ingested again, now that a later one is known, says the same.
    ingest(sources_copy, EARLIER)
    assert all(path.read_bytes() == data for path, data in earlier_files.items())
