"""``habitat-kg validate``: what the record is missing before a session, from the SHACL shapes.

Exit status: 0 when nothing at or above the chosen severity is found, 1 when something is, 2 on
bad input (an unreadable file, a shapes file with an error, a date that is not a date, an
unknown severity or format), with one line naming the problem.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from habitat_kg.project import DATASET_FILE, reads_built_graph
from habitat_kg.server.store import Store, open_dataset
from habitat_kg.shapes.validation import validate_store
from habitat_kg.shapes.validation.choices import ENGINES, REPORT_FORMATS, SEVERITIES
from habitat_kg.urls import require_http_url

if TYPE_CHECKING:
    from rdflib import Graph

    from habitat_kg.shapes.validation.report import Report


@click.command()
@click.argument("data_files", metavar="[DATA]...", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=click.Path(path_type=Path),
    help="a SHACL shapes file (Turtle) to use instead of the bundled shapes; repeat for more",
)
@click.option(
    "--session",
    help="date of the session the record must be ready for, YYYY-MM-DD  [default: today]",
)
@click.option(
    "--severity",
    type=click.Choice([s.lower() for s in SEVERITIES], case_sensitive=False),
    default="info",
    show_default=True,
    help="least severe result to show and to fail on",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(REPORT_FORMATS, case_sensitive=False),
    default="text",
    show_default=True,
    help="how to write the report",
)
@click.option("--endpoint", help="validate the graph behind this SPARQL endpoint URL instead")
@click.option(
    "--engine",
    type=click.Choice(ENGINES, case_sensitive=False),
    default=ENGINES[0],
    show_default=True,
    help="sparql (SHACL Core as queries asked of the store; fast) or pyshacl (the reference "
    "implementation; slow, but takes SHACL-SPARQL shapes too)",
)
@reads_built_graph(unless=("data_files", "endpoint"))
def validate(
    data_files: tuple[Path, ...],
    shapes: tuple[Path, ...],
    session: str | None,
    severity: str,
    output_format: str,
    endpoint: str | None,
    engine: str,
    data: Path,
    store: str,
) -> None:
    """Check the built graph (or the RDF files DATA, or an endpoint) against the SHACL shapes
    and report what is missing, grouped by the thing it is about."""
    # On a terminal only: minutes at 10 million triples, but a script reading stderr wants
    # nothing there but errors.
    # the validator (pySHACL among it) is loaded by this command, not by every command of the CLI
    from habitat_kg.shapes.validation.data import graph_from_endpoint, graph_from_files
    from habitat_kg.shapes.validation.report import parse_severity
    from habitat_kg.shapes.validation.shapes import parse_session_date

    progress = _say if sys.stderr.isatty() else None
    threshold = parse_severity(severity)
    render = _renderer(output_format)
    session_date = parse_session_date(session) if session is not None else date.today()
    if data_files and endpoint:
        raise ValueError("give either DATA files or --endpoint, not both")
    if endpoint:
        require_http_url(endpoint, "--endpoint")
        source = f"SPARQL endpoint {endpoint}"
        subject = _store_holding(graph_from_endpoint(endpoint), source)
    elif data_files:
        source = ", ".join(map(str, data_files))
        subject = _store_holding(graph_from_files(data_files), source)
    else:
        dataset = data / DATASET_FILE
        if progress is not None:
            progress(f"loading {dataset}")
        subject, source = open_dataset(dataset, store), f"built graph {dataset}"
    report = validate_store(subject, source, session_date, shapes, threshold, engine, progress)
    click.echo(render(report), nl=False)
    sys.exit(1 if report.found else 0)


def _renderer(output_format: str) -> Callable[[Report], str]:
    """The function writing the report in ``output_format`` (one of REPORT_FORMATS)."""
    from habitat_kg.shapes.validation.html import standalone_page
    from habitat_kg.shapes.validation.render import (
        render_csv,
        render_json,
        render_text,
        render_turtle,
    )

    renderers: dict[str, Callable[[Report], str]] = {
        "text": render_text,
        "json": render_json,
        "turtle": render_turtle,
        "html": standalone_page,
        "csv": render_csv,
    }
    return renderers[output_format.lower()]


def _store_holding(graph: Graph, source: str) -> Store:
    """The store to validate ``graph`` in; a term rdflib read but Oxigraph refuses (such as a
    language tag longer than BCP 47 allows) is bad input, named with where it came from."""
    from habitat_kg.shapes.validation.data import store_of

    try:
        return store_of(graph)
    except ValueError as error:
        raise ValueError(f"{source}: a term the store cannot hold: {error}") from None


def _say(step: str) -> None:
    click.echo(f"  {step} ...", err=True)
