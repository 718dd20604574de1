"""The search index brought up to date in place, from the rows a build removed and added, so
that ``/search`` follows an accepted statement as the served graph does (the build folder is
written whole behind them, in minutes in a large project).

What the index keeps of a thing (its names, texts, classes and kind) comes from the thing's own
rows and from the class hierarchy, so a change is the things whose rows of the indexed
properties changed: each is read again from the ledger (its rows in every layer, placed in the
layer the build puts them) and its entity, classes and fields are replaced in one transaction,
its old words taken out of the FTS5 tables. A change of the class hierarchy reaches every thing:
that one is left to the whole write. The index then holds the same rows and ranks as one written
whole (``tests/test_search_updating.py`` compares them); only its row numbers differ.

The index says which build of the ledger it holds: after an update, in its ``meta`` table;
written whole, it is the build the ledger recorded as written (``build.record_written``, whose
dataset file is still there). An update applies only to an index at or after the build the
changes start from. One lock (a file in the ledger's folder) keeps an update and the swap of a
build folder apart: a folder written whole keeps the index it finds when that is newer than its
own (a later accept's, made while it was written).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, Graph, URIRef

from habitat_kg.graph.incremental.layers import DESCRIPTIONS, ORDER, Delta, final_layer
from habitat_kg.graph.incremental.ledger import Ledger, ledger_folder
from habitat_kg.graph.incremental.versions import code_digest
from habitat_kg.graph.search.building import (
    INDEX_FILE,
    INDEXED_PROPERTIES,
    Indexed,
    insert_things,
    things_of,
)
from habitat_kg.graph.search.tokens import columns
from habitat_kg.project import DATASET_FILE

#: The key of the index's ``meta`` row naming the ledger's build it holds (updated indexes only).
STATE_KEY = "ledger-state"
#: The lock file, in the ledger's folder beside the build folder.
LOCK_FILE = "search-index.lock"
#: Seconds an update waits for a reader's lock on the index.
BUSY_SECONDS = 30.0

_SUBCLASS = f"<{RDFS.subClassOf}>"
_READ = frozenset(f"<{iri}>" for iri in INDEXED_PROPERTIES)


def changed_subjects(delta: Delta) -> set[str] | None:
    """The things (N-Triples IRIs) whose index rows ``delta`` may change; None when it changes
    the class hierarchy, which every thing's classes depend on."""
    found: set[str] = set()
    for rows in (*delta.removed.values(), *delta.added.values()):
        for row in rows:
            subject, predicate, _ = row.split(" ", 2)
            if predicate == _SUBCLASS:
                return None
            if predicate in _READ and subject.startswith("<"):
                found.add(subject)
    return found


@contextlib.contextmanager
def index_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock of ``out_dir``'s index (none is needed where there is no ledger: then no
    update can run)."""
    folder = ledger_folder(out_dir)
    if not folder.is_dir():
        yield
        return
    with open(folder / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def stored_state(path: Path) -> int | None:
    """The ledger's build an updated index at ``path`` says it holds (None: written whole, or
    no index)."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            found = connection.execute(
                "SELECT value FROM meta WHERE key = ?", (STATE_KEY,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return int(found[0]) if found else None


def keep_newer_index(target: Path, staging: Path, state: int) -> bool:
    """Put ``target``'s index in ``staging`` in place of the one written there when it holds a
    later build than ``state`` (call under ``index_lock``); whether it did."""
    newer = stored_state(target / INDEX_FILE)
    if newer is None or newer <= state:
        return False
    written = staging / INDEX_FILE
    written.unlink(missing_ok=True)
    os.link(target / INDEX_FILE, written)  # the same file: an update after the swap reaches it
    return True


def update_index(out_dir: Path, previous: int, state: int, subjects: Iterable[str]) -> bool:
    """Bring the index in ``out_dir`` from the ledger's build ``previous`` to ``state``, whose
    changes touch ``subjects`` (N-Triples IRIs); False when the index holds an earlier or an
    unknown build (the next whole write brings it up to date)."""
    path = out_dir / INDEX_FILE
    wanted = sorted(set(subjects))
    with index_lock(out_dir), Ledger.opened(out_dir, code_digest(), write=False) as ledger:
        if not path.is_file():
            return False
        base = stored_state(path)
        if base is None:
            base = _written_state(out_dir, ledger)
        if base is None or base < previous:
            return False
        iris = _iris(wanted)
        things = things_of(_rows_graph(ledger, wanted), set(map(URIRef, iris))) if iris else []
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS)
        try:
            with connection:  # one transaction: a reader sees the index before or after
                _replace(connection, iris, things)
                connection.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (STATE_KEY, str(max(base, state))),
                )
        finally:
            connection.close()
    return True


