"""The ``ingest`` and ``review`` commands: proposals from the command line, for batch use."""

from __future__ import annotations

from pathlib import Path

import click

from habitat_kg.errors import reports_bad_input
from habitat_kg.graph.mandates.ingest import ingest_resolution, is_resolution_text
from habitat_kg.graph.mandates.summary import resolution_summary
from habitat_kg.graph.review.ingesting import IngestResult, ingest_with_proposals
from habitat_kg.graph.review.listing import review_listing, state_counts
from habitat_kg.graph.review.store import load_review
from habitat_kg.project import in_project
from habitat_kg.settings import SETTINGS, setting_option


def _curator_option(command):  # type: ignore[no-untyped-def]
    curator = SETTINGS["curator"]
    return click.option(
        "--by",
        "--curator",
        "curator",
        envvar=curator.env,
        default=None,
        help="who accepts (recorded in the provenance of each statement); default: the "
        f"setting curator, else the login name [env: {curator.env}]",
    )(command)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--id", "report_id", help="the report's identifier (default: from its header)")
@click.option("--accept", is_flag=True, help="accept every proposal at or above --min-confidence")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="with --accept: the least confidence of a proposal accepted",
)
@_curator_option
@setting_option("max-report-mb", type=click.FloatRange(min=0.0))
@setting_option("sources", type=click.Path(path_type=Path))
@reports_bad_input
@in_project()
def ingest(
    path: Path,
    report_id: str | None,
    accept: bool,
    min_confidence: float,
    curator: str | None,
    max_report_mb: float,
    sources: Path,
) -> None:
    """Add a report (Chinese or English) and propose the statements of every paragraph; or add
    the text of a resolution or decision and list the mandates it gives."""
    if is_resolution_text(path):
        found = ingest_resolution(path, sources, report_id, max_report_mb)
        click.echo(resolution_summary(found), nl=False)
        if accept:
            click.echo(
                "note: a resolution or decision has no proposals: --accept did nothing", err=True
            )
        return
    result = ingest_with_proposals(
        path,
        sources,
        report_id,
        accept=accept,
        min_confidence=min_confidence,
        by=curator,
        max_report_mb=max_report_mb,
    )
    _summary(path, result, accept)


def _summary(path: Path, result: IngestResult, accept: bool) -> None:
    if result.new_text:
        click.echo(f"added {result.report_path}")
    else:
        click.echo(f"the same text is already in {result.report_path}: proposed anew")
    kinds = ", ".join(f"{kind} {count}" for kind, count in result.proposals_by_kind().items())
    click.echo(
        f"{len(result.report.paragraphs)} paragraphs, {len(result.proposals)} proposals"
        + (f" ({kinds})" if kinds else "")
    )
    counts = state_counts(result.review)
    if accept:
        click.echo(f"accepted now: {len(result.accepted_now)}")
    click.echo(
        f"review of {result.report_id}: "
        + ", ".join(f"{count} {state}" for state, count in counts.items())
    )
    for paragraph in result.quiet:
        click.echo(
            f"note: {path}:{paragraph.line}: paragraph {paragraph.number} names nothing known "
            "(no unit, partner, place, resolution or document proposed): add what it says "
            "on the curation page",
            err=True,
        )
    if result.written:
        parts = [p for p in result.written if p.parent == result.accepted_path]
        named = [str(p) for p in result.written if p.parent != result.accepted_path]
        if parts:  # a file per paragraph: named by their folder
            named.append(f"{result.accepted_path}/ ({len(parts)} paragraph file(s))")
        click.echo(f"wrote {', '.join(named)}")
    else:
        click.echo("nothing changed")
    if counts["pending"]:
        click.echo(
            f"next: habitat-kg review {result.report_id} (what is pending), the curation page "
            "(habitat-kg serve --curate), or --accept; then habitat-kg build"
        )
    else:
        click.echo("next: habitat-kg build")


@click.command()
@click.argument("report")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for reading, json for scripts",
)
@setting_option("sources", type=click.Path(path_type=Path))
@reports_bad_input
@in_project()
def review(report: str, fmt: str, sources: Path) -> None:
    """List what is pending in the review of REPORT (its id, such as eb-2021-2/item-5)."""
    report_id = report.replace("_", "/")
    click.echo(review_listing(sources, load_review(sources, report_id), fmt), nl=False)
