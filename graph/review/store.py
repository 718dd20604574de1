"""Where a review lives in a project's sources, and how it is read and written.

A report's review is ``review/<stem>.json`` (every proposal, objects as N-Triples terms, with
its state, who and when: pretty, sorted JSON, the same bytes for the same review); its accepted
statements are the folder ``curated/accepted/<stem>/``, one TriG file per paragraph
(``paragraph-007.trig``), where the builder reads them. ``save_review`` writes the review and
the files of the paragraphs whose decisions changed together: each to a temporary file first,
renamed into place only once all are complete, so the sources never hold a review whose
statements were not written, or the reverse. A project written before kept one file per report
(``curated/accepted/<stem>.trig``): the builder reads it as it is, and the report's next save
replaces it by the folder.
"""

from __future__ import annotations

import hashlib
import json
import re
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
from habitat_kg.graph.review.trig import part_of, part_trigs
from habitat_kg.namespaces import report
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
    """The folder of a report's accepted statements: a TriG file per part (``part_file``)."""
    return sources / "curated" / ACCEPTED_FOLDER / stem(report_id)


def legacy_accepted_path(sources: Path, report_id: str) -> Path:
    """The one file of a report's accepted statements that projects written before kept."""
    return sources / "curated" / ACCEPTED_FOLDER / f"{stem(report_id)}.trig"


def report_accepted_files(sources: Path, report_id: str) -> list[Path]:
    """The files of a report's accepted statements there are: its folder's, or its one file."""
    legacy = legacy_accepted_path(sources, report_id)
    found = sorted(accepted_path(sources, report_id).glob("*.trig"))
    return [legacy, *found] if legacy.is_file() else found


def is_accepted_file(sources: Path, report_id: str, path: Path) -> bool:
    """Whether ``path`` is one of the files of a report's accepted statements."""
    resolved = path.resolve()
    return resolved == legacy_accepted_path(sources, report_id).resolve() or (
        resolved.parent == accepted_path(sources, report_id).resolve()
    )


_NUMBER = re.compile(r"[0-9]+")
_PART_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,80}")


def part_file(sources: Path, report_id: str, part: URIRef) -> Path:
    """The file of a part's accepted statements: ``…/paragraph/7`` → ``paragraph-007.trig``
    (numbers of three digits or more, so that a listing follows the report)."""
    base = f"{report(report_id)}/"
    rest = str(part)[len(base) :] if str(part).startswith(base) else ""
    name = _NUMBER.sub(lambda number: number.group().zfill(3), rest.replace("/", "-"))
    if not _PART_NAME.fullmatch(name):  # not a part of the report's: named by a digest
        name = f"part-{hashlib.sha256(str(part).encode('utf-8')).hexdigest()[:16]}"
    return accepted_path(sources, report_id) / f"{name}.trig"


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


def save_review(sources: Path, review: Review, before: Review | None = None) -> Path:
    """Write the review file and its accepted statements together; return the folder of the
    statements. Given the review as it was ``before`` (as loaded), only the files of the
    paragraphs whose items changed are written; else every paragraph's file is made again
    (and written where its bytes change).

    The report's text must be in the sources (it gives the paragraphs' lines and words).
    """
    text_path = report_text_path(sources, review.report_id)
    if text_path is None:
        raise SourceError(
            sources / "report", None, f"the text of report {review.report_id} is not here"
        )
    save_with_text(sources, review, read_report(text_path), text_path, before=before)
    return accepted_path(sources, review.report_id)


def update_review(sources: Path, report_id: str, change: Callable[[Review], T]) -> tuple[T, Path]:
    """Load a review, apply ``change`` and save it, with no other save of this process between
    (two requests deciding at once both count); return what ``change`` returned and the folder
    of its statements. A ``change`` that raises saves nothing."""
    with REVIEW_LOCK:
        review = load_review(sources, report_id)
        before = Review(review.report_id, list(review.items), review.language, review.sha256)
        outcome = change(review)
        return outcome, save_review(sources, review, before)


def save_with_text(
    sources: Path,
    review: Review,
    text: ReportText,
    text_path: Path,
    extra: dict[Path, bytes] | None = None,
    before: Review | None = None,
) -> list[Path]:
    """``save_review`` for a text already read, with ``extra`` files written in the same step.

    Only files whose bytes change are written, and the files of paragraphs left with no
    accepted statement removed; return them (none when nothing changed). A report's one file
    of a project written before is replaced by its folder.
    """
    report_id = review.report_id
    folder = accepted_path(sources, report_id)
    legacy = legacy_accepted_path(sources, report_id)
    json_path = review_path(sources, report_id)
    label = text_path.resolve().relative_to(sources.resolve().parent).as_posix()
    whole = before is None or before.report_id != report_id
    whole = whole or legacy.is_file() or not folder.is_dir()  # a folder to make, or to mend
    parts = {part_of(item) for item in review.items} if whole else changed_parts(before, review)
    trigs = part_trigs(review, parts, text, label, _describer(sources, report_id))
    files = {**(extra or {}), json_path: review_json(review)}
    for part, trig in trigs.items():
        path = part_file(sources, report_id, part)
        check_trig(path, trig)
        files[path] = trig.encode("utf-8")
    if whole:
        gone = [path for path in folder.glob("*.trig") if path not in files]
        gone += [legacy] if legacy.is_file() else []
    else:
        gone = [part_file(sources, report_id, part) for part in parts if part not in trigs]
    for target in files:
        refuse_file_in_the_way(target, sources)
    with REVIEW_LOCK, writing(sources, f"the report's review of {report_id} here"):
        changed = {target: data for target, data in files.items() if not _holds(target, data)}
        gone = [path for path in gone if path.is_file()]
        write_together(changed, gone)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # every statement taken back: no empty folder left behind
    return sorted([*changed, *gone])


def changed_parts(before: Review, after: Review) -> set[URIRef]:
    """The parts of the report (paragraphs) whose items differ between two reviews."""
    old, new = _items_by_part(before), _items_by_part(after)
    return {part for part in old.keys() | new.keys() if old.get(part) != new.get(part)}


def _items_by_part(review: Review) -> dict[URIRef, list[ReviewItem]]:
    found: dict[URIRef, list[ReviewItem]] = {}
    for item in review.items:
        found.setdefault(part_of(item), []).append(item)
    return found


def project_gazetteer(sources: Path, report_id: str) -> Gazetteer:
    """The project's gazetteer without this report's own accepted statements, as the extractor
    sees it for the report (loaded once per process)."""
    from habitat_kg.graph.gazetteer import load_gazetteer  # the lists load only when needed

    return load_gazetteer(sources, exclude_curated=report_accepted_files(sources, report_id))


def prepare_saving(sources: Path, report_id: str) -> None:
    """Load what the first save of a report's review reads (the gazetteer, the reference
    layer's subjects), so that it need not wait for them (the review page calls it early)."""
    _describer(sources, report_id)


def _describer(sources: Path, report_id: str) -> Describe:
    """The gazetteer's knowledge of what the reference layer does not describe itself."""
    from habitat_kg.graph.gazetteer.loading import load_describer

    described = _described(sources, _stamps(sources / "reference"))
    entity = load_describer(sources, exclude_curated=report_accepted_files(sources, report_id))
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
