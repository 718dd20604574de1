"""Running a validation engine over the data in a store: SHACL Core shapes, data untouched.

Two engines give the same results (the tests compare them on every example and on the built
graph):

- ``sparql`` (the default): every constraint becomes a query the store answers for all focus
  nodes at once (``engine.py``); seconds at a million triples, and nothing is copied;
- ``pyshacl``: the reference implementation, over a copy of the store's triples in rdflib;
  minutes at a million triples, but it takes every kind of shape (SHACL-SPARQL too).

The shapes need the ontology beside the data (its class hierarchy, so that ``sh:targetClass
hkg:Event`` also finds a ``hkg:Session``, and its concept schemes): the built dataset holds it as
a layer, and data read from files or an endpoint gets it added (``data.store_of``). No inference
runs: the shapes ask for what the record states.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from rdflib import Graph
from rdflib.term import Node

from habitat_kg.queries import load_query
from habitat_kg.server.store import Store
from habitat_kg.shapes.validation.choices import ENGINES
from habitat_kg.shapes.validation.engine import Progress, sparql_results
from habitat_kg.shapes.validation.reference import pyshacl_results
from habitat_kg.shapes.validation.results import GraphResults, Results
from habitat_kg.shapes.validation.similarity import joined, similarity_results

#: The validation engines, by name; the first is the default.


@dataclass(frozen=True)
class Validation:
    """The outcome of one validation: its results and the store it was run on."""

    found: Results
    data: Store
    session: date
    shapes: int
    seconds: float
    #: the engine asked for, and the shapes it handed over to pySHACL (shape, reason)
    engine: str = ENGINES[0]
    handed: tuple[tuple[Node, str], ...] = ()


def run_validation(
    data: Store,
    shapes: Graph,
    session: date,
    engine: str = ENGINES[0],
    progress: Progress | None = None,
) -> Validation:
    """Validate the store's data against ``shapes`` with ``engine``; a shape the engine cannot
    use raises ShapesError. ``progress`` hears how the sparql engine's queries advance."""
    started = time.perf_counter()
    results: Results
    handed: tuple[tuple[Node, str], ...] = ()
    if engine == "sparql":
        results = sparql_results(data, shapes, progress)
        handed = results.handed
    else:
        results = GraphResults(pyshacl_results(data, shapes))
    results = joined(results, similarity_results(data, shapes))  # checks beyond SHACL Core
    seconds = time.perf_counter() - started
    return Validation(results, data, session, count_shapes(shapes), seconds, engine, handed)


def count_shapes(shapes: Graph) -> int:
    """How many shapes have a target (the shapes that select what they check)."""
    rows = list(shapes.query(load_query("habitat_kg.shapes.validation", "targeted-shapes")))
    return int(rows[0][0]) if rows else 0
