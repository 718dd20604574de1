"""``habitat-kg network VIEW``: a network view as numbers, as a file, or as a picture."""

from __future__ import annotations

from pathlib import Path

import click

from habitat_kg.graph.network import NetworkFilter, NetworkInputError, fetch_evidence
from habitat_kg.graph.network.catalogue import COLOUR_SCHEMES, FORMATS, VIEWS, format_for
from habitat_kg.graph.search import names_in
from habitat_kg.outputs import check_output_file, write_atomically, writing
from habitat_kg.project import DATASET_FILE, reads_built_graph
from habitat_kg.server.store import open_dataset

_VIEW_HELP = "\n".join(f"  {name}: {text}" for name, text in VIEWS.items())


@click.command(
    "network",
    help=f"""Network views of partnerships, with measures, exports and a picture.

\b
VIEW is one of:
{_VIEW_HELP}

With no --format and no -o, prints a summary: node and edge counts, components, the most
central nodes (degree, weighted degree, betweenness) and the communities (Louvain, seeded).
--format csv writes a zip archive of nodes.csv and edges.csv. Files are written atomically.
""",
)
@click.argument("view", metavar="VIEW", type=click.Choice(list(VIEWS)))
@click.option(
    "--resolution",
    default="",
    help="only activities for this resolution or decision: 1/5 (both a resolution and a "
    "decision numbered so), res:1/3, dec:1/3, or its IRI",
)
@click.option("--country", default="", help="only activities in this country (ISO alpha-3, MEX)")
@click.option("--since", default="", help="only activities still going on at this date (ISO)")
@click.option("--until", default="", help="only activities begun by this date (ISO)")
@click.option("--node", default="", help="only this node (an IRI) and its neighbours")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), help="how to write the view")
@click.option("--colour", type=click.Choice(COLOUR_SCHEMES), default="category", help="PNG colours")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="file to write (default: habitat-kg-VIEW.EXT when --format is given)",
)
@reads_built_graph()
def network(
    view: str,
    resolution: str,
    country: str,
    since: str,
    until: str,
    node: str,
    fmt: str | None,
    colour: str,
    output: Path | None,
    data: Path,
    store: str,
) -> None:
    # drawing (networkx) is loaded by this command only, not by every command of the CLI
    from habitat_kg.graph.network import network_graph as make_network_graph
    from habitat_kg.graph.network.exports import render
    from habitat_kg.graph.network.measures import format_summary, summarize

    fmt = fmt or _format_of(output)
    _check_output_name(fmt, output)
    evidence = fetch_evidence(open_dataset(data / DATASET_FILE, store))
    given = NetworkFilter(resolution, country, since, until, names=names_in(data))
    graph = make_network_graph(evidence, view, given, node)
    if not fmt:
        click.echo(format_summary(summarize(graph), graph))
        return
    target = output or Path(f"habitat-kg-{view}{FORMATS[fmt][0]}")
    check_output_file(target)  # never replace a folder of that name
    with writing(target, "the export"):
        write_atomically(target, render(graph, fmt, colour))
    click.echo(
        f"wrote {target} ({fmt}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)"
    )


def _check_output_name(fmt: str, output: Path | None) -> None:
    """Refuse a file name that promises another format than the one written: CSV is two tables,
    so it goes in a .zip, never in a file named .csv."""
    if output is None or not fmt:
        return
    named = format_for(output)
    if fmt == "csv" and output.suffix.lower() != ".zip":
        raise NetworkInputError(
            "-o",
            str(output),
            "--format csv writes two tables (nodes.csv and edges.csv) in one zip archive, not "
            f"a single CSV file: name it {output.with_suffix('.zip').name}",
        )
    if named is not None and named != fmt:
        raise NetworkInputError(
            "-o",
            str(output),
            f"the name says {named} but --format is {fmt}: name it "
            f"{output.with_suffix(FORMATS[fmt][0]).name}",
        )


def _format_of(output: Path | None) -> str:
    """The format that the suffix of -o names ('' for the summary)."""
    if output is None:
        return ""
    inferred = format_for(output)
    if inferred is None:
        raise NetworkInputError(
            "output",
            str(output),
            f"cannot tell the format from the file name: give --format ({', '.join(FORMATS)})",
        )
    return inferred
