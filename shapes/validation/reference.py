"""pySHACL, the reference implementation: the ``pyshacl`` engine, and the shapes the sparql engine
hands over to it (those it cannot evaluate exactly, see ``engine.py``).

pySHACL reads an rdflib graph: the triples as the data gave them where we have them (files, an
endpoint: ``data.source_graph``), else a copy of the store's. The store keeps a literal as its
value (``"01"^^xsd:integer`` as ``"1"``, ``"5"^^xsd:byte`` as an xsd:integer), which is no longer
the term the data holds.
"""

from __future__ import annotations

from collections.abc import Collection

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from habitat_kg.server.store import Store
from habitat_kg.shapes.validation.data import data_graph, literals_as_written
from habitat_kg.shapes.validation.shape_model import ShapesGraph
from habitat_kg.shapes.validation.shapes import ShapesError

#: The predicates that give a shape its focus nodes (SHACL 2.1.3).
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def pyshacl_results(data: Store, shapes: Graph, only: Collection[Node] | None = None) -> Graph:
    """pySHACL's results graph for the store's data; with ``only``, for those targeted shapes
    alone (the others lose their targets: they are still there to be referred to)."""
    if only is not None:
        shapes = _targeting_only(shapes, only)
    try:
        with literals_as_written():
            _, results, _ = pyshacl.validate(
                data_graph(data),
                shacl_graph=shapes,
                inference="none",
                inplace=True,  # the copy is ours: no second copy
                advanced=False,
                abort_on_first=False,
            )
    except ReportableRuntimeError as error:
        raise ShapesError(f"the shapes cannot be used: {_first_line(str(error))}") from None
    except TypeError as error:  # pySHACL compares property-pair values with Python's operators
        raise ShapesError(
            f"pySHACL cannot compare two values ({_first_line(str(error))}); the sparql engine can"
        ) from None
    if not isinstance(results, Graph):  # a ValidationFailure comes back in place of the report
        raise ShapesError(f"the shapes cannot be used: {_first_line(str(results))}")
    return results


def _targeting_only(shapes: Graph, only: Collection[Node]) -> Graph:
    """A copy of ``shapes`` where only the shapes in ``only`` select focus nodes."""
    kept = Graph()
    for prefix, namespace in shapes.namespaces():
        kept.bind(prefix, namespace)
    targeted = {shape.node for shape in ShapesGraph(shapes).targeted()}
    for triple in shapes:
        subject, predicate, _ = triple
        if subject in targeted and subject not in only and predicate in TARGETS:
            continue
        kept.add(triple)
    for shape in targeted - set(only):  # a shape that is a class targets its instances
        for kind in (SH.NodeShape, SH.PropertyShape):
            kept.remove((shape, RDF.type, kind))
    return kept


def result_nodes(results: Graph) -> list[Node]:
    """The results of a pySHACL results graph."""
    return sorted(results.subjects(RDF.type, SH.ValidationResult), key=str)


def messages(results: Graph, result: Node) -> tuple[Literal, ...]:
    return tuple(m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal))


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"
