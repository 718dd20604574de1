"""The header of a report: governing body, session, dates and place, agenda item, titles.

UN documents open with a fixed sequence of lines, which the parser recognises by shape rather
than by position, so that a missing line leaves a field empty instead of shifting the others:

    联合国人类住区规划署执行局                Executive Board of the United Nations …
    2020年第二次会议                          Second session of 2021
    2020年10月27日至29日，在线                Nairobi, 9–11 November 2021
    临时议程*项目7                            Item 5 of the provisional agenda*
    人居大会第一届会议所通过决议和决定的       Progress in the implementation of …
    执行情况                                   (agenda item title, then the report title)
    执行主任的报告                            Report of the Executive Director

After the agenda line, blocks separated by blank lines are joined into one text each: the first
is the agenda item's title, the last before the byline is the report's title.

Lines that describe the document rather than the meeting (an editorial marker in brackets, the
document's symbol alone on its line, "Distr.: General", the date of issue, "Original: English")
may come before the governing body; they are set aside so that none is taken for it.
"""

from __future__ import annotations

import re

from habitat_kg.graph.parse.dates import TemporalExpression, find_dates
from habitat_kg.graph.parse.model import Header, HeaderLine
from habitat_kg.graph.parse.numerals import CHINESE_NUMERAL_CHARS, chinese_numeral, english_ordinal
from habitat_kg.graph.parse.references import SYMBOL_PATTERN
from habitat_kg.namespaces import slug

#: A source line: its 1-based number and its text (stripped).
Line = tuple[int, str]

_AGENDA = (
    re.compile(
        r"^(?:临时)?议程\s*(?P<marker>[*†‡]*)\s*项目\s*(?P<item>\d+(?:\s*\([a-z]\))?)"
        r"\s*(?P<marker2>[*†‡]*)$"
    ),
    re.compile(
        r"^Item\s+(?P<item>\d+(?:\s*\([a-z]\))?)\s+of\s+the\s+(?:provisional\s+)?agenda"
        r"\s*(?P<marker>[*†‡]*)$"
    ),
)
_NUMERAL = "[" + CHINESE_NUMERAL_CHARS + r"\d]+"
_SESSION = (
    re.compile(
        r"^(?P<year>\d{4})\s*年\s*第\s*(?P<zh>" + _NUMERAL + r")\s*次(?:常会|会议|特别会议|届会)"
    ),
    re.compile(r"第\s*(?P<zh>" + _NUMERAL + r")\s*届(?:续会)?会议"),
    re.compile(
        r"^(?P<en>[A-Z][a-z]+)\s+(?:resumed\s+|special\s+)?session(?:\s+of\s+(?P<year>\d{4}))?\b"
    ),
)
_BYLINE = re.compile(r"(?:的报告|的说明)$|^(?:Report|Note)\s+(?:of|by)\s+the\b")
# The Executive Board is named before the Assembly: "人居大会" also appears in agenda titles.
_ORGANS = (
    ("eb", re.compile(r"执行局|Executive\s+Board")),
    ("ha", re.compile(r"人居大会|Habitat\s+Assembly")),
)
_PLACE_SEPARATORS = " \t,，、;；"
# Lines about the document itself, which UN documents print above the governing body.
_DOCUMENT_NOTE = re.compile(
    r"^(?:[\[【].*[\]】]"  # an editorial marker: [TEXT WRITTEN FOR TESTING - not a UN document]
    r"|Distr\.?\s*[:：].*|Original\s*[:：].*|原文\s*[:：].*|Advance\s+unedited.*"
    r"|(?:Arabic|Chinese|English|French|Russian|Spanish|阿拉伯文|中文|英文|法文|俄文|西班牙文)"
    r"(?:\s+only)?)$",
    re.IGNORECASE,
)
_SYMBOL_LINE = re.compile(r"^(?P<symbol>" + SYMBOL_PATTERN.pattern + r")\s*[*†‡]*$")
_SYMBOL_ORGANS = (("eb", re.compile(r"^HSP/EB\.")), ("ha", re.compile(r"^HSP/HA\.")))
_ID_HINT = "give the report's id with --id (such as eb-2022-1/item-6)"