def _written_state(out_dir: Path, ledger: Ledger) -> int | None:
    """The build the ledger last wrote whole, when the dataset file is still the one written."""
    written = json.loads(ledger.meta("written") or "{}")
    try:
        data = (out_dir / DATASET_FILE).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != written.get("sha256"):
        return None
    return written.get("state")


def _rows_graph(ledger: Ledger, subjects: list[str]) -> Graph:
    """The indexed rows of ``subjects`` in the merged graph, and the class hierarchy."""
    lines: list[str] = []

    def is_named(key: tuple[str, str]) -> bool:
        return ledger.named_counts([key])[key] > 0

    for subject in subjects:
        present: dict[str, list[str]] = {}
        for layer in ORDER:
            for row in ledger.rows_with_prefix(f"{subject} ", layer):
                if row.split(" ", 2)[1] in _READ:
                    present.setdefault(row, []).append(layer)
        for row in DESCRIPTIONS:  # what each layer says of itself (ledger or not)
            if row.startswith(f"{subject} ") and row.split(" ", 2)[1] in _READ:
                present.setdefault(row, [])
        lines += (row for row, layers in present.items() if final_layer(row, layers, is_named))
    # every class's superclasses: few rows, found by their predicate among all of them
    hierarchy = ledger.db.execute(
        "SELECT DISTINCT row FROM present WHERE instr(row, ?) > 0", (f" {_SUBCLASS} ",)
    )
    lines += (row for (row,) in hierarchy if row.split(" ", 2)[1] == _SUBCLASS)
    graph = Graph()
    graph.parse(data="".join(f"{line} .\n" for line in lines), format="nt")
    return graph


def _iris(subjects: list[str]) -> list[str]:
    """The IRIs the N-Triples terms ``subjects`` write."""
    data = "".join(f"{subject} <urn:x:p> <urn:x:o> .\n" for subject in subjects)
    parsed = ox.parse(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return [str(quad.subject.value) for quad in parsed]


def _replace(connection: sqlite3.Connection, iris: list[str], things: list[Indexed]) -> None:
    """Take the things ``iris`` out of the index and put ``things`` (their new selves) in."""
    numbers: dict[str, int] = {}
    for iri in iris:
        found = connection.execute("SELECT id FROM entity WHERE iri = ?", (iri,)).fetchone()
        if found is not None:
            numbers[iri] = found[0]
    (last_field,) = connection.execute("SELECT coalesce(max(id), 0) FROM field").fetchone()
    (last_entity,) = connection.execute("SELECT coalesce(max(id), 0) FROM entity").fetchone()
    for number in numbers.values():
        fields = connection.execute(
            "SELECT id, kind, text FROM field WHERE entity = ?", (number,)
        ).fetchall()
        for field_id, kind, text in fields:
            table = "texts" if kind == "text" else "names"
            # a contentless table forgets a row given the words it was given
            connection.execute(
                f"INSERT INTO {table} ({table}, rowid, words, grams) VALUES ('delete', ?, ?, ?)",
                (field_id, *columns(text)),
            )
        connection.execute("DELETE FROM field WHERE entity = ?", (number,))
        connection.execute("DELETE FROM entity_class WHERE entity = ?", (number,))
        connection.execute("DELETE FROM entity WHERE id = ?", (number,))
    numbered = []
    for thing in things:
        number = numbers.get(thing.iri)
        if number is None:
            last_entity += 1
            number = last_entity
        numbered.append((number, thing))
    insert_things(connection, numbered, last_field)
