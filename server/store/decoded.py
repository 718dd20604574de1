"""Answers written by a worker, read back as the Store interface's values (for the pages).

Terms come out as OxigraphStore gives them: a simple literal typed xsd:string, a literal with a
language rdf:langString.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pyoxigraph as ox

from habitat_kg.server.store.base import QueryError, QueryResult, Solutions, Term, Triples
from habitat_kg.server.store.oxigraph import term_of

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def result_from_json(body: bytes) -> QueryResult:
    """A SELECT answer (Solutions) or an ASK answer (bool) from SPARQL JSON results."""
    document = json.loads(body)
    if "boolean" in document:
        return bool(document["boolean"])
    variables = tuple(document["head"]["vars"])
    rows = tuple(
        tuple(term_from_json(binding.get(name)) for name in variables)
        for binding in document["results"]["bindings"]
    )
    return Solutions(variables, rows)


def triples_from_ntriples(body: bytes) -> Triples:
    """A CONSTRUCT or DESCRIBE answer from N-Triples."""
    parsed = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    return Triples(
        tuple((term_of(t.subject), term_of(t.predicate), term_of(t.object)) for t in parsed)
    )


def term_from_json(binding: Mapping[str, str] | None) -> Term | None:
    """A term of the SPARQL JSON results, as OxigraphStore gives it (literals typed)."""
    if binding is None:
        return None
    kind = binding["type"]
    if kind == "uri":
        return Term("uri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"])
    if kind in {"literal", "typed-literal"}:
        lang = binding.get("xml:lang")
        datatype = _LANG_STRING if lang else binding.get("datatype", _XSD_STRING)
        return Term("literal", binding["value"], datatype, lang)
    raise QueryError(f"the store returned a term this interface does not carry: {binding!r}")
