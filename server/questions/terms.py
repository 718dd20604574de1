"""Parameter values of stored questions, checked and written as SPARQL terms.

A value never reaches a query as raw text: each kind has a reader that accepts only what that
kind can be and writes it as an IRI or an escaped literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from pyoxigraph import NamedNode

from habitat_kg.namespaces import BASE, country, decision, resolution

_NUMBER = re.compile(
    r"^(?:(?P<kind>resolution|res|decision|dec)[\s:.]*)?(?P<number>\d{1,4}/\d{1,3})$"
)
_ALPHA3 = re.compile(r"^[A-Za-z]{3}$")
_IRI_UNSAFE = re.compile(r'[\s<>"{}|\\^`]')


def _iri(value: str) -> str:
    if not value.startswith(("http://", "https://")) or _IRI_UNSAFE.search(value):
        raise ValueError("is not an http(s) IRI")
    try:
        NamedNode(value)  # as the query engine reads IRIs (RFC 3987): controls, bad %-escapes
    except ValueError:
        raise ValueError("is not an http(s) IRI") from None
    return f"<{value}>"


def _resolution(value: str) -> str:
    """``1/5``, ``resolution 1/5``, ``decision 1/3``, ``2019/3`` (a Board decision) or an IRI.

    Assembly numbers are session/serial; Executive Board decisions are year/serial. A bare
    ``1/3`` is the Assembly's resolution 1/3; its decision 1/3 is ``decision 1/3``.
    """
    if value.startswith(BASE):
        return _iri(value)
    match = _NUMBER.match(value.strip().lower())
    if not match:
        raise ValueError("is not a resolution or decision number such as 1/5 or decision 1/3")
    number = match["number"]
    organ = "eb" if len(number.split("/")[0]) == 4 else "ha"
    is_decision = (match["kind"] or "").startswith("dec") or organ == "eb"
    iri = decision(organ, number) if is_decision else resolution(organ, number)
    return f"<{iri}>"


def _country(value: str) -> str:
    if value.startswith(BASE):
        return _iri(value)
    if not _ALPHA3.match(value):
        raise ValueError("is not an ISO 3166-1 alpha-3 country code such as MEX")
    return f"<{country(value)}>"


def _date(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a date (YYYY-MM-DD)") from None
    return f'"{day.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'


def _text(value: str) -> str:
    if len(value) > 500:
        raise ValueError("is longer than 500 characters")
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


#: The kinds a parameter can be, each with the reader that turns a value into a SPARQL term.
KINDS: dict[str, Callable[[str], str]] = {
    "resolution": _resolution,
    "country": _country,
    "date": _date,
    "text": _text,
    "iri": _iri,
}


def to_sparql_term(kind: str, value: str, parameter: str) -> str:
    """``value`` as a SPARQL term of ``kind``; ValueError says which parameter is wrong and why."""
    try:
        return KINDS[kind](value)
    except ValueError as error:
        raise ValueError(f"parameter {parameter!r}: {value!r} {error}") from None


def substitute(query: str, terms: dict[str, str]) -> str:
    """Replace each ``$name`` variable of ``query`` by its (already checked) SPARQL term."""
    for name, term in terms.items():
        query = re.sub(rf"\${re.escape(name)}\b", lambda _, term=term: term, query)
    return query
