"""``--store`` has one syntax on every command: ``memory``, ``oxigraph:PATH`` or ``rdflib``."""

from __future__ import annotations

from pathlib import Path

from habitat_kg.store.base import Store
from habitat_kg.store.memory import RdflibStore
from habitat_kg.store.oxigraph import OxigraphStore

STORE_HELP = "where the graph is kept: 'memory' (Oxigraph in memory), 'oxigraph:PATH', or 'rdflib'"


def open_store(spec: str = "memory") -> Store:
    """The store named by ``spec``; raises ValueError naming the spec when it is not one."""
    if spec == "memory":
        return OxigraphStore()
    if spec == "rdflib":
        return RdflibStore()
    if spec.startswith("oxigraph:") and spec[len("oxigraph:") :]:
        return OxigraphStore(Path(spec[len("oxigraph:") :]))
    raise ValueError(f"unknown store {spec!r}: expected {STORE_HELP}")
