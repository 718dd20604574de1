"""Where a review lives in a project's sources, and how it is read and written.

A report's review is ``review/<stem>.json`` (every proposal, objects as N-Triples terms, with
its state, who and when: pretty, sorted JSON, the same bytes for the same review); its accepted
statements are ``curated/accepted/<stem>.trig``, where the builder reads them. ``save_review``
writes both together: each to a temporary file first, renamed into place only once both are
complete, so the sources never hold a review whose statements were not written, or the reverse.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph
from rdflib import RDF, Literal, Node, URIRef

from habitat_kg.errors import SourceError, source_text
from habitat_kg.graph.curated import ACCEPTED_FOLDER
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.parse import ReportText, read_report
from habitat_kg.graph.reference import reference_layer
from habitat_kg.graph.review.files import check_trig, refuse_file_in_the_way, write_together
from habitat_kg.graph.review.model import Review, ReviewItem
from habitat_kg.graph.review.reference import Describe
from habitat_kg.graph.review.trig import accepted_trig
from habitat_kg.outputs import writing

if TYPE_CHECKING:
    from habitat_kg.graph.gazetteer import Gazetteer

T = TypeVar("T")

REVIEW_FOLDER = "review"
#: The review file's format; a file of another format is refused, not misread.
FORMAT = 1

#: Held while a review is read, changed and written: the curation server saves from several
#: threads, and an ingest may run beside it.
REVIEW_LOCK = threading.RLock()


def stem(report_id: str) -> str:
    """File names write a report id with "_" for "/" (eb-2020-2/item-7 → eb-2020-2_item-7)."""
    return report_id.replace("/", "_")


def review_path(sources: Path, report_id: str) -> Path:
    return sources / REVIEW_FOLDER / f"{stem(report_id)}.json"


def accepted_path(sources: Path, report_id: str) -> Path:
    return sources / "curated" / ACCEPTED_FOLDER / f"{stem(report_id)}.trig"


def report_text_path(sources: Path, report_id: str) -> Path | None:
    """The report's text in the sources (``report/<stem>.<language>.txt``), if it is there."""
    folder = sources / "report"
    if not folder.is_dir():
        return None
    found = sorted(
        path for path in folder.glob("*.txt") if path.name.split(".", 1)[0] == stem(report_id)
    )
    return found[0] if found else None


def list_reviews(sources: Path) -> list[str]:
    """The ids of the reports that have a review, in order."""
    folder = sources / REVIEW_FOLDER
    if not folder.is_dir():
        return []
    return sorted(path.stem.replace("_", "/") for path in folder.glob("*.json"))


def load_review(sources: Path, report_id: str) -> Review:
    """The review of a report; SourceError when there is none or its file is broken."""
    path = review_path(sources, report_id)
    if not path.is_file():
        raise SourceError(
            path, None, f"no review of report {report_id}: ingest it first (habitat-kg ingest)"
        )
    return read_review(path)


def existing_review(sources: Path, report_id: str) -> Review | None:
    path = review_path(sources, report_id)
    return read_review(path) if path.is_file() else None


