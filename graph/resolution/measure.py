"""Per-field accuracy of the operative analysis against a gold file of the test corpus.

The gold files (tests/data/corpus/*.gold.json, described in its README) give, for every
operative paragraph and sub-paragraph, the action, addressee, whether it is a mandate, the
deadline, the reporting requirement, the resources clause and the end clause. Addressees are
compared by what they name, in either language ("执行主任" is the Executive Director); a named
body on no list by its words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from habitat_kg.graph.resolution.actions import action_labels
from habitat_kg.graph.resolution.addressees import known_addressee
from habitat_kg.graph.resolution.mandates import analyse
from habitat_kg.graph.resolution.model import Operative
from habitat_kg.graph.resolution.structure import read_resolution

FIELDS = ("action", "addressee", "is_mandate", "deadline", "reporting", "resources", "end_clause")


@dataclass
class Score:
    """Right and total per field, and the paragraphs each field got wrong."""

    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in FIELDS:
            self.right[name] += other.right[name]
            self.total[name] += other.total[name]
        self.misses.extend(other.misses)

    def accuracy(self, name: str) -> float:
        return self.right[name] / self.total[name] if self.total[name] else 0.0

    def table(self) -> str:
        return "\n".join(
            f"{name:<11} {self.right[name]:>3}/{self.total[name]:<3} {self.accuracy(name):.2f}"
            for name in FIELDS
        )


def predicted(operative: Operative) -> dict[str, object]:
    """An analysed paragraph in the gold file's terms."""
    names = [a.key or a.written for a in operative.addressees]
    return {
        "action": action_labels(operative.action)["en"] if operative.action else None,
        "addressee": sorted(names) or None,
        "is_mandate": operative.is_mandate,
        "deadline": operative.deadline.isoformat() if operative.deadline else None,
        "reporting": (
            {"organ": operative.reporting.organ_name, "session": operative.reporting.session}
            if operative.reporting
            else None
        ),
        "resources": operative.resources,
        "end_clause": operative.has_end_clause,
    }


def expected(entry: dict) -> dict[str, object]:
    """A gold entry, addressees normalised like :func:`predicted`'s."""
    gold = {name: entry.get(name) for name in FIELDS}
    names = entry.get("addressee")
    if names is not None:
        names = [names] if isinstance(names, str) else names
        keys = []
        for name in names:
            known = known_addressee(name)
            keys.append(known.key if known else name)
        gold["addressee"] = sorted(keys) or None
    return gold


def score_file(text_path: Path) -> Score:
    """Read the text at ``text_path``, analyse it and compare with its gold file."""
    gold_path = text_path.with_name(text_path.name.removesuffix(".txt") + ".gold.json")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["operative"]
    analysed = {op.key: op for op in analyse(read_resolution(text_path))}
    score = Score()
    for key, entry in gold.items():
        want = expected(entry)
        got = predicted(analysed[key]) if key in analysed else dict.fromkeys(FIELDS)
        for name in FIELDS:
            score.total[name] += 1
            if got[name] == want[name]:
                score.right[name] += 1
            else:
                score.misses.append(
                    f"{text_path.name} {key} {name}: {got[name]!r} != {want[name]!r}"
                )
    return score


def score_files(paths: Iterable[Path]) -> Score:
    total = Score()
    for path in paths:
        total.add(score_file(path))
    return total
