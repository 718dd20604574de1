"""The graph a server answers from: the store, and the facts about it that pages show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from habitat_kg.errors import DatasetMissing
from habitat_kg.namespaces import PREFIXES
from habitat_kg.server.store.factory import is_remote
from habitat_kg.server.store.lanes import PoolLimits
from habitat_kg.server.store.opening import open_pool
from habitat_kg.server.store.serving import ServingStore

#: Prefixes written in Turtle and RDF/XML answers; ``id:`` is left out because the local names
#: of its IRIs have slashes, which Turtle would have to escape (``id:org\/fao``).
ANSWER_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "id"}


@dataclass
class ServedGraph:
    """The served dataset: where it came from and the store that answers queries about it.

    ``store`` is a ``Store`` for the pages that also writes answers for the endpoint
    (``ServingStore``): a pool of worker processes (habitat_kg.server.store.pool), each query under
    the time limit.
    """

    dataset: Path
    store: ServingStore
    triples: int
    #: The dataset file's (modification time, size) just before the workers loaded it: a
    #: reload tells by it whether the file is still the one they hold (None: not known).
    loaded: tuple[int, int] | None = None

    @classmethod
    def open(cls, dataset: Path, config: Mapping[str, Any]) -> ServedGraph:
        """Start the query workers on the dataset, as the app's settings say (a SPARQL server
        given as the store already holds the published dataset)."""
        if not is_remote(str(config["STORE"])) and not dataset.is_file():
            raise DatasetMissing(dataset)
        loaded = file_stamp(dataset)
        pool = open_pool(
            dataset,
            str(config["STORE"]),
            size=_number(config, "WORKERS", int),
            timeout=_number(config, "TIMEOUT", float),
            prefixes=ANSWER_PREFIXES,
            limits=PoolLimits.from_config(config),
            memory_workers=_number(config, "MEMORY_WORKERS", int),
            # `serve` answers as soon as the workers in memory are ready (loading the store on
            # disk that the others read takes longer); an app made in code has them all ready
            readers_later=bool(config.get("READERS_LATER", False)),
        )
        return cls(dataset, pool, pool.triple_count(), loaded)

    def close(self) -> None:
        """End the query workers (also done when the program exits)."""
        self.store.close()


def file_stamp(path: Path) -> tuple[int, int] | None:
    """A file's (modification time in ns, size), None if it cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


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
