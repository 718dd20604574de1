"""Everything the parser can find in one passage: dates, symbols, references, mentions."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from habitat_kg.graph.parse.dates import TemporalExpression, find_dates
from habitat_kg.graph.parse.mentions import Gazetteer, Mention, compile_gazetteer
from habitat_kg.graph.parse.references import Reference, find_references, find_symbols

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Findings(Generic[T]):
    """What one passage says about time, documents, governing acts and named entities."""

    dates: tuple[TemporalExpression, ...]
    symbols: tuple[str, ...]
    references: tuple[Reference, ...]
    mentions: tuple[Mention[T], ...]

    @property
    def entities(self) -> tuple[T, ...]:
        """The entities mentioned, each once, in order of first mention."""
        return tuple(dict.fromkeys(mention.entity for mention in self.mentions))

    @property
    def acts(self) -> tuple[tuple[str, str, str], ...]:
        """The (kind, organ, number) of each resolution or decision named, each once."""
        return tuple(dict.fromkeys((r.kind, r.organ, r.number) for r in self.references))


def analyse(
    text: str,
    language: str,
    default_year: int | None,
    gazetteer: Mapping[str, T] | Gazetteer[T],
) -> Findings[T]:
    """Run every finder over ``text``; ``default_year`` dates expressions that give no year."""
    return Findings(
        dates=tuple(find_dates(text, default_year=default_year, language=language)),
        symbols=tuple(find_symbols(text)),
        references=tuple(find_references(text)),
        mentions=tuple(compile_gazetteer(gazetteer).spans(text)),
    )
