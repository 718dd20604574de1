"""The project's IRIs: one base namespace, readable paths derived from official identifiers.

Every IRI the builder mints comes from a function here, so that a later report names the same
resolution, country or document with the same IRI.
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/habitat-kg/"

HKG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
STATUS = Namespace(BASE + "concept/status/")
ROLE = Namespace(BASE + "concept/role/")
MODE = Namespace(BASE + "concept/mode/")
OBSTACLE = Namespace(BASE + "concept/obstacle/")
PRECISION = Namespace(BASE + "concept/precision/")
MANDATE_STATUS = Namespace(BASE + "concept/mandate-status/")

# External vocabularies the ontology reuses (the ontology file says which term aligns with which).
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
UNDO = Namespace("https://w3id.org/un/ontology/undo/")
SDG = Namespace("http://metadata.un.org/sdg/")
WD = Namespace("http://www.wikidata.org/entity/")
#: WGS84 positions of cities (geo:lat, geo:long), for maps of answers.
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

#: The named graph of each layer of the dataset; the default graph is their union.
LAYERS: dict[str, URIRef] = {
    "ontology": URIRef(BASE + "graph/ontology"),
    "reference": URIRef(BASE + "graph/reference"),
    "document": URIRef(BASE + "graph/document"),
    "curated": URIRef(BASE + "graph/curated"),
}

#: Prefixes bound in every file the builder writes and offered to analysts writing queries.
PREFIXES: dict[str, str] = {
    "hkg": str(HKG),
    "id": str(ID),
    "status": str(STATUS),
    "role": str(ROLE),
    "mode": str(MODE),
    "obstacle": str(OBSTACLE),
    "precision": str(PRECISION),
    "mstatus": str(MANDATE_STATUS),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "time": str(TIME),
    "undo": str(UNDO),
    "sdg": str(SDG),
    "geo": str(GEO),
    "wd": str(WD),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "void": "http://rdfs.org/ns/void#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slug(text: str) -> str:
    """A path segment made of the readable characters of ``text`` (lower case, hyphens)."""
    cleaned = _SLUG_UNSAFE.sub("-", text.strip()).strip("-").lower()
    if not cleaned:
        raise ValueError(f"cannot make an IRI path segment from {text!r}")
    return cleaned


def country(alpha3: str) -> URIRef:
    """A country by its ISO 3166-1 alpha-3 code (``KEN``)."""
    return ID[f"country/{alpha3.upper()}"]


def region(iso3166_2: str) -> URIRef:
    """A subnational region by its ISO 3166-2 code (``NG-NI``)."""
    return ID[f"region/{iso3166_2.upper()}"]


def resolution(organ: str, number: str) -> URIRef:
    """A resolution by its organ (``ha`` for the Assembly) and official number (``1/2``)."""
    return ID[f"resolution/{organ}-{number.replace('/', '-')}"]


def decision(organ: str, number: str) -> URIRef:
    """A decision by its organ (``ha``, ``eb``) and official number (``1/3``, ``2019/3``)."""
    return ID[f"decision/{organ}-{number.replace('/', '-')}"]


def document(symbol: str) -> URIRef:
    """A UN document by its symbol, case kept; the slashes of the symbol stay path separators."""
    parts = [_SLUG_UNSAFE.sub("-", part).strip("-") for part in symbol.strip().split("/")]
    if not all(parts):
        raise ValueError(f"cannot make an IRI from the document symbol {symbol!r}")
    return ID["document/" + "/".join(parts)]


def report(report_id: str) -> URIRef:
    """A report by the project's identifier for it (``eb-2020-2/item-7``)."""
    return ID[f"report/{report_id}"]


def header(report_iri: URIRef) -> URIRef:
    """The report's cover: governing body, session, dates, agenda item and title."""
    return URIRef(f"{report_iri}/header")


def section(report_iri: URIRef, number: int) -> URIRef:
    return URIRef(f"{report_iri}/section/{number}")


def paragraph(report_iri: URIRef, number: int) -> URIRef:
    return URIRef(f"{report_iri}/paragraph/{number}")


def subparagraph(report_iri: URIRef, number: int, letter: str) -> URIRef:
    return URIRef(f"{report_iri}/paragraph/{number}/{letter}")


def footnote(report_iri: URIRef, number: int) -> URIRef:
    return URIRef(f"{report_iri}/footnote/{number}")


def temporal_expression(passage: URIRef, index: int) -> URIRef:
    """The ``index``-th date expression (1-based) found in a paragraph, footnote or heading."""
    return URIRef(f"{passage}/date/{index}")


def mandate_status(report_id: str, mandate: URIRef) -> URIRef:
    """The status of ``mandate`` as report ``report_id`` shows it (one per mandate and report):
    ``id/mandate-status/eb-2024-2-item-5/ha-3-4/op-1``."""
    local = str(mandate).removeprefix(str(ID["mandate/"]))
    return ID[f"mandate-status/{report_id.replace('/', '-')}/{local}"]
