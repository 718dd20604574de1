"""Answers of a SPARQL server written in the format a client of the endpoint asked for.

What the worker pool gives the endpoint (``WorkerPool.serialized_query``), a remote store gives
too, so that the endpoint serves from either without knowing which it has. The server is asked
for SPARQL XML results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE), the two formats every
server writes alike (Virtuoso's JSON results use the old ``typed-literal``), and pyoxigraph
rewrites them in the format asked for, cut at the row cap as the workers cut theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from habitat_kg.server.store.base import QueryError
from habitat_kg.server.store.formats import solutions_writer, write_triples
from habitat_kg.server.store.query_text import QueryText
from habitat_kg.server.store.serving import AnswerRequest, SerializedAnswer

if TYPE_CHECKING:
    from habitat_kg.server.store.remote import SparqlStore

XML_RESULTS = "application/sparql-results+xml"
N_TRIPLES = "application/n-triples"


def serialized_answer(
    store: SparqlStore,
    query: QueryText,
    request: AnswerRequest,
    prefixes: Mapping[str, str] | None = None,
) -> SerializedAnswer:
    """The answer to ``query`` from ``store``'s server, as WorkerPool.serialized_query gives it.

    Raises what query_text.check_query raises, QueryError, QueryTimeout and StoreUnavailable.
    """
    evaluated, cap = request.evaluated(query, store.graphs)
    graph_answer = query.form in {"CONSTRUCT", "DESCRIBE"}
    headers, body = store.fetch(
        evaluated,
        query,
        N_TRIPLES if graph_answer else XML_RESULTS,
        default_graphs=request.default_graphs,
        named_graphs=request.named_graphs,
    )
    if graph_answer:
        content_type = headers.get_content_type()
        return _graph(query, body, content_type, request.graph_format, cap, prefixes)
    return _solutions(query, body, request.solutions_format, cap)


def _solutions(query: QueryText, body: bytes, name: str, cap: int | None) -> SerializedAnswer:
    try:
        result = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    except SyntaxError as error:
        raise QueryError(f"the SPARQL server sent results that cannot be read: {error}") from None
    if isinstance(result, ox.QueryBoolean):
        return SerializedAnswer(
            query.form or "ASK", name, result.serialize(format=solutions_writer(name))
        )
    # Rows are lines in TSV (newlines inside terms are escaped): cut there, then rewrite.
    tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
    kept = None
    if cap is not None and tsv.count(b"\n") - 1 > cap:
        end = tsv.index(b"\n")
        for _ in range(cap):
            end = tsv.index(b"\n", end + 1)
        tsv, kept = tsv[: end + 1], cap
    if name == "tsv":
        return SerializedAnswer(query.form or "SELECT", name, tsv, kept)
    rewritten = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return SerializedAnswer(
        query.form or "SELECT",
        name,
        rewritten.serialize(format=solutions_writer(name)),
        kept,
    )


def _graph(
    query: QueryText,
    body: bytes,
    media_type: str,
    name: str,
    cap: int | None,
    prefixes: Mapping[str, str] | None,
) -> SerializedAnswer:
    try:
        triples = list(
            ox.parse(
                body, format=ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
            )
        )
    except SyntaxError as error:
        raise QueryError(f"the SPARQL server sent a graph that cannot be read: {error}") from None
    kept = None
    if cap is not None and len(triples) > cap:
        del triples[cap:]
        kept = cap
    written = write_triples(triples, name, prefixes)
    return SerializedAnswer(query.form or "CONSTRUCT", name, written, kept)
