"""The mandate checks before a session (``shapes/mandate-checks.ttl``), on a real project: the
bundled sources, resolution 3/4 and decision 2024/1 of the test corpus and test resolution 3/12
(``tests/data/mandate-checks``, written for testing, with a near-duplicate of 3/4's OP 1) in
``sources/resolution/``, the test report to the Board's second session of 2024 in
``sources/report/``, and the statuses of ``mandate-checks.trig`` in ``sources/curated/``. Each
check fires exactly where the fixture sets it up to, and nowhere else.
"""

from __future__ import annotations

import shutil
from datetime import date
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef
from validating import SESSION, one_error_line, validate, write

from habitat_kg.graph.build import build
from habitat_kg.namespaces import ID
from habitat_kg.server.store import Store, open_store
from habitat_kg.shapes import SHAPES
from habitat_kg.shapes.validation import validate_store
from habitat_kg.shapes.validation.report import Finding
from habitat_kg.shapes.validation.shapes import load_shapes
from habitat_kg.shapes.validation.similarity import jaccard, similar_pairs, tokens

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "corpus"
FIXTURES = REPO / "tests" / "data" / "mandate-checks"
#: After the Board's second session of 2024 (12 November) began; five years before it is
#: 1 December 2019, after the Assembly's first session (May 2019).
CHECKED = date(2024, 12, 1)
RESOLUTION_FILES = ("resolution_ha-3-4", "decision_eb-2024-1", "resolution_ha-3-12")
CHECKS = (
    "ReportDueShape",
    "StatusEvidenceShape",
    "MandateAgeShape",
    "Mandate-end-clause",
    "NearDuplicateMandateShape",
)


def mandate(local: str) -> str:
    return str(ID[f"mandate/{local}"])


def status(local: str) -> str:
    return str(ID[f"mandate-status/eb-2024-2-item-5/{local}"])


@pytest.fixture(scope="module")
def project_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    sources = tmp_path_factory.mktemp("mandate-checks") / "sources"
    shutil.copytree(REPO / "graph" / "sources", sources)
    (sources / "resolution").mkdir()
    for name in ("resolution_ha-3-4.en.txt", "decision_eb-2024-1.en.txt"):
        shutil.copy(CORPUS / name, sources / "resolution" / name)
    shutil.copy(FIXTURES / "resolution_ha-3-12.en.txt", sources / "resolution")
    shutil.copy(CORPUS / "eb-2024-2_item-5.en.txt", sources / "report")
    shutil.copy(FIXTURES / "mandate-checks.trig", sources / "curated")
    built = build(sources, sources.parent / "build")
    store = open_store("memory")
    store.load_dataset(built.dataset_path)
    return store


def found(store: Store, session: date, engine: str = "sparql") -> dict[str, list[Finding]]:
    report = validate_store(store, "mandate checks", session, engine=engine)
    by_shape: dict[str, list[Finding]] = {name: [] for name in CHECKS}
    for finding in report.findings():
        name = finding.shape.removeprefix(SHAPES)
        if name in by_shape:
            by_shape[name].append(finding)
    return by_shape


def focus_nodes(findings: list[Finding]) -> set[str]:
    return {finding.focus for finding in findings}


def mandates(store: Store) -> set[str]:
    rows = store.query("SELECT ?m WHERE { ?m a <https://w3id.org/habitat-kg/ontology#Mandate> }")
    return {str(row["m"].value) for row in rows}  # type: ignore[union-attr]


def parsed(store: Store) -> set[str]:
    """The mandates of the three resolution texts (the rest are the bundled record's)."""
    prefixes = tuple(mandate(name.split("_")[1]) + "/" for name in RESOLUTION_FILES)
    return {m for m in mandates(store) if m.startswith(prefixes)}


def test_the_mandate_whose_report_is_due_and_missing_is_flagged(project_store: Store) -> None:
    findings = found(project_store, CHECKED)["ReportDueShape"]
    # decision 2024/1 OP 2 and resolution 3/4 OP 1 are due at the Board's second session of 2024;
    # only 3/4 OP 1 has a status from the report to it. 3/4 OP 9 is due at the Assembly's fourth
    # session, which has no date yet.
    assert focus_nodes(findings) == {mandate("eb-2024-1/op-2")}
    assert {f.severity for f in findings} == {"Warning"}
    assert "hkg:reportingSession" in findings[0].message_en


def test_no_report_is_due_before_its_session_begins(project_store: Store) -> None:
    assert found(project_store, date(2024, 11, 11))["ReportDueShape"] == []
    on_the_day = found(project_store, date(2024, 11, 12))["ReportDueShape"]
    assert focus_nodes(on_the_day) == {mandate("eb-2024-1/op-2")}


def test_a_status_without_evidence_is_flagged_but_non_applicable_is_not(
    project_store: Store,
) -> None:
    findings = found(project_store, CHECKED)["StatusEvidenceShape"]
    # the bundled statuses all cite their paragraphs; 3/4 OP 3 is non-applicable without any
    assert focus_nodes(findings) == {status("ha-3-4/op-2a")}
    assert {f.severity for f in findings} == {"Warning"}


