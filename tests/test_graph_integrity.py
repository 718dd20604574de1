"""The built graph conforms to its ontology, labels everything twice and sources every statement."""

from __future__ import annotations

import pytest
from checks import CHECKS, run_checks
from rdflib import Literal

from habitat_kg.graph.build import BuildResult
from habitat_kg.server.store import Store


@pytest.fixture(scope="module")
def results(store: Store) -> dict[str, object]:
    return {result.name: result for result in run_checks(store)}


@pytest.mark.parametrize("name", list(CHECKS))
def test_check_finds_nothing(results: dict, name: str) -> None:
    rows = results[name].rows
    shown = [" ".join(str(term) for term in row) for row in rows.rows[:10]]
    assert len(rows) == 0, f"{results[name].meaning}:\n" + "\n".join(shown)


@pytest.mark.parametrize("layer", ["ontology", "reference", "document", "curated"])
def test_strings_are_plain_literals(built: BuildResult, layer: str) -> None:
    # pySHACL's sh:in treats "x"^^xsd:string and "x" as different terms: keep strings plain.
    typed = [
        value
        for value in built.layers[layer].objects()
        if isinstance(value, Literal) and str(value.datatype or "").endswith("#string")
    ]
    assert typed == []


def test_every_layer_is_filled(built: BuildResult) -> None:
    assert {name: len(graph) > 0 for name, graph in built.layers.items()} == dict.fromkeys(
        ["ontology", "reference", "document", "curated"], True
    )


def test_no_mention_is_left_unused(built: BuildResult) -> None:
    # Every organization and place the text names is used by a curated statement of that part.
    assert built.unused_mentions == []
