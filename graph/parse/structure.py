"""The body of a report: section headings, numbered paragraphs, sub-paragraphs, footnotes.

Each non-blank line is one of: a section heading, a numbered paragraph, a sub-paragraph, a
footnote, or a continuation.  Continuations arise where the source was cut at a page break
(paragraph 18 of the Chinese report resumes two lines further down); they are joined to the
passage they continue, without a separator in Chinese and with one space in English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from habitat_kg.errors import SourceError
from habitat_kg.graph.parse.model import Footnote, Paragraph, Passage, Section, SubParagraph
from habitat_kg.graph.parse.numerals import chinese_numeral, roman_numeral

#: A source line: its 1-based number and its text (stripped).
Line = tuple[int, str]

HEADING_ZH = re.compile(r"^(?P<number>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>\S.*)$")
HEADING_EN = re.compile(r"^(?P<number>[IVXLC]{1,8})\.\s+(?P<title>\S.*)$")
PARAGRAPH = re.compile(r"^(?P<number>\d{1,3})\.(?!\d)\s*(?P<text>.*)$")
SUBPARAGRAPH = re.compile(r"^(?:[-–—•·]\s*)?[(（](?P<label>[a-z]{1,4})[)）]\s*(?P<text>\S.*)$")
FOOTNOTE_SYMBOL = re.compile(r"^(?P<marker>\*{1,3}|[†‡§])\s*(?P<text>\S.*)$")
# Footnotes numbered 1, 2, … have no dot, unlike paragraphs; see _footnote_match.
FOOTNOTE_NUMBER = re.compile(r"^(?P<marker>\d{1,2})\s+(?P<text>\S.*)$")
# A footnote ending a sentence is complete: a line after it resumes the interrupted passage.
_SENTENCE_END = ("。", ".", "．", "!", "！", "?", "？", "；", ";")


@dataclass
class DraftPassage:
    """A passage being assembled; frozen into the model's dataclasses once the body is read."""

    kind: str
    number: int
    line: int
    text: str
    label: str = ""
    heading: str = ""
    paragraph: int = 0
    section: int | None = None
    lines: list[int] = field(default_factory=list)

    def append(self, text: str, line: int, separator: str) -> None:
        self.text = separator.join(part for part in (self.text, text) if part)
        if self.kind == "section":
            self.heading = separator.join((self.heading, text))
        self.lines.append(line)


@dataclass
class Body:
    """The body as parsed; footnote carriers are resolved by the caller, who knows the header."""

    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    footnotes: list[DraftPassage]


def is_body_start(text: str) -> bool:
    """Whether a line opens the body: a section heading or a numbered paragraph."""
    return bool(_heading_match(text) or PARAGRAPH.match(text))


class _BodyReader:
    def __init__(self, path: Path, language: str) -> None:
        self.path = path
        self.separator = "" if language == "zh" else " "
        self.sections: list[DraftPassage] = []
        self.paragraphs: list[DraftPassage] = []
        self.subparagraphs: list[DraftPassage] = []
        self.footnotes: list[DraftPassage] = []
        self.last: DraftPassage | None = None  # the passage a continuation line would extend
        self.last_body: DraftPassage | None = None  # the same, footnotes excepted

    def read(self, lines: list[Line]) -> None:
        for number, text in lines:
            if text:
                self._line(number, text)

    def _line(self, number: int, text: str) -> None:
        if (match := _heading_match(text)) is not None:
            self._section(number, match)
        elif (match := PARAGRAPH.match(text)) is not None:
            self._paragraph(number, int(match["number"]), match["text"])
        elif (match := SUBPARAGRAPH.match(text)) is not None:
            self._subparagraph(number, match["label"], match["text"])
        elif (match := self._footnote_match(text)) is not None:
            self._footnote(number, match["marker"], match["text"])
        else:
            self._continuation(number, text)

    def _section(self, line: int, match: re.Match[str]) -> None:
        number = _heading_number(match["number"])
        previous = self.sections[-1].number if self.sections else 0
        _check_sequence(self.path, line, "section", number, previous)
        draft = DraftPassage(
            "section", number, line, match["title"], heading=match.group(0), lines=[line]
        )
        self.sections.append(draft)
        self._remember(draft)

    def _paragraph(self, line: int, number: int, text: str) -> None:
        previous = self.paragraphs[-1].number if self.paragraphs else 0
        _check_sequence(self.path, line, "paragraph", number, previous)
        section = self.sections[-1].number if self.sections else None
        draft = DraftPassage("paragraph", number, line, text, section=section, lines=[line])
        self.paragraphs.append(draft)
        self._remember(draft)

    def _subparagraph(self, line: int, label: str, text: str) -> None:
        owner = self.paragraphs[-1] if self.paragraphs else None
        if owner is None or (self.sections and self.sections[-1].line > owner.line):
            raise SourceError(self.path, line, f"sub-paragraph ({label}) follows no paragraph")
        if any(s.paragraph == owner.number and s.label == label for s in self.subparagraphs):
            raise SourceError(
                self.path, line, f"sub-paragraph ({label}) of paragraph {owner.number} repeats"
            )
        draft = DraftPassage(
            "subparagraph",
            owner.number,
            line,
            text,
            label=label,
            paragraph=owner.number,
            lines=[line],
        )
        self.subparagraphs.append(draft)
        self._remember(draft)

    def _footnote(self, line: int, marker: str, text: str) -> None:
        draft = DraftPassage(
            "footnote", len(self.footnotes) + 1, line, text, label=marker, lines=[line]
        )
        self.footnotes.append(draft)
        self._remember(draft, body=False)

    def _footnote_match(self, text: str) -> re.Match[str] | None:
        """``* HSP/EB.2020/19。``, or ``3 See …`` when 3 is the next numbered footnote.

        A line starting with a bare number could also be a continuation that happens to begin
        with one ("10 Member States …"), so a numbered footnote is accepted only in sequence.
        """
        if (match := FOOTNOTE_SYMBOL.match(text)) is not None:
            return match
        match = FOOTNOTE_NUMBER.match(text)
        numbered = sum(1 for f in self.footnotes if f.label.isdigit())
        if match is not None and int(match["marker"]) == numbered + 1:
            return match
        return None

    def _continuation(self, line: int, text: str) -> None:
        target = self.last
        if (
            target is not None
            and target.kind == "footnote"
            and target.text.endswith(_SENTENCE_END)
            and self.last_body is not None
        ):
            target = self.last_body
        if target is None:
            raise SourceError(self.path, line, "text outside any heading, paragraph or footnote")
        target.append(text, line, self.separator)

    def _remember(self, draft: DraftPassage, body: bool = True) -> None:
        self.last = draft
        if body:
            self.last_body = draft


