"""Looking up matches by position: a text of many paragraphs must not cost the square of its
length, so every "which match is here" question is answered by bisection."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from habitat_kg.graph.extract.proposal import EntityMatch


class MatchIndex:
    """Non-overlapping matches, sorted by where they start."""

    def __init__(self, matches: Iterable[EntityMatch]) -> None:
        self.matches = sorted(matches, key=lambda m: m.start)
        self._starts = [m.start for m in self.matches]

    def within(self, start: int, end: int) -> list[EntityMatch]:
        """The matches wholly inside ``start``-``end``, in text order."""
        found = []
        for match in self.matches[bisect.bisect_left(self._starts, start) :]:
            if match.start >= end:
                break
            if match.end <= end:
                found.append(match)
        return found

    def overlaps(self, start: int, end: int) -> bool:
        """Some match shares a character with ``start``-``end``."""
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self.matches[i].end > start

    def ending_in(self, position: int) -> EntityMatch | None:
        """The match with ``start < position <= end`` (the one a leftward walk is inside)."""
        i = bisect.bisect_left(self._starts, position) - 1
        if i >= 0 and self.matches[i].end >= position:
            return self.matches[i]
        return None

    def starting_at(self, position: int) -> EntityMatch | None:
        i = bisect.bisect_left(self._starts, position)
        if i < len(self.matches) and self.matches[i].start == position:
            return self.matches[i]
        return None