def test_mandates_older_than_five_years_are_flagged_unless_renewed(project_store: Store) -> None:
    findings = found(project_store, CHECKED)["MandateAgeShape"]
    bundled = mandates(project_store) - parsed(project_store)
    assert len(bundled) == 8  # the bundled record's, of sessions in 2019
    renewed = mandate("ha-1-2-review-process")  # renewed by test resolution 3/12, OP 2
    assert renewed in bundled
    assert focus_nodes(findings) == bundled - {renewed}
    assert {f.severity for f in findings} == {"Warning"}
    # in May 2024 the Assembly's first session (27 May 2019) is not yet five years old
    assert found(project_store, date(2024, 5, 1))["MandateAgeShape"] == []


def test_mandates_without_an_end_clause_are_listed_as_information(project_store: Store) -> None:
    findings = found(project_store, CHECKED)["Mandate-end-clause"]
    # 3/4 OP 2(a)'s facility is set up "for an initial period of three years"; the bundled
    # mandates' records do not say either way
    assert focus_nodes(findings) == parsed(project_store) - {mandate("ha-3-4/op-2a")}
    assert {f.severity for f in findings} == {"Info"}


def test_near_duplicate_mandates_are_listed_with_their_score(project_store: Store) -> None:
    findings = found(project_store, CHECKED)["NearDuplicateMandateShape"]
    first, second = mandate("ha-3-4/op-1"), mandate("ha-3-12/op-1")
    assert {(f.focus, f.value) for f in findings} == {
        (first, f"<{second}>"),
        (second, f"<{first}>"),
    }
    for finding in findings:
        # 8 words shared of 12: develop guidelines community led climate adaptation informal
        # settlements; 3/4 adds "consultation Member States", 3/12 "planning"
        assert "similarity 0.67" in finding.message_en
        assert "相似度为 0.67" in finding.message_zh
        assert finding.severity == "Warning"


def test_both_engines_give_the_same_mandate_checks(project_store: Store) -> None:
    def pairs(engine: str) -> set[tuple[str, str, str | None]]:
        return {
            (name, f.focus, f.value)
            for name, findings in found(project_store, CHECKED, engine).items()
            for f in findings
        }

    assert pairs("pyshacl") == pairs("sparql")


def test_the_checks_add_no_violation_to_the_project(project_store: Store) -> None:
    report = validate_store(project_store, "mandate checks", CHECKED, threshold="Violation")
    assert report.findings() == []


def test_tokens_are_english_words_and_chinese_character_pairs() -> None:
    assert tokens("to develop the Guidelines, in 2025") == {"develop", "guidelines", "2025"}
    assert tokens("制定准则") == {"制定", "定准", "准则"}
    assert tokens("城") == {"城"}
    assert jaccard(tokens("develop guidelines"), tokens("prepare guidelines")) == pytest.approx(
        1 / 3
    )
    assert jaccard(frozenset(), frozenset()) == 0.0


@given(
    st.lists(st.frozensets(st.sampled_from("abcdefgh"), max_size=7), max_size=12),
    st.sampled_from([0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 1.0]),
)
def test_prefix_filtering_finds_exactly_the_pairs_comparing_all_would(
    texts: list[frozenset[str]], threshold: float
) -> None:
    every_pair = {
        (i, j): jaccard(first, second)
        for (i, first), (j, second) in combinations(enumerate(texts), 2)
        if jaccard(first, second) >= threshold
    }
    assert similar_pairs(texts, threshold) == every_pair


def test_five_years_before_the_session_is_filled_in() -> None:
    minimums = {
        str(o)
        for o in load_shapes(session=date(2024, 2, 29)).objects(
            None, URIRef("http://www.w3.org/ns/shacl#minInclusive")
        )
    }
    assert "2019-02-28" in minimums  # no 29 February in 2019


@pytest.mark.parametrize("threshold", ['"high"', "0", "1.5", "true"])
def test_a_bad_similarity_threshold_is_one_error_line(tmp_path: Path, threshold: str) -> None:
    shapes = write(
        tmp_path,
        "shapes.ttl",
        f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix hkgsh: <https://w3id.org/habitat-kg/shapes#> .
@prefix hkg: <https://w3id.org/habitat-kg/ontology#> .
hkgsh:Duplicates a sh:NodeShape ; sh:targetClass hkg:Mandate ;
    hkgsh:similarityThreshold {threshold} .
""",
    )
    data = write(
        tmp_path,
        "data.ttl",
        "<http://example.org/m> a <https://w3id.org/habitat-kg/ontology#Mandate> .\n",
    )
    result = validate("--shapes", str(shapes), "--session", SESSION, str(data))
    one_error_line(result, "similarityThreshold", "Duplicates")
