"""Entities named in a passage, found through a gazetteer of surface forms.

Chinese is written without spaces, but the reports insert ASCII spaces around Latin words and
numbers (``肯尼亚 Groots``) and wherever the typesetting broke a line.  Both the surface forms
and the passage are therefore compared in a *compact* spelling: spaces next to a CJK character
are dropped and any other run of whitespace becomes one space.  The forms go into a character
trie, and the passage is scanned once, taking at each position the longest form that starts
there (a hand-rolled Aho–Corasick without failure links: forms are short, so this is linear in
practice and far faster than a regex alternation of a thousand forms).  Overlapping candidates
are then resolved longest first (``尼日尔州`` over ``尼日尔``, ``Mexico City`` over ``Mexico``).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
_END = ""  # trie key marking the end of a form; no character of a text is empty


@dataclass(frozen=True)
class Mention(Generic[T]):
    """One occurrence of a surface form: where it is in the passage, as written, and its entity."""

    start: int
    end: int
    text: str
    entity: T


def compact(text: str) -> tuple[str, list[int]]:
    """The compact spelling of ``text`` and, for each of its characters, the original index."""
    chars: list[str] = []
    origins: list[int] = []
    index = 0
    while index < len(text):
        if not text[index].isspace():
            chars.append(text[index])
            origins.append(index)
            index += 1
            continue
        run_end = index
        while run_end < len(text) and text[run_end].isspace():
            run_end += 1
        before = chars[-1] if chars else ""
        after = text[run_end] if run_end < len(text) else ""
        # A space between two Latin words is meaningful; one touching Chinese is typesetting.
        if before and after and not _CJK.match(before) and not _CJK.match(after):
            chars.append(" ")
            origins.append(index)
        index = run_end
    return "".join(chars), origins


class Gazetteer(Generic[T]):
    """Surface forms compiled for matching; build once, match many passages.

    Matching is case-sensitive, so acronyms match exactly; a form written with a lower-case
    first letter ("the Bureau") also matches capitalised, as at the start of a sentence.  A form
    that begins or ends with a Latin letter or digit must not touch another one there ("Niger"
    is not found in "Nigeria").  When two forms spell the same, the one sorting first wins.
    """

    def __init__(self, forms: Mapping[str, T]) -> None:
        self._trie: dict[str, dict] = {}
        for form, entity in sorted(forms.items(), key=lambda item: item[0]):
            spelled, _ = compact(form)
            if not spelled:
                continue
            self._insert(spelled, entity)
            if "a" <= spelled[0] <= "z":
                self._insert(spelled[0].upper() + spelled[1:], entity)

    def _insert(self, spelled: str, entity: T) -> None:
        node = self._trie
        for ch in spelled:
            node = node.setdefault(ch, {})
        node.setdefault(_END, entity)

    def spans(self, text: str) -> list[Mention[T]]:
        """Every non-overlapping mention in ``text``, in order of position."""
        spelled, origins = compact(text)
        candidates = []
        for begin in range(len(spelled)):
            longest = self._longest_at(spelled, begin)
            if longest is not None:
                end, entity = longest
                start, stop = origins[begin], origins[end - 1] + 1
                candidates.append(Mention(start, stop, text[start:stop], entity))
        return _longest_first(candidates)

    def _longest_at(self, spelled: str, begin: int) -> tuple[int, T] | None:
        if begin and _WORD_CHAR.match(spelled[begin]) and _WORD_CHAR.match(spelled[begin - 1]):
            return None
        node = self._trie
        found = None
        index = begin
        while index < len(spelled) and spelled[index] in node:
            node = node[spelled[index]]
            index += 1
            if _END in node and _ends_word(spelled, index):
                found = (index, node[_END])
        return found

    def entities(self, text: str) -> list[T]:
        """The entities mentioned in ``text``, each once, in order of first mention."""
        found: list[T] = []
        seen: set[T] = set()
        for mention in self.spans(text):
            if mention.entity not in seen:
                seen.add(mention.entity)
                found.append(mention.entity)
        return found


def find_mentions(text: str, gazetteer: Mapping[str, T]) -> list[T]:
    """The entities of ``gazetteer`` mentioned in ``text``, each once, in order of position."""
    return compile_gazetteer(gazetteer).entities(text)


def find_mention_spans(text: str, gazetteer: Mapping[str, T]) -> list[Mention[T]]:
    """Every mention in ``text`` with its position and surface text, in order of position."""
    return compile_gazetteer(gazetteer).spans(text)


def compile_gazetteer(gazetteer: Mapping[str, T] | Gazetteer[T]) -> Gazetteer[T]:
    """A compiled gazetteer, reused when the same forms and entities were compiled before."""
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    return _compiled(frozenset(gazetteer.items()))


@lru_cache(maxsize=16)
def _compiled(items: frozenset[tuple[str, T]]) -> Gazetteer[T]:
    return Gazetteer(dict(items))


def _ends_word(spelled: str, end: int) -> bool:
    """A match ending in a Latin letter or digit must not be followed by another."""
    if end >= len(spelled):
        return True
    return not (_WORD_CHAR.match(spelled[end - 1]) and _WORD_CHAR.match(spelled[end]))


def _longest_first(candidates: list[Mention[T]]) -> list[Mention[T]]:
    ranked = sorted(candidates, key=lambda m: (-len(compact(m.text)[0]), m.start))
    taken: list[Mention[T]] = []
    for candidate in ranked:
        if all(candidate.end <= other.start or other.end <= candidate.start for other in taken):
            taken.append(candidate)
    return sorted(taken, key=lambda m: m.start)
