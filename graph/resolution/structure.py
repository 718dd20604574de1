"""Reading the text of a resolution or decision in the UN's form, in Chinese or English.

    [header: symbol, organ, session, dates and place — as a report's, read by graph/parse]
    Resolution 3/4: Localizing climate action …      第3/9号决议：城市数字化转型……
    The United Nations Habitat Assembly,              联合国人居大会，
    Recalling its resolution 2/2 …                    回顾其关于……的第2/4号决议，   (preamble)
    1. Requests the Executive Director …              1. 请执行主任……                (operative)
    (a) To establish …                                (a) 建立……

Every preambular line is one paragraph; a line that is neither a numbered paragraph nor a
lettered sub-paragraph after the first operative paragraph continues the passage before it (a
page break), joined with a space in English and without one in Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path

from habitat_kg.errors import SourceError, source_text
from habitat_kg.graph.parse.header import parse_header
from habitat_kg.graph.parse.reader import detect_language
from habitat_kg.graph.parse.structure import PARAGRAPH, SUBPARAGRAPH
from habitat_kg.graph.resolution.model import OperativeText, Preamble, ResolutionText

_NUMBER = r"(?P<number>\d{1,4}\s*/\s*\d{1,3})"
TITLE_EN = re.compile(
    r"^(?P<kind>Resolution|Decision)\s+" + _NUMBER + r"\s*[:：.]\s*(?P<title>\S.*)$", re.IGNORECASE
)
TITLE_ZH = re.compile(r"^第\s*" + _NUMBER + r"\s*号(?P<kind>决议|决定)\s*[:：]\s*(?P<title>\S.*)$")
_KINDS = {
    "resolution": "resolution",
    "decision": "decision",
    "决议": "resolution",
    "决定": "decision",
}
# "The United Nations Habitat Assembly," / "联合国人居大会，": who speaks in the text.
ORGAN_LINE = re.compile(
    r"^(?:The\s+)?(?:(?P<ha>(?:United\s+Nations\s+Habitat|UN-Habitat)\s+Assembly|"
    r"(?:联合国)?人居大会)|(?P<eb>Executive\s+Board|执行局))\s*[,，]?$",
    re.IGNORECASE,
)
_TITLE_HINT = "a title such as 'Resolution 3/4: …', 'Decision 2024/1: …' or '第3/6号决议：…'"

#: A source line: its 1-based number and its text (stripped).
Line = tuple[int, str]


def read_resolution(path: Path | str) -> ResolutionText:
    """The resolution or decision at ``path``; a file that is not one is a SourceError naming
    the file, the line where it can be seen and what is missing."""
    path = Path(path)
    if path.is_dir():
        raise SourceError(path, None, "is a directory, not the text of a resolution or decision")
    text = source_text(path).removeprefix("\ufeff")
    if not text.strip():
        raise SourceError(path, None, "the file is empty: no resolution or decision here")
    language = detect_language(text)
    lines = [(number, raw.strip()) for number, raw in enumerate(text.split("\n"), start=1)]
    title_at, title = _title(path, lines)
    header = parse_header(lines[:title_at], language)
    kind = _KINDS[title["kind"].lower()]
    number = re.sub(r"\s+", "", title["number"])
    organ = header.organ
    preamble, operative = _body(path, lines[title_at + 1 :], language, lines[title_at][0])
    body_organ = _organ_line(lines[title_at + 1 :])
    organ = organ or body_organ
    return ResolutionText(
        path=path,
        language=language,
        kind=kind,
        number=number,
        title=title["title"].strip(),
        title_line=lines[title_at][0],
        organ=organ,
        session=_session(organ, header.session_number, header.session_year),
        symbol=header.symbol,
        preamble=preamble,
        operative=operative,
    )


def _title(path: Path, lines: list[Line]) -> tuple[int, re.Match[str]]:
    for index, (number, text) in enumerate(lines):
        match = TITLE_ZH.match(text) or TITLE_EN.match(text)
        if match is not None:
            return index, match
        if PARAGRAPH.match(text):
            problem = f"not a resolution or decision: a numbered paragraph before {_TITLE_HINT}"
            raise SourceError(path, number, problem)
    raise SourceError(path, None, f"not a resolution or decision: no {_TITLE_HINT}")


def _organ_line(lines: list[Line]) -> str | None:
    for _, text in lines:
        if not text:
            continue
        match = ORGAN_LINE.match(text)
        if match is None:
            return None
        return "ha" if match["ha"] else "eb"
    return None


def _session(organ: str | None, number: int | None, year: int | None) -> str | None:
    """``3`` for the Assembly's third session, ``2024/1`` for the Board's first of 2024."""
    if number is None:
        return None
    if organ == "eb" and year is not None:
        return f"{year}/{number}"
    return str(number)


def _body(
    path: Path, lines: list[Line], language: str, title_line: int
) -> tuple[tuple[Preamble, ...], tuple[OperativeText, ...]]:
    separator = "" if language == "zh" else " "
    preamble: list[Preamble] = []
    paragraphs: list[dict] = []
    last: dict | None = None
    for number, text in lines:
        if not text:
            continue
        if (match := PARAGRAPH.match(text)) is not None:
            expected = len(paragraphs) + 1
            if int(match["number"]) != expected:
                problem = (
                    f"operative paragraph {match['number']} where {expected} was expected "
                    "(a lost, repeated or misnumbered line)"
                )
                raise SourceError(path, number, problem)
            last = {"number": expected, "label": "", "text": match["text"], "lines": [number]}
            last["subs"] = []
            paragraphs.append(last)
        elif paragraphs and (match := SUBPARAGRAPH.match(text)) is not None:
            owner = paragraphs[-1]
            if any(sub["label"] == match["label"] for sub in owner["subs"]):
                problem = f"sub-paragraph ({match['label']}) of paragraph {owner['number']} repeats"
                raise SourceError(path, number, problem)
            last = {"number": owner["number"], "label": match["label"], "text": match["text"]}
            last["lines"] = [number]
            owner["subs"].append(last)
        elif last is not None:
            last["text"] = separator.join(part for part in (last["text"], text) if part)
            last["lines"].append(number)
        elif not ORGAN_LINE.match(text):
            preamble.append(Preamble(text, number))
    if not paragraphs:
        problem = "no numbered operative paragraphs ('1. Requests …' / '1. 请……') after the title"
        raise SourceError(path, title_line, problem)
    return tuple(preamble), tuple(_frozen(p) for p in paragraphs)


def _frozen(draft: dict) -> OperativeText:
    subs = tuple(_frozen({**sub, "subs": []}) for sub in draft["subs"])
    lines = tuple(draft["lines"])
    return OperativeText(draft["number"], draft["label"], draft["text"], lines[0], lines, subs)
