"""How the endpoint answers besides results: errors in words, and the CORS headers.

Every error is a short message, as plain text or as JSON ``{"error": ...}`` when the client
prefers JSON (a SPARQL client asking for JSON results gets its error in JSON too); never a
traceback.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request

from habitat_kg.server.sparql.negotiation import prefers_json

#: Response headers a page on another origin may read.
EXPOSED_HEADERS = "X-Habitat-KG-Truncated, Content-Type, Content-Length"
TRUNCATED_HEADER = "X-Habitat-KG-Truncated"


def error_response(status: int, message: str, **details: Any) -> Response:
    """An error answer in the client's preferred form, plain text unless JSON is preferred."""
    if prefers_json(request.headers.get("Accept")):
        body = json.dumps({"error": message, "status": status, **details}, ensure_ascii=False)
        return Response(body, status, mimetype="application/json")
    return Response(message + "\n", status, mimetype="text/plain")


def with_cors(response: Response) -> Response:
    """Let a web page on any origin call the endpoint (it is read-only and needs no cookie)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response.vary.add("Accept")
    return response


def preflight() -> Response:
    """The answer to a CORS preflight (OPTIONS) request."""
    response = Response(status=204)
    response.headers["Allow"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response
