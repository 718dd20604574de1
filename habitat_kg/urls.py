"""The URLs the command line takes (``--endpoint``, ``--store``): http(s) only, with a host.

They are handed to urllib (through SPARQLWrapper), which also opens ``file:`` URLs (a local
file read as if it were an endpoint's answer), ``ftp:`` and ``data:`` ones; a SPARQL endpoint is
only ever reached over HTTP, so anything else is refused before any request is made.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: A value that names a scheme, as URLs do (``file://``, ``ftp://``, ``http://``).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def http_url_problem(value: str) -> str | None:
    """What is wrong with ``value`` as the URL of a SPARQL endpoint, or None when it is an
    http:// or https:// URL with a host."""
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError as error:  # a port that is not a number, a bad IPv6 address
        return f"{value!r} is not a URL: {error}"
    if parts.scheme.lower() not in {"http", "https"}:
        return f"{value!r} is not an http:// or https:// URL"
    if not parts.hostname or not port_ok:
        return f"{value!r} has no host and port to send the query to"
    return None


def require_http_url(value: str, option: str) -> str:
    """``value`` if it is an http(s) URL with a host; else ValueError naming ``option``."""
    problem = http_url_problem(value)
    if problem is not None:
        raise ValueError(f"{option}: {problem}; only http(s) URLs are accepted")
    return value


def looks_like_url(value: str) -> bool:
    """Whether a ``--store`` value names a URL scheme (``oxigraph:PATH`` is a path, not one)."""
    return bool(_SCHEME.match(value)) and not value.startswith("oxigraph:")
