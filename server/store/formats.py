"""The formats an answer can be written in, by name, media type and the query forms they suit.

Names are what the ``format`` parameter of the endpoint and the worker pool use; the media types
are those of the SPARQL 1.1 Protocol and of the RDF formats.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    #: pyoxigraph's writer of it (None for a page, which a template writes).
    writer: ox.QueryResultsFormat | ox.RdfFormat | None = None
    #: Whether it writes prefixes (the others write full IRIs).
    prefixed: bool = False


SOLUTION_FORMATS: tuple[AnswerFormat, ...] = (
    AnswerFormat(
        "json",
        "application/sparql-results+json",
        ("application/json",),
        writer=ox.QueryResultsFormat.JSON,
    ),
    AnswerFormat("xml", "application/sparql-results+xml", writer=ox.QueryResultsFormat.XML),
    AnswerFormat("csv", "text/csv", writer=ox.QueryResultsFormat.CSV),
    AnswerFormat("tsv", "text/tab-separated-values", writer=ox.QueryResultsFormat.TSV),
    # no pyoxigraph writer: the endpoint asks the store for JSON and writes the workbook itself
    AnswerFormat("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)
GRAPH_FORMATS: tuple[AnswerFormat, ...] = (
    AnswerFormat(
        "turtle",
        "text/turtle",
        ("application/x-turtle", "application/turtle"),
        False,
        ("ttl",),
        ox.RdfFormat.TURTLE,
        prefixed=True,
    ),
    AnswerFormat("ntriples", "application/n-triples", (), False, ("nt",), ox.RdfFormat.N_TRIPLES),
    AnswerFormat(
        "jsonld",
        "application/ld+json",
        ("application/json",),
        False,
        ("json-ld", "json"),
        ox.RdfFormat.JSON_LD,
    ),
    AnswerFormat(
        "rdfxml",
        "application/rdf+xml",
        (),
        False,
        ("xml", "rdf"),
        ox.RdfFormat.RDF_XML,
        prefixed=True,
    ),
)
FORMATS: dict[str, AnswerFormat] = {f.name: f for f in SOLUTION_FORMATS + GRAPH_FORMATS}


def formats_for(form: str | None) -> tuple[AnswerFormat, ...]:
    """The formats an answer of this query form can be written in (best first)."""
    if form in {"CONSTRUCT", "DESCRIBE"}:
        return GRAPH_FORMATS
    return SOLUTION_FORMATS


def solutions_writer(name: str) -> ox.QueryResultsFormat:
    """pyoxigraph's writer of the solutions format ``name`` (the workers and the remote store
    write with it)."""
    writer = FORMATS[name].writer
    assert isinstance(writer, ox.QueryResultsFormat), f"{name} is a format of solutions"
    return writer


def write_triples(triples: object, name: str, prefixes: Mapping[str, str] | None = None) -> bytes:
    """``triples`` (pyoxigraph's) written in the graph format ``name``, with ``prefixes`` where
    the format writes them."""
    answer_format = FORMATS[name]
    assert isinstance(answer_format.writer, ox.RdfFormat), f"{name} is a format of graphs"
    return ox.serialize(
        triples,
        format=answer_format.writer,
        prefixes=dict(prefixes or {}) if answer_format.prefixed else None,
    )
