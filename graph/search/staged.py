"""The search index written from rows read in batches, never all of them in memory: what a
server builds when its dataset has none beside it (server/search_build.py).

``building.things_of`` reads a graph held whole in memory (the build has it anyway). Here the
rows of the indexed properties (names, texts, what things are) are staged in a SQLite file on
disk as they come, then read back thing by thing in IRI order: the things are the same, in the
same order, so the index is the same file, byte for byte. What is held at once is one batch of
rows, one thing, and the class hierarchy (``rdfs:subClassOf``, which the ontology keeps small).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from rdflib import DCTERMS, RDF, RDFS, SKOS, BNode, URIRef
from rdflib.term import Node

from habitat_kg.graph.search.building import (
    _UNLISTED,
    NAME_PROPERTIES,
    TEXT_PROPERTIES,
    Field,
    Indexed,
    _field_order,
    _most_specific,
    write_index,
)

#: Rows written to the staging file in one statement.
BATCH = 10_000
_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_FIELDS = {str(p): value for p, value in (NAME_PROPERTIES | TEXT_PROPERTIES).items()}
#: The properties a thing's English and Chinese names are taken from, in order.
_LABELS = tuple(str(p) for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title))


class Row(NamedTuple):
    """One statement read: its subject and object as written in ``term`` (an IRI, or ``_:``
    and a blank node's id), the object's text and language if it is a literal."""

    subject: str
    predicate: str
    value: str
    language: str
    literal: bool


def term(iri_or_blank: str, blank: bool) -> str:
    """A subject or object IRI or blank node as a row keeps it."""
    return f"_:{iri_or_blank}" if blank else iri_or_blank


def _node(kept: str) -> Node:
    return BNode(kept[2:]) if kept.startswith("_:") else URIRef(kept)


class StagedRows:
    """Rows staged in the SQLite file at ``path`` (a new file, deleted by ``close``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.unlink(missing_ok=True)
        self._connection = sqlite3.connect(path)
        self._connection.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE row (subject TEXT, predicate TEXT, value TEXT, language TEXT,"
            " literal INTEGER);"
        )
        #: The class hierarchy: each class and the classes right above it.
        self._above: dict[str, set[str]] = {}
        self.count = 0

    def add(self, rows: Iterable[Row]) -> None:
        """Stage ``rows`` (those of other properties are left out), a batch at a time."""
        wanted = (
            row
            for row in rows
            if row.predicate in _FIELDS or row.predicate == _TYPE or self._hierarchy(row)
        )
        while batch := list(itertools.islice(wanted, BATCH)):
            with self._connection:
                self._connection.executemany("INSERT INTO row VALUES (?, ?, ?, ?, ?)", batch)
            self.count += len(batch)

    def _hierarchy(self, row: Row) -> bool:
        if row.predicate == _SUBCLASS and not row.literal:
            self._above.setdefault(row.subject, set()).add(row.value)
        return False

    def things(self) -> Iterator[Indexed]:
        """Every named or described IRI, in IRI order, as ``building.things_of`` gives it."""
        self._connection.execute("CREATE INDEX row_subject ON row (subject)")
        rows = self._connection.execute(
            "SELECT * FROM row WHERE subject NOT LIKE '\\_:%' ESCAPE '\\' ORDER BY subject"
        )
        for subject, group in itertools.groupby(map(Row._make, rows), key=lambda r: r.subject):
            thing = self._thing(subject, list(group))
            if thing is not None:
                yield thing

    def _thing(self, subject: str, rows: list[Row]) -> Indexed | None:
        fields = set()
        direct: set[Node] = set()
        for row in rows:
            if row.predicate == _TYPE and not row.literal:
                direct.add(_node(row.value))
            elif row.predicate in _FIELDS and row.literal and row.value.strip():
                kind, weight = _FIELDS[row.predicate]
                fields.add(Field(kind, row.language, weight, row.value.strip()))
        if not fields or direct & _UNLISTED:
            return None
        superclasses = {cls: self._superclasses(cls) for cls in direct}
        closure = set().union(*superclasses.values())
        return Indexed(
            iri=subject,
            type=_most_specific(direct, superclasses),  # type: ignore[arg-type]
            label_en=_label(rows, "en"),
            label_zh=_label(rows, "zh"),
            classes=tuple(sorted(str(c) for c in closure)),
            fields=tuple(sorted(fields, key=_field_order)),
        )

    def _superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and every class above it."""
        start = f"_:{cls}" if isinstance(cls, BNode) else str(cls)
        seen, todo = {start}, [start]
        while todo:
            for above in self._above.get(todo.pop(), ()):
                if above not in seen:
                    seen.add(above)
                    todo.append(above)
        return {_node(kept) for kept in seen}

    def write_index(self, path: Path) -> None:
        """The index of the staged rows written to ``path`` (see building.write_index)."""
        write_index(path, self.things())

    def close(self) -> None:
        """Close and delete the staging file."""
        self._connection.close()
        self.path.unlink(missing_ok=True)


def _label(rows: list[Row], language: str) -> str:
    for prop in _LABELS:
        values = sorted(
            row.value
            for row in rows
            if row.predicate == prop and row.literal and row.language.split("-")[0] == language
        )
        if values:
            return values[0]
    return ""
