"""Counts of the built graph, asked of the store with SPARQL like any other reader."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from habitat_kg.namespaces import LAYERS
from habitat_kg.sparql import load_query
from habitat_kg.store import Solutions, Store, open_store
from habitat_kg.store.factory import is_remote


class DatasetMissing(FileNotFoundError):
    """There is no built dataset where one was expected."""

    def __init__(self, path: Path) -> None:
        if path.parent.is_file():  # --data names the dataset file instead of its folder
            super().__init__(
                f"--data {path.parent}: a file; --data takes the folder the build writes "
                f"{path.name} to"
            )
        else:
            super().__init__(f"{path}: no built graph here; run 'habitat-kg build' first")


@dataclass(frozen=True)
class DatasetStats:
    total: int
    #: (layer name, triples) in the order of LAYERS
    layers: tuple[tuple[str, int], ...]
    #: (class label, things of that class), most first
    classes: tuple[tuple[str, int], ...]


def open_dataset(path: Path, store_spec: str = "memory") -> Store:
    """A store holding the dataset at ``path``; a SPARQL server's store as it is.

    Readers never load into a remote server: that is ``habitat-kg publish``'s job.
    """
    if is_remote(store_spec):
        return open_store(store_spec)
    if not path.is_file():
        raise DatasetMissing(path)
    store = open_store(store_spec)
    store.load_dataset(path)
    return store


def dataset_stats(path: Path, store_spec: str = "memory") -> DatasetStats:
    store = open_dataset(path, store_spec)
    return DatasetStats(store.triple_count(), _layer_sizes(store), _class_counts(store))


def _select(store: Store, name: str) -> Solutions:
    result = store.query(load_query(name))
    assert isinstance(result, Solutions), f"{name}.rq is a SELECT query"
    return result


def _layer_sizes(store: Store) -> tuple[tuple[str, int], ...]:
    sizes = {str(row["graph"]): int(str(row["triples"])) for row in _select(store, "graph-sizes")}
    return tuple((name, sizes.get(str(iri), 0)) for name, iri in LAYERS.items())


def _class_counts(store: Store) -> tuple[tuple[str, int], ...]:
    rows = _select(store, "counts-by-class")
    return tuple((str(row["label"] or row["class"]), int(str(row["count"]))) for row in rows)
