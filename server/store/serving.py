"""What a store that serves the endpoint gives besides the ``Store`` interface: answers already
written in the format a client asked for, the dataset's named graphs, and an end.

The worker pool (``pool.py``) is one; a store on a SPARQL server can be another (it would pass
the query and the Accept header on, with the time limit).
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from habitat_kg.errors import StoreUnavailable
from habitat_kg.server.store.base import Store
from habitat_kg.server.store.query_text import QueryText

__all__ = [
    "ASKING_CLIENT",
    "Busy",
    "MemoryLimitExceeded",
    "SerializedAnswer",
    "ServingStore",
]

#: Who asks the query being answered (the client's address), set by the endpoint for a request:
#: the pool limits the queries one client may have at once. A store that has no such limit
#: (a SPARQL server's) does not read it.
ASKING_CLIENT: ContextVar[str | None] = ContextVar("asking_client", default=None)


class Busy(StoreUnavailable):
    """The query was not run: no worker it may take is free and it may not wait for one.
    ``retry_after``: seconds after which a worker will have become free."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MemoryLimitExceeded(StoreUnavailable):
    """The query took more memory than one worker may hold; it was stopped, its worker
    replaced."""


@dataclass(frozen=True)
class SerializedAnswer:
    """An answer written in a format: its query form, format name, bytes, and the cut."""

    form: str
    #: The name of the format it is written in (see habitat_kg.server.store.formats).
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
