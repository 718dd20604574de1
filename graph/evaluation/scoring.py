"""Precision and recall: proposed items matched one to one with expected items, per kind.

A proposed item matches an expected one of the same passage and kind when their keys are equal
(an IRI, a date's start and end, a figure's value, a status), or, where the expected item is
known only by name or the keys differ, when a name of one is a name of the other. Each item is
used once: the pairs are a maximum matching, so the order of the proposals does not matter.
UN-Habitat itself as a unit is counted on neither side (items.py ``counted``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from habitat_kg.graph.evaluation.items import Item, counted
from habitat_kg.graph.extract.proposal import MEASURED_KINDS

#: The links the issue sets targets for.
LINK_KINDS = ("resolution", "unit", "partner", "place")


@dataclass
class Count:
    """Proposed, expected and matched items of one kind (or of several, summed)."""

    proposed: int = 0
    expected: int = 0
    matched: int = 0

    def __iadd__(self, other: Count) -> Count:
        self.proposed += other.proposed
        self.expected += other.expected
        self.matched += other.matched
        return self

    @property
    def precision(self) -> float | None:
        """Matched over proposed; None when nothing was proposed."""
        return self.matched / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        """Matched over expected; None when nothing was expected."""
        return self.matched / self.expected if self.expected else None

    def as_json(self) -> dict[str, object]:
        return {
            "proposed": self.proposed,
            "expected": self.expected,
            "matched": self.matched,
            "precision": _rounded(self.precision),
            "recall": _rounded(self.recall),
        }


@dataclass
class Score:
    """The counts of every measured kind, and what was missed or proposed wrongly."""

    kinds: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in MEASURED_KINDS})
    missed: list[Item] = field(default_factory=list)
    wrong: list[Item] = field(default_factory=list)
    #: Matched partners, and those of them given a role the reference gives too.
    roles_compared: int = 0
    roles_agreed: int = 0

    def __iadd__(self, other: Score) -> Score:
        for kind, count in other.kinds.items():
            self.kinds[kind] += count
        self.missed += other.missed
        self.wrong += other.wrong
        self.roles_compared += other.roles_compared
        self.roles_agreed += other.roles_agreed
        return self

    @property
    def links(self) -> Count:
        """Resolution, unit, partner and place links together."""
        total = Count()
        for kind in LINK_KINDS:
            total += self.kinds[kind]
        return total

    def as_json(self) -> dict[str, object]:
        share = self.roles_agreed / self.roles_compared if self.roles_compared else None
        return {
            "kinds": {kind: count.as_json() for kind, count in self.kinds.items()},
            "links": self.links.as_json(),
            "partner_roles": {
                "compared": self.roles_compared,
                "agreed": self.roles_agreed,
                "share": _rounded(share),
            },
        }


def score(proposed: Iterable[Item], expected: Iterable[Item]) -> Score:
    """Match ``proposed`` against ``expected`` within each (passage, kind), UN-Habitat itself
    as a unit left out of both."""
    groups: dict[tuple[str, str], tuple[list[Item], list[Item]]] = {}
    for item in counted(proposed):
        groups.setdefault((item.passage, item.kind), ([], []))[0].append(item)
    for item in counted(expected):
        groups.setdefault((item.passage, item.kind), ([], []))[1].append(item)
    result = Score()
    for (_, kind), (ours, theirs) in sorted(groups.items()):
        if kind not in result.kinds:
            continue
        pairs = maximum_matching(ours, theirs)
        count = result.kinds[kind]
        count.proposed += len(ours)
        count.expected += len(theirs)
        count.matched += len(pairs)
        if kind == "partner":
            result.roles_compared += len(pairs)
            result.roles_agreed += sum(
                bool(ours[i].roles & theirs[j].roles) for i, j in pairs.items()
            )
        result.missed += [item for j, item in enumerate(theirs) if j not in pairs.values()]
        result.wrong += [item for i, item in enumerate(ours) if i not in pairs]
    return result


def matches(proposed: Item, expected: Item) -> bool:
    if expected.key is not None and proposed.key == expected.key:
        return True
    return bool(proposed.names & expected.names)


def maximum_matching(ours: list[Item], theirs: list[Item]) -> Mapping[int, int]:
    """Pairs (index in ``ours`` -> index in ``theirs``) of a maximum one-to-one matching
    (augmenting paths; a paragraph has a handful of items of a kind)."""
    edges = [[j for j, b in enumerate(theirs) if matches(a, b)] for a in ours]
    owner: dict[int, int] = {}  # index in theirs -> index in ours

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(ours)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def summed(scores: Iterable[Score]) -> Score:
    total = Score()
    for one in scores:
        total += one
    return total


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
