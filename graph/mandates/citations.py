"""Where a report's passage cites an operative paragraph: "paragraph 4 of resolution 3/4",
"paragraph 2 (a) of decision 2024/1", "sub-paragraph (a) of paragraph 2", "OP 3, 4",
"第3/6号决议第2段", "第2(a)段", "执行部分第4段".

A citation that names no act ("OP 4", "第4段") belongs to the act its passage's section is
about; the caller decides (see ``evidence``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from habitat_kg.graph.parse import ACT_KINDS, organ_of

_ACT_EN = r"(?P<kind>resolution|decision)\s+(?P<act>\d{1,4}/\d{1,3})"
_ITEM_EN = r"\d{1,2}(?:\s*\([a-z]\))?"
_LIST_EN = _ITEM_EN + r"(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)" + _ITEM_EN + r")*"
# "sub-paragraph (a) of paragraph 2", "paragraphs 2 (a) and 3", "operative paragraph 4", each
# with an optional "of resolution 3/4" / "of the present resolution" after it.
_EN = re.compile(
    r"\b(?:sub-?paragraphs?\s+\((?P<sub>[a-z])\)\s+of\s+)?(?:operative\s+)?"
    r"(?:paragraphs?|paras?\.?|OPs?)\s*(?P<items>" + _LIST_EN + r")"
    r"(?:\s+of\s+(?:(?:the\s+present|its|that)\s+(?:resolution|decision)|" + _ACT_EN + r"))?",
    re.IGNORECASE,
)
# "resolution 3/4, paragraph 2" / "resolution 3/4 (OP 2)": the act first.
_EN_ACT_FIRST = re.compile(
    _ACT_EN
    + r"\s*[,(]\s*(?:operative\s+)?(?:paragraphs?|paras?\.?|OPs?)\s*(?P<items>"
    + _LIST_EN
    + r")",
    re.IGNORECASE,
)
_ITEM_ZH = r"\d{1,2}(?:\s*[(（][a-z][)）])?"
# 第3/6号决议第2段, 第3/6号决议第2(a)段, 第2段(a)分段, 执行部分第4和第5段, 第2、3段.
_ZH = re.compile(
    r"(?:第\s*(?P<act>\d{1,4}/\d{1,3})\s*号(?P<kind>决议|决定)(?:的)?)?(?:执行部分)?"
    r"第\s*(?P<items>" + _ITEM_ZH + r"(?:\s*(?:、|和|及|至)\s*第?\s*" + _ITEM_ZH + r")*)\s*段"
    r"(?:\s*[(（](?P<sub>[a-z])[)）](?:分段|项)?)?"
)
_ITEM = re.compile(r"(\d{1,2})\s*(?:[(（]([a-z])[)）])?")


@dataclass(frozen=True)
class Citation:
    """An operative paragraph named in a passage: of which act (None: the section's), which
    paragraph and sub-paragraph, and where the words are."""

    kind: str | None
    act: str | None
    organ: str | None
    number: int
    label: str
    start: int
    end: int


def find_citations(text: str) -> list[Citation]:
    """The operative paragraphs ``text`` cites, in text order."""
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_EN_ACT_FIRST, _EN, _ZH):
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            if not _names_operative_part(match):
                continue
            taken.append(match.span())
            found.extend(_citations(match))
    return sorted(found, key=lambda c: (c.start, c.number, c.label))


def _names_operative_part(match: re.Match[str]) -> bool:
    """ "paragraph 4" / "第4段" alone may be the report's own paragraph; it cites a resolution
    when it names an act, or says "OP", "operative" or "执行部分"."""
    words = match.group(0).lower()
    if match["act"] or "执行部分" in words:
        return True
    return "of " in words or words.startswith(("op", "operative"))


def _citations(match: re.Match[str]) -> list[Citation]:
    kind = ACT_KINDS[match["kind"].lower()] if match["kind"] else None
    act = re.sub(r"\s+", "", match["act"]) if match["act"] else None
    organ = organ_of(act) if act else None
    sub = match.groupdict().get("sub")
    cited = []
    for item in _ITEM.finditer(match["items"]):
        label = item.group(2) or sub or ""
        cited.append(
            Citation(kind, act, organ, int(item.group(1)), label, match.start(), match.end())
        )
    return cited
