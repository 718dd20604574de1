"""UN document symbols and references to resolutions and decisions, found in a passage."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A UN document symbol: an upper-case series letter code, then slash-separated segments of
# letters and digits with inner dots or hyphens (HSP/EB.2020/13/Add.2, HSP/HA.1/Res.2,
# A/RES/70/1, E/2020/10).  A trailing full stop is punctuation, not part of the symbol.
# Requiring a digit keeps out "N/A" and Latin words written with a slash; requiring upper-case
# ASCII in the first segment keeps out "和/或", "and/or" and dates such as 2019/3.
_SEGMENT = r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*"
SYMBOL_PATTERN = re.compile(
    r"(?<![A-Za-z0-9/.\-])[A-Z]{1,10}(?:/" + _SEGMENT + r")+(?![A-Za-z0-9/])"
)

_NUMBER = r"\d{1,4}/\d{1,3}"
_ = r"[ \t]*"
# 第1/2号决议, 第 1/2 号决议, 第1/2号、第1/3号决议, 第 2019/3 号决定.
_ZH_REFERENCE = re.compile(
    "第"
    + _
    + _NUMBER
    + _
    + "号?(?:"
    + _
    + "(?:、|和|及|与|，|,)"
    + _
    + "第?"
    + _
    + _NUMBER
    + _
    + "号?)*"
    + _
    + "(?P<kind>决议|决定)"
)
# resolution 1/2, Resolution 1/2, decision 2019/3, resolutions 1/2 and 1/3, decisions 1/1, 1/2.
_EN_REFERENCE = re.compile(
    r"\b(?P<kind>[Rr]esolution|[Dd]ecision)s?\s+"
    + _NUMBER
    + r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
    + _NUMBER
    + r")*(?![\d/])"
)
_NUMBER_IN_TEXT = re.compile(r"(\d{1,4})/(\d{1,3})")
#: The kind of act each word for one names, in either language (lower case).
ACT_KINDS = {
    "resolution": "resolution",
    "decision": "decision",
    "决议": "resolution",
    "决定": "decision",
}


@dataclass(frozen=True)
class Reference:
    """A resolution or decision named in the text; ``text`` is the whole phrase naming it."""

    kind: str
    number: str
    organ: str
    text: str
    offset: int


def find_symbols(text: str) -> list[str]:
    """The document symbols of ``text``, each once, in order of first appearance."""
    found: list[str] = []
    for match in SYMBOL_PATTERN.finditer(text):
        symbol = match.group(0)
        if any(ch.isdigit() for ch in symbol) and symbol not in found:
            found.append(symbol)
    return found


def organ_of(number: str) -> str | None:
    """Which governing body numbers its acts like ``number``; None for other bodies.

    Heuristic: the Executive Board numbers decisions by year and serial (``2019/3``), so a
    four-digit first part in 1990–2099 means "eb".  The UN-Habitat Assembly numbers its acts by
    session and serial (``1/2``); it meets every four years, so its session numbers stay in
    single digits for decades.  Any other prefix (General Assembly ``70/1``, the former
    Governing Council ``26/8``) is left to the reader rather than guessed.
    """
    first = int(number.split("/", 1)[0])
    if 1990 <= first <= 2099:
        return "eb"
    if 1 <= first <= 9:
        return "ha"
    return None


def find_references(text: str) -> list[Reference]:
    """Resolutions and decisions named in ``text``, in order (a list names several)."""
    found: list[Reference] = []
    for regex in (_ZH_REFERENCE, _EN_REFERENCE):
        for match in regex.finditer(text):
            kind = ACT_KINDS[match["kind"].lower()]
            for number_match in _NUMBER_IN_TEXT.finditer(match.group(0)):
                number = f"{int(number_match[1])}/{int(number_match[2])}"
                organ = organ_of(number)
                if organ is not None:
                    offset = match.start() + number_match.start()
                    found.append(Reference(kind, number, organ, match.group(0), offset))
    return sorted(found, key=lambda reference: reference.offset)
