"""Who may use the curation pages: the holder of the token, from a page of this site.

The review routes write to the project's sources, so they are guarded in layers, each of which
refuses on its own:

- the server answers them only under a loopback host name (``Host: 127.0.0.1:8080``), unless it
  was started to listen elsewhere on purpose: a page of another site whose name was pointed at
  127.0.0.1 (DNS rebinding) is refused by its Host header;
- the first visit carries the token (``/curate?token=...``, printed once by ``serve --curate``
  or set in ``HABITAT_KG_CURATION_TOKEN``), compared in constant time; the answer sets a cookie
  (HttpOnly, SameSite=Strict, path /curate) and sends the browser on to the address without the
  token, so that the token stays out of the history;
- every write (POST) must come from a page of this site: an Origin (or, failing it, a Referer)
  of this host, and the session's CSRF token in the form or the ``X-CSRF-Token`` header.

Nothing is kept on the server: the cookie is a random nonce signed with the token (HMAC), and
the CSRF token is derived from the same nonce, so a restart with the same token keeps sessions.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, current_app, redirect, request

from habitat_kg.server.security import plain_answer

COOKIE = "habitat_kg_curation"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_PARAMETER = "token"
#: Host names that are loopback whatever the resolver says.
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})

_WAY_IN = (
    "Open the address that `habitat-kg serve --curate` printed (it carries the token), "
    "or /curate?token=TOKEN with the token set in HABITAT_KG_CURATION_TOKEN."
)


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: an address only this machine can reach."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


#: The shortest token a curator may set (a generated one has 43 characters).
MIN_TOKEN_LENGTH = 16


def check_token(token: str) -> None:
    """A token set by the curator must be long enough not to be guessed (ValueError)."""
    if token.strip() and len(token.strip()) < MIN_TOKEN_LENGTH:
        raise ValueError(
            f"curation-token (HABITAT_KG_CURATION_TOKEN): at least {MIN_TOKEN_LENGTH} "
            f"characters, not {len(token.strip())}"
        )


def prepare(app: Flask) -> str:
    """The app's curation token: the one configured (``curation-token``), else a new random
    one; kept in the app's config and returned for the server to print."""
    token = str(app.config.get("CURATION_TOKEN") or "").strip()
    check_token(token)
    if not token:
        token = secrets.token_urlsafe(32)
    app.config["CURATION_TOKEN"] = token
    return token


def _sign(purpose: str, nonce: str) -> str:
    key = str(current_app.config["CURATION_TOKEN"]).encode("utf-8")
    return hmac.new(key, f"{purpose}:{nonce}".encode(), hashlib.sha256).hexdigest()


def _session_nonce() -> str | None:
    """The nonce of a valid session cookie, else None."""
    nonce, _, signature = request.cookies.get(COOKIE, "").partition(".")
    if not nonce or not signature:
        return None
    return nonce if hmac.compare_digest(signature, _sign("session", nonce)) else None


def csrf_token() -> str:
    """The CSRF token of the current session (pages put it in every form)."""
    nonce = _session_nonce()
    if nonce is None:
        raise PermissionError("no curation session")
    return _sign("csrf", nonce)


def _token_matches(given: str) -> bool:
    expected = str(current_app.config["CURATION_TOKEN"])
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _same_origin(address: str) -> bool:
    """``address`` (an Origin or a Referer) is of the host this request came to."""
    parts = urlsplit(address)
    return (
        parts.scheme in ("http", "https")
        and parts.scheme == request.scheme
        and parts.netloc.lower() == request.host.lower()
    )


def check_request() -> Response | None:
    """The refusal of a request to a curation route (403), a redirect that stores a session,
    or None: the request may go on."""
    if not current_app.config.get("CURATION_ANY_HOST") and not is_loopback(
        urlsplit("//" + request.host).hostname or ""
    ):
        return plain_answer(
            f"403 Forbidden: curation answers on loopback only, not under host {request.host!r}",
            403,
        )
    given = request.args.get(TOKEN_PARAMETER)
    if given is not None:
        if request.method != "GET" or not _token_matches(given):
            return plain_answer("403 Forbidden: that is not the curation token. " + _WAY_IN, 403)
        return _start_session()
    if _session_nonce() is None:
        return plain_answer("403 Forbidden: curation needs the token. " + _WAY_IN, 403)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return _check_write()
    return None


def _start_session() -> Response:
    nonce = secrets.token_urlsafe(24)
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != TOKEN_PARAMETER]
    query = urlencode(rest)
    response = redirect(request.path + (f"?{query}" if query else ""), code=303)
    response.set_cookie(
        COOKIE,
        f"{nonce}.{_sign('session', nonce)}",
        path="/curate",
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
    )
    return response


def _check_write() -> Response | None:
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return plain_answer("403 Forbidden: a write must say where it comes from (Origin)", 403)
    if not _same_origin(origin):
        return plain_answer(
            f"403 Forbidden: a write from another site ({origin!r}) is refused", 403
        )
    given = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD, "")
    if not given or not hmac.compare_digest(given.encode("utf-8"), csrf_token().encode("utf-8")):
        return plain_answer(
            f"403 Forbidden: the form's {CSRF_FIELD} is missing or not this session's; "
            "reload the page and try again",
            403,
        )
    return None
