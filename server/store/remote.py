"""A store over any SPARQL 1.1 server: Oxigraph server, Virtuoso, Jena Fuseki, GraphDB, Neptune.

Queries are SPARQL 1.1 Protocol requests (POST, form-encoded, the dataset's graphs as
parameters) written and sent by ``remote_http`` (its opener carries the credentials, and keeps
the server's own words when it answers with an error).

The dataset's default graph is the union of its named graphs on every store. A server's own
default graph is not: Virtuoso's holds its system graphs, Oxigraph's is empty unless it was
started with ``--union-default-graph``. So every query that names no dataset of its own (no
FROM) is sent with the dataset's graphs as both ``default-graph-uri`` and ``named-graph-uri``,
which the Protocol defines as exactly that dataset.

The time limit holds twice: the server is given it where it takes one (Virtuoso's ``timeout``
in milliseconds, Fuseki's in seconds; Oxigraph's server has only its own ``--timeout-s``), and
the client stops waiting when it passes. Virtuoso, past its limit, answers 200 with what it has
so far and ``X-SQL-State: S1TAT``: that is a time-out too, never a short answer.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from habitat_kg.errors import StoreUnavailable
from habitat_kg.namespaces import LAYERS
from habitat_kg.queries import load_query
from habitat_kg.server.store.base import (
    QueryError,
    QueryResult,
    QueryTimeout,
    Solutions,
    Triples,
)
from habitat_kg.server.store.decoded import result_from_json
from habitat_kg.server.store.oxigraph import term_of
from habitat_kg.server.store.query_text import QueryText, check_query, read_query
from habitat_kg.server.store.remote_answers import serialized_answer
from habitat_kg.server.store.remote_http import (
    Credentials,
    HttpClient,
    ServerError,
    protocol_request,
)
from habitat_kg.server.store.remote_load import publish
from habitat_kg.server.store.serving import AnswerRequest, SerializedAnswer

#: The named graphs of a built dataset: one per layer.
LAYER_GRAPHS: tuple[str, ...] = tuple(str(iri) for iri in LAYERS.values())
#: Seconds the first contact with a server may take (it tells what server it is).
PROBE_LIMIT = 10.0

_RESULTS_ACCEPT = "application/sparql-results+json, application/json;q=0.9"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
T = TypeVar("T")


@dataclass(frozen=True)
class ServerKind:
    """What a server's ``Server`` header says it is, and how it takes a time limit."""

    name: str
    #: Lower-case text the ``Server`` header holds for this kind.
    marker: str
    #: The query parameter that limits evaluation, and its unit in seconds (ms: 0.001).
    limit_parameter: str | None = None
    limit_unit: float = 1.0

    def limit_value(self, seconds: float) -> str:
        value = seconds / self.limit_unit
        return str(max(1, round(value))) if self.limit_unit < 1 else f"{value:g}"


SERVER_KINDS: tuple[ServerKind, ...] = (
    ServerKind("virtuoso", "virtuoso", "timeout", 0.001),
    ServerKind("fuseki", "fuseki", "timeout", 1.0),
    ServerKind("oxigraph", "oxigraph"),
)
UNKNOWN_SERVER = ServerKind("unknown", "")


def server_kind(server_header: str | None) -> ServerKind:
    header = (server_header or "").lower()
    return next((kind for kind in SERVER_KINDS if kind.marker in header), UNKNOWN_SERVER)


