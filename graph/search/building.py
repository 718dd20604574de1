"""The search index, written with the dataset: SQLite with FTS5 (the standard library's sqlite3).

One row per thing (``entity``: its IRI, its kind, its English and Chinese names), the classes it
is an instance of, with their superclasses (``entity_class``), and one row per text that names
or describes it (``field``): labels in every language, acronyms, symbols, resolution numbers and
country codes (``names``, searched as they are typed, for autocomplete and names), and the texts
of paragraphs, reasons and definitions (``texts``). Each field's words go into one of two FTS5
tables, ``names`` or ``texts``, by ``rowid`` (see ``tokens`` for the columns); both are
contentless: the field table keeps the words once, for snippets. ``texts`` keeps no lengths
(``columnsize=0``): its texts are ranked by how often they hold the words, not also by how
short they are, because reading every matching text's length is most of the cost of ranking a
common word over many paragraphs (``benchmarks/search.py``); names keep theirs, a short name
that is all the words ranking first.

The same graph always gives the same file, byte for byte: rows are written in one order. What
the index keeps of a thing is made from its statements as rows (``indexed``), whether they come
from the build's graph (``things_of``) or are staged from a server's store (``staged``).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from rdflib import DCTERMS, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from habitat_kg.graph.search.tokens import columns, fold
from habitat_kg.namespaces import HKG, ORG, PROV

#: The file beside the dataset (``habitat-kg.trig``) that the server opens read-only.
INDEX_FILE = "habitat-kg.search.sqlite"
#: Written in the index; an index of another version is rebuilt, not read.
SCHEMA_VERSION = "2"

#: Properties whose values name a thing: (kind of field, weight in the ranking).
NAME_PROPERTIES: dict[URIRef, tuple[str, float]] = {
    RDFS.label: ("label", 4.0),
    SKOS.prefLabel: ("label", 4.0),
    SKOS.altLabel: ("name", 3.0),
    HKG.acronym: ("name", 3.0),
    HKG.symbol: ("symbol", 3.0),
    HKG.resolutionNumber: ("number", 2.0),
    HKG.iso3166Alpha3: ("code", 2.0),
    DCTERMS.title: ("label", 2.0),
}
#: Properties whose values say something about a thing, searched as running text: what the
#: record's statements say weighs more than what describes a term.
TEXT_PROPERTIES: dict[URIRef, tuple[str, float]] = {
    **dict.fromkeys(
        (HKG.text, HKG.reason, HKG.outcome, HKG.nextStep, HKG.operativeRequest), ("text", 1.0)
    ),
    **dict.fromkeys((SKOS.definition, RDFS.comment, DCTERMS.description), ("text", 0.7)),
}
#: Things never offered by name: statements and associations are the graph's bookkeeping.
_UNLISTED = {str(c) for c in (HKG.Statement, RDF.Statement, PROV.Association)}
#: Classes no more telling than "a thing": never shown as what a thing is.
_GENERAL = {
    str(c)
    for c in (PROV.Entity, PROV.Activity, PROV.Agent, PROV.Location, PROV.Plan, ORG.Organization)
}
_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_FIELD_PROPERTIES = (*NAME_PROPERTIES, *TEXT_PROPERTIES)
_FIELDS = {str(p): value for p, value in (NAME_PROPERTIES | TEXT_PROPERTIES).items()}
#: The properties a thing's English and Chinese names are taken from, in order.
_LABELS = tuple(str(p) for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title))
#: What is read of a thing: its names, texts and classes.
OF_A_THING = {*_FIELDS, _TYPE}

_PRAGMAS = "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF;"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
    label_en TEXT NOT NULL, label_zh TEXT NOT NULL
);
CREATE TABLE entity_class (
    class TEXT NOT NULL, entity INTEGER NOT NULL, PRIMARY KEY (class, entity)
) WITHOUT ROWID;
CREATE TABLE field (
    id INTEGER PRIMARY KEY, entity INTEGER NOT NULL, kind TEXT NOT NULL, lang TEXT NOT NULL,
    weight REAL NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL
);
CREATE INDEX field_entity ON field (entity);
CREATE INDEX field_folded ON field (folded);
CREATE VIRTUAL TABLE names USING fts5 (
    words, grams, content='', tokenize='unicode61 remove_diacritics 0', prefix='1 2 3'
);
CREATE VIRTUAL TABLE texts USING fts5 (
    words, grams, content='', tokenize='unicode61 remove_diacritics 0', columnsize=0
);
"""