def parse_body(path: Path, lines: list[Line], language: str) -> Body:
    """Sections and paragraphs of the body lines; raises SourceError on a numbering fault."""
    reader = _BodyReader(path, language)
    reader.read(lines)
    if not reader.paragraphs:
        raise SourceError(path, None, "no numbered paragraphs found (lines such as '1. …')")
    sections = tuple(
        Section(d.number, d.text, d.heading, d.line, tuple(d.lines)) for d in reader.sections
    )
    paragraphs = tuple(_paragraph(d, reader.subparagraphs) for d in reader.paragraphs)
    return Body(sections, paragraphs, reader.footnotes)


def resolve_footnotes(drafts: list[DraftPassage], passages: list[Passage]) -> tuple[Footnote, ...]:
    """Footnotes with the passage carrying their marker: the nearest one before the footnote."""
    footnotes = []
    for draft in drafts:
        marker = _marker_pattern(draft.label)
        carrier = next(
            (
                passage
                for passage in sorted(passages, key=lambda p: -p.line)
                if passage.line < draft.line
                and not isinstance(passage, Footnote)
                and marker.search(passage.text)
            ),
            None,
        )
        footnotes.append(
            Footnote(
                draft.number,
                draft.label,
                draft.text,
                draft.line,
                carrier.line if carrier else None,
                tuple(draft.lines),
            )
        )
    return tuple(footnotes)


def _marker_pattern(marker: str) -> re.Pattern[str]:
    """Where a marker is used: ``*`` alone (not part of ``**``); a number glued to the word or
    punctuation before it (``Nairobi.1``), but not part of a number or symbol (``1/2``)."""
    if marker.isdigit():
        return re.compile(r"(?<=[^\s\d/\-])" + marker + r"(?![\d/])")
    return re.compile(
        r"(?<!"
        + re.escape(marker[0])
        + ")"
        + re.escape(marker)
        + r"(?!"
        + re.escape(marker[0])
        + ")"
    )


def _paragraph(draft: DraftPassage, subparagraphs: list[DraftPassage]) -> Paragraph:
    children = tuple(
        SubParagraph(s.paragraph, s.label, s.text, s.line, tuple(s.lines))
        for s in subparagraphs
        if s.paragraph == draft.number
    )
    return Paragraph(
        draft.number, draft.text, draft.line, draft.section, children, tuple(draft.lines)
    )


def _heading_match(text: str) -> re.Match[str] | None:
    for regex in (HEADING_ZH, HEADING_EN):
        match = regex.match(text)
        if match is not None:
            try:
                _heading_number(match["number"])
            except ValueError:
                continue
            return match
    return None


def _heading_number(numeral: str) -> int:
    if numeral[0] in "IVXLC":
        return roman_numeral(numeral)
    return chinese_numeral(numeral)


def _check_sequence(path: Path, line: int, kind: str, number: int, previous: int) -> None:
    """Numbers run 1, 2, 3 …: a gap or a repeat means a lost or misread line."""
    if number == previous + 1:
        return
    if previous == 0:
        raise SourceError(path, line, f"the first {kind} is numbered {number}, expected 1")
    if number <= previous:
        problem = f"{kind} {number} repeats or goes back after {kind} {previous}"
    else:
        problem = f"{kind} numbering jumps from {previous} to {number} (expected {previous + 1})"
    raise SourceError(path, line, problem)
