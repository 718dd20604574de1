"""The store: one small interface through which every reader asks the graph with SPARQL.

Readers (the CLI, the tests, later the server, the validator and the network views) never walk
triples and never know which store they have: they call :func:`open_store` and ``query``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from habitat_kg.server.store.base import (
    QueryError,
    QueryResult,
    QueryTimeout,
    Solutions,
    Store,
    Term,
    Triples,
)

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    # The factory (and through it rdflib's store) is imported when first asked for: a query
    # worker, which imports this package, never needs it, and each would hold it.
    if name in ("open_dataset", "open_store"):
        from habitat_kg.server.store import factory

        return getattr(factory, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
