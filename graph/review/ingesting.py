"""Adding a report to the sources: its text, and the statements the extractor proposes for it.

``ingest_with_proposals`` reads and checks the report first (see ``review.screening``), so a
file that cannot be a report is refused before anything is written. It then proposes the
statements of every paragraph, merges them into the report's review (decisions already taken
are kept: a pending proposal the extractor no longer makes is dropped, a decided one never is)
and, when asked, accepts every proposal at or above a confidence. The report's text, the
review and the accepted statements are written together, or nothing is.

A report id names one text: a different text for an id already in the sources is refused; the
same text again proposes anew and, when the extractor says the same, changes no byte.
"""

from __future__ import annotations

import getpass
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from habitat_kg.errors import SourceError
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.parse import Paragraph, ReportText, header_report_id, read_report
from habitat_kg.graph.review.files import refuse_file_in_the_way
from habitat_kg.graph.review.model import Review, ReviewItem, merge
from habitat_kg.graph.review.screening import (
    check_size,
    check_text,
    quiet_paragraphs,
)
from habitat_kg.graph.review.store import (
    REVIEW_LOCK,
    accepted_path,
    existing_review,
    project_gazetteer,
    review_path,
    save_with_text,
    stem,
)
from habitat_kg.namespaces import slug
from habitat_kg.settings import setting

# Segments of lower-case letters, digits, dots and hyphens: "_" is reserved, since file names
# write the report id with "_" in place of "/" (eb-2020-2/item-7 → eb-2020-2_item-7.zh.txt).
_REPORT_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)*$")


@dataclass(frozen=True)
class IngestResult:
    """What an ingest found, proposed, accepted and wrote."""

    report_id: str
    language: str
    report_path: Path
    review_path: Path
    #: The folder of the report's accepted statements (a file per paragraph).
    accepted_path: Path
    report: ReportText
    review: Review
    #: What the extractor proposed this time.
    proposals: list[Proposal]
    #: Items accepted by this ingest (--accept).
    accepted_now: list[ReviewItem] = field(default_factory=list)
    #: False when the same text was already in the sources.
    new_text: bool = True
    #: Paragraphs for which nothing known was recognised.
    quiet: list[Paragraph] = field(default_factory=list)
    #: Files written (none when nothing changed).
    written: list[Path] = field(default_factory=list)

    def proposals_by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(p.kind for p in self.proposals).items()))


def ingest_with_proposals(
    path: Path,
    sources: Path,
    report_id: str | None = None,
    accept: bool = False,
    min_confidence: float = 0.0,
    by: str | None = None,
    max_report_mb: float | None = None,
) -> IngestResult:
    """Copy the report at ``path`` into ``sources``, propose its statements, merge, write.

    The report id defaults to the one its header gives. Raises SourceError, writing nothing,
    for a file that is not a report (see ``review.screening``), a header that gives no id when
    none is given, or a different text for an id already in the sources; ValueError for a
    malformed id or confidence.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"--min-confidence {min_confidence} is not within [0, 1]")
    limit = float(setting("max-report-mb")) if max_report_mb is None else max_report_mb
    check_size(path, limit)
    text = read_report(path)
    check_text(text)
    report_id = report_id or _header_id(text)
    if not _REPORT_ID.match(report_id):
        raise ValueError(
            f"report id {report_id!r} must be lower-case segments (letters, digits, '.', '-') "
            "separated by '/', such as 'eb-2020-2/item-7'"
        )
    report_path = sources / "report" / f"{stem(report_id)}.{text.language}.txt"
    new_text = _check_existing(path, text, report_id, sources / "report", report_path)
    for target in (report_path, review_path(sources, report_id), accepted_path(sources, report_id)):
        refuse_file_in_the_way(target, sources)
    proposals, version = _propose(text, report_id, sources)
    with REVIEW_LOCK:  # no decision saved meanwhile is lost
        before = existing_review(sources, report_id)
        start = before or Review(report_id, [], text.language, text.sha256)
        review = merge(start, proposals, version)
        accepted_now: list[ReviewItem] = []
        if accept:
            accepted_now = review.accept_confident(min_confidence, by or default_curator())
        extra = {report_path: text.raw} if new_text else {}
        written = save_with_text(sources, review, text, report_path, extra)
    return IngestResult(
        report_id=report_id,
        language=text.language,
        report_path=report_path,
        review_path=review_path(sources, report_id),
        accepted_path=accepted_path(sources, report_id),
        report=text,
        review=review,
        proposals=proposals,
        accepted_now=accepted_now,
        new_text=new_text,
        quiet=quiet_paragraphs(text, proposals),
        written=written,
    )


def default_curator() -> str:
    """Who decides when no name is given: the setting ``curator``, else the login name."""
    named = setting("curator").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return "analyst"


def _propose(text: ReportText, report_id: str, sources: Path) -> tuple[list[Proposal], str]:
    from habitat_kg.graph.extract import EXTRACTOR_VERSION, propose
    from habitat_kg.graph.mandates import MANDATES_VERSION, propose_mandate_statuses

    # Without this report's own accepted statements: what an analyst accepted must not change
    # what the extractor proposes for the same text (a new node accepted would become known).
    proposals = propose(text, report_id, project_gazetteer(sources, report_id))
    # Where each mandate of the acts the report covers stands (graph/mandates).
    proposals += propose_mandate_statuses(text, report_id, sources)
    return proposals, f"{EXTRACTOR_VERSION}-{MANDATES_VERSION}"


def _header_id(text: ReportText) -> str:
    """The id the header gives; where it gives none, the line it could not read is named."""
    found = header_report_id(text.header)
    if found:
        return found
    header = text.header
    unread = header.agenda or header.session or header.governing_body
    if unread is None and header.lines:
        unread = header.lines[0]
    line = unread.line if unread is not None else None
    what = f"«{unread.text[:60]}»" if unread is not None else "no header before the first section"
    raise SourceError(
        text.path,
        line,
        f"cannot tell the report's id from its header ({what}): give one with --id, such as "
        f"--id {_suggested_id(text.path)}",
    )


def _suggested_id(path: Path) -> str:
    """From the file's name: as the sources name reports (``eb-2021-2_item-5`` → ``/``)."""
    stem_name = path.name.split(".", 1)[0]
    if _REPORT_ID.match(stem_name.replace("_", "/")):
        return stem_name.replace("_", "/")
    try:
        return slug(stem_name).replace("_", "-")
    except ValueError:
        return "eb-2021-2/item-5"


def _check_existing(
    path: Path, text: ReportText, report_id: str, report_dir: Path, target: Path
) -> bool:
    """True when the text is new; False for the very same text; SourceError for another."""
    if not report_dir.is_dir():
        return True
    for existing in sorted(report_dir.glob("*.txt")):
        if existing.name.split(".", 1)[0] != stem(report_id):
            continue
        if existing == target and existing.read_bytes() == text.raw:
            return False
        raise SourceError(
            path,
            None,
            f"report {report_id} is already in {existing} with another text: give this one "
            "another --id, or remove that report from the sources first",
        )
    return True
