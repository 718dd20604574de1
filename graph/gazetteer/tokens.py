"""Names and texts as tokens: a Latin word, a number, one Han character or one punctuation mark
(spaces do not count), so that ``UN-Habitat`` and ``UN - Habitat`` are the same name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from habitat_kg.graph.gazetteer.entities import Name

_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\W\d_\u3400-\u9fff]+|\d+|\S")
_SAME = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-"})


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group().translate(_SAME)) for m in _TOKEN.finditer(text)]


def token_key(name: str) -> tuple[str, ...]:
    return tuple(token.text for token in tokenize(name))


@dataclass(frozen=True)
class Hit:
    """A known name found at tokens ``first``..``last`` (exclusive) of a text."""

    first: int
    last: int
    names: tuple[Name, ...]
