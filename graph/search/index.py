"""Reading the search index: ranked search with snippets, autocomplete, and things by name.

The file is opened read-only (``mode=ro``), one connection per thread and per file: a rebuilt
dataset is a new file in a new folder, seen on the next request. Every lookup runs under a time
limit (a progress handler ends it), and what the user typed reaches FTS5 only as quoted tokens
(``tokens.match_expression``).
"""

from __future__ import annotations

import contextlib
import html
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from habitat_kg.graph.search.building import INDEX_FILE, SCHEMA_VERSION, Thing, folded_name
from habitat_kg.graph.search.tokens import MAX_QUERY, Term, hits, match_expression, terms

#: Seconds one lookup may take before it is ended (it is answered as "nothing found").
TIME_LIMIT = 2.0
#: Characters of text shown around the first hit.
SNIPPET_WIDTH = 80
#: Rows asked of FTS5 per table before they are grouped by thing.
_CANDIDATES = 200


class IndexMissing(LookupError):
    """There is no search index (or one of another version) where the dataset is."""


class LookupTooSlow(RuntimeError):
    """A lookup ran past TIME_LIMIT and was ended."""


@dataclass(frozen=True)
class Hit:
    """A thing found, with the text that matched as HTML (escaped, hits in ``<mark>``)."""

    thing: Thing
    snippet: str
    score: float
    #: the kind of text that matched (``label``, ``name``, ``symbol``, ``text``...) and the text
    field: str
    text: str

    def as_json(self) -> dict[str, object]:
        return {
            "iri": self.thing.iri,
            "label": self.thing.label,
            "label_zh": self.thing.label_zh,
            "type": self.thing.type,
            "snippet": self.snippet,
            "score": round(self.score, 4),
        }


