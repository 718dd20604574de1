"""rdflib's memory dataset: kept for building and for small jobs."""

from __future__ import annotations

from pathlib import Path

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from habitat_kg.rdf import parse_trig, rdflib_internals_quiet
from habitat_kg.server.store.base import QueryError, QueryResult, Solutions, Term, Triples
from habitat_kg.server.store.query_guard import holds_service
from habitat_kg.server.store.query_text import QueryRefused, check_nesting, read_query


def _term(node: object) -> Term | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        xsd_string = "http://www.w3.org/2001/XMLSchema#string"
        datatype = str(node.datatype) if node.datatype else None
        if datatype is None and node.language is None:
            datatype = xsd_string  # RDF 1.1: a simple literal is an xsd:string, as Oxigraph says
        if node.language is not None:
            datatype = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
        return Term("literal", str(node), datatype, node.language)
    raise QueryError(f"the store returned a term this interface does not carry: {node!r}")


class RdflibStore:
    """An rdflib ``Dataset`` whose default graph is the union of its named graphs."""

    def __init__(self) -> None:
        self._dataset = Dataset(default_union=True)

    def load_dataset(self, path: Path) -> None:
        for graph in parse_trig(path.read_text(encoding="utf-8")).graphs():
            target = self._dataset.graph(graph.identifier)
            for triple in graph:
                target.add(triple)

    def query(self, sparql: str) -> QueryResult:
        check_nesting(read_query(sparql))  # a query nested too deeply overflows rdflib's parser
        # rdflib evaluates lazily and warns about its own deprecated internals while it does.
        with rdflib_internals_quiet():
            try:
                prepared = prepareQuery(sparql, initNs=dict(self._dataset.namespaces()))
            except ParseException as error:
                raise QueryError(str(error)) from None
            # rdflib would call a SERVICE itself (and load a FROM graph it does not hold: see
            # the module's end): its own parse, the one it evaluates, says whether there is one.
            if holds_service(prepared.algebra):
                raise QueryRefused(
                    "SERVICE is refused: this store does not query other servers; ask them directly"
                )
            result: Result = self._dataset.query(prepared)
            if result.type == "ASK":
                return bool(result.askAnswer)
            if result.type == "SELECT":
                variables = tuple(str(variable) for variable in result.vars or ())
                rows = tuple(tuple(_term(value) for value in row) for row in result)
                return Solutions(variables, rows)
            return Triples(tuple(tuple(_term(term) for term in triple) for triple in result))

    def triple_count(self) -> int:
        return sum(len(graph) for graph in self._dataset.graphs())


# A FROM names a graph of the dataset; rdflib would otherwise fetch its IRI from the network.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
