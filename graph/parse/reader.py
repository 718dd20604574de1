"""Reading a report file: checks on the file itself, then header and body."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from habitat_kg.errors import SourceError
from habitat_kg.graph.parse.header import parse_header
from habitat_kg.graph.parse.model import ReportText
from habitat_kg.graph.parse.structure import is_body_start, parse_body, resolve_footnotes

_CJK_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def read_report(path: Path | str) -> ReportText:
    """Parse the report at ``path``; any problem is a SourceError naming the file and line."""
    path = Path(path)
    data = _read_bytes(path)
    text = _decode(path, data)
    if not text.strip():
        problem = "the file is empty" if not text else "the file contains only whitespace"
        raise SourceError(path, None, problem)
    language = detect_language(text)
    # Split on line feeds only: str.splitlines would also split on form feeds and other
    # separators, and line numbers must agree with what an editor shows.
    lines = [(number, raw.strip()) for number, raw in enumerate(text.split("\n"), start=1)]
    body_at = next((i for i, (_, t) in enumerate(lines) if is_body_start(t)), len(lines))
    header = parse_header(lines[:body_at], language)
    body = parse_body(path, lines[body_at:], language)
    passages = [*header.lines, *body.sections]
    for paragraph in body.paragraphs:
        passages.extend((paragraph, *paragraph.subparagraphs))
    return ReportText(
        path=path,
        language=language,
        header=header,
        sections=body.sections,
        paragraphs=body.paragraphs,
        footnotes=resolve_footnotes(body.footnotes, passages),
        sha256=hashlib.sha256(data).hexdigest(),
        raw=data,
    )


def detect_language(text: str) -> str:
    """The language of ``text``: "zh" when Chinese characters outnumber Latin words, else "en".

    Characters are weighed against words, not letters: a Chinese word is one or two characters,
    and Chinese reports quote Latin names and symbols (COVID-19, HSP/EB.2020/19) that would
    otherwise weigh five times their share.
    """
    ideographs = len(_CJK_IDEOGRAPH.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return "zh" if ideographs > words else "en"


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise SourceError(path, None, "is a directory, not a report file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(path, None, "no such file") from None
    except OSError as error:
        raise SourceError(path, None, f"cannot be read: {error.strerror or error}") from None


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 text (a byte-order mark is tolerated and dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        offset = error.start
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        problem = (
            f"not UTF-8: byte 0x{data[offset]:02x} at byte offset {offset} "
            f"(line {line}, byte {column} of the line) cannot be decoded; save the file as UTF-8"
        )
        raise SourceError(path, line, problem) from None
