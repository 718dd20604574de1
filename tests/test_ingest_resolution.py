"""``habitat-kg ingest`` of a resolution or decision: recognised by its title, copied into
sources/resolution/ whole or not at all, the same text again a no-op, another text for the same
act refused, bad input one line naming file and line; then a report ingested with --accept gives
each mandate its status with its evidence in the built graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from command_build import built_store
from folders import contents

from habitat_kg.cli import main

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "corpus"
RESOLUTION = CORPUS / "resolution_ha-3-4.en.txt"
DECISION = CORPUS / "decision_eb-2024-1.en.txt"
REPORT = CORPUS / "eb-2024-2_item-5.en.txt"


def ingest(sources: Path, *arguments: str):
    return CliRunner().invoke(main, ["ingest", *arguments, "--sources", str(sources)])


def test_a_resolution_is_recognised_and_its_mandates_listed(sources_copy: Path) -> None:
    result = ingest(sources_copy, str(RESOLUTION))
    assert result.exit_code == 0, result.output
    target = sources_copy / "resolution" / "ha-3-4.en.txt"
    assert target.read_bytes() == RESOLUTION.read_bytes()
    lines = result.stdout.splitlines()
    assert lines[0] == f"added {target}"
    assert lines[1] == (
        "resolution 3/4 (ha-3-4) of the UN-Habitat Assembly, session 3: "
        "9 operative paragraphs, 8 mandates"
    )
    assert lines[2] == (
        "  OP 1: requests Executive Director; due 2025-12-31; report to the Executive Board at "
        "session 2024/2; resources: within available resources; no end clause"
    )
    assert lines[6].startswith("  OP 4: encourages development partners; no deadline;")
    assert lines[-1].startswith("next: habitat-kg build")
    # No report, no review: a resolution is not a report.
    assert not (sources_copy / "review").exists()
    assert sorted(p.name for p in (sources_copy / "report").iterdir()) == [
        "eb-2020-2_item-7.zh.txt"
    ]


def test_the_same_text_again_changes_nothing(sources_copy: Path) -> None:
    assert ingest(sources_copy, str(DECISION)).exit_code == 0
    before = contents(sources_copy)
    again = ingest(sources_copy, str(DECISION))
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith("the same text is already in ")
    assert "nothing changed" in again.stdout.splitlines()[0]
    assert contents(sources_copy) == before


def test_another_text_for_the_same_act_is_refused(sources_copy: Path, tmp_path: Path) -> None:
    assert ingest(sources_copy, str(RESOLUTION)).exit_code == 0
    other = tmp_path / "res-3-4-other.txt"
    other.write_text(
        RESOLUTION.read_text("utf-8").replace("at least ten cities", "at least twelve cities"),
        encoding="utf-8",
    )
    before = contents(sources_copy)
    result = ingest(sources_copy, str(other))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"habitat-kg: error: {other}:7: ")
    assert "resolution 3/4 (ha-3-4) is already in" in result.stderr
    assert contents(sources_copy) == before


@pytest.mark.parametrize(
    ("change", "line", "problem"),
    [
        (
            ("2. Also requests", "3. Also requests"),
            18,
            "operative paragraph 3 where 2 was expected",
        ),
        (("(b) To support", "(a) To support"), 20, "sub-paragraph (a) of paragraph 2 repeats"),
    ],
)
def test_bad_input_is_one_line_with_file_and_line(
    sources_copy: Path, tmp_path: Path, change: tuple[str, str], line: int, problem: str
) -> None:
    bad = tmp_path / "bad-resolution.en.txt"
    bad.write_text(RESOLUTION.read_text("utf-8").replace(*change), encoding="utf-8")
    before = contents(sources_copy)
    result = ingest(sources_copy, str(bad))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"habitat-kg: error: {bad}:{line}: ")
    assert problem in result.stderr
    assert contents(sources_copy) == before


def test_an_id_other_than_the_title_gives_is_refused(sources_copy: Path) -> None:
    result = ingest(sources_copy, str(RESOLUTION), "--id", "ha-3-5")
    assert result.exit_code == 2
    assert f"{RESOLUTION}:7: its title makes it ha-3-4, not ha-3-5" in result.stderr
    assert not (sources_copy / "resolution").exists()


def test_a_chinese_resolution_ingests(sources_copy: Path) -> None:
    """Held out: ingested, never tuned on; only that it is read as a resolution is checked."""
    result = ingest(sources_copy, str(CORPUS / "resolution_ha-3-6.zh.txt"))
    assert result.exit_code == 0, result.output
    assert (sources_copy / "resolution" / "ha-3-6.zh.txt").is_file()
    assert result.stdout.splitlines()[1].startswith("resolution 3/6 (ha-3-6) of the UN-Habitat")


def short(term: pyoxigraph.NamedNode | pyoxigraph.Literal | None) -> str | None:
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value.rsplit("/", 1)[-1]
    return None if term is None else term.value


MANDATES = """
PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?op ?action ?addressee ?due ?reportingTo ?session ?status ?evidence WHERE {
  ?m a hkg:Mandate ; hkg:mandatedBy/hkg:resolutionNumber "3/4" ;
     prov:wasDerivedFrom/hkg:operativeNumber ?op ;
     hkg:action/skos:prefLabel ?action ; hkg:addressee/rdfs:label ?addressee .
  FILTER (LANG(?action) = "en" && LANG(?addressee) = "en")
  OPTIONAL { ?m hkg:dueDate ?due }
  OPTIONAL { ?m hkg:reportingTo ?reportingTo .
             OPTIONAL { ?m hkg:reportingSession/hkg:sessionNumber ?session } }
  ?s hkg:statusOf ?m ; hkg:reportedIn <https://w3id.org/habitat-kg/id/report/eb-2024-2/item-5> ;
     hkg:implementationStatus ?status .
  OPTIONAL { ?s hkg:evidence/hkg:paragraphNumber ?evidence }
}
ORDER BY ?op ?evidence
"""


def test_resolution_then_report_with_accept_gives_statuses_in_the_graph(
    sources_copy: Path, tmp_path: Path
) -> None:
    for act in (RESOLUTION, DECISION):
        assert ingest(sources_copy, str(act)).exit_code == 0
    result = ingest(sources_copy, str(REPORT), "--accept", "--by", "Ana")
    assert result.exit_code == 0, result.output
    assert "mandate 12" in result.stdout  # 8 + 4 statuses proposed, one value each
    store = built_store(sources_copy, tmp_path / "d")
    query = "PREFIX prov: <http://www.w3.org/ns/prov#>\n" + MANDATES
    rows = [tuple(map(short, row)) for row in store.query(query, use_default_graph_as_union=True)]
    director = "Executive Director of the United Nations Human Settlements Programme"
    assert rows == [
        ("1", "requests", director, "2025-12-31", "executive-board", "2024/2", "in-progress", "2"),
        ("2(a)", "also requests", director, None, None, None, "completed", "3"),
        ("2(b)", "also requests", director, "2026-12-31", None, None, "in-progress", "4"),
        ("2(b)", "also requests", director, "2026-12-31", None, None, "in-progress", "5"),
        ("3", "invites", "Member States", None, None, None, "non-applicable", "7"),
        ("4", "encourages", "development partners", None, None, None, "non-applicable", None),
        ("5", "urges", "Member States", None, None, None, "non-applicable", None),
        ("5", "urges", "local authorities", None, None, None, "non-applicable", None),
        (
            "6",
            "calls upon",
            "international financial institutions",
            None,
            None,
            None,
            "non-applicable",
            None,
        ),
        ("9", "requests", director, None, "un-habitat-assembly", "4", "no-indication", None),
    ]


def test_a_resolution_larger_than_the_limit_is_refused(sources_copy: Path) -> None:
    result = ingest(sources_copy, str(RESOLUTION), "--max-report-mb", "0.001")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"habitat-kg: error: {RESOLUTION}: ")
    assert "setting max-report-mb" in result.stderr
    assert not (sources_copy / "resolution").exists()


def test_accept_says_it_does_nothing_for_a_resolution(sources_copy: Path) -> None:
    result = ingest(sources_copy, str(DECISION), "--accept")
    assert result.exit_code == 0
    assert "--accept did nothing" in result.stderr
    assert not (sources_copy / "review").exists()


CHINESE_STATUSES = """
PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?op ?action ?due ?status (GROUP_CONCAT(STR(?number); separator=" ") AS ?evidence) WHERE {
  ?m hkg:mandatedBy/hkg:resolutionNumber "3/9" ; prov:wasDerivedFrom/hkg:operativeNumber ?op ;
     hkg:action/skos:prefLabel ?action .
  FILTER (LANG(?action) = "zh")
  OPTIONAL { ?m hkg:dueDate ?due }
  ?s hkg:statusOf ?m ; hkg:reportedIn <https://w3id.org/habitat-kg/id/report/eb-2025-2/item-5> ;
     hkg:implementationStatus ?status .
  OPTIONAL { ?s hkg:evidence/hkg:paragraphNumber ?number }
}
GROUP BY ?op ?action ?due ?status
ORDER BY ?op
"""


def test_a_chinese_resolution_and_report_give_statuses_in_the_graph(
    sources_copy: Path, tmp_path: Path
) -> None:
    """Resolution 3/9 (a tuning text) and a report on it written for this test."""
    assert ingest(sources_copy, str(CORPUS / "resolution_ha-3-9.zh.txt")).exit_code == 0
    report = DATA / "mandates" / "eb-2025-2_item-5.zh.txt"
    result = ingest(sources_copy, str(report), "--accept", "--by", "Ana")
    assert result.exit_code == 0, result.output
    store = built_store(sources_copy, tmp_path / "d")
    rows = [
        tuple(map(short, row))
        for row in store.query(CHINESE_STATUSES, use_default_graph_as_union=True)
    ]
    assert rows == [
        ("1", "请", "2026-12-31", "in-progress", "2"),
        ("11", "请", None, "no-indication", None),
        ("2(a)", "又请", None, "completed", "3"),
        ("2(b)", "又请", "2027-12-31", "not-implemented", "4"),
        ("3", "请", None, "no-indication", None),
        ("4", "邀请", "2030-12-31", "non-applicable", "5"),
        ("5", "鼓励", None, "non-applicable", None),
        ("6", "敦促", None, "non-applicable", None),
        ("7", "吁请", None, "non-applicable", None),
    ]
