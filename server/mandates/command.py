"""``habitat-kg mandates -o FILE``: the mandate registry as a file, one row per mandate.

CSV (the registry's columns), JSON (the shape of ``/mandates?format=json``'s mandates, with each
mandate's statuses) or XLSX (a formatted workbook with the registry and the matrix of mandates
by reports). The file is written whole or not at all.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from habitat_kg.outputs import check_output_file, write_atomically, writing
from habitat_kg.project import DATASET_FILE, reads_built_graph
from habitat_kg.server.mandates.model import Mandate, read_registry
from habitat_kg.server.mandates.tables import (
    REGISTRY_COLUMNS,
    as_csv,
    mandate_json,
    matrix_json,
    registry_row,
    status_json,
)
from habitat_kg.server.store import open_dataset

FORMATS = ("csv", "xlsx", "json")


def export(mandates: list[Mandate], fmt: str, today: date) -> bytes:
    """The registry in ``fmt`` (one of ``FORMATS``), as the file's bytes."""
    if fmt == "csv":
        rows = [registry_row(m, today) for m in mandates]
        return as_csv(REGISTRY_COLUMNS, rows).encode("utf-8")
    if fmt == "json":
        shaped = []
        for mandate in mandates:
            entry = mandate_json(mandate, today)
            entry["statuses"] = [status_json(s) for s in mandate.statuses]
            shaped.append(entry)
        document = {"mandates": shaped, "matrix": matrix_json(mandates, today)}
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    from habitat_kg.server.mandates.workbook import registry_workbook  # openpyxl, when asked

    return registry_workbook(mandates, today)


@click.command("mandates")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS, case_sensitive=False),
    help="how to write the registry (default: from the suffix of -o)",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="file to write: .csv, .xlsx or .json",
)
@reads_built_graph()
def mandates(fmt: str | None, output: Path, data: Path, store: str) -> None:
    """Export the mandate registry, one row per mandate: CSV, JSON or an XLSX workbook (the
    registry with links to the evidence, and the matrix of statuses by report)."""
    fmt = fmt or _format_of(output)
    check_output_file(output)  # never replace a folder of that name
    registry = read_registry(open_dataset(data / DATASET_FILE, store))
    content = export(registry, fmt, date.today())
    with writing(output, "the mandate registry"):
        write_atomically(output, content)
    click.echo(f"wrote {output} ({fmt}: {len(registry)} mandates)")


def _format_of(output: Path) -> str:
    suffix = output.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise click.UsageError(
        f"cannot tell the format from the file name {output.name!r}: give --format "
        f"({', '.join(FORMATS)})"
    )
