"""Validation of a graph against the SHACL shapes of habitat-kg, and the report an analyst reads.

- ``data``: the data, from the built dataset (a store), RDF files or a SPARQL endpoint;
- ``shapes``: the shapes graph (bundled or given), with the session date filled in;
- ``shape_model``, ``compile`` and ``engine``: the sparql engine (SHACL Core as SPARQL queries
  asked of the store);
- ``run``: either engine, sparql or pySHACL (the data is never changed);
- ``similarity``: the near-duplicate mandate check, beyond SHACL Core, run beside either engine;
- ``report``: the report built from the results graph, grouped by thing and severity;
- ``render`` and ``html``: text, JSON, CSV, Turtle and HTML;
- ``command``: ``habitat-kg validate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from habitat_kg.shapes.validation.choices import ENGINES

if TYPE_CHECKING:
    from habitat_kg.server.store import Store
    from habitat_kg.shapes.validation.engine import Progress
    from habitat_kg.shapes.validation.report import Report


def validate_store(
    data: Store,
    source: str,
    session: date,
    shapes: Sequence[Path] = (),
    threshold: str = "Info",
    engine: str = ENGINES[0],
    progress: Progress | None = None,
) -> Report:
    """The report of the store's data (described as ``source``) checked against ``shapes`` (the
    bundled ones if none) for a session on ``session``, showing ``threshold`` and above;
    ``progress`` hears how the work advances."""
    # pySHACL and the engine are loaded by the first validation, not by importing the package
    # (the command's options, the server's routes)
    from habitat_kg.shapes.validation.report import build_report
    from habitat_kg.shapes.validation.run import run_validation
    from habitat_kg.shapes.validation.shapes import load_shapes

    shapes_graph = load_shapes(shapes, session)
    validation = run_validation(data, shapes_graph, session, engine, progress)
    if progress is not None:
        progress("reading the results")
    return build_report(validation, source, threshold)


__all__ = ["ENGINES", "validate_store"]
