"""The store: one small interface through which every reader asks the graph with SPARQL.

Readers (the CLI, the tests, later the server, the validator and the network views) never walk
triples and never know which store they have: they call :func:`open_store` and ``query``.
"""

from __future__ import annotations

from habitat_kg.server.store.base import (
    QueryError,
    QueryResult,
    QueryTimeout,
    Solutions,
    Store,
    Term,
    Triples,
)
from habitat_kg.server.store.factory import open_dataset, open_store

__all__ = [
    "QueryError",
    "QueryResult",
    "QueryTimeout",
    "Solutions",
    "Store",
    "Term",
    "Triples",
    "open_dataset",
    "open_store",
]
