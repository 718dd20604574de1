"""Checks on a report before it is ingested: what would make its proposals worthless.

The parser already refuses a file with no numbered paragraphs or with gaps in their numbering.
Here: a file too large to be a report (read before anything else), a paragraph in another
language than the report's (two reports in one file, or a translation pasted in), and a
paragraph of OCR noise (stray symbols, replacement characters). Each refusal names the file and
the line. A paragraph that names nothing known is not refused: the analyst may add what it says
by hand. ``quiet_paragraphs`` lists them for the command to say so.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

from habitat_kg.errors import SourceError
from habitat_kg.graph.extract.proposal import Proposal
from habitat_kg.graph.parse import Paragraph, ReportText, detect_language
from habitat_kg.graph.review.model import paragraph_of

_LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}
#: Fewer letters than this and a paragraph's language is not judged (a list of symbols, a date).
_JUDGED_LETTERS = 40
#: Share of a paragraph's characters that may be stray symbols before it is called OCR noise.
_NOISE_SHARE = 0.12
_NOISE_LETTERS = 20
#: Punctuation and symbols that reports write; anything else of the symbol classes is stray.
_EXPECTED = set("\"'()[]{}.,;:!?-–—/%&*+=#@$€£¥§°“”‘’«»…·、，。；：！？（）《》〈〉【】「」『』～")
_LINKS = frozenset({"unit", "partner", "place", "resolution", "document"})


def check_size(path: Path, limit_mb: float) -> None:
    """A report larger than ``limit_mb`` MiB is refused before it is read."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader says what is wrong with a file it cannot open
    if limit_mb > 0 and size > limit_mb * 1024 * 1024:
        raise SourceError(
            path,
            None,
            f"{size / 1024 / 1024:.1f} MiB is larger than a report may be ({limit_mb:g} MiB, "
            "setting max-report-mb)",
        )


def check_text(text: ReportText) -> None:
    """Refuse a report with a paragraph in another language, or one of OCR noise."""
    languages: list[tuple[str, int, int]] = []  # (language, line, paragraph number)
    for paragraph in text.paragraphs:
        for part, line in _parts(paragraph):
            _check_noise(text, part, line, paragraph.number)
            if sum(1 for char in part if char.isalpha()) >= _JUDGED_LETTERS:
                languages.append((detect_language(part), line, paragraph.number))
    _check_languages(text, languages)


def _parts(paragraph: Paragraph) -> list[tuple[str, int]]:
    return [(paragraph.text, paragraph.line)] + [
        (sub.text, sub.line) for sub in paragraph.subparagraphs
    ]


def _check_languages(text: ReportText, languages: list[tuple[str, int, int]]) -> None:
    """The language of most paragraphs (on a tie, the first one's) is the report's."""
    if not languages:
        return
    counts = Counter(language for language, _, _ in languages)
    main = max(counts, key=lambda language: (counts[language], language == languages[0][0]))
    for language, line, number in languages:
        if language != main:
            found, expected = (_LANGUAGE_NAMES.get(x, x) for x in (language, main))
            raise SourceError(
                text.path,
                line,
                f"paragraph {number} is in {found} but the report's other paragraphs are in "
                f"{expected}: ingest one language per file (split the file, or remove the "
                "other language's text)",
            )


def _check_noise(text: ReportText, part: str, line: int, number: int) -> None:
    visible = [char for char in part if not char.isspace()]
    if len(visible) < _NOISE_LETTERS:
        return
    stray = [char for char in visible if _stray(char)]
    share = len(stray) / len(visible)
    if share > _NOISE_SHARE or "\ufffd" in part:
        shown = "".join(sorted(set(stray)))[:12]
        raise SourceError(
            text.path,
            line,
            f"paragraph {number} looks like OCR noise ({share:.0%} of its characters are stray "
            f"symbols such as {shown!r}): correct the text before ingesting it",
        )


def _stray(char: str) -> bool:
    if char == "\ufffd":
        return True
    category = unicodedata.category(char)
    if category[0] in "LN" or char in _EXPECTED:
        return False
    return category[0] in "PSC"


def quiet_paragraphs(text: ReportText, proposals: list[Proposal]) -> list[Paragraph]:
    """Paragraphs in whose words nothing known was recognised: no link to a unit, partner,
    place, resolution or document was proposed from them."""
    # Words of the paragraph, not its section heading (which gives every paragraph a mandate).
    linked = {paragraph_of(p.passage) for p in proposals if p.kind in _LINKS and p.span}
    quiet = []
    for paragraph in text.paragraphs:
        if not any(str(iri).endswith(f"/paragraph/{paragraph.number}") for iri in linked):
            quiet.append(paragraph)
    return quiet
