"""The results of a validation: rows for the report to read, and the ``sh:ValidationReport`` graph.

pySHACL gives a graph, which the report reads with ``results.rq``. The sparql engine finds each
result as the row of a query, and keeps it as it is (``EngineResults``): writing every result
into an rdflib graph, copying that into a store and asking the store for the results again would
cost more than the validation queries on a large graph. Its graph, the same triples
pySHACL would give, is only built when asked for (``--format turtle``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from habitat_kg.queries import load_query
from habitat_kg.rdf import rdflib_term
from habitat_kg.server.store import Solutions
from habitat_kg.server.store.oxigraph import OxigraphStore
from habitat_kg.shapes.validation.data import held_otherwise, literals_as_written

#: A result as ``results.rq`` selects it, by variable (unbound ones left out).
Row = dict[str, Node]


class Results(Protocol):
    """What the report reads of a validation's results."""

    def rows(self) -> Iterator[Row]:
        """One row per result, as ``results.rq`` selects it."""

    def graph(self) -> Graph:
        """The ``sh:ValidationReport`` graph."""

    def path_graph(self) -> Graph:
        """A graph that spells the result paths written with blank nodes."""


class GraphResults:
    """Results given as a graph (pySHACL's)."""

    def __init__(self, graph: Graph) -> None:
        self._graph = graph

    def graph(self) -> Graph:
        return self._graph

    def path_graph(self) -> Graph:
        return self._graph

    def rows(self) -> Iterator[Row]:
        """The rows of results.rq over the graph.

        Asked of an Oxigraph store, as rdflib's engine is slow on many results; rdflib answers
        when the graph holds a term pyoxigraph refuses (a language tag longer than BCP 47 allows,
        in a message of a shapes file given with --shapes).
        """
        query = load_query("habitat_kg.shapes.validation", "results")
        store = OxigraphStore()
        held = held_otherwise(self._graph)  # the store would name "4.0"^^xsd:decimal "4"
        try:
            if any(len(forms) > 1 for forms in held.values()):
                raise ValueError("two values the store would hold as one")
            store.add_graph(self._graph)
        except ValueError:
            for row in self._graph.query(query):
                yield {str(name): term for name, term in row.asdict().items()}
            return
        answer = store.query(query)
        assert isinstance(answer, Solutions), "results.rq is a SELECT query"
        as_written = {literal: forms[0] for literal, forms in held.items()}
        with literals_as_written():
            for found in answer:
                row = {name: rdflib_term(term) for name, term in found.items() if term is not None}
                yield {name: as_written.get(term, term) for name, term in row.items()}  # type: ignore[call-overload]


@dataclass(frozen=True)
class Result:
    """One result of the sparql engine."""

    node: BNode
    focus: Node
    value: Node | None
    path: Node | None
    shape: Node
    component: URIRef
    severity: URIRef
    messages: Sequence[Literal]


class EngineResults:
    """The sparql engine's results, as it found them; ``shapes`` spells their paths. ``handed``
    names the shapes it handed over to pySHACL, each with the reason."""

    def __init__(
        self, results: list[Result], shapes: Graph, handed: tuple[tuple[Node, str], ...] = ()
    ) -> None:
        self.results = results
        self.shapes = shapes
        self.handed = handed

    def path_graph(self) -> Graph:
        return self.shapes

    def rows(self) -> Iterator[Row]:
        """The rows results.rq would select from the graph: each message in English, in
        Chinese and without a language tag, if there is one."""
        for result in self.results:
            row: Row = {
                "result": result.node,
                "focus": result.focus,
                "severity": result.severity,
                "shape": result.shape,
                "component": result.component,
            }
            if result.path is not None:
                row["path"] = result.path
            if result.value is not None:
                row["value"] = result.value
            for message in result.messages:
                key = _message_key((message.language or "").lower())
                if key is not None:
                    row.setdefault(key, message)  # one of a language, as results.rq's SAMPLE
            yield row

    def graph(self) -> Graph:
        return self._graph

    @cached_property
    def _graph(self) -> Graph:
        graph = Graph()
        for prefix, namespace in self.shapes.namespaces():
            graph.bind(prefix, namespace)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        for result in self.results:
            graph.add((report, SH.result, result.node))
            self._add(graph, result)
        graph.add((report, SH.conforms, Literal(not self.results)))
        return graph

    def _add(self, graph: Graph, result: Result) -> None:
        add_result(graph, result)
        if result.path is not None:
            self._copy_path(graph, result.path)

    def _copy_path(self, graph: Graph, path: Node) -> None:
        """The triples that spell a path written with blank nodes (a sequence, an inverse ...)."""
        if not isinstance(path, BNode):
            return
        for predicate, inner in self.shapes.predicate_objects(path):
            graph.add((path, predicate, inner))
            self._copy_path(graph, inner)


def add_result(graph: Graph, result: Result) -> None:
    """``result`` as an ``sh:ValidationResult`` in ``graph`` (its path as the node it is)."""
    node = result.node
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.focusNode, result.focus))
    graph.add((node, SH.sourceShape, result.shape))
    graph.add((node, SH.sourceConstraintComponent, result.component))
    graph.add((node, SH.resultSeverity, result.severity))
    if result.value is not None:
        graph.add((node, SH.value, result.value))
    if result.path is not None:
        graph.add((node, SH.resultPath, result.path))
    for message in result.messages:
        graph.add((node, SH.resultMessage, message))


def _message_key(language: str) -> str | None:
    """The variable of results.rq a message with this language tag (in lower case) is in."""
    if not language:
        return "message"
    for wanted, key in (("en", "messageEn"), ("zh", "messageZh")):
        if language == wanted or language.startswith(wanted + "-"):  # LANGMATCHES
            return key
    return None
