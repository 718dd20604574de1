"""The report's facts, one per row: each is a SPARQL ASK that must hold in the built graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from habitat_kg.server.store import Store

FACTS_FILE = Path(__file__).parent / "facts" / "eb-2020-2-item-7.rq"
_FACT = re.compile(r"^## (?P<name>[\w-]+): (?P<claim>.+)$", re.MULTILINE)


def _facts() -> tuple[str, list[tuple[str, str, str]]]:
    text = FACTS_FILE.read_text(encoding="utf-8")
    heads = list(_FACT.finditer(text))
    prologue = text[: heads[0].start()]
    prefixes = "\n".join(line for line in prologue.splitlines() if line.startswith("PREFIX"))
    facts = []
    for head, following in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : following.start() if following else len(text)].strip()
        facts.append((head["name"], head["claim"], body))
    return prefixes, facts


PREFIXES, FACTS = _facts()


def test_there_are_at_least_sixty_distinct_facts() -> None:
    names = [name for name, _, _ in FACTS]
    assert len(names) >= 60
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("name", "claim", "pattern"), FACTS, ids=[name for name, _, _ in FACTS])
def test_fact_holds(store: Store, name: str, claim: str, pattern: str) -> None:
    answer = store.query(f"{PREFIXES}\nASK {pattern}")
    assert answer is True, f"{name}: the graph does not say that {claim}"
