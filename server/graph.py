"""The graph a server answers from: the store, and the facts about it that pages show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from habitat_kg.namespaces import PREFIXES
from habitat_kg.stats import DatasetMissing
from habitat_kg.store.pool import open_pool
from habitat_kg.store.query_text import QueryText
from habitat_kg.store.serving import SerializedAnswer, ServingStore

#: Prefixes written in Turtle and RDF/XML answers; ``id:`` is left out because the local names
#: of its IRIs have slashes, which Turtle would have to escape (``id:org\/fao``).
ANSWER_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "id"}


@dataclass
class ServedGraph:
    """The served dataset: where it came from and the store that answers queries about it.

    ``store`` is a ``Store`` for the pages that also writes answers for the endpoint
    (``ServingStore``): a pool of worker processes (habitat_kg.store.pool), each query under
    the time limit.
    """

    dataset: Path
    store: ServingStore
    triples: int

    @classmethod
    def open(cls, dataset: Path, config: Mapping[str, Any]) -> ServedGraph:
        """Start the query workers on the dataset, as the app's settings say."""
        if not dataset.is_file():
            raise DatasetMissing(dataset)
        pool = open_pool(
            dataset,
            str(config["STORE"]),
            size=_number(config, "WORKERS", int),
            timeout=_number(config, "TIMEOUT", float),
            prefixes=ANSWER_PREFIXES,
        )
        return cls(dataset, pool, pool.triple_count())

    @property
    def named_graphs(self) -> tuple[str, ...]:
        """The IRIs of the dataset's named graphs (one per layer)."""
        return self.store.named_graphs

    def serialized_query(
        self,
        query: QueryText,
        solutions_format: str,
        graph_format: str,
        *,
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        max_rows: int | None = None,
    ) -> SerializedAnswer:
        """An answer already written in a format, from the workers (see WorkerPool)."""
        return self.store.serialized_query(
            query,
            solutions_format,
            graph_format,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            max_rows=max_rows,
        )

    def close(self) -> None:
        """End the query workers (also done when the program exits)."""
        self.store.close()


def served_graph() -> ServedGraph:
    """The graph of the application handling the current request."""
    return current_app.extensions["habitat_kg"]


def close_app(app: Flask) -> None:
    """End the query workers of ``app`` (tests and the server call this when they are done)."""
    app.extensions["habitat_kg"].close()


def _number(config: Mapping[str, Any], key: str, kind: type[int] | type[float]) -> Any:
    try:
        return kind(config[key])
    except (TypeError, ValueError):
        name = key.lower().replace("_", "-")
        raise ValueError(f"{name}: expected a number, not {config[key]!r}") from None
