"""What a curator may write on the page: the predicates each kind of statement uses, and how a
value typed into a form becomes an RDF term (or a 400 naming the field)."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD

from habitat_kg.namespaces import HKG, PREFIXES, STATUS
from habitat_kg.ontology import turtle as ontology_turtle

#: For each kind of statement a curator may add, the predicates offered, the first the default.
#: A review's own proposals may use others (a figure's hkg:numberOf...): the page offers those too.
PREDICATES: dict[str, tuple[URIRef, ...]] = {
    "resolution": (HKG.forResolution,),
    "unit": (HKG.responsibleUnit,),
    "partner": (HKG.partner, HKG.organizer, HKG.funder, HKG.participant),
    "place": (HKG.place,),
    "date": (HKG.startDate, HKG.endDate),
    "figure": (),  # the ontology's hkg:numberOf... properties (figure_predicates)
    "document": (HKG.citesDocument, HKG.produced),
    "status": (HKG.status,),
    "activity": (RDFS.label,),
}

#: The statuses a statement may give an activity (the ontology's scheme; postponed and
#: no-progress are added to it for issue 15).
STATUSES: tuple[URIRef, ...] = tuple(
    STATUS[name]
    for name in ("completed", "ongoing", "planned", "postponed", "stalled", "no-progress")
)

_FIGURE_PROPERTY = re.compile(r"^hkg:(numberOf\w+) a owl:DatatypeProperty", re.MULTILINE)
_CURIE = re.compile(r"^(?P<prefix>[a-z][a-z0-9]*):(?P<local>[^\s<>\"{}|\\^`]+)$")
_IRI_UNSAFE = re.compile(r'[\s<>"{}|\\^`]')
_INTEGER = re.compile(r"^[0-9]{1,12}$")


@cache
def figure_predicates() -> tuple[URIRef, ...]:
    """The ontology's count properties (``hkg:numberOfMeetings`` ...), as it declares them."""
    text = ontology_turtle()
    return tuple(HKG[name] for name in _FIGURE_PROPERTY.findall(text))


def predicates_of(kind: str) -> tuple[URIRef, ...]:
    """The predicates offered for a statement of ``kind``, the default first."""
    return figure_predicates() if kind == "figure" else PREDICATES[kind]


class FieldError(ValueError):
    """A form field that cannot be used: the message names the field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


def read_iri(field: str, value: str) -> URIRef:
    """An http(s) IRI or a CURIE of the project's prefixes (``id:org/fao``)."""
    value = value.strip()
    if not value:
        raise FieldError(field, "is empty: pick a thing from the list or give its IRI")
    match = _CURIE.match(value)
    if match and match["prefix"] in PREFIXES and not value.startswith(("http:", "https:")):
        value = PREFIXES[match["prefix"]] + match["local"]
    if not value.startswith(("http://", "https://")) or _IRI_UNSAFE.search(value):
        raise FieldError(field, f"{value[:80]!r} is not an http(s) IRI nor a known prefix:name")
    return URIRef(value)


def object_form(kind: str, original: URIRef | Literal | None = None) -> str:
    """How the object of a statement is typed: ``iri``, ``date``, ``integer`` or ``text`` (as the
    proposal's own object is, else as the kind's objects are)."""
    if isinstance(original, URIRef):
        return "iri"
    if isinstance(original, Literal):
        if original.datatype == XSD.date:
            return "date"
        if original.datatype in (XSD.integer, XSD.int, XSD.nonNegativeInteger):
            return "integer"
        return "text"
    return {"date": "date", "figure": "integer", "activity": "text"}.get(kind, "iri")


def read_object(field: str, form: str, value: str, language: str) -> URIRef | Literal:
    """The object as typed in a field of ``form`` (see object_form): a thing, a date, a whole
    number or a label in the report's ``language``."""
    value = value.strip()
    if form == "iri":
        return read_iri(field, value)
    if not value:
        raise FieldError(field, "is empty")
    if form == "date":
        try:
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError:
            raise FieldError(field, f"{value[:40]!r} is not a date (YYYY-MM-DD)") from None
    if form == "integer":
        if not _INTEGER.match(value):
            raise FieldError(field, f"{value[:40]!r} is not a whole number")
        return Literal(int(value), datatype=XSD.integer)
    if len(value) > 500:
        raise FieldError(field, "is longer than 500 characters")
    return Literal(value, lang=language)


def read_kind(field: str, value: str) -> str:
    if value not in PREDICATES:
        raise FieldError(field, f"{value[:40]!r} is not one of {', '.join(PREDICATES)}")
    return value


def read_predicate(field: str, kind: str, value: str, allowed: set[URIRef]) -> URIRef:
    """A predicate offered for ``kind`` (or used by the review's proposals of that kind)."""
    if not value.strip():
        offered = predicates_of(kind)
        if not offered:
            raise FieldError(field, f"choose the predicate of the {kind} statement")
        return offered[0]
    predicate = read_iri(field, value)
    if predicate not in allowed:
        raise FieldError(field, f"<{predicate}> is not a predicate of a {kind} statement")
    return predicate
