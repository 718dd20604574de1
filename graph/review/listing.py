"""What the command line says of a review: its counts, and what waits, paragraph by paragraph."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from habitat_kg.graph.parse import ReportText, read_report
from habitat_kg.graph.review.model import Review, ReviewItem, passage_number
from habitat_kg.graph.review.store import nt_term, report_text_path
from habitat_kg.graph.review.trig import Writer, passage_text


def state_counts(review: Review) -> dict[str, int]:
    counts = Counter(item.state for item in review.items)
    return {
        state: counts.get(state, 0) for state in ("pending", "accepted", "rejected", "corrected")
    }


def pending_by_paragraph(
    review: Review, text: ReportText | None
) -> list[tuple[int | None, int | None, list[ReviewItem]]]:
    """(paragraph number, its line, its pending items) in paragraph order."""
    lines = {part.number: part.line for part in text.paragraphs} if text else {}
    groups: dict[int | None, list[ReviewItem]] = {}
    for item in review.pending():
        number, _ = passage_number(item.proposal.passage)
        groups.setdefault(number, []).append(item)
    return [(number, lines.get(number or -1), items) for number, items in groups.items()]


def review_listing(sources: Path, review: Review, fmt: str = "text") -> str:
    """The pending proposals of a review as text for a terminal, or as JSON."""
    text_path = report_text_path(sources, review.report_id)
    text = read_report(text_path) if text_path is not None else None
    writer = Writer.for_report(review.report_id)
    groups = pending_by_paragraph(review, text)
    counts = state_counts(review)
    if fmt == "json":
        return _json(review, text, groups, counts, writer)
    lines = [
        f"report {review.report_id}: {len(review.items)} proposals, "
        + ", ".join(f"{count} {state}" for state, count in counts.items())
    ]
    for number, line, items in groups:
        where = f"paragraph {number}" if number is not None else "other parts"
        lines.append("")
        lines.append(f"{where}" + (f" (line {line})" if line else "") + f": {len(items)} pending")
        for item in items:
            proposal = item.proposal
            triple = " ".join(
                writer.term(term)
                for term in (proposal.subject, proposal.predicate, proposal.object)
            )
            words = _words(item, text)
            shown = f"  «{words}»" if words else ""
            lines.append(
                f"  {item.id}  {proposal.kind:<10} {proposal.confidence:.2f}  {triple}{shown}"
            )
    lines.append("")
    if counts["pending"]:
        lines.append(
            "next: accept on the curation page (habitat-kg serve --curate), or all at once with "
            "habitat-kg ingest FILE --accept [--min-confidence X]"
        )
    else:
        lines.append("nothing pending: habitat-kg build puts the accepted statements in the graph")
    return "\n".join(lines) + "\n"


def _words(item: ReviewItem, text: ReportText | None) -> str | None:
    if text is None or item.proposal.span is None:
        return None
    passage = passage_text(text, item.proposal.passage)
    start, end = item.proposal.span
    if passage is None or not 0 <= start < end <= len(passage):
        return None
    words = " ".join(passage[start:end].split())
    return words if len(words) <= 60 else words[:57] + "..."


def _json(
    review: Review,
    text: ReportText | None,
    groups: list[tuple[int | None, int | None, list[ReviewItem]]],
    counts: dict[str, int],
    writer: Writer,
) -> str:
    def entry(item: ReviewItem) -> dict[str, Any]:
        proposal = item.proposal
        return {
            "id": item.id,
            "passage": str(proposal.passage),
            "kind": proposal.kind,
            "subject": str(proposal.subject),
            "predicate": str(proposal.predicate),
            "object": nt_term(proposal.object),
            "confidence": proposal.confidence,
            "rule": proposal.rule,
            "span": list(proposal.span) if proposal.span else None,
            "words": _words(item, text),
        }

    data = {
        "report": review.report_id,
        "counts": counts,
        "paragraphs": [
            {"paragraph": number, "line": line, "pending": [entry(item) for item in items]}
            for number, line, items in groups
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
