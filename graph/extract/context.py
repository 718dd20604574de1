"""What every rule needs to know about the passage it reads, and how it words a proposal.

A :class:`PassageContext` is built once per paragraph or sub-paragraph: its text, language and
IRIs, the acts its section heading names, the entities the gazetteer recognised in it, and the
units named earlier in its section (for "the Unit" / 该股).  Rules read it and call
:meth:`PassageContext.propose`; they never build :class:`Proposal` objects themselves, so that
the report, passage and activity are always the right ones.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from rdflib import Literal, URIRef

from habitat_kg.graph.extract.proposal import EntityMatch, Proposal
from habitat_kg.graph.parse import Reference
from habitat_kg.namespaces import ID


class Recogniser(Protocol):
    """Anything that finds named things in a passage (the gazetteer, or a test's stand-in)."""

    def recognise(self, text: str, language: str) -> list[EntityMatch]: ...


def activity_iri(report_id: str, number: int, label: str | None = None) -> URIRef:
    """The activity the extractor proposes for paragraph ``number`` (sub-paragraph ``label``)."""
    return ID[f"activity/{report_id.replace('/', '-')}/p{number}{label or ''}"]


@dataclass
class PassageContext:
    """One paragraph or sub-paragraph being read, and the proposals made for it so far."""

    report_id: str
    report: URIRef
    passage: URIRef
    activity: URIRef
    text: str
    language: str
    year: int | None
    #: The resolutions and decisions that the section heading names.
    heading_acts: tuple[Reference, ...]
    #: Acts cited by the passage's own sub-paragraphs (an introduction that lists them).
    listed_acts: tuple[Reference, ...]
    entities: list[EntityMatch]
    #: Units named earlier in the same section, most recent last (for "the Unit", 该股).
    section_units: list[EntityMatch]
    proposals: list[Proposal] = field(default_factory=list)

    def propose(
        self,
        kind: str,
        predicate: URIRef,
        obj: URIRef | Literal,
        span: tuple[int, int] | None,
        confidence: float,
        rule: str,
        subject: URIRef | None = None,
    ) -> Proposal:
        proposal = Proposal(
            report_id=self.report_id,
            passage=self.passage,
            kind=kind,
            subject=self.activity if subject is None else subject,
            predicate=predicate,
            object=obj,
            span=span,
            confidence=round(confidence, 2),
            rule=rule,
        )
        self.proposals.append(proposal)
        return proposal

    def literal(self, text: str) -> Literal:
        """A string in the report's language."""
        return Literal(text, lang=self.language)

    @property
    def chinese(self) -> bool:
        return self.language == "zh"

    @cached_property
    def sentences(self) -> Sentences:
        return Sentences(self.text)

    @cached_property
    def _entity_index(self) -> dict[int, int]:
        return {id(match): index for index, match in enumerate(self.entities)}

    def previous_entity(self, match: EntityMatch) -> EntityMatch | None:
        """The entity named just before ``match`` in the passage."""
        index = self._entity_index.get(id(match), 0)
        return self.entities[index - 1] if index > 0 else None

    def sentence_of(self, offset: int) -> tuple[int, int]:
        """The (start, end) of the sentence around ``offset``."""
        return self.sentences.around(offset)


_SENTENCE_END = re.compile(r"[。；;！？]|\.(?=\s|$)(?<!\bNo\.)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Every sentence of ``text`` as (start, end), in order (an English full stop ends one)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.end()].strip():
            bounds.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


class Sentences:
    """The sentences of a passage, found once and looked up by offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds = sentences(text) or [(0, len(text))]
        self.starts = [start for start, _ in self.bounds]

    def around(self, offset: int) -> tuple[int, int]:
        """The sentence that holds ``offset``."""
        index = max(0, bisect_right(self.starts, offset) - 1)
        return self.bounds[index]


class SpanMask:
    """Spans of a passage that something else has claimed (dates, symbols, references)."""

    def __init__(self, length: int, spans: list[tuple[int, int]] = ()) -> None:  # type: ignore[assignment]
        self.claimed = bytearray(length + 1)
        for start, end in spans:
            self.claim(start, end)

    def claim(self, start: int, end: int) -> None:
        self.claimed[max(0, start) : max(0, end)] = b"\x01" * max(0, end - max(0, start))

    def covers(self, span: tuple[int, int]) -> bool:
        """True when any character of ``span`` is claimed."""
        return 1 in self.claimed[span[0] : span[1]]


def overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)
