"""The command line: a thin layer of click over plain functions that the tests call too."""

from __future__ import annotations

from pathlib import Path

import click

from habitat_kg.errors import BAD_INPUT, OneLineErrors, SourceError, reports_bad_input
from habitat_kg.graph.counts import dataset_stats
from habitat_kg.graph.evaluation.command import evaluate_command
from habitat_kg.graph.network.command import network
from habitat_kg.graph.review.command import ingest, review
from habitat_kg.project import DATASET_FILE, in_project, init_project, reads_built_graph
from habitat_kg.server.client import query
from habitat_kg.server.command import serve
from habitat_kg.server.mandates.command import mandates
from habitat_kg.server.publish import publish
from habitat_kg.settings import read_config_file, setting_option
from habitat_kg.shapes.validation.command import validate


@click.group(
    cls=OneLineErrors,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="habitat-kg")
@click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="HABITAT_KG_CONFIG",
    help="a TOML file of settings (name = value); an option or environment variable wins over "
    "it [env: HABITAT_KG_CONFIG]",
)
@click.pass_context
def main(ctx: click.Context, config: Path | None) -> None:
    """habitat-kg: a knowledge graph of UN-Habitat governance."""
    if config is None:
        return
    try:
        values = read_config_file(config)
    except SourceError as error:
        click.echo(f"habitat-kg: error: {error}", err=True)
        ctx.exit(BAD_INPUT)
    # click takes an option's value from the command line, then its environment variable, then
    # this default map, then the option's default: the order the settings promise.
    defaults = {name.replace("-", "_"): value for name, value in values.items()}
    ctx.default_map = {command: defaults for command in ctx.command.list_commands(ctx)}


@main.command()
@setting_option("sources", type=click.Path(path_type=Path))
@setting_option("data", type=click.Path(path_type=Path))
@reports_bad_input
@in_project()
def build(sources: Path, data: Path) -> None:
    """Build the dataset from the sources (report texts, curated statements, reference data)."""
    # the builder (parsers, gazetteer) is loaded here, not by every command (serve among them)
    from habitat_kg.graph.build import build as build_dataset

    def progress(step: str) -> None:
        click.echo(f"  {step} ...", err=True)

    result = build_dataset(sources, data, progress)
    written = sorted(p.name for p in result.out_dir.iterdir() if not p.name.startswith("."))
    click.echo(f"wrote {result.out_dir}/ ({', '.join(written)})")
    _print_stats(result.dataset_path, "memory")
    for part, entity in result.unused_mentions:
        click.echo(f"note: {part} mentions {entity}, which no curated statement uses", err=True)


@main.command()
@reads_built_graph()
def stats(data: Path, store: str) -> None:
    """Count the triples of each layer and the things of each class in the built graph."""
    _print_stats(data / DATASET_FILE, store)


def _print_stats(dataset: Path, store: str) -> None:
    summary = dataset_stats(dataset, store)
    click.echo(f"{summary.total:>8}  triples in all")
    for layer, count in summary.layers:
        click.echo(f"{count:>8}  triples in the {layer} layer")
    click.echo("")
    for label, count in summary.classes:
        click.echo(f"{count:>8}  {label}")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@reports_bad_input
def init(folder: Path) -> None:
    """Make a project in FOLDER (new or empty): sources (a copy of the bundled record), build/
    and habitat-kg.toml."""
    project = init_project(folder)
    click.echo(f"made a project at {project.root}: sources/, build/, habitat-kg.toml")
    click.echo(f"next: habitat-kg build --project {project.root}")


_COMMANDS = (validate, network, serve, query, publish, ingest, review, evaluate_command, mandates)
for _command in _COMMANDS:
    main.add_command(_command)
