"""Validation of a graph against the SHACL shapes of habitat-kg, and the report an analyst reads.

- ``data``: the data graph, from the built dataset (through the store), RDF files or a SPARQL
  endpoint;
- ``shapes``: the shapes graph (bundled or given), with the session date filled in;
- ``run``: pySHACL over it (``inplace=False``: the data graph is never changed);
- ``report``: the report built from pySHACL's results graph, grouped by thing and severity;
- ``render`` and ``html``: text, JSON, CSV, Turtle and HTML;
- ``command``: ``habitat-kg validate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from rdflib import Graph

from habitat_kg.validation.report import Report, build_report
from habitat_kg.validation.run import run_validation
from habitat_kg.validation.shapes import load_shapes


def validate_graph(
    data: Graph,
    source: str,
    session: date,
    shapes: Sequence[Path] = (),
    threshold: str = "Info",
) -> Report:
    """The report of ``data`` (described as ``source``) checked against ``shapes`` (the bundled
    ones if none) for a session on ``session``, showing ``threshold`` and above."""
    shapes_graph = load_shapes(shapes, session)
    return build_report(run_validation(data, shapes_graph, session), source, threshold)


__all__ = ["Report", "validate_graph"]
