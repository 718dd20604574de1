"""The parts of a progress report as the parser finds them, each with its source line.

Everything here is plain data (frozen dataclasses, tuples) so that a parsed report can be
compared, hashed and handed to the RDF layer without the parser's help.  ``line`` is always the
1-based line of the source file where a part starts; ``lines`` lists every source line a part
was assembled from (a paragraph continued after a page break spans several).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class HeaderLine:
    """A line (or a block of lines joined together) of the report's header."""

    text: str
    line: int
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Header:
    """What precedes the first section heading: the document's identification."""

    lines: tuple[HeaderLine, ...]
    governing_body: HeaderLine | None = None
    session: HeaderLine | None = None
    date_place: HeaderLine | None = None
    agenda: HeaderLine | None = None
    agenda_item: str | None = None
    agenda_marker: str | None = None
    agenda_title: HeaderLine | None = None
    title: HeaderLine | None = None
    byline: HeaderLine | None = None
    place: str | None = None
    session_year: int | None = None
    session_number: int | None = None
    organ: str | None = None
    year: int | None = None
    #: The document's own symbol (``HSP/EB.2022/5``) when the header gives it on a line alone.
    symbol: str | None = None


@dataclass(frozen=True)
class Section:
    """A numbered section heading (``三、关于……第 1/3 号决议`` / ``II. Resolution 1/2 on …``)."""

    number: int
    title: str
    heading: str
    line: int
    lines: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        """The heading without its numeral: what dates, references and names are sought in."""
        return self.title


@dataclass(frozen=True)
class SubParagraph:
    """A lettered item ``(a)`` of a numbered paragraph."""

    paragraph: int
    label: str
    text: str
    line: int
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """A numbered paragraph; ``text`` excludes the number and its sub-paragraphs."""

    number: int
    text: str
    line: int
    section: int | None
    subparagraphs: tuple[SubParagraph, ...] = ()
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Footnote:
    """A footnote; ``carrier_line`` is where the passage carrying its marker starts."""

    number: int
    marker: str
    text: str
    line: int
    carrier_line: int | None
    lines: tuple[int, ...] = ()


#: Any part of a report that has text of its own.
Passage = HeaderLine | Section | Paragraph | SubParagraph | Footnote


@dataclass(frozen=True)
class ReportText:
    """A parsed report: its header, sections, paragraphs and footnotes, in source order."""

    path: Path
    language: str
    header: Header
    sections: tuple[Section, ...]
    paragraphs: tuple[Paragraph, ...]
    footnotes: tuple[Footnote, ...]
    sha256: str
    raw: bytes = field(repr=False, compare=False, default=b"")

    @property
    def year(self) -> int | None:
        """The report's year: of its session, else of the meeting dates in the header."""
        return self.header.year

    def passages(self) -> Iterator[Passage]:
        """Every part with text, in source order (header lines first, then the body)."""
        body: list[Passage] = [*self.sections, *self.footnotes]
        for paragraph in self.paragraphs:
            body.append(paragraph)
            body.extend(paragraph.subparagraphs)
        yield from self.header.lines
        yield from sorted(body, key=lambda passage: passage.line)

    def passage_at(self, line: int) -> Passage | None:
        """The part whose source lines include ``line``."""
        for passage in self.passages():
            if line == passage.line or line in passage.lines:
                return passage
        return None

    def paragraph(self, number: int) -> Paragraph:
        """The paragraph numbered ``number`` (KeyError if there is none)."""
        for paragraph in self.paragraphs:
            if paragraph.number == number:
                return paragraph
        raise KeyError(number)

    def section(self, number: int) -> Section:
        """The section numbered ``number`` (KeyError if there is none)."""
        for section in self.sections:
            if section.number == number:
                return section
        raise KeyError(number)
