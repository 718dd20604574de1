"""How the endpoint answers besides results: errors in words, and the CORS headers.

Every error is a short message, as plain text or as JSON ``{"error": ...}`` when the client
prefers JSON (a SPARQL client asking for JSON results gets its error in JSON too); never a
traceback.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from flask import Response
from werkzeug.datastructures import Headers

from habitat_kg.server.negotiation import prefers_json
from habitat_kg.server.security import SECURITY_HEADERS

#: Response headers a page on another origin may read.
EXPOSED_HEADERS = "X-Habitat-KG-Truncated, Content-Type, Content-Length, Retry-After, ETag"
TRUNCATED_HEADER = "X-Habitat-KG-Truncated"


def error_response(status: int, message: str, accept: str | None, **details: Any) -> Response:
    """An error answer in the form the client's ``accept`` header prefers: plain text unless
    it prefers JSON."""
    if prefers_json(accept):
        body = json.dumps({"error": message, "status": status, **details}, ensure_ascii=False)
        return Response(body, status, mimetype="application/json")
    return Response(message + "\n", status, mimetype="text/plain")


#: What every answer of the endpoint says besides its type: any origin may read it (the
#: endpoint is read-only and needs no cookie), and it depends on the Accept header.
_ANSWER_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
    ("Vary", "Accept"),
)


class AnswerResponse(Response):
    """An answer that has the CORS headers already (with_cors leaves it as it is)."""

    def get_wsgi_headers(self, environ: dict[str, Any]) -> Headers:
        # werkzeug's copies every header again (checking each) to set the length, make a Location
        # absolute, or drop a 304's entity headers: a 200 answer has its length and no Location.
        headers = self.headers
        if self.status_code == 200 and "Content-Length" in headers and "Location" not in headers:
            return headers
        return super().get_wsgi_headers(environ)


def answer_response(body: bytes, media_type: str) -> Response:
    """A 200 answer of ``media_type`` (with its charset, if textual), the CORS headers and the
    security headers every answer of the server has (habitat_kg.server.security)."""
    headers = (*_ANSWER_HEADERS, *SECURITY_HEADERS)
    return AnswerResponse(body, 200, headers, content_type=_content_type(media_type))


@cache
def _content_type(media_type: str) -> str:
    textual = media_type.startswith("text/") or media_type.endswith(("json", "xml"))
    return f"{media_type}; charset=utf-8" if textual else media_type


def with_cors(response: Response) -> Response:
    """Let a web page on any origin call the endpoint (it is read-only and needs no cookie);
    an answer made by answer_response has them already."""
    if type(response) is AnswerResponse:
        return response
    for name, value in _ANSWER_HEADERS:
        if name == "Vary":  # added to what the response may vary on already, not put instead
            response.vary.add(value)
        else:
            response.headers[name] = value
    for name, value in SECURITY_HEADERS:  # as on the pages: the front door passes Flask by
        response.headers.setdefault(name, value)
    return response


def preflight() -> Response:
    """The answer to a CORS preflight (OPTIONS) request."""
    response = Response(status=204)
    response.headers["Allow"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def not_modified(etag: str) -> Response:
    """304: the client's copy of the answer (tagged ``etag``) is still the answer."""
    response = AnswerResponse(b"", 304, (*_ANSWER_HEADERS, *SECURITY_HEADERS))
    response.headers["ETag"] = etag
    return response