def parse_header(lines: list[Line], language: str) -> Header:
    """The header fields found in the lines before the body (blank lines included)."""
    nonblank = [(number, text) for number, text in lines if text]
    agenda_at = next(
        (i for i, (_, text) in enumerate(nonblank) if _agenda_match(text) is not None),
        len(nonblank),
    )
    before = [HeaderLine(text, number, (number,)) for number, text in nonblank[:agenda_at]]
    agenda = None
    if agenda_at < len(nonblank):
        number, text = nonblank[agenda_at]
        agenda = HeaderLine(text, number, (number,))
    after_agenda = [line for line in lines if agenda is None or line[0] > agenda.line]
    blocks = _blocks(after_agenda if agenda is not None else [], language)
    byline = blocks.pop() if blocks and _BYLINE.search(blocks[-1].text) else None
    fields = {
        **_identification(before, language),
        "symbol": next((m["symbol"] for m in map(_symbol_match, before) if m), None),
        **_agenda_fields(agenda),
        "agenda_title": blocks[0] if blocks else None,
        "title": blocks[-1] if blocks else None,
        "byline": byline,
    }
    every_line = [*before, *([agenda] if agenda else []), *blocks, *([byline] if byline else [])]
    return Header(lines=tuple(every_line), **fields)


def header_report_id(header: Header) -> str | None:
    """The project's identifier for a report: ``eb-2020-2/item-7`` (Executive Board, second
    session of 2020, agenda item 7) or ``ha-2/item-5`` (Assembly sessions have no year);
    None when the header does not say which body, session and item (``header_problem`` says
    which line could not be read)."""
    if header.organ is None or header.session_number is None or header.agenda_item is None:
        return None
    item = slug(header.agenda_item)
    if header.organ == "ha":
        return f"ha-{header.session_number}/item-{item}"
    # The Board numbers its sessions within a year: "First session", held in March 2022.
    year = header.session_year or header.year
    if year is None:
        return None
    return f"{header.organ}-{year}-{header.session_number}/item-{item}"


def header_problem(header: Header) -> tuple[int, str] | None:
    """Why the header gives no report id: (line number, what could not be read there), or None
    when ``header_report_id`` gives one. The line is the one where the missing field was
    expected: the unread line in its place, else the last line read."""
    if header_report_id(header) is not None:
        return None
    first = header.lines[0].line if header.lines else 1
    agenda_line = header.agenda.line if header.agenda else None
    before = [line for line in header.lines if agenda_line is None or line.line < agenda_line]
    fields = (header.governing_body, header.session, header.date_place)
    known = [line for line in fields if line is not None]
    unread = [line for line in before if line not in known and not _is_document_note(line.text)]
    if header.organ is None:
        if header.governing_body is None:
            return first, f"no line of the header names the governing body; {_ID_HINT}"
        body = header.governing_body
        return body.line, (
            f"cannot tell the governing body from {body.text!r}: expected the Executive Board "
            f"(执行局) or the UN-Habitat Assembly (人居大会); {_ID_HINT}"
        )
    if header.session_number is None:
        line = unread[0] if unread else max(known, key=lambda k: k.line, default=None)
        return (line.line if line else first), (
            "no session line such as 'Second session of 2022' or '2022年第二次会议'"
            + (f" (found {line.text!r})" if line in unread else "")
            + f"; {_ID_HINT}"
        )
    if header.agenda_item is None:
        last_read = max((k.line for k in known), default=0)
        after = [line for line in unread if line.line > last_read]
        line = after[0] if after else (before[-1] if before else None)
        found = f"{line.text!r} is not" if line in after else "no line is"
        return (line.line if line else first), (
            f"{found} an agenda item line such as 'Item 5 of the provisional agenda' or "
            f"'临时议程项目7'; {_ID_HINT}"
        )
    session = header.session
    return (session.line if session else first), (
        f"the session line gives no year and the header gives no meeting dates; {_ID_HINT}"
    )


def _agenda_match(text: str) -> re.Match[str] | None:
    for regex in _AGENDA:
        match = regex.match(text)
        if match is not None:
            return match
    return None


def _agenda_fields(agenda: HeaderLine | None) -> dict[str, object]:
    if agenda is None:
        return {"agenda": None, "agenda_item": None, "agenda_marker": None}
    match = _agenda_match(agenda.text)
    assert match is not None  # the line was chosen because it matched
    item = re.sub(r"\s+", "", match["item"])
    marker = match["marker"] or match.groupdict().get("marker2") or None
    return {"agenda": agenda, "agenda_item": item, "agenda_marker": marker}


