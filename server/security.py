"""What keeps the server's answers from running someone else's script in a visitor's browser.

Three layers, each enough on its own for the common case, so that one mistake is not a hole:

- every echo of request input is escaped (Jinja's autoescape in pages) or sent as text/plain
  (``plain_answer``);
- values from the data become links only when they are http(s) or mailto IRIs (``safe_href``):
  anything else, ``javascript:`` among them, is shown as text;
- every answer carries headers (``SECURITY_HEADERS``) that tell the browser to run no script but
  the site's own files (Content-Security-Policy without 'unsafe-inline'), not to guess a media
  type, not to be framed, not to send the page's address (which holds the query) to other sites,
  and not to keep dynamic answers.

The headers are added to Flask's answers by an ``after_request`` hook; ``/sparql``, answered by
a front door before Flask (server/sparql/endpoint.py), adds the same ones with its CORS headers
(server/sparql/responses.py).
"""

from __future__ import annotations

import re

from flask import Flask, Response

from habitat_kg.namespaces import BASE

#: Where the pages may load from: only the site itself; no inline script, no plugin, no
#: <base> to redirect relative addresses, no framing, forms only to the site.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

#: Headers of every answer (pages, errors, static files, SPARQL answers).
EVERY_ANSWER: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    # the query page's address holds the query: other sites are not told it
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)

#: For answers that set no caching of their own (static files do: revalidated by ETag).
DYNAMIC_CACHE_CONTROL = "no-store"

#: What every answer gets unless it set the header itself.
SECURITY_HEADERS = (*EVERY_ANSWER, ("Cache-Control", DYNAMIC_CACHE_CONTROL))

_LINKABLE = re.compile(r"^(?:https?|mailto):", re.IGNORECASE)


def safe_href(iri: str | None) -> str | None:
    """Where a page may link for an IRI from the data: the entity page for one of the project's
    namespace (``/id/org/fao``), the IRI itself when it is http(s) or mailto, else None (shown
    as text: a ``javascript:`` or ``data:`` IRI must never become a live link)."""
    if not iri:
        return None
    if iri.startswith(BASE):
        rest = iri.removeprefix(BASE)
        # "//host" or "/\host" would be read by a browser as another site (which also drops
        # tabs and newlines from addresses)
        if not rest.lstrip("\t\n\r").startswith(("/", "\\")):
            return "/" + rest
    return iri if _LINKABLE.match(iri) else None


def plain_answer(message: str, status: int) -> Response:
    """An error as text/plain: whatever of the request it repeats is never read as HTML."""
    return Response(message.rstrip("\n") + "\n", status, content_type="text/plain; charset=utf-8")


def add_security_headers(response: Response) -> Response:
    """``EVERY_ANSWER`` on a Flask answer, and ``Cache-Control: no-store`` when it sets no
    caching of its own; a header the view set itself is left as it is."""
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name, value)
    return response


def install(app: Flask) -> None:
    """Give every answer of ``app`` the headers and its templates the ``safe_href`` filter."""
    app.add_template_filter(safe_href, "safe_href")
    app.after_request(add_security_headers)
