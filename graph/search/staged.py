"""The search index written from rows read in batches, never all of them in memory: what a
server builds when its dataset has none beside it (server/search_build.py).

``building.things_of`` reads a graph held whole in memory (the build has it anyway). Here the
rows of the indexed properties (names, texts, what things are) are staged in a SQLite file on
disk as they come, then read back thing by thing in IRI order, each made into the thing it is by
the build's own ``building.indexed``: the things are the same, in the same order, so the index
is the same file, byte for byte. What is held at once is one batch of rows, one thing, and the
class hierarchy (``rdfs:subClassOf``, which the ontology keeps small).
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from habitat_kg.graph.search.building import (
    OF_A_THING,
    Hierarchy,
    Indexed,
    Row,
    indexed,
    write_index,
)

#: Rows written to the staging file in one statement.
BATCH = 10_000


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
        self._hierarchy = Hierarchy()
        self.count = 0

    def add(self, rows: Iterable[Row]) -> None:
        """Stage ``rows`` (those of other properties are left out), a batch at a time."""
        wanted = self._wanted(rows)
        while batch := list(itertools.islice(wanted, BATCH)):
            with self._connection:
                self._connection.executemany("INSERT INTO row VALUES (?, ?, ?, ?, ?)", batch)
            self.count += len(batch)

    def _wanted(self, rows: Iterable[Row]) -> Iterator[Row]:
        """The rows of names, texts and classes; the class hierarchy is kept as it passes."""
        for row in rows:
            self._hierarchy.add(row)
            if row.predicate in OF_A_THING:
                yield row

    def things(self) -> Iterator[Indexed]:
        """Every named or described IRI, in IRI order, as ``building.things_of`` gives it."""
        self._connection.execute("CREATE INDEX row_subject ON row (subject)")
        rows = self._connection.execute(
            "SELECT * FROM row WHERE subject NOT LIKE '\\_:%' ESCAPE '\\' ORDER BY subject"
        )
        for subject, group in itertools.groupby(map(Row._make, rows), key=lambda r: r.subject):
            thing = indexed(subject, list(group), self._hierarchy)
            if thing is not None:
                yield thing

    def write_index(self, path: Path) -> None:
        """The index of the staged rows written to ``path`` (see building.write_index)."""
        write_index(path, self.things())

    def close(self) -> None:
        """Close and delete the staging file."""
        self._connection.close()
        self.path.unlink(missing_ok=True)