def _identification(before: list[HeaderLine], language: str) -> dict[str, object]:
    """Governing body, session and date/place among the lines before the agenda line."""
    about_meeting = [line for line in before if not _is_document_note(line.text)]
    session = next((line for line in about_meeting if _session_match(line.text)), None)
    dated = [
        line
        for line in about_meeting
        if line is not session and _meeting_dates(line.text, language)
    ]
    # A date of issue ("2 August 2022") comes before the meeting's dates and place.
    date_place = dated[-1] if dated else None
    others = [line for line in about_meeting if line is not session and line not in dated]
    named = (line for line in others if any(regex.search(line.text) for _, regex in _ORGANS))
    body = next(named, others[0] if others else None)
    session_number, session_year = _session_numbers(session)
    year = session_year
    if year is None and date_place is not None:
        year = _meeting_dates(date_place.text, language)[0].start.year
    organ = _organ(body, session)
    if organ is None:
        symbols = (m["symbol"] for m in map(_symbol_match, before) if m)
        organ = next((o for s in symbols for o, regex in _SYMBOL_ORGANS if regex.match(s)), None)
    return {
        "governing_body": body,
        "session": session,
        "date_place": date_place,
        "place": _place(date_place, language),
        "session_year": session_year,
        "session_number": session_number,
        "organ": organ,
        "year": year,
    }


def _symbol_match(line: HeaderLine) -> re.Match[str] | None:
    return _SYMBOL_LINE.match(line.text)


def _is_document_note(text: str) -> bool:
    """A line about the document, not the meeting: marker, symbol, distribution, language."""
    return bool(_DOCUMENT_NOTE.match(text) or _SYMBOL_LINE.match(text))


def _session_match(text: str) -> re.Match[str] | None:
    for regex in _SESSION:
        match = regex.search(text)
        if match is not None and (not match.groupdict().get("en") or _is_ordinal(match["en"])):
            return match
    return None


def _is_ordinal(word: str) -> bool:
    try:
        english_ordinal(word)
    except ValueError:
        return False
    return True


def _session_numbers(session: HeaderLine | None) -> tuple[int | None, int | None]:
    """(number of the session, its year) — the Assembly numbers sessions without a year."""
    if session is None:
        return None, None
    match = _session_match(session.text)
    assert match is not None
    groups = match.groupdict()
    number = chinese_numeral(groups["zh"]) if groups.get("zh") else english_ordinal(groups["en"])
    year = int(groups["year"]) if groups.get("year") else None
    return number, year


def _meeting_dates(text: str, language: str) -> list[TemporalExpression]:
    """Day-precise dates on a line: what distinguishes the date/place line."""
    return [d for d in find_dates(text, language=language) if d.precision in ("day", "day-range")]


def _place(date_place: HeaderLine | None, language: str) -> str | None:
    """The date/place line without its dates: ``在线`` (online), ``Nairobi``."""
    if date_place is None:
        return None
    text = date_place.text
    for found in sorted(_meeting_dates(text, language), key=lambda d: -d.offset):
        text = text[: found.offset] + text[found.offset + len(found.text) :]
    place = text.strip(_PLACE_SEPARATORS)
    return place or None


def _organ(body: HeaderLine | None, session: HeaderLine | None) -> str | None:
    """Which governing body issued the report: "eb" (Executive Board) or "ha" (Assembly)."""
    for line in (body, session):
        if line is None:
            continue
        for organ, regex in _ORGANS:
            if regex.search(line.text):
                return organ
    return None


def _blocks(lines: list[Line], language: str) -> list[HeaderLine]:
    """Runs of non-blank lines, each joined into one text (Chinese without separator)."""
    separator = "" if language == "zh" else " "
    blocks: list[HeaderLine] = []
    current: list[Line] = []
    for number, text in [*lines, (0, "")]:
        if text:
            current.append((number, text))
            continue
        if current:
            joined = separator.join(part for _, part in current)
            blocks.append(HeaderLine(joined, current[0][0], tuple(n for n, _ in current)))
            current = []
    return blocks
