"""The graph a server answers from: the store, and the facts about it that pages show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app

from habitat_kg.stats import open_dataset
from habitat_kg.store import Store


@dataclass
class ServedGraph:
    """The served dataset: where it came from and the store that answers queries about it."""

    dataset: Path
    store: Store
    triples: int

    @classmethod
    def open(cls, dataset: Path, config: Mapping[str, Any]) -> ServedGraph:
        store = open_dataset(dataset, str(config["STORE"]))
        return cls(dataset, store, store.triple_count())


def served_graph() -> ServedGraph:
    """The graph of the application handling the current request."""
    return current_app.extensions["habitat_kg"]
