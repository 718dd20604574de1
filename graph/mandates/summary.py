"""What ``habitat-kg ingest`` says of a resolution or decision: the mandates it found."""

from __future__ import annotations

from habitat_kg.graph.mandates.ingest import ResolutionIngest
from habitat_kg.graph.resolution import Operative, action_labels


def resolution_summary(found: ResolutionIngest) -> str:
    """Lines for the terminal: where the text is, and each mandate with whom it asks, its
    deadline, its reporting requirement and its clauses."""
    text = found.text
    lines = [
        f"added {found.path}"
        if found.new_text
        else f"the same text is already in {found.path}: nothing changed"
    ]
    mandates = found.mandates()
    organ = {"ha": "UN-Habitat Assembly", "eb": "Executive Board"}.get(text.organ or "", "")
    session = f", session {text.session}" if text.session else ""
    lines.append(
        f"{text.kind} {text.number} ({text.identifier}) of the {organ or 'unnamed organ'}"
        f"{session}: {len(text.operative)} operative paragraphs, {len(mandates)} mandates"
    )
    lines.extend(_mandate_line(operative, text.language) for operative in mandates)
    lines.append(
        "next: habitat-kg build; ingest the reports that cover it (again) to propose the "
        "status of each mandate"
    )
    return "\n".join(lines) + "\n"


def _mandate_line(operative: Operative, language: str) -> str:
    labels = action_labels(operative.action) if operative.action else {}
    action = labels.get(language) or labels.get("en") or operative.action or "?"
    whom = ", ".join(addressee.name for addressee in operative.addressees)
    parts = [f"  OP {operative.key}: {action} {whom}"]
    parts.append(f"due {operative.deadline.isoformat()}" if operative.deadline else "no deadline")
    reporting = operative.reporting
    if reporting is not None:
        at = f" at session {reporting.session}" if reporting.session else " (next session)"
        parts.append(f"report to the {reporting.organ_name}{at}")
    else:
        parts.append("no reporting requirement")
    if operative.resources:
        parts.append(f"resources: {operative.resources}")
    parts.append("end clause" if operative.has_end_clause else "no end clause")
    return "; ".join(parts)
