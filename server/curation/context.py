"""What the templates of a report's review need, for the whole page or for the paragraphs a
write changed (the page updates those in place)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from rdflib import URIRef

from habitat_kg.graph.extract.proposal import MEASURED_KINDS
from habitat_kg.graph.review import Review
from habitat_kg.server.answers import labels_for
from habitat_kg.server.curation import access
from habitat_kg.server.curation.page import Namer, PassageView, build_passages, read_text
from habitat_kg.server.curation.vocabulary import STATUSES, predicates_of


def page_context(key: str, review: Review, path: Path, gazetteer: Any) -> dict[str, Any]:
    """The variables of ``curation_report.html`` (and of ``curation_passage.html`` for each of
    its ``passages``) for ``review``, whose text is at ``path``."""
    text = read_text(path)
    proposals = [item.proposal for item in review.items]
    iris = {str(t) for p in proposals for t in (p.subject, p.predicate, p.object)}
    iris |= {str(p) for kind in MEASURED_KINDS for p in predicates_of(kind)}
    iris |= {str(s) for s in STATUSES}
    namer = Namer(text.language, proposals, labels_for(iris), gazetteer)
    passages = build_passages(text, review.report_id, review.items, namer)
    used = {k: {str(p.predicate) for p in proposals if p.kind == k} for k in MEASURED_KINDS}
    predicate_choices = {
        kind: [
            (iri, namer.name(URIRef(iri)).text)
            for iri in dict.fromkeys([*map(str, predicates_of(kind)), *sorted(used[kind])])
        ]
        for kind in MEASURED_KINDS
    }
    return {
        "report_id": review.report_id,
        "key": key,
        "language": text.language,
        "file": path.name,
        "passages": passages,
        "pending": sum(p.pending for p in passages),
        "predicate_choices": predicate_choices,
        "statuses": [(str(s), namer.name(s).text) for s in STATUSES],
        "kinds": MEASURED_KINDS,
        "curator": current_app.config.get("CURATOR") or "",
        "csrf": access.csrf_token(),
    }


def changed_passages(
    before: Review, after: Review, passages: tuple[PassageView, ...]
) -> list[PassageView]:
    """The passages (as the page shows them, after) whose rows a write changed: the one a
    decision was taken in and those of the statements it accepted along (a subject's type)."""
    then = {item.id: item for item in before.items}
    now = {item.id: item for item in after.items}
    touched = {str(item.proposal.passage) for item in after.items if then.get(item.id) != item}
    touched |= {str(item.proposal.passage) for item in before.items if item.id not in now}
    return [p for p in passages if p.iri in touched]
