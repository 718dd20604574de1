"""Counts of the built graph, asked of the store with SPARQL like any other reader."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from habitat_kg.namespaces import LAYERS
from habitat_kg.queries import load_query
from habitat_kg.server.store import Solutions, Store, open_dataset


@dataclass(frozen=True)
class DatasetStats:
    total: int
    #: (layer name, triples) in the order of LAYERS
    layers: tuple[tuple[str, int], ...]
    #: (class label, things of that class), most first
    classes: tuple[tuple[str, int], ...]


def dataset_stats(path: Path, store_spec: str = "memory") -> DatasetStats:
    store = open_dataset(path, store_spec)
    return DatasetStats(store.triple_count(), _layer_sizes(store), _class_counts(store))


def _select(store: Store, name: str) -> Solutions:
    result = store.query(load_query("habitat_kg.graph", name))
    assert isinstance(result, Solutions), f"{name}.rq is a SELECT query"
    return result


def _layer_sizes(store: Store) -> tuple[tuple[str, int], ...]:
    sizes = {str(row["graph"]): int(str(row["triples"])) for row in _select(store, "graph-sizes")}
    return tuple((name, sizes.get(str(iri), 0)) for name, iri in LAYERS.items())


def _class_counts(store: Store) -> tuple[tuple[str, int], ...]:
    rows = _select(store, "counts-by-class")
    return tuple((str(row["label"] or row["class"]), int(str(row["count"]))) for row in rows)