class SearchIndex:
    """The index in ``folder`` (the build folder, beside the dataset)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        version = self._rows("SELECT value FROM meta WHERE key = 'version'", ())
        if [row[0] for row in version] != [SCHEMA_VERSION]:
            raise IndexMissing(f"{path} is a search index of another version: rebuild the data")

    @classmethod
    def in_folder(cls, folder: Path) -> SearchIndex:
        """The index of the dataset built into ``folder``; IndexMissing when there is none."""
        path = folder / INDEX_FILE
        if not path.is_file():
            raise IndexMissing(f"no search index at {path}: build the dataset (habitat-kg build)")
        try:
            return cls(path)
        except sqlite3.DatabaseError as error:
            raise IndexMissing(f"{path} is not a search index ({error})") from None

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            uri = self.path.resolve().as_uri() + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True)
            self._local.connection = connection
        return connection

    @contextlib.contextmanager
    def within(self, seconds: float = TIME_LIMIT) -> Iterator[None]:
        """Every lookup made in this block (one request's) ends ``seconds`` from now at the
        latest (LookupTooSlow), not each on its own clock."""
        self._local.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            self._local.deadline = None

    def _rows(self, sql: str, parameters: Iterable[object]) -> list[tuple]:
        connection = self._connection()
        # the request's deadline (see ``within``) bounds all of its statements together
        deadline = getattr(self._local, "deadline", None) or time.monotonic() + TIME_LIMIT
        if time.monotonic() > deadline:  # the request's time is spent: no next statement
            raise LookupTooSlow(f"the search took longer than {TIME_LIMIT:g} s")
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            return connection.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.OperationalError as error:
            if "interrupted" in str(error):
                raise LookupTooSlow(f"the search took longer than {TIME_LIMIT:g} s") from None
            raise
        finally:
            connection.set_progress_handler(None, 0)

    def things(self, ids: Iterable[int]) -> dict[int, Thing]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._rows(
            f"SELECT id, iri, type, label_en, label_zh FROM entity WHERE id IN ({marks})", wanted
        )
        return {row[0]: Thing(*row[1:]) for row in rows}

    def labels_in(self, iris: Iterable[str], language: str) -> dict[str, str]:
        """The names of ``iris`` in ``language`` (a page in French shows a country's French
        name), by IRI; a thing without one is left out."""
        wanted = sorted(set(iris))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self._rows(
            "SELECT e.iri, MIN(f.text) FROM field f JOIN entity e ON e.id = f.entity "
            f"WHERE f.kind = 'label' AND f.lang = ? AND e.iri IN ({marks}) GROUP BY e.iri",
            [language, *wanted],
        )
        return {iri: text for iri, text in rows}

    def thing(self, iri: str) -> Thing | None:
        rows = self._rows("SELECT iri, type, label_en, label_zh FROM entity WHERE iri = ?", [iri])
        return Thing(*rows[0]) if rows else None

    def _of_classes(self, ids: Iterable[int], classes: frozenset[str] | None) -> set[int]:
        wanted = sorted(set(ids))
        if classes is None or not wanted:
            return set(wanted)
        rows = self._rows(
            f"SELECT DISTINCT entity FROM entity_class WHERE class IN ({_marks(classes)}) "
            f"AND entity IN ({_marks(wanted)})",
            [*sorted(classes), *wanted],
        )
        return {row[0] for row in rows}

    def search(
        self, query: str, limit: int = 20, classes: frozenset[str] | None = None
    ) -> list[Hit]:
        """Things whose names or texts hold every word of ``query``, best first."""
        found = terms(query[:MAX_QUERY])
        if not found:
            return []
        for prefix in (False, True):
            # whole words first; a last word that ends no word is taken as its beginning
            expression = match_expression(found, prefix=prefix)
            rows = []
            for table in ("names", "texts"):
                rows += self._rows(
                    f"SELECT f.entity, f.kind, f.text, f.weight * -{table}.rank FROM {table} "
                    f"JOIN field f ON f.id = {table}.rowid WHERE {table} MATCH ? "
                    f"ORDER BY {table}.rank LIMIT {max(_CANDIDATES, limit * 4)}",
                    [expression],
                )
            if rows:
                break
        return self._best(rows, found, limit, classes, prefix=prefix)

    def suggest(
        self, prefix: str, limit: int = 10, classes: frozenset[str] | None = None
    ) -> list[Hit]:
        """Things whose names start with (or, in Chinese, hold) what is typed: the exact name
        first, then names that begin so, then names that hold the words."""
        found = terms(prefix[:MAX_QUERY])
        if not found:
            return []
        folded = folded_name(prefix)
        rows = self._rows(
            "SELECT entity, kind, text, 1e6 + weight FROM field "
            "WHERE folded = ? AND kind != 'text' "
            "UNION ALL SELECT entity, kind, text, 1e3 + weight * 10 - length(text) / 1e3 "
            "FROM field "
            "WHERE folded > ? AND folded < ? AND kind != 'text' LIMIT ?",
            [folded, folded, folded + "\U0010ffff", _CANDIDATES],
        )
        rows += self._rows(
            "SELECT f.entity, f.kind, f.text, f.weight * -names.rank FROM names "
            "JOIN field f ON f.id = names.rowid WHERE names MATCH ? "
            f"ORDER BY names.rank LIMIT {_CANDIDATES}",
            [match_expression(found, prefix=True)],
        )
        return self._best(rows, found, limit, classes, prefix=True)

    def _best(
        self,
        rows: list[tuple],
        found: list[Term],
        limit: int,
        classes: frozenset[str] | None,
        *,
        prefix: bool,
    ) -> list[Hit]:
        best: dict[int, tuple] = {}
        for row in rows:
            if row[0] not in best or row[3] > best[row[0]][3]:
                best[row[0]] = row
        allowed = self._of_classes(best, classes)
        things = self.things(allowed)
        # equal scores by IRI: the same order whatever numbers the rows have (an index
        # updated in place numbers its new rows after the others)
        ranked = sorted(
            (r for r in best.values() if r[0] in allowed),
            key=lambda r: (-r[3], things[r[0]].iri),
        )[:limit]
        return [
            Hit(things[entity], snippet(text, found, prefix=prefix), score, kind, text)
            for entity, kind, text, score in ranked
        ]

    def named(self, name: str, classes: frozenset[str] | None = None) -> list[Thing]:
        """Things one of whose names is ``name`` (case, accents and spacing aside)."""
        rows = self._rows(
            "SELECT DISTINCT entity FROM field WHERE folded = ? AND kind != 'text'",
            [folded_name(name)],
        )
        allowed = self._of_classes((row[0] for row in rows), classes)
        things = self.things(allowed)
        return sorted(things.values(), key=lambda t: t.iri)

    def fields_of(self, iri: str, kind: str) -> list[str]:
        """The texts of one kind (``symbol``, ``number``, ``code``...) of a thing."""
        rows = self._rows(
            "SELECT f.text FROM field f JOIN entity e ON e.id = f.entity "
            "WHERE e.iri = ? AND f.kind = ? ORDER BY f.text",
            [iri, kind],
        )
        return [row[0] for row in rows]

    def some(self, classes: frozenset[str] | None, limit: int) -> list[Thing]:
        """A few things of ``classes``, by English name: what to offer for an empty value."""
        if classes is None:
            where, parameters = "", []
        else:
            where = (
                f"WHERE id IN (SELECT entity FROM entity_class WHERE class IN ({_marks(classes)}))"
            )
            parameters = sorted(classes)
        rows = self._rows(
            f"SELECT iri, type, label_en, label_zh FROM entity {where} "
            "ORDER BY label_en = '', label_en, iri LIMIT ?",
            [*parameters, limit],
        )
        return [Thing(*row) for row in rows]

    def names_of(self, classes: frozenset[str] | None, limit: int) -> dict[str, list[Thing]]:
        """The folded names of things of ``classes`` (at most ``limit``), with their things."""
        chosen = ""
        parameters: list[object] = []
        if classes is not None:
            chosen = (
                f"AND f.entity IN (SELECT entity FROM entity_class WHERE class IN "
                f"({_marks(classes)}))"
            )
            parameters = sorted(classes)
        rows = self._rows(
            "SELECT f.folded, e.iri, e.type, e.label_en, e.label_zh FROM field f "
            f"JOIN entity e ON e.id = f.entity WHERE f.kind != 'text' {chosen} "
            "ORDER BY f.id LIMIT ?",
            [*parameters, limit],
        )
        named: dict[str, list[Thing]] = {}
        for folded, *thing in rows:
            named.setdefault(folded, []).append(Thing(*thing))
        return named

    def is_of(self, iri: str, classes: frozenset[str] | None) -> bool:
        rows = self._rows("SELECT id FROM entity WHERE iri = ?", [iri])
        return bool(rows) and bool(self._of_classes([rows[0][0]], classes))


def _marks(values: Iterable[object]) -> str:
    return ",".join("?" for _ in values)


def snippet(text: str, found: list[Term], *, prefix: bool = False) -> str:
    """``text`` around its first hit, escaped for HTML, every hit in ``<mark>``."""
    marks = hits(text, found, prefix=prefix)
    start, end = 0, len(text)
    if len(text) > SNIPPET_WIDTH * 2:
        first = marks[0][0] if marks else 0
        start = max(0, first - SNIPPET_WIDTH // 2)
        end = min(len(text), start + SNIPPET_WIDTH * 2)
    parts = ["…" if start > 0 else ""]
    position = start
    for mark_start, mark_end in marks:
        if mark_start < start or mark_end > end:
            continue
        parts.append(html.escape(text[position:mark_start]))
        parts.append(f"<mark>{html.escape(text[mark_start:mark_end])}</mark>")
        position = mark_end
    parts.append(html.escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts)