@dataclass(frozen=True)
class Field:
    """One text of a thing, as indexed."""

    kind: str
    lang: str
    weight: float
    text: str

    @property
    def is_name(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Thing:
    """A thing the index knows: its IRI, kind (the local name of its class) and names."""

    iri: str
    type: str
    label_en: str
    label_zh: str

    @property
    def label(self) -> str:
        return self.label_en or self.label_zh or self.iri


@dataclass(frozen=True)
class Indexed(Thing):
    """A thing of the graph with everything the index keeps about it."""

    classes: tuple[str, ...]
    fields: tuple[Field, ...]


def folded_name(text: str) -> str:
    """A name as it is compared with what a user typed: case, accents and spacing ignored."""
    return " ".join(fold(text).split())


class Row(NamedTuple):
    """One statement as the index reads it: its subject and object as written in ``term`` (an
    IRI, or ``_:`` and a blank node's id), the object's text and language if it is a literal."""

    subject: str
    predicate: str
    value: str
    language: str
    literal: bool


def term(iri_or_blank: str, blank: bool) -> str:
    """A subject or object IRI or blank node as a row keeps it."""
    return f"_:{iri_or_blank}" if blank else iri_or_blank


class Hierarchy:
    """The class hierarchy (``rdfs:subClassOf``, which the ontology keeps small): each class as
    a row keeps it, with the classes right above it."""

    def __init__(self) -> None:
        self.above: dict[str, set[str]] = {}
        self._closures: dict[str, frozenset[str]] = {}

    def add(self, row: Row) -> None:
        if row.predicate == _SUBCLASS and not row.literal:
            self.above.setdefault(row.subject, set()).add(row.value)

    def superclasses(self, cls: str) -> frozenset[str]:
        """``cls`` and every class above it."""
        if cls not in self._closures:
            seen, todo = {cls}, [cls]
            while todo:
                for above in self.above.get(todo.pop(), ()):
                    if above not in seen:
                        seen.add(above)
                        todo.append(above)
            self._closures[cls] = frozenset(seen)
        return self._closures[cls]


def indexed(subject: str, rows: list[Row], hierarchy: Hierarchy) -> Indexed | None:
    """The thing ``subject`` (an IRI) as the index keeps it, from the rows whose subject it is;
    None when nothing names or describes it, or when it is bookkeeping (``_UNLISTED``)."""
    fields = set()
    direct = set()
    for row in rows:
        if row.predicate == _TYPE and not row.literal and not row.value.startswith("_:"):
            direct.add(row.value)
        elif row.predicate in _FIELDS and row.literal and row.value.strip():
            kind, weight = _FIELDS[row.predicate]
            fields.add(Field(kind, row.language, weight, row.value.strip()))
    if not fields or direct & _UNLISTED:
        return None
    superclasses = {cls: hierarchy.superclasses(cls) for cls in direct}
    closure = set().union(*superclasses.values())
    return Indexed(
        iri=subject,
        type=_most_specific(direct, superclasses),
        label_en=_label(rows, "en"),
        label_zh=_label(rows, "zh"),
        classes=tuple(sorted(c.removeprefix("_:") for c in closure)),
        fields=tuple(sorted(fields, key=_field_order)),
    )


def things_of(graph: Graph, subjects: Collection[URIRef] | None = None) -> list[Indexed]:
    """Every named or described IRI of ``graph`` (the merged layers), in IRI order; with
    ``subjects``, those of them only (an index brought up to date in place: ``updating``)."""
    hierarchy = Hierarchy()
    for row in _rows(graph.triples((None, RDFS.subClassOf, None))):
        hierarchy.add(row)
    described = {s for p in _FIELD_PROPERTIES for s in graph.subjects(p) if isinstance(s, URIRef)}
    if subjects is not None:
        described &= set(subjects)
    found = []
    for subject in sorted(described):
        rows = [
            row
            for row in _rows(graph.triples((subject, None, None)))
            if row.predicate in OF_A_THING
        ]
        thing = indexed(str(subject), rows, hierarchy)
        if thing is not None:
            found.append(thing)
    return found


def _rows(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[Row]:
    for subject, predicate, value in triples:
        kept = term(str(subject), isinstance(subject, BNode))
        if isinstance(value, Literal):
            yield Row(kept, str(predicate), str(value), value.language or "", True)
        else:
            yield Row(kept, str(predicate), term(str(value), isinstance(value, BNode)), "", False)


def _field_order(field: Field) -> tuple[str, str, str, float]:
    return field.kind, field.lang, field.text, field.weight


def _most_specific(direct: set[str], superclasses: dict[str, frozenset[str]]) -> str:
    """The local name of the class of ``direct`` that no other of them lies below."""
    telling = sorted(c for c in direct if c not in _GENERAL) or sorted(direct)
    for cls in telling:
        if not any(cls in superclasses.get(other, ()) for other in telling if other != cls):
            return _local(cls)
    return _local(telling[0]) if telling else ""


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


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


def write_index(path: Path, things: Iterable[Indexed]) -> None:
    """Write the index of ``things`` to ``path`` (a new file; the build swaps folders whole).

    SQLite's refusals to write (a full disk) are raised as the OSError they are, so that the
    build names the folder and the reason as for its other files.
    """
    try:
        connection = sqlite3.connect(path)
        try:
            connection.executescript(
                "PRAGMA page_size = 4096; PRAGMA journal_mode = OFF;" + _SCHEMA
            )
            with connection:
                connection.execute("INSERT INTO meta VALUES ('version', ?)", (SCHEMA_VERSION,))
                _insert(connection, things)
                for table in ("names", "texts"):
                    connection.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            connection.execute("VACUUM")
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        code = errno.ENOSPC if "full" in str(error) else errno.EIO
        raise OSError(code, os.strerror(code) if code == errno.ENOSPC else str(error)) from None


def _insert(connection: sqlite3.Connection, things: Iterable[Indexed]) -> None:
    insert_things(connection, ((number, thing) for number, thing in enumerate(things, 1)), 0)


def insert_things(
    connection: sqlite3.Connection, numbered: Iterable[tuple[int, Indexed]], field_id: int
) -> None:
    """Write each thing under its number, its fields numbered from after ``field_id``."""
    for number, thing in numbered:
        connection.execute(
            "INSERT INTO entity VALUES (?, ?, ?, ?, ?)",
            (number, thing.iri, thing.type, thing.label_en, thing.label_zh),
        )
        connection.executemany(
            "INSERT INTO entity_class VALUES (?, ?)", [(c, number) for c in thing.classes]
        )
        for field in thing.fields:
            field_id += 1
            connection.execute(
                "INSERT INTO field VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    field_id,
                    number,
                    field.kind,
                    field.lang,
                    field.weight,
                    field.text,
                    folded_name(field.text) if field.is_name else "",
                ),
            )
            table = "names" if field.is_name else "texts"
            words, grams = columns(field.text)
            connection.execute(
                f"INSERT INTO {table} (rowid, words, grams) VALUES (?, ?, ?)",
                (field_id, words, grams),
            )


def build_index(graph: Graph, path: Path) -> None:
    """The index of ``graph`` (the dataset's layers merged) written to ``path``."""
    write_index(path, things_of(graph))


#: The properties the index reads: names, texts, and what things are.
_READ = {str(p) for p in (*NAME_PROPERTIES, *TEXT_PROPERTIES, RDF.type, RDFS.subClassOf)}
#: The same, in order: what a server without an index asks its store for (one query each).
INDEXED_PROPERTIES: tuple[str, ...] = tuple(sorted(_READ))


def build_index_from_rows(merged: bytes, path: Path) -> None:
    """The index of the merged graph given as N-Triples ``merged`` (the build's rows); only the
    rows of the properties the index reads are parsed."""
    graph = Graph()
    wanted = b"".join(
        line + b"\n"
        for line in merged.splitlines()
        if line.split(b" ", 2)[1][1:-1].decode("utf-8") in _READ
    )
    graph.parse(data=wanted, format="nt")
    build_index(graph, path)