class SparqlStore:
    """A dataset kept by the SPARQL server at ``query_url``.

    ``update_url`` (default: the query URL) takes SPARQL Update, ``gsp_url`` (default: none)
    the Graph Store Protocol; loading uses the latter when there is one. Each query may run
    ``timeout`` seconds. Credentials come from the environment (see ``remote_http``).
    """

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        timeout: float = 30.0,
        graphs: Sequence[str] = LAYER_GRAPHS,
        credentials: Credentials | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        for name, url in (("store", query_url), ("update-url", update_url), ("gsp-url", gsp_url)):
            if url and not url.startswith(("http://", "https://")):
                raise ValueError(f"{name}: expected an http:// or https:// URL, not {url!r}")
        if timeout <= 0:
            raise ValueError(f"timeout: a time limit must be more than 0 seconds, not {timeout}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url or None
        self.timeout = timeout
        self.graphs = tuple(graphs)
        if credentials is None:
            credentials = Credentials.from_environment(*(() if environ is None else (environ,)))
        urls = [u for u in (self.query_url, self.update_url, self.gsp_url) if u]
        self.http = HttpClient(credentials, urls)
        #: Prefixes written in Turtle and RDF/XML answers for the endpoint.
        self.prefixes: dict[str, str] = {}
        self._kind: ServerKind | None = None

    def __repr__(self) -> str:
        return f"SparqlStore({self.query_url!r})"

    @property
    def named_graphs(self) -> tuple[str, ...]:
        """The IRIs of the dataset's named graphs (the only graphs a query may name)."""
        return self.graphs

    # -- the Store interface --------------------------------------------------------------

    def query(self, sparql: str) -> QueryResult:
        """Run a query on the server within the time limit.

        QueryError for a query that cannot be read, is refused (updates, SERVICE, LOAD, a FROM
        outside the dataset: see query_text.check_query) or that the server calls malformed;
        QueryTimeout past the limit; StoreUnavailable when the server cannot be reached or fails.
        """
        text = read_query(sparql)
        check_query(text, self.graphs, own_text=True)
        graph_answer = text.form in {"CONSTRUCT", "DESCRIBE"}
        headers, body = self.fetch(
            text.text, text, _GRAPH_ACCEPT if graph_answer else _RESULTS_ACCEPT
        )
        if graph_answer:
            return _triples(body, headers.get_content_type())
        return _solutions(body, self.query_url)

    def triple_count(self) -> int:
        answer = self.query(load_query("habitat_kg.server.store", "dataset-triple-count"))
        assert isinstance(answer, Solutions), "dataset-triple-count.rq is a SELECT query"
        return int(answer.rows[0][0].value) if answer.rows and answer.rows[0][0] else 0

    def load_dataset(self, path: Path) -> None:
        """Replace each named graph of the TriG file at ``path`` on the server, whole."""
        publish(self, path)

    # -- answers for the endpoint (as WorkerPool gives them) ------------------------------

    def serialized_query(self, query: QueryText, request: AnswerRequest) -> SerializedAnswer:
        """The answer written and cut as ``request`` says: see remote_answers."""
        return serialized_answer(self, query, request, self.prefixes)

    def close(self) -> None:
        """Nothing to end: each query is one HTTP exchange (the pool's interface has it)."""

    # -- talking to the server ------------------------------------------------------------

    def fetch(
        self,
        evaluated: str,
        query: QueryText,
        accept: str,
        *,
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
    ) -> tuple[Message, bytes]:
        """The server's answer (headers, body) to ``evaluated`` (the text of ``query``, maybe
        with a row cap) within the time limit. The dataset: the protocol's graphs if given, else
        the query's FROM, else every graph of the dataset as default and named graphs."""
        kind = self.server_kind()
        dataset = (default_graphs or (), named_graphs or ())
        if default_graphs is None and named_graphs is None:
            dataset = ((), ()) if query.sets_dataset else (self.graphs, self.graphs)

        def send() -> tuple[Message, bytes]:
            request = self._request(evaluated, accept, dataset, kind, self.timeout)
            return self._send(request, kind, self.timeout)

        headers, body = _within(self.timeout, send, self._past_limit())
        if headers.get("X-SQL-State", "").strip() == "S1TAT":
            raise QueryTimeout(self._past_limit())
        return headers, body

    def server_kind(self) -> ServerKind:
        """What the server is, asked once with an ``ASK {}`` (which also finds it down early)."""
        if self._kind is None:
            limit = min(self.timeout, PROBE_LIMIT)
            probe = self._request("ASK {}", _RESULTS_ACCEPT, ((), ()), UNKNOWN_SERVER, limit)
            silent = f"the SPARQL server at {self.query_url} did not answer within {limit:g} s"
            headers, _ = _within(
                limit, lambda: self._send(probe, UNKNOWN_SERVER, limit), silent, StoreUnavailable
            )
            self._kind = server_kind(headers.get("Server"))
        return self._kind

    def _send(
        self, request: urllib.request.Request, kind: ServerKind, limit: float
    ) -> tuple[Message, bytes]:
        started = time.monotonic()
        try:
            # The socket waits a little past the limit, so the client-side deadline decides.
            return self.http.fetch(request, limit + 1.0)
        except ServerError as error:
            if kind.limit_parameter and time.monotonic() - started >= limit:
                # A server that gives up at its limit may say so with any error status.
                raise QueryTimeout(f"{self._past_limit()} ({error.detail})") from None
            if error.status == 400:
                raise QueryError(
                    f"the SPARQL server at {self.query_url} refused the query: {error.detail}"
                ) from None
            raise

    def _request(
        self,
        text: str,
        accept: str,
        dataset: tuple[Sequence[str], Sequence[str]],
        kind: ServerKind,
        limit: float,
    ) -> urllib.request.Request:
        limits = [(kind.limit_parameter, kind.limit_value(limit))] if kind.limit_parameter else []
        return protocol_request(
            self.query_url,
            text,
            accept,
            default_graphs=dataset[0],
            named_graphs=dataset[1],
            parameters=limits,
        )

    def _past_limit(self) -> str:
        return (
            f"the query ran past the time limit of {self.timeout:g} s at {self.query_url} "
            "and was stopped"
        )


def _within(
    limit: float,
    call: Callable[[], T],
    message: str,
    error: type[Exception] = QueryTimeout,
) -> T:
    """``call()``'s value, or ``error(message)`` when it takes more than ``limit`` seconds.

    The call runs in a daemon thread that only waits on a socket; its socket time-out ends it
    soon after, and the server, given the limit too, stops evaluating.
    """
    outcome: dict[str, object] = {}
    finished = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as failure:  # handed to the caller below
            outcome["error"] = failure
        finally:
            finished.set()

    threading.Thread(target=run, name="sparql-request", daemon=True).start()
    if not finished.wait(limit):
        raise error(message)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def _solutions(body: bytes, url: str) -> Solutions | bool:
    try:
        answer = result_from_json(body)
    except (ValueError, KeyError, TypeError) as error:
        raise QueryError(
            f"the SPARQL server at {url} sent an answer that is not SPARQL JSON results: {error}"
        ) from None
    assert isinstance(answer, Solutions | bool)
    return answer


def _triples(body: bytes, media_type: str) -> Triples:
    graph_format = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
    try:
        parsed = list(ox.parse(body, format=graph_format))
    except SyntaxError as error:
        raise QueryError(f"the SPARQL server sent a graph that cannot be read: {error}") from None
    return Triples(
        tuple((term_of(t.subject), term_of(t.predicate), term_of(t.object)) for t in parsed)
    )
