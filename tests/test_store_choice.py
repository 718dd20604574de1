"""``--store`` names a store the same way on every command; readers never load into a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitat_kg.errors import DatasetMissing
from habitat_kg.server.store import open_dataset
from habitat_kg.server.store.factory import is_remote, open_store


@pytest.mark.parametrize(
    ("spec", "remote"),
    [
        ("memory", False),
        ("rdflib", False),
        ("oxigraph:/tmp/x", False),
        ("http://127.0.0.1:7878/query", True),
        ("https://example.org/sparql", True),
    ],
)
def test_is_remote(spec: str, remote: bool) -> None:
    assert is_remote(spec) is remote


def test_a_reader_does_not_publish_into_a_remote_store(tmp_path: Path) -> None:
    # No dataset file and no server: a reader opening a remote store must not try to load one.
    store = open_dataset(tmp_path / "missing.trig", "http://127.0.0.1:9/sparql")
    assert type(store).__name__ == "SparqlStore"


def test_a_local_store_needs_the_built_dataset(tmp_path: Path) -> None:
    with pytest.raises(DatasetMissing, match="run 'habitat-kg build' first"):
        open_dataset(tmp_path / "missing.trig", "memory")


def test_an_unknown_store_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown store 'mongo'"):
        open_store("mongo")
