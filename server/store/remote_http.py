"""HTTP to a SPARQL server: credentials from the environment, and failures told in one line.

Credentials never come from the command line (it shows in ``ps`` and in shell histories):
``HABITAT_KG_STORE_USER`` and ``HABITAT_KG_STORE_PASSWORD``, sent with HTTP basic
authentication, or with digest when ``HABITAT_KG_STORE_AUTH=digest`` (Virtuoso's
``/sparql-auth`` and ``/sparql-graph-crud-auth`` take only digest). Every request, queries too,
goes through one opener here: SPARQLWrapper's own digest support would install a process-wide
opener for one fixed realm.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from typing import Literal

from habitat_kg.errors import StoreUnavailable

USER_ENV = "HABITAT_KG_STORE_USER"
PASSWORD_ENV = "HABITAT_KG_STORE_PASSWORD"
AUTH_ENV = "HABITAT_KG_STORE_AUTH"

#: Seconds a server may stay silent while it takes a graph before the load counts as failed.
LOAD_TIMEOUT = 600.0

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


class ServerError(StoreUnavailable):
    """The server answered with an error status (``status``); ``detail`` is what it said."""

    def __init__(self, message: str, status: int, detail: str) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    scheme: Literal["basic", "digest"] = "basic"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Credentials | None:
        """The credentials the environment gives, or None; ValueError when they are half set."""
        user, password = environ.get(USER_ENV, ""), environ.get(PASSWORD_ENV, "")
        scheme = environ.get(AUTH_ENV, "").strip().lower() or "basic"
        if scheme not in {"basic", "digest"}:
            raise ValueError(f"{AUTH_ENV}: expected 'basic' or 'digest', not {scheme!r}")
        if not user and not password:
            return None
        if not user or not password:
            raise ValueError(f"{USER_ENV} and {PASSWORD_ENV} go together: set both or neither")
        return cls(user, password, scheme)  # type: ignore[arg-type]

    def basic_header(self) -> str:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"


class HttpClient:
    """Sends requests to the URLs of one store, with its credentials."""

    def __init__(self, credentials: Credentials | None, urls: Sequence[str]) -> None:
        self.credentials = credentials
        handlers: list[urllib.request.BaseHandler] = []
        if credentials is not None and credentials.scheme == "digest":
            # Any realm the server names, but only for the URLs of the store the user named.
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, list(urls), credentials.user, credentials.password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
        self._opener = urllib.request.build_opener(*handlers)

    def fetch(self, request: urllib.request.Request, timeout: float) -> tuple[Message, bytes]:
        """The headers and body of the answer; StoreUnavailable (ServerError for an error
        status) naming the method, the URL and what went wrong. ``timeout`` bounds each wait
        on the socket, not the whole exchange."""
        if self.credentials is not None and self.credentials.scheme == "basic":
            request.add_header("Authorization", self.credentials.basic_header())
        try:
            with self._opener.open(request, timeout=timeout) as response:
                return response.headers, response.read()
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise failure(request.get_method(), request.full_url, error) from None

    def send(
        self, method: str, url: str, body: bytes, content_type: str, *, accept: str = "*/*"
    ) -> bytes:
        """Send ``body`` for loading (a graph, an update) and return the server's answer."""
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("Content-Type", content_type)
        request.add_header("Accept", accept)
        return self.fetch(request, LOAD_TIMEOUT)[1]


def protocol_request(
    url: str,
    query: str,
    accept: str,
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    parameters: Sequence[tuple[str, str]] = (),
) -> urllib.request.Request:
    """A SPARQL 1.1 Protocol query request: POST, form-encoded, the dataset's graphs and any
    other ``parameters`` beside the query; the Accept header alone says what is read back."""
    fields = [("query", query)]
    fields += [("default-graph-uri", graph) for graph in default_graphs]
    fields += [("named-graph-uri", graph) for graph in named_graphs]
    fields += list(parameters)
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(fields).encode("ascii"), method="POST"
    )
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    request.add_header("Accept", accept)
    request.add_header("User-Agent", "habitat-kg")
    return request


def failure(method: str, url: str, error: BaseException) -> StoreUnavailable:
    """One line that says which request to which URL failed, with the status and its reason."""
    url = url.split("?", 1)[0] if method == "GET" else url  # a GET's query string is the query
    if isinstance(error, urllib.error.HTTPError):
        html = error.headers is not None and error.headers.get_content_type() == "text/html"
        detail = server_message(_read(error), html=html)
        hint = ""
        if error.code in {401, 403}:
            hint = f" (set {USER_ENV}, {PASSWORD_ENV} and, for digest, {AUTH_ENV}=digest)"
        reason = f" {error.reason}" if error.reason else ""
        message = f"{method} {url}: the server answered {error.code}{reason}{hint}"
        return ServerError(f"{message}: {detail}" if detail else message, error.code, detail)
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, ConnectionRefusedError):
        return StoreUnavailable(
            f"{method} {url}: connection refused: no SPARQL server is listening there"
        )
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return StoreUnavailable(f"{method} {url}: the server did not answer in time")
    if isinstance(reason, socket.gaierror):
        return StoreUnavailable(f"{method} {url}: unknown host ({reason.strerror})")
    return StoreUnavailable(f"{method} {url}: {reason}")


def server_message(body: bytes, limit: int = 300, *, html: bool = False) -> str:
    """The gist of an error page: its text on one line (without tags if it is HTML), cut at
    ``limit`` characters."""
    text = body.decode("utf-8", "replace")
    text = _SPACE.sub(" ", _TAG.sub(" ", text) if html else text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read()
    except (OSError, ValueError):
        return b""
