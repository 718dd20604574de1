"""Integrity checks of a built graph, asked with SPARQL so that they run on any store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from habitat_kg.server.store import Solutions, Store

QUERIES = Path(__file__).parent / "queries"

#: name of the query in queries/check-<name>.rq, and what a row of its answer means
CHECKS: dict[str, str] = {
    "undeclared-terms": "a term of the project's namespace that the ontology does not declare",
    "missing-labels": "a thing without an English or a Chinese label",
    "dangling-references": "an IRI of the project that statements point to but nothing describes",
    "unsourced-statements": "a curated statement that no report part or source is cited for",
    "repeated-labels": "a thing with more than one label in one language",
    "repeated-triples": "a triple stated in more than one layer (the default graph is a set)",
}


@dataclass(frozen=True)
class CheckResult:
    name: str
    meaning: str
    rows: Solutions

    @property
    def passed(self) -> bool:
        return len(self.rows) == 0


def run_checks(store: Store) -> list[CheckResult]:
    """Every check, in the order of ``CHECKS``."""
    results = []
    for name, meaning in CHECKS.items():
        rows = store.query((QUERIES / f"check-{name}.rq").read_text(encoding="utf-8"))
        assert isinstance(rows, Solutions), f"check-{name}.rq is a SELECT query"
        results.append(CheckResult(name, meaning, rows))
    return results
