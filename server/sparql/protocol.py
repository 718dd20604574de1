"""What a SPARQL 1.1 Protocol request asks: the query, its dataset and the format parameter.

https://www.w3.org/TR/sparql11-protocol/#query-operation: a query comes by GET (``query`` in
the URL), by POST with a form (``application/x-www-form-urlencoded``), or by POST with the query
as the body (``application/sparql-query``, the graphs then in the URL).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request
from werkzeug.datastructures import MultiDict

from habitat_kg.server.store.query_text import UpdateRefused

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


class ProtocolError(Exception):
    """A request the protocol does not allow: ``status`` and a message saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryRequest:
    query: str
    #: default-graph-uri and named-graph-uri; both None when neither is given (the service's
    #: own dataset), both tuples when either is.
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    #: The ``format`` parameter (a name like ``json``, or a media type), if given.
    format: str | None


def read_request(request: Request, max_bytes: int) -> QueryRequest | None:
    """The query the request asks, or None for a GET with no query (the service description).

    Raises ProtocolError (400, 413, 415) for what the protocol does not allow, and
    UpdateRefused for an update (this endpoint is read-only).
    """
    method = request.method
    if method == "GET" or method == "HEAD":
        if len(request.query_string) > max_bytes:
            raise ProtocolError(
                413,
                f"the query string is {len(request.query_string)} bytes, more than the "
                f"{max_bytes // 1024} KiB this endpoint accepts",
            )
        args = request.args
        if "update" in args:
            raise UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
        if "query" not in args:
            return None
        return _query_request(args, args)
    if request.content_length is not None and request.content_length > max_bytes:
        raise ProtocolError(413, too_large_message(max_bytes))
    if request.mimetype in FORM_TYPES:
        if "update" in request.form:
            raise UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
        if "query" not in request.form:
            raise ProtocolError(400, "the form has no 'query' field")
        return _query_request(request.form, request.form, _first(request.args, "format"))
    if request.mimetype == QUERY_TYPE:
        return _query_request(MultiDict({"query": _body_text(request)}), request.args)
    if request.mimetype == UPDATE_TYPE:
        raise UpdateRefused("SPARQL Update is refused: this endpoint is read-only")
    raise ProtocolError(
        415,
        f"a POST must carry the query as {QUERY_TYPE} or as a form "
        f"(application/x-www-form-urlencoded with a 'query' field), not as "
        f"{request.mimetype or 'a body without a Content-Type'}",
    )


def _query_request(
    fields: MultiDict[str, str], graphs: MultiDict[str, str], format_: str | None = None
) -> QueryRequest:
    queries = fields.getlist("query")
    if len(queries) != 1:
        raise ProtocolError(400, f"a request carries one query, not {len(queries)}")
    if not queries[0].strip():
        raise ProtocolError(400, "the query is empty")
    # Most requests name no graph: asking for what is absent is kept off their path.
    default_graphs = named_graphs = None
    if "default-graph-uri" in graphs or "named-graph-uri" in graphs:
        default_graphs = tuple(graphs.getlist("default-graph-uri"))
        named_graphs = tuple(graphs.getlist("named-graph-uri"))
    chosen_format = _first(fields, "format") or format_
    return QueryRequest(queries[0], default_graphs, named_graphs, chosen_format)


def _first(fields: MultiDict[str, str], name: str) -> str | None:
    """The first value of ``name``, or None (MultiDict.get raises and catches a KeyError for a
    missing name, which costs more than the rest of reading a request)."""
    return fields[name] if name in fields else None  # noqa: SIM401 - see above


def _body_text(request: Request) -> str:
    charset = request.mimetype_params.get("charset", "utf-8")
    try:
        return request.get_data().decode(charset)
    except (LookupError, UnicodeDecodeError) as error:
        raise ProtocolError(400, f"the query is not readable as {charset}: {error}") from None


def too_large_message(max_bytes: int) -> str:
    """What a 413 says (also when Flask refuses the body first)."""
    return f"the request is larger than the {max_bytes // 1024} KiB this endpoint accepts"
