"""The formats an answer can be written in, by name, media type and the query forms they suit.

Names are what the ``format`` parameter of the endpoint and the worker pool use; the media types
are those of the SPARQL 1.1 Protocol and of the RDF formats.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class AnswerFormat:
    name: str
    media_type: str
    #: Other media types clients send for it (answered with ``media_type``).
    aliases: tuple[str, ...] = ()
    #: Whether it writes solutions and booleans (SELECT, ASK) rather than triples.
    for_solutions: bool = True
    #: Other names the ``format`` parameter accepts for it.
    nicknames: tuple[str, ...] = ()


SOLUTION_FORMATS: tuple[AnswerFormat, ...] = (
    AnswerFormat("json", "application/sparql-results+json", ("application/json",)),
    AnswerFormat("xml", "application/sparql-results+xml"),
    AnswerFormat("csv", "text/csv"),
    AnswerFormat("tsv", "text/tab-separated-values"),
)
GRAPH_FORMATS: tuple[AnswerFormat, ...] = (
    AnswerFormat(
        "turtle", "text/turtle", ("application/x-turtle", "application/turtle"), False, ("ttl",)
    ),
    AnswerFormat("ntriples", "application/n-triples", (), False, ("nt",)),
    AnswerFormat(
        "jsonld", "application/ld+json", ("application/json",), False, ("json-ld", "json")
    ),
    AnswerFormat("rdfxml", "application/rdf+xml", (), False, ("xml", "rdf")),
)
FORMATS: dict[str, AnswerFormat] = {f.name: f for f in SOLUTION_FORMATS + GRAPH_FORMATS}


def formats_for(form: str | None) -> tuple[AnswerFormat, ...]:
    """The formats an answer of this query form can be written in (best first)."""
    if form in {"CONSTRUCT", "DESCRIBE"}:
        return GRAPH_FORMATS
    return SOLUTION_FORMATS


#: pyoxigraph's writer for each format name (the workers and the remote store write with them).
SOLUTION_WRITERS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_WRITERS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
#: Formats that write prefixes; the others are written with full IRIs.
PREFIXED = frozenset({"turtle", "rdfxml"})