def read_review(path: Path) -> Review:
    """A review file, checked: each item's id must be the id of its statement."""
    try:
        data = json.loads(source_text(path))
    except json.JSONDecodeError as error:
        raise SourceError(path, error.lineno, f"not JSON: {error.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SourceError(path, None, f"not a habitat-kg review file (format {FORMAT})")
    try:
        report_id = data["report"]
        items = [_item(report_id, entry) for entry in data["items"]]
        review = Review(report_id, items, data["language"], data["sha256"])
    except (KeyError, TypeError, ValueError) as error:
        problem = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise SourceError(path, None, f"a broken review item: {problem}") from None
    for item, entry in zip(items, data["items"], strict=True):
        if item.id != entry.get("id"):
            problem = f"item {entry.get('id')} does not match its statement (id {item.id})"
            raise SourceError(path, None, problem)
    return review


def save_review(sources: Path, review: Review) -> Path:
    """Write the review file and its accepted statements together; return the TriG's path.

    The report's text must be in the sources (it gives the paragraphs' lines and words).
    """
    text_path = report_text_path(sources, review.report_id)
    if text_path is None:
        raise SourceError(
            sources / "report", None, f"the text of report {review.report_id} is not here"
        )
    save_with_text(sources, review, read_report(text_path), text_path)
    return accepted_path(sources, review.report_id)


def update_review(sources: Path, report_id: str, change: Callable[[Review], T]) -> tuple[T, Path]:
    """Load a review, apply ``change`` and save it, with no other save of this process between
    (two requests deciding at once both count); return what ``change`` returned and the TriG's
    path. A ``change`` that raises saves nothing."""
    with REVIEW_LOCK:
        review = load_review(sources, report_id)
        outcome = change(review)
        return outcome, save_review(sources, review)


def save_with_text(
    sources: Path,
    review: Review,
    text: ReportText,
    text_path: Path,
    extra: dict[Path, bytes] | None = None,
) -> list[Path]:
    """``save_review`` for a text already read, with ``extra`` files written in the same step.

    Only files whose bytes change are written; return them (none when nothing changed).
    """
    trig_path = accepted_path(sources, review.report_id)
    json_path = review_path(sources, review.report_id)
    label = text_path.resolve().relative_to(sources.resolve().parent).as_posix()
    trig = accepted_trig(review, text, label, _describer(sources, review.report_id))
    check_trig(json_path, trig)
    files = {**(extra or {}), json_path: review_json(review), trig_path: trig.encode("utf-8")}
    for target in files:
        refuse_file_in_the_way(target, sources)
    with REVIEW_LOCK, writing(sources, f"the report's review of {review.report_id} here"):
        changed = {target: data for target, data in files.items() if not _holds(target, data)}
        write_together(changed)
    return sorted(changed)


def project_gazetteer(sources: Path, report_id: str) -> Gazetteer:
    """The project's gazetteer without this report's own accepted statements, as the extractor
    sees it for the report (loaded once per process)."""
    from habitat_kg.graph.gazetteer import load_gazetteer  # the lists load only when needed

    return load_gazetteer(sources, exclude_curated=[accepted_path(sources, report_id)])


def prepare_saving(sources: Path, report_id: str) -> None:
    """Load what the first save of a report's review reads (the gazetteer, the reference
    layer's subjects), so that it need not wait for them (the review page calls it early)."""
    _describer(sources, report_id)


def _describer(sources: Path, report_id: str) -> Describe:
    """The gazetteer's knowledge of what the reference layer does not describe itself."""
    from habitat_kg.graph.gazetteer.loading import load_describer

    described = _described(sources, _stamps(sources / "reference"))
    entity = load_describer(sources, exclude_curated=[accepted_path(sources, report_id)])
    return lambda iri: None if iri in described else entity(iri)


@lru_cache(maxsize=4)
def _described(sources: Path, _stamps: tuple) -> frozenset:
    """The things the reference layer describes (kept while its files are the same: every
    save of a review asks)."""
    return frozenset(reference_layer(sources).subjects(RDF.type))


def _stamps(folder: Path) -> tuple:
    """Each file's name, modification time and size: they change when a file does."""
    try:
        return tuple(
            (path.name, path.stat().st_mtime_ns, path.stat().st_size)
            for path in sorted(folder.glob("*.csv"))
        )
    except OSError:
        return ()


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def review_json(review: Review) -> bytes:
    """The review file's bytes: the same review always gives the same bytes."""
    data = {
        "format": FORMAT,
        "report": review.report_id,
        "language": review.language,
        "sha256": review.sha256,
        "items": [_entry(item) for item in review.items],
    }
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _entry(item: ReviewItem) -> dict[str, Any]:
    proposal = item.proposal
    return {
        "id": item.id,
        "state": item.state,
        "by": item.by,
        "at": item.at,
        "replaced_by": item.replaced_by,
        "revision_of": item.revision_of,
        "extractor": item.extractor,
        "passage": str(proposal.passage),
        "kind": proposal.kind,
        "subject": nt_term(proposal.subject),
        "predicate": nt_term(proposal.predicate),
        "object": nt_term(proposal.object),
        "span": list(proposal.span) if proposal.span is not None else None,
        "confidence": proposal.confidence,
        "rule": proposal.rule,
    }


def _item(report_id: str, entry: dict[str, Any]) -> ReviewItem:
    return ReviewItem(
        proposal=_proposal(report_id, entry),
        state=entry["state"],
        by=entry["by"],
        at=entry["at"],
        replaced_by=entry["replaced_by"],
        revision_of=entry["revision_of"],
        extractor=entry["extractor"],
    )


def _proposal(report_id: str, entry: dict[str, Any]) -> Proposal:
    span = entry["span"]
    subject, predicate = term_from_nt(entry["subject"]), term_from_nt(entry["predicate"])
    if not isinstance(subject, URIRef) or not isinstance(predicate, URIRef):
        raise ValueError(f"item {entry.get('id')}: the subject and predicate must be IRIs")
    return Proposal(
        report_id=report_id,
        passage=URIRef(entry["passage"]),
        kind=entry["kind"],
        subject=subject,
        predicate=predicate,
        object=term_from_nt(entry["object"]),
        span=(int(span[0]), int(span[1])) if span is not None else None,
        confidence=float(entry["confidence"]),
        rule=entry["rule"],
    )


def nt_term(node: Node) -> str:
    """An IRI or literal as N-Triples writes it."""
    if isinstance(node, URIRef):
        return str(pyoxigraph.NamedNode(str(node)))
    if isinstance(node, Literal):
        if node.language:
            return str(pyoxigraph.Literal(str(node), language=node.language))
        if node.datatype is None:
            return str(pyoxigraph.Literal(str(node)))
        return str(pyoxigraph.Literal(str(node), datatype=pyoxigraph.NamedNode(node.datatype)))
    raise ValueError(f"a review holds no blank node ({node})")


def term_from_nt(text: str) -> URIRef | Literal:
    """An N-Triples IRI or literal back as an rdflib term; ValueError for anything else."""
    try:
        quads = list(
            pyoxigraph.parse(f"<urn:s> <urn:p> {text} .", format=pyoxigraph.RdfFormat.N_TRIPLES)
        )
    except SyntaxError as error:
        raise ValueError(f"{text!r} is not an N-Triples term: {error}") from None
    if len(quads) != 1:
        raise ValueError(f"{text!r} is not one N-Triples term")
    value = quads[0].object
    if isinstance(value, pyoxigraph.NamedNode):
        return URIRef(value.value)
    if isinstance(value, pyoxigraph.Literal):
        if value.language:
            return Literal(value.value, lang=value.language)
        datatype = value.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(value.value)
        return Literal(value.value, datatype=URIRef(datatype))
    raise ValueError(f"{text!r} is a {type(value).__name__}, not an IRI or a literal")
