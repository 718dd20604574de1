"""The endpoint as one function of a request and the app: :func:`respond`, and the front door
that brings requests for ``/sparql`` to it.

:class:`FrontDoor` is WSGI middleware in front of Flask (installed when the blueprint is
registered): a request for ``/sparql`` goes straight to :func:`respond`, every other request to
Flask. Flask's handling of a request (its contexts, matching the URL among every page's,
finishing the response) costs more of the server's time than the endpoint's own work, the
worker's round trip included (benchmarks/ measures the endpoint against a minimal Flask app).
The endpoint uses nothing Flask adds (sessions, templates, other blueprints' hooks; note
that an app-wide hook does not see /sparql). The Flask route stays, so that pages can name the
endpoint with ``url_for``, and a request that reaches Flask all the same gets the same answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Request

from habitat_kg.errors import StoreUnavailable
from habitat_kg.server.negotiation import NotAcceptable, choose_format
from habitat_kg.server.sparql.answer_cache import (
    ANSWER_CACHE,
    AnswerCache,
    bypasses_cache,
    entity_tag,
    matches,
)
from habitat_kg.server.sparql.description import dataset_counts, service_description
from habitat_kg.server.sparql.held_answers import send
from habitat_kg.server.sparql.protocol import ProtocolError, read_request, too_large_message
from habitat_kg.server.sparql.query_string import EndpointRequest
from habitat_kg.server.sparql.responses import (
    TRUNCATED_HEADER,
    answer_response,
    error_response,
    not_modified,
    preflight,
    with_cors,
)
from habitat_kg.server.store import QueryError, QueryTimeout
from habitat_kg.server.store.formats import FORMATS, GRAPH_FORMATS, SOLUTION_FORMATS, formats_for
from habitat_kg.server.store.query_text import (
    QueryRefused,
    QuerySyntaxError,
    QueryText,
    UpdateRefused,
    check_graph,
    check_query,
    read_query,
)
from habitat_kg.server.store.serving import (
    ASKING_CLIENT,
    AnswerRequest,
    Busy,
    MemoryLimitExceeded,
    SerializedAnswer,
    ServingStore,
)

log = logging.getLogger("habitat_kg.server.sparql")

PATH = "/sparql"
#: Where the VoID counts of the service description are kept, once asked.
_VOID_COUNTS = "habitat_kg.void"


def respond(http: Request, app: Flask) -> Response:
    """The endpoint's answer to ``http``: never an exception, every error an answer in words
    (plain text, or JSON for a client that prefers it), and the CORS headers on all."""
    # Who asks, for the store's limit of queries per client (habitat_kg.server.store.lanes).
    asking = ASKING_CLIENT.set(http.environ.get("REMOTE_ADDR"))
    try:
        response = _answer(http, app)
    except Exception as error:  # each kind of error has its status in _error_answer
        response = _error_answer(error, http, app)
    finally:
        ASKING_CLIENT.reset(asking)
    return with_cors(response)


def _answer(http: Request, app: Flask) -> Response:
    if http.trusted_hosts is not None:
        _ = http.host  # a host it does not trust: SecurityError, 400 (as Flask does)
    method = http.method
    if method == "OPTIONS":
        return preflight()
    if method not in {"GET", "HEAD", "POST"}:
        response = error_response(
            405, f"{method} is not allowed here: use GET or POST", http.headers.get("Accept")
        )
        response.headers["Allow"] = "GET, POST, OPTIONS"
        return response
    asked = read_request(http, _max_request_bytes(app))
    served = app.extensions["habitat_kg"]
    store: ServingStore = served.store
    if asked is None:
        return _description(http, app, store)
    query = read_query(asked.query)
    check_query(query, store.named_graphs)
    for iri in (*(asked.default_graphs or ()), *(asked.named_graphs or ())):
        check_graph(iri, store.named_graphs, "the graph")
    what = f"{query.form} queries" if query.form else "this query"
    chosen = choose_format(formats_for(query.form), http.headers.get("Accept"), asked.format, what)
    workbook = chosen.name == "xlsx"
    request = AnswerRequest(
        SOLUTION_FORMATS[0].name if workbook or not chosen.for_solutions else chosen.name,
        GRAPH_FORMATS[0].name if chosen.for_solutions else chosen.name,
        default_graphs=asked.default_graphs,
        named_graphs=asked.named_graphs,
        max_rows=int(app.config["MAX_ROWS"]),
    )
    answer, etag = _kept_or_asked(http, app, served, query, request, chosen.name)
    if etag is not None and matches(http, etag):
        return not_modified(etag)
    if workbook and answer.format == SOLUTION_FORMATS[0].name:
        # openpyxl is loaded by the first workbook asked for, not by every server process
        from habitat_kg.server.sparql.spreadsheet import workbook_of

        response = answer_response(workbook_of(answer.body), chosen.media_type)
        response.headers["Content-Disposition"] = 'attachment; filename="answer.xlsx"'
    else:
        response = answer_response(answer.body, FORMATS[answer.format].media_type)
    if answer.truncated_at is not None:
        response.headers[TRUNCATED_HEADER] = str(answer.truncated_at)
    if etag is not None:
        response.headers["ETag"] = etag
    return response


def _kept_or_asked(
    http: Request,
    app: Flask,
    served: Any,
    query: QueryText,
    request: AnswerRequest,
    representation: str,
) -> tuple[SerializedAnswer, str | None]:
    """The answer kept for this query on the ``served`` graph, else the store's (then kept),
    and its ETag (None: not kept, too large or no cache)."""
    cache: AnswerCache | None = app.extensions.get(ANSWER_CACHE)
    if cache is None:
        return served.store.serialized_query(query, request), None
    key = (query.text, request, representation)
    if not bypasses_cache(http):
        kept = cache.get(served, key)
        if kept is not None:
            return kept.answer, kept.etag
    answer = served.store.serialized_query(query, request)
    if not cache.fits(key, answer):
        return answer, None
    etag = entity_tag(answer, representation)
    cache.put(served, app.extensions["habitat_kg"], key, answer, etag)
    return answer, etag


def _description(http: Request, app: Flask, store: ServingStore) -> Response:
    accept, format_parameter = http.headers.get("Accept"), http.args.get("format")
    chosen = choose_format(GRAPH_FORMATS, accept, format_parameter, "the service description")
    # The counts are asked once: the served graph does not change while it is served.
    counts = app.extensions.get(_VOID_COUNTS)
    if counts is None:
        counts = app.extensions[_VOID_COUNTS] = dataset_counts(store)
    body = service_description(http.base_url, counts, chosen)
    return answer_response(body, chosen.media_type)


def _max_request_bytes(app: Flask) -> int:
    return int(app.config["MAX_REQUEST_KB"]) * 1024


# -- errors -----------------------------------------------------------------------------------

_ErrorAnswer = Callable[[Any, Flask], tuple[int, str, dict[str, Any]]]

#: Status and message by kind of error; the most specific class of an error decides (as
#: Flask's error handlers do).
_ERRORS: dict[type[BaseException], _ErrorAnswer] = {
    QuerySyntaxError: lambda e, _app: (400, str(e), {"line": e.line, "column": e.column}),
    QueryRefused: lambda e, _app: (400, str(e), {}),
    UpdateRefused: lambda e, _app: (403, str(e), {}),
    QueryError: lambda e, _app: (400, f"the query could not be run: {e}", {}),
    QueryTimeout: lambda e, _app: (503, f"timed out: {e}; nothing of it is still running", {}),
    Busy: lambda e, _app: (503, f"busy: {e}", {"retry_after": e.retry_after}),
    MemoryLimitExceeded: lambda e, _app: (503, f"out of memory: {e}", {}),
    StoreUnavailable: lambda e, _app: (503, f"the query could not be answered now: {e}", {}),
    NotAcceptable: lambda e, _app: (406, str(e), {}),
    ProtocolError: lambda e, _app: (e.status, e.message, {}),
    RequestEntityTooLarge: lambda _e, app: (413, too_large_message(_max_request_bytes(app)), {}),
    HTTPException: lambda e, _app: (e.code or 500, f"{e.name}: {e.description}", {}),
}


def _error_answer(error: Exception, http: Request, app: Flask) -> Response:
    for kind in type(error).__mro__:
        if kind in _ERRORS:
            status, message, details = _ERRORS[kind](error, app)
            break
    else:
        log.exception("unexpected error in /sparql")
        status = 500
        message = f"internal error ({type(error).__name__}); the query was not run"
        details = {}
    if isinstance(error, Busy):  # the client is told when to ask again; no error of ours
        response = error_response(status, message, http.headers.get("Accept"), **details)
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if isinstance(error, StoreUnavailable):
        log.error("store unavailable: %s", error)
    return error_response(status, message, http.headers.get("Accept"), **details)


# -- the front door ---------------------------------------------------------------------------

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class FrontDoor:
    """WSGI middleware: ``/sparql`` to :func:`respond`, everything else to ``behind`` (Flask)."""

    def __init__(self, app: Flask, behind: WSGIApp) -> None:
        self.app = app
        self.behind = behind

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH:
            return self.behind(environ, start_response)
        return send(respond(_request(environ, self.app), self.app), environ, start_response)


def _request(environ: dict[str, Any], app: Flask) -> Request:
    """The request, with what Flask's request takes from the app's settings: the limits of
    what it reads, and the hosts it trusts."""
    http = EndpointRequest(environ)
    config = app.config
    http.max_content_length = config.get("MAX_CONTENT_LENGTH")
    http.max_form_memory_size = config.get("MAX_FORM_MEMORY_SIZE", http.max_form_memory_size)
    http.max_form_parts = config.get("MAX_FORM_PARTS", http.max_form_parts)
    if config.get("TRUSTED_HOSTS") is not None:
        http.trusted_hosts = config["TRUSTED_HOSTS"]
    return http
