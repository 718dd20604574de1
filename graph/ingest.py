"""Adding a report to the sources: its text, and a draft of the curated statements it makes.

``ingest_report`` parses the report first, so a file the parser cannot read is refused before
anything is written.  It then writes two files, the text under ``report/`` and the draft under
``curated/drafts/``, each first to a temporary file in its own folder; both are renamed into
place only once both are complete, and on any failure every file and folder it created is
removed again, so the sources never hold half an ingest. A file where a folder must be, or a
disk that refuses the write (full, read-only), is one error naming the place.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import URIRef

from habitat_kg.errors import SourceError, TargetError
from habitat_kg.graph.parse import (
    Findings,
    Gazetteer,
    Paragraph,
    ReportText,
    analyse,
    compile_gazetteer,
    header_report_id,
    read_report,
)
from habitat_kg.namespaces import PREFIXES, decision, document, paragraph, report, resolution, slug
from habitat_kg.outputs import writing

# Segments of lower-case letters, digits, dots and hyphens: "_" is reserved, since file names
# write the report id with "_" in place of "/" (eb-2020-2/item-7 → eb-2020-2_item-7.zh.txt).
_REPORT_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*(?:/[a-z0-9][a-z0-9.-]*)*$")
_LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


@dataclass(frozen=True)
class IngestResult:
    """What an ingest wrote."""

    report_id: str
    language: str
    report_path: Path
    draft_path: Path
    report: ReportText


def ingest_report(
    path: Path,
    sources_dir: Path,
    gazetteer: Mapping[str, URIRef],
    report_id: str | None = None,
) -> IngestResult:
    """Copy the report at ``path`` into ``sources_dir`` and draft its curated statements.

    The report id defaults to the one its header gives (``eb-2020-2/item-7``), else to the
    file's name.  Raises SourceError, writing nothing, when the file cannot be parsed or the
    report is already in the sources; ValueError when ``report_id`` is not a valid id.
    """
    text = read_report(path)
    report_id = report_id or header_report_id(text.header) or _id_from_name(path)
    if not _REPORT_ID.match(report_id):
        raise ValueError(
            f"report id {report_id!r} must be lower-case segments (letters, digits, '.', '-') "
            "separated by '/', such as 'eb-2020-2/item-7'"
        )
    stem = report_id.replace("/", "_")
    report_path = sources_dir / "report" / f"{stem}.{text.language}.txt"
    draft_path = sources_dir / "curated" / "drafts" / f"{stem}.draft.trig"
    _refuse_existing(path, report_id, sources_dir / "report", draft_path)
    # As the builder records it: relative to the folder holding the sources folder.
    source_label = report_path.resolve().relative_to(sources_dir.resolve().parent).as_posix()
    draft = draft_statements(text, report_id, gazetteer, source_label)
    _check_trig(path, draft)
    for target in (report_path, draft_path):
        _refuse_file_in_the_way(target, sources_dir)
    with writing(sources_dir, "the report and its draft into the sources"):
        write_together({report_path: text.raw, draft_path: draft.encode("utf-8")})
    return IngestResult(report_id, text.language, report_path, draft_path, text)


def draft_statements(
    text: ReportText, report_id: str, gazetteer: Mapping[str, URIRef], source_label: str
) -> str:
    """The draft TriG: one empty block per paragraph, commented with what the parser found."""
    report_iri = report(report_id)
    language = _LANGUAGE_NAMES.get(text.language, text.language)
    lines = [
        f"# Draft of the curated statements of report {report_id} ({language}),",
        f"# ingested from {source_label} (sha256 {text.sha256}).",
        "#",
        "# One block per paragraph, named by the paragraph's IRI. The comments in a block list",
        "# what the parser found in the paragraph and its sub-paragraphs: dates with the calendar",
        "# span they denote, UN document symbols, resolutions and decisions, and the entities of",
        "# the gazetteer it mentions. Write the statements each paragraph makes inside its block,",
        "# do every TODO, then move this file to curated/ for the builder to read.",
        "",
        *(f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items()),
        f"@prefix rep: <{report_iri}/> .",
    ]
    matcher = compile_gazetteer(gazetteer)
    for part in text.paragraphs:
        lines.append("")
        lines.extend(_paragraph_block(text, report_iri, part, matcher))
    return "\n".join(lines) + "\n"


def _paragraph_block(
    text: ReportText, report_iri: URIRef, part: Paragraph, matcher: Gazetteer[URIRef]
) -> list[str]:
    iri = paragraph(report_iri, part.number)
    block = [f"# Paragraph {part.number} (line {part.line})", f"GRAPH <{iri}> {{"]
    passages = [("", part.text), *((f"({s.label}) ", s.text) for s in part.subparagraphs)]
    for prefix, passage in passages:
        block.append(_comment(f"text: {prefix}{passage}"))
        found = analyse(passage, text.language, text.year, matcher)
        block.extend(_comment(f"{prefix}{finding}") for finding in _describe(found))
    block.append(
        "    # TODO: state what this paragraph says (who does what, with whom, for which"
        " resolution, where and when), using the IRIs above, and delete these comments."
    )
    block.append("}")
    return block


def _describe(found: Findings[URIRef]) -> list[str]:
    """One line per finding, in the order the draft lists them."""
    lines = []
    for date in found.dates:
        inferred = " (year taken from the context)" if date.year_inferred else ""
        lines.append(f"date: «{date.text}» {date.precision} {date.interval}{inferred}")
    for symbol in found.symbols:
        lines.append(f"document: {symbol} <{document(symbol)}>")
    for kind, organ, number in found.acts:
        act = resolution(organ, number) if kind == "resolution" else decision(organ, number)
        lines.append(f"{kind}: {number} ({organ}) <{act}>")
    forms: dict[URIRef, list[str]] = {}
    for mention in found.mentions:
        forms.setdefault(mention.entity, [])
        if mention.text not in forms[mention.entity]:
            forms[mention.entity].append(mention.text)
    for entity, names in forms.items():
        lines.append(f"mentions: {' / '.join(names)} <{entity}>")
    return lines


def _comment(text: str) -> str:
    """A TriG comment line: line breaks inside would end the comment, so they become spaces."""
    return "    # " + re.sub(r"[\r\n\u2028\u2029]+", " ", text)


def _id_from_name(path: Path) -> str:
    """``Some Report.en.txt`` → ``some-report`` (no "_", which file names reserve for "/")."""
    return slug(path.name.split(".", 1)[0]).replace("_", "-")


def _refuse_existing(path: Path, report_id: str, report_dir: Path, draft_path: Path) -> None:
    """A report id names one report: a second text for it (in any language) is refused."""
    if report_dir.is_dir():
        for existing in sorted(report_dir.glob("*.txt")):
            if existing.name.split(".", 1)[0].replace("_", "/") == report_id:
                raise SourceError(path, None, f"report {report_id} is already in {existing}")
    if draft_path.exists():
        raise SourceError(path, None, f"a draft for report {report_id} exists: {draft_path}")


def _refuse_file_in_the_way(target: Path, sources_dir: Path) -> None:
    """Every folder between the sources and ``target`` must be a folder or not yet exist."""
    for folder in [target.parent, *target.parent.parents]:
        if folder.exists() and not folder.is_dir():
            raise TargetError(folder, f"a file is in the way: ingest writes {target.name} here")
        if folder == sources_dir:
            return


def _check_trig(path: Path, draft: str) -> None:
    """The draft must parse, or the analyst would start from a broken file.

    Oxigraph's parser is strict W3C TriG (and, unlike rdflib 7.6, parses TriG without
    deprecation warnings); a failure here is a bug in the draft writer, reported on the input.
    """
    try:
        for _ in pyoxigraph.parse(draft, format=pyoxigraph.RdfFormat.TRIG):
            pass
    except SyntaxError as error:
        raise SourceError(path, None, f"the draft would not be valid TriG: {error}") from None


def write_together(files: Mapping[Path, bytes]) -> None:
    """Write every file or none: temporary files first, renamed into place at the end."""
    created_dirs: list[Path] = []
    temporaries: dict[Path, Path] = {}
    placed: list[Path] = []
    try:
        for target, data in files.items():
            _make_dirs(target.parent, created_dirs)
            temporaries[target] = _write_temporary(target, data)
        for target, temporary in temporaries.items():
            os.replace(temporary, target)
            placed.append(target)
    except BaseException:
        for leftover in [*temporaries.values(), *placed]:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        for folder in reversed(created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _make_dirs(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, noting each in ``created`` as it is made."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new in reversed(missing):
        new.mkdir()
        created.append(new)


def _write_temporary(target: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)  # mkstemp makes 0600; sources are ordinary readable files
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
