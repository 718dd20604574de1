"""What every store gives: SELECT solutions and ASK answers as plain, store-neutral values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

TermKind = Literal["uri", "literal", "bnode"]


class QueryError(ValueError):
    """A query the store could not parse or run; the message comes from the SPARQL parser."""


class QueryTimeout(RuntimeError):
    """A query that ran past its time limit and was stopped (not an empty answer)."""


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as the SPARQL 1.1 JSON results format describes it."""

    kind: TermKind
    value: str
    datatype: str | None = None
    lang: str | None = None

    def __str__(self) -> str:
        return self.value

    def to_python(self) -> str | int | bool:
        """The value as Python: integers and booleans converted, everything else a string."""
        xsd = "http://www.w3.org/2001/XMLSchema#"
        if self.datatype in {
            xsd + "integer",
            xsd + "int",
            xsd + "long",
            xsd + "nonNegativeInteger",
        }:
            return int(self.value)
        if self.datatype == xsd + "boolean":
            return self.value in {"true", "1"}
        return self.value


@dataclass(frozen=True)
class Solutions:
    """The answer to a SELECT query: its variables in order and one tuple per solution."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        for row in self.rows:
            yield dict(zip(self.variables, row, strict=True))

    def column(self, variable: str) -> list[Term | None]:
        index = self.variables.index(variable)
        return [row[index] for row in self.rows]

    def values(self, variable: str) -> list[str | int | bool | None]:
        """One column as Python values (``None`` where the variable is unbound)."""
        return [None if term is None else term.to_python() for term in self.column(variable)]


@dataclass(frozen=True)
class Triples:
    """The answer to a CONSTRUCT or DESCRIBE query."""

    triples: tuple[tuple[Term, Term, Term], ...]

    def __len__(self) -> int:
        return len(self.triples)

    def __iter__(self) -> Iterator[tuple[Term, Term, Term]]:
        return iter(self.triples)


QueryResult = Solutions | bool | Triples


class Store(Protocol):
    """A SPARQL dataset whose default graph is the union of its named graphs."""

    def load_dataset(self, path: Path) -> None:
        """Load a TriG file, one named graph per layer."""

    def query(self, sparql: str) -> QueryResult:
        """Run a query: SELECT gives ``Solutions``, ASK ``bool``, CONSTRUCT and DESCRIBE
        ``Triples``; a query the store cannot parse raises QueryError with the parser's words."""

    def triple_count(self) -> int:
        """How many triples the dataset holds over all its graphs."""
