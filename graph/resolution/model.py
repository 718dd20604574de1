"""A resolution or decision as read, and the mandates its operative paragraphs give.

Plain frozen data, like ``graph/parse/model.py`` for reports: every part keeps the source line
it starts on, so that a mandate can always be traced to the sentence that gives it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

#: The governing bodies, by the project's short name (as ``graph/parse`` names them).
ORGAN_NAMES = {"ha": "UN-Habitat Assembly", "eb": "Executive Board"}


@dataclass(frozen=True)
class Preamble:
    """A preambular paragraph (``Recalling …`` / ``回顾……``), unnumbered."""

    text: str
    line: int


@dataclass(frozen=True)
class OperativeText:
    """A numbered operative paragraph (``label`` empty) or one of its lettered sub-paragraphs."""

    number: int
    label: str
    text: str
    line: int
    lines: tuple[int, ...] = ()
    #: The sub-paragraphs of a paragraph (empty for a sub-paragraph).
    subparagraphs: tuple[OperativeText, ...] = ()

    @property
    def key(self) -> str:
        """As analysts and the gold files write it: ``4``, ``2(a)``."""
        return f"{self.number}({self.label})" if self.label else str(self.number)

    @property
    def path(self) -> str:
        """The IRI path below the text's: ``op/4``, ``op/2/a``."""
        return f"op/{self.number}/{self.label}" if self.label else f"op/{self.number}"

    @property
    def eid(self) -> str:
        """The Akoma Ntoso element identifier: ``para_4``, ``para_2__subpara_a``."""
        own = f"para_{self.number}"
        return f"{own}__subpara_{self.label}" if self.label else own


@dataclass(frozen=True)
class ResolutionText:
    """A resolution or decision: identification, preamble and operative part, in source order."""

    path: Path
    language: str
    #: ``resolution`` or ``decision``.
    kind: str
    #: The official number, ``3/4`` or ``2024/1``.
    number: str
    title: str
    title_line: int
    #: ``ha`` (the Assembly) or ``eb`` (the Executive Board); None when the header names neither.
    organ: str | None
    #: The adopting session as the organ counts it: ``3`` (Assembly), ``2024/1`` (Board).
    session: str | None
    symbol: str | None
    preamble: tuple[Preamble, ...]
    operative: tuple[OperativeText, ...]

    @property
    def identifier(self) -> str:
        """The project's local name: ``ha-3-4``, ``eb-2024-1``."""
        # Without a header naming the organ, a year in the number means the Board.
        organ = self.organ or ("eb" if len(self.number.split("/")[0]) == 4 else "ha")
        return f"{organ}-{self.number.replace('/', '-')}"

    def passages(self) -> list[OperativeText]:
        """Every operative paragraph followed by its sub-paragraphs."""
        found: list[OperativeText] = []
        for paragraph in self.operative:
            found.append(paragraph)
            found.extend(paragraph.subparagraphs)
        return found


@dataclass(frozen=True)
class Addressee:
    """Whom a paragraph asks to act: a known addressee by key, or a named body as written."""

    #: ``executive-director``, ``member-states`` …; None for a body not in the list.
    key: str | None
    en: str | None
    zh: str | None
    written: str

    @property
    def name(self) -> str:
        """The name to show: the English name where known, else as written."""
        return self.en or self.zh or self.written


@dataclass(frozen=True)
class Reporting:
    """A reporting requirement: to which organ (``ha``/``eb``) and at which session."""

    organ: str
    #: ``4`` (Assembly) or ``2024/2`` (Board); None when the text says "its next session".
    session: str | None
    written: str

    @property
    def organ_name(self) -> str:
        return ORGAN_NAMES[self.organ]


@dataclass(frozen=True)
class Operative:
    """An operative paragraph or sub-paragraph as analysed: what it does and whether it is a
    mandate (asks someone to act), with the clauses that qualify the request."""

    passage: OperativeText
    #: The local name of the action concept: ``requests``, ``also-requests``, ``takes-note`` …
    action: str | None
    addressees: tuple[Addressee, ...]
    object: str
    is_mandate: bool
    deadline: date | None = None
    deadline_text: str | None = None
    reporting: Reporting | None = None
    resources: str | None = None
    #: The paragraph's own review or end clause, as written.
    end_clause: str | None = None
    #: The key of a paragraph whose clause covers the whole text (``12``), when one does.
    text_end_clause: str | None = None
    #: A paragraph whose sub-paragraphs carry its requests.
    chapeau: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        return self.passage.key

    @property
    def has_end_clause(self) -> bool:
        return self.end_clause is not None or self.text_end_clause is not None
