"""Running pySHACL over a data graph: SHACL Core shapes, the ontology mixed in, data untouched.

The shapes need the ontology beside the data whatever its source: its class hierarchy (so that
``sh:targetClass hkg:Event`` also finds a ``hkg:Session``) and its concept schemes (so that a
status is known to be a concept of the status scheme). pySHACL's own ``ont_graph`` copies only
the RDFS and OWL axioms, not the SKOS concepts, so the ontology is added to a copy of the data
graph here, and pySHACL validates that copy with ``inplace=False``: the data graph given is
never changed. No inference runs: the shapes ask for what the record states.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from functools import cache

import pyshacl
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph

from habitat_kg.ontology import path as ontology_path
from habitat_kg.sparql import load_query
from habitat_kg.validation.data import quiet_ill_typed_literals
from habitat_kg.validation.shapes import ShapesError


@dataclass(frozen=True)
class Validation:
    """The outcome of one validation: pySHACL's results graph and what it was run on."""

    results: Graph
    data: Graph
    session: date
    shapes: int
    seconds: float


@cache
def ontology() -> Graph:
    """The habitat-kg ontology, mixed into every data graph for its class hierarchy."""
    return Graph().parse(data=ontology_path().read_text(encoding="utf-8"), format="turtle")


def run_validation(data: Graph, shapes: Graph, session: date) -> Validation:
    """Validate ``data`` against ``shapes``; a shape pySHACL cannot use raises ShapesError."""
    started = time.perf_counter()
    try:
        with quiet_ill_typed_literals():
            _, results, _ = pyshacl.validate(
                with_ontology(data),
                shacl_graph=shapes,
                inference="none",
                inplace=False,
                advanced=False,
                abort_on_first=False,
            )
    except ReportableRuntimeError as error:
        raise ShapesError(f"the shapes cannot be used: {_first_line(str(error))}") from None
    if not isinstance(results, Graph):  # a ValidationFailure comes back in place of the report
        raise ShapesError(f"the shapes cannot be used: {_first_line(str(results))}")
    return Validation(results, data, session, count_shapes(shapes), time.perf_counter() - started)


def with_ontology(data: Graph) -> Graph:
    """A new graph holding ``data`` and the ontology."""
    combined = Graph()
    for triple in data:
        combined.add(triple)
    for triple in ontology():
        combined.add(triple)
    return combined


def count_shapes(shapes: Graph) -> int:
    """How many shapes have a target (the shapes that select what they check)."""
    rows = list(shapes.query(load_query("targeted-shapes", "habitat_kg.validation")))
    return int(rows[0][0]) if rows else 0


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"
