"""``habitat-kg evaluate``: precision and recall of the extractor, per kind and per report."""

from __future__ import annotations

import json
from pathlib import Path

import click

from habitat_kg.errors import reports_bad_input
from habitat_kg.project import bundled_sources

#: The test corpus of a source checkout; an installed package has none.
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "corpus"
#: Exit status of --check when a target is missed (errors exit 2, as all bad input does).
TARGET_MISSED = 1


@click.command("evaluate")
@click.option(
    "--corpus",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="folder of test reports with .gold.json files (default: tests/data/corpus of a source "
    "checkout; without one, only the bundled report is measured)",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    help="text tables, JSON (for the benchmark), or a Markdown table (for the README)",
)
@click.option("--repeats", type=click.IntRange(1, 50), default=1, help="timed runs per report")
@click.option(
    "--misses",
    is_flag=True,
    help="list what was missed and proposed wrongly (bundled and tuning reports only: held-out "
    "reports must not be tuned on)",
)
@click.option("--check", is_flag=True, help="exit 1 when a target is missed")
@reports_bad_input
def evaluate_command(
    corpus: Path | None, fmt: str, repeats: int, misses: bool, check: bool
) -> None:
    """Measure the extractor: its proposals against the curated statements of the bundled
    report and against the gold files of the test reports, per kind and per report.

    Targets: on untuned (held-out) reports, links (resolution, unit, partner, place) at least
    90% precise and 85% recalled; on the bundled report, 85% recalled; 30 paragraphs proposed
    within 2 s. A missed target is not an error (exit 0) unless --check is given."""
    # the extractor and the builder are loaded by this command, not by every command of the CLI
    from habitat_kg.graph.evaluation.run import evaluate
    from habitat_kg.graph.evaluation.tables import format_evaluation, markdown_table

    if corpus is None and DEFAULT_CORPUS.is_dir():
        corpus = DEFAULT_CORPUS
    result = evaluate(corpus, bundled_sources(), repeats)
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(markdown_table(result))
    else:
        click.echo(format_evaluation(result, misses))
    if check and not all(target.met for target in result.targets()):
        raise SystemExit(TARGET_MISSED)
