"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint that any SPARQL client can use.

A request is read (``protocol.py``), its query read and checked before any store sees it
(``habitat_kg.store.query_text``: no SERVICE, no LOAD, no FROM outside the dataset, no update),
its format chosen (``negotiation.py``), and the answer written by a query worker under the time
limit and the row cap (``habitat_kg.store.pool``). ``GET /sparql`` with no query describes the
service and the dataset (``description.py``).
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from habitat_kg.server.graph import served_graph
from habitat_kg.server.sparql.description import dataset_counts, service_description
from habitat_kg.server.sparql.negotiation import NotAcceptable, choose_format
from habitat_kg.server.sparql.protocol import ProtocolError, read_request, too_large_message
from habitat_kg.server.sparql.responses import (
    TRUNCATED_HEADER,
    error_response,
    preflight,
    with_cors,
)
from habitat_kg.store import QueryError, QueryTimeout
from habitat_kg.store.formats import FORMATS, GRAPH_FORMATS, SOLUTION_FORMATS, formats_for
from habitat_kg.store.query_text import (
    QueryRefused,
    QuerySyntaxError,
    UpdateRefused,
    check_graph,
    check_query,
    read_query,
)
from habitat_kg.store.serving import StoreUnavailable

blueprint = Blueprint("sparql", __name__)
log = logging.getLogger(__name__)

_METHODS = ["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]


@blueprint.route("/sparql", methods=_METHODS)
def endpoint() -> ResponseReturnValue:
    if request.method == "OPTIONS":
        return preflight()
    if request.method not in {"GET", "HEAD", "POST"}:
        response = error_response(405, f"{request.method} is not allowed here: use GET or POST")
        response.headers["Allow"] = "GET, POST, OPTIONS"
        return response
    graph = served_graph()
    asked = read_request(request, _max_request_bytes())
    if asked is None:
        return _description()
    query = read_query(asked.query)
    check_query(query, graph.store.named_graphs)
    for iri in (*(asked.default_graphs or ()), *(asked.named_graphs or ())):
        check_graph(iri, graph.store.named_graphs, "the graph")
    what = f"{query.form} queries" if query.form else "this query"
    chosen = choose_format(
        formats_for(query.form), request.headers.get("Accept"), asked.format, what
    )
    answer = graph.store.serialized_query(
        query,
        chosen.name if chosen.for_solutions else SOLUTION_FORMATS[0].name,
        GRAPH_FORMATS[0].name if chosen.for_solutions else chosen.name,
        default_graphs=asked.default_graphs,
        named_graphs=asked.named_graphs,
        max_rows=int(current_app.config["MAX_ROWS"]),
    )
    media_type = FORMATS[answer.format].media_type
    response = Response(answer.body, 200, content_type=_with_charset(media_type))
    if answer.truncated_at is not None:
        response.headers[TRUNCATED_HEADER] = str(answer.truncated_at)
    return response


def _description() -> Response:
    chosen = choose_format(
        GRAPH_FORMATS,
        request.headers.get("Accept"),
        request.args.get("format"),
        "the service description",
    )
    # The counts are asked once: the served graph does not change while it is served.
    counts = current_app.extensions.get("habitat_kg.void")
    if counts is None:
        counts = dataset_counts(served_graph().store)
        current_app.extensions["habitat_kg.void"] = counts
    body = service_description(request.base_url, counts, chosen)
    return Response(body, 200, content_type=_with_charset(chosen.media_type))


def _with_charset(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def _max_request_bytes() -> int:
    return int(current_app.config["MAX_REQUEST_KB"]) * 1024


@blueprint.after_request
def _cors(response: Response) -> Response:
    return with_cors(response)


@blueprint.errorhandler(QuerySyntaxError)
def _malformed(error: QuerySyntaxError) -> Response:
    return error_response(400, str(error), line=error.line, column=error.column)


@blueprint.errorhandler(QueryRefused)
def _refused(error: QueryRefused) -> Response:
    return error_response(400, str(error))


@blueprint.errorhandler(UpdateRefused)
def _update(error: UpdateRefused) -> Response:
    return error_response(403, str(error))


@blueprint.errorhandler(QueryError)
def _query_error(error: QueryError) -> Response:
    return error_response(400, f"the query could not be run: {error}")


@blueprint.errorhandler(QueryTimeout)
def _timeout(error: QueryTimeout) -> Response:
    return error_response(503, f"timed out: {error}; nothing of it is still running")


@blueprint.errorhandler(StoreUnavailable)
def _unavailable(error: StoreUnavailable) -> Response:
    log.error("store unavailable: %s", error)
    return error_response(503, f"the query could not be answered now: {error}")


@blueprint.errorhandler(NotAcceptable)
def _not_acceptable(error: NotAcceptable) -> Response:
    return error_response(406, str(error))


@blueprint.errorhandler(ProtocolError)
def _protocol(error: ProtocolError) -> Response:
    return error_response(error.status, error.message)


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge) -> Response:
    return error_response(413, too_large_message(_max_request_bytes()))


@blueprint.errorhandler(HTTPException)
def _http(error: HTTPException) -> Response:
    return error_response(error.code or 500, f"{error.name}: {error.description}")


@blueprint.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error in /sparql")
    return error_response(500, f"internal error ({type(error).__name__}); the query was not run")
