"""What a store that serves the endpoint gives besides the ``Store`` interface: answers already
written in the format a client asked for, the dataset's named graphs, and an end.

The worker pool (``pool.py``) is one; a store on a SPARQL server can be another (it would pass
the query and the Accept header on, with the time limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from habitat_kg.store.base import Store, StoreUnavailable
from habitat_kg.store.query_text import QueryText

__all__ = ["SerializedAnswer", "ServingStore", "StoreUnavailable"]


@dataclass(frozen=True)
class SerializedAnswer:
    """An answer written in a format: its query form, format name, bytes, and the cut."""

    form: str
    #: The name of the format it is written in (see habitat_kg.store.formats).
    format: str
    body: bytes
    #: The rows (or triples) kept when the answer was cut at the row cap, else None.
    truncated_at: int | None = None


class ServingStore(Store, Protocol):
    @property
    def named_graphs(self) -> tuple[str, ...]:
        """The IRIs of the dataset's named graphs (the only graphs a query may name)."""

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
        """The answer written in ``solutions_format`` (SELECT, ASK) or ``graph_format``
        (CONSTRUCT, DESCRIBE), cut after ``max_rows``; raises QueryRefused, UpdateRefused,
        QuerySyntaxError, QueryError, QueryTimeout or StoreUnavailable."""

    def close(self) -> None:
        """Let go of what the store holds (processes, connections)."""
