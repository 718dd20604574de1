"""Where a validation's time goes, in one process: run as a script by ``benchmarks.validation``::

    python benchmarks/validation_phases.py DATASET SESSION CSV_OUT

The steps ``habitat-kg validate --format csv`` takes, each timed (wall and CPU seconds of the
process, every thread counted): importing habitat-kg, loading the dataset into the store,
reading the shapes, the engine's constraint queries (and the results made from their rows),
building the report (labels, grouping) and writing the CSV. The CSV goes to CSV_OUT (for the
caller to compare with another run's), a JSON object of the phases to stdout.

A script rather than a module of ``benchmarks``: it imports habitat-kg from wherever
``PYTHONPATH`` points first, so that the same steps can time another version of the code (the
baseline, see ``benchmarks.validation``). It uses only what every version has had:
``open_dataset``, ``load_shapes``, ``run_validation``, ``build_report`` and ``render_csv``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from datetime import date
from pathlib import Path


class Phases:
    """Wall and CPU seconds per named step, in order."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, float]] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def done(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.steps[name] = {"wall": wall - self._wall, "cpu": cpu - self._cpu}
        self._wall, self._cpu = wall, cpu


def main(argv: list[str]) -> None:
    dataset, session, csv_out = Path(argv[0]), date.fromisoformat(argv[1]), Path(argv[2])
    phases = Phases()
    from habitat_kg.server.store import open_dataset
    from habitat_kg.shapes.validation.render import render_csv
    from habitat_kg.shapes.validation.report import build_report
    from habitat_kg.shapes.validation.run import run_validation
    from habitat_kg.shapes.validation.shapes import load_shapes

    phases.done("import")
    store = open_dataset(dataset)
    phases.done("load")
    shapes = load_shapes((), session)
    phases.done("shapes")
    validation = run_validation(store, shapes, session)
    phases.done("queries")
    report = build_report(validation, f"built graph {dataset}", "Info")
    phases.done("report")
    text = render_csv(report)
    csv_out.write_text(text, encoding="utf-8")
    phases.done("csv")
    results = sum(1 for row in csv.reader(io.StringIO(text)) if row) - 1  # a header, then rows
    out = {"phases": phases.steps, "triples": report.triples, "results": results}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
