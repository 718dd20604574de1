"""Choosing the format of an answer: the ``format`` parameter, else the Accept header; for the
endpoint's answers, an entity's page or statements, and a stored question's page, JSON or CSV.

Accept is read with its q-values and specificity (werkzeug's MIMEAccept): a browser's
``text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8`` gets the first format
offered, ``*/*`` or no Accept at all too, and a header naming several types gets the one it
prefers. When nothing offered fits, :class:`NotAcceptable` says what is offered.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from habitat_kg.server.store.formats import AnswerFormat

#: A page for a person, written by a template: offered beside the formats of data.
PAGE = AnswerFormat("html", "text/html")

_JSON_TYPES = ("application/json", "application/sparql-results+json", "application/ld+json")


class NotAcceptable(Exception):
    """No offered format fits what the client asked for (406)."""


def choose_format(
    offers: Sequence[AnswerFormat], accept: str | None, format_parameter: str | None, what: str
) -> AnswerFormat:
    """The format to answer in, from ``offers`` (best first); ``what`` names the answer."""
    short = len(accept or "") <= _KEPT_LENGTH and len(format_parameter or "") <= _KEPT_LENGTH
    choose = _kept_choice if short else _chosen
    chosen = choose(tuple(offers), accept, format_parameter)
    if chosen is not None:
        # the cache may hold an equal offer of another caller's list: give back the caller's own,
        # which callers compare by identity (``answer is CSV``)
        return next(offer for offer in offers if offer == chosen)
    if format_parameter:
        raise NotAcceptable(
            f"format={format_parameter} is not offered for {what}; offered: {_listed(offers)}"
        )
    raise NotAcceptable(
        f"none of the formats in 'Accept: {accept}' is offered for {what}; "
        f"offered: {_listed(offers)} (by Accept, or by the format parameter)"
    )


def _chosen(
    offers: tuple[AnswerFormat, ...], accept: str | None, format_parameter: str | None
) -> AnswerFormat | None:
    """The offer that the format parameter, else the Accept header, asks for; None if none."""
    if format_parameter:
        wanted = format_parameter.strip().lower()
        for offer in offers:
            if wanted in {offer.name, offer.media_type, *offer.nicknames, *offer.aliases}:
                return offer
        return None
    if accept is None or not accept.strip():
        return offers[0]
    media_types = [offer.media_type for offer in offers]
    media_types += [alias for offer in offers for alias in offer.aliases]
    best = parse_accept_header(accept, MIMEAccept).best_match(media_types)
    for offer in offers:
        if best == offer.media_type or best in offer.aliases:
            return offer
    return None


#: Choices kept: for headers up to this long (a request's headers may be long), 256 at most.
_KEPT_LENGTH = 1024
_kept_choice = lru_cache(maxsize=256)(_chosen)


def prefers_json(accept: str | None) -> bool:
    """Whether an error should be JSON (``{"error": ...}``) rather than plain text."""
    if not accept:
        return False
    best = parse_accept_header(accept, MIMEAccept).best_match(["text/plain", *_JSON_TYPES])
    return best in _JSON_TYPES


def _listed(offers: Sequence[AnswerFormat]) -> str:
    return ", ".join(f"{offer.media_type} (format={offer.name})" for offer in offers)
