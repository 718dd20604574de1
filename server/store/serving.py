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
from habitat_kg.server.store.query_text import QueryText, check_graph, check_query
from habitat_kg.server.store.row_cap import with_row_cap

__all__ = [
    "ASKING_CLIENT",
    "AnswerRequest",
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


@dataclass(frozen=True)
class AnswerRequest:
    """How the endpoint asks for an answer: the format of solutions (SELECT, ASK) and of
    triples (CONSTRUCT, DESCRIBE), the protocol's dataset (None: the service's own), and the
    rows (or triples) to cut it after (None: no cap)."""

    solutions_format: str = "json"
    graph_format: str = "turtle"
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    max_rows: int | None = None

    def evaluated(
        self, query: QueryText, graphs: tuple[str, ...], *, own_text: bool = False
    ) -> tuple[str, int | None]:
        """The text to evaluate (with a row cap where it bounds the work) and the cap the
        answer may still exceed (None: it cannot); first refuses what query_text.check_query
        refuses and any graph of the request outside ``graphs``."""
        check_query(query, graphs, own_text=own_text)
        for iri in (*(self.default_graphs or ()), *(self.named_graphs or ())):
            check_graph(iri, graphs, "the graph")
        if self.max_rows is None:
            return query.text, None
        evaluated, may_exceed = with_row_cap(query, self.max_rows)
        return evaluated, self.max_rows if may_exceed else None


class ServingStore(Store, Protocol):
    @property
    def named_graphs(self) -> tuple[str, ...]:
        """The IRIs of the dataset's named graphs (the only graphs a query may name)."""

    def serialized_query(self, query: QueryText, request: AnswerRequest) -> SerializedAnswer:
        """The answer written and cut as ``request`` says; raises QueryRefused, UpdateRefused,
        QuerySyntaxError, QueryError, QueryTimeout or StoreUnavailable."""

    def close(self) -> None:
        """Let go of what the store holds (processes, connections)."""
