"""The command line: a thin layer of click over plain functions that the tests call too."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from habitat_kg.errors import SourceError
from habitat_kg.settings import SETTINGS
from habitat_kg.stats import DatasetMissing, dataset_stats

F = TypeVar("F", bound=Callable[..., Any])

#: Exit status for bad input (a file, an option), as click uses for usage errors.
BAD_INPUT = 2


def _option(name: str, **kwargs: Any) -> Callable[[F], F]:
    """A click option for a setting: its help and default come from ``SETTINGS``."""
    setting = SETTINGS[name]
    return click.option(
        f"--{name}",
        envvar=setting.env,
        default=setting.default,
        show_default=True,
        help=f"{setting.help} [env: {setting.env}]",
        **kwargs,
    )


def _reports_bad_input(command: F) -> F:
    """Bad input is one line on stderr naming the file and the problem, and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (SourceError, DatasetMissing, ValueError) as error:
            click.echo(f"habitat-kg: error: {error}", err=True)
            sys.exit(BAD_INPUT)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="habitat-kg")
def main() -> None:
    """habitat-kg: a knowledge graph of UN-Habitat governance."""


@main.command()
@_option("sources", type=click.Path(path_type=Path))
@_option("data", type=click.Path(path_type=Path))
@_reports_bad_input
def build(sources: Path, data: Path) -> None:
    """Build the dataset from the sources (report texts, curated statements, reference data)."""
    from habitat_kg.graph.build import build as build_dataset

    def progress(step: str) -> None:
        click.echo(f"  {step} ...", err=True)

    result = build_dataset(sources, data, progress)
    click.echo(f"wrote {result.out_dir}/ ({', '.join(sorted(p.name for p in data.iterdir()))})")
    _print_stats(result.dataset_path, "memory")
    for part, entity in result.unused_mentions:
        click.echo(f"note: {part} mentions {entity}, which no curated statement uses", err=True)


@main.command()
@_option("data", type=click.Path(path_type=Path))
@_option("store")
@_reports_bad_input
def stats(data: Path, store: str) -> None:
    """Count the triples of each layer and the things of each class in the built graph."""
    _print_stats(data / "habitat-kg.trig", store)


def _print_stats(dataset: Path, store: str) -> None:
    summary = dataset_stats(dataset, store)
    click.echo(f"{summary.total:>8}  triples in all")
    for layer, count in summary.layers:
        click.echo(f"{count:>8}  triples in the {layer} layer")
    click.echo("")
    for label, count in summary.classes:
        click.echo(f"{count:>8}  {label}")


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--id", "report_id", help="the report's identifier (default: from its header)")
@_option("sources", type=click.Path(path_type=Path))
@_reports_bad_input
def ingest(path: Path, report_id: str | None, sources: Path) -> None:
    """Add another report (Chinese or English) and draft its curated statements."""
    from habitat_kg.graph.build import mention_gazetteer
    from habitat_kg.graph.ingest import ingest_report

    result = ingest_report(path, sources, mention_gazetteer(sources), report_id)
    click.echo(f"added {result.report_path}")
    click.echo(f"draft of curated statements: {result.draft_path}")
