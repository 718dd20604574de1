"""The builder's ledger: what each source contributed to the last build, kept beside the build
folder in one SQLite file, so that the next build recomputes only what a changed file touches.

Tables (every change of a build is one transaction: a build that fails leaves the ledger as the
last good build left it):

- ``meta``: the ledger's identity (a random id, made once), the builder's code digest, the
  *state* (a number raised by every build that changed something), the ontology's classes that
  the checks need, the number of triples of the dataset.
- ``units``: one row per source unit (``ontology``, ``reference``, ``report/<file>``,
  ``resolution/<file>``, ``curated/<path>``: a paragraph's file of accepted statements is a
  unit of its own, ``sources.py``): the digest of its file(s), its layer, the rows it
  contributes and what its checks need again (``units.py``; packed as ``packing.py`` says).
- ``present``: for each (row, layer), how many units contribute the row: a row leaves the layer
  when the last unit that gave it no longer does.
- ``facts``: what the steps across files read from each unit (labels for the mention gazetteer,
  names and contexts for the curated checks, mentions and uses for the unused-mention notes).
- ``gazetteer``: the mention gazetteer the document layers were built with (form to entity).
- ``named``: for each (subject, language), how many curated label rows the curated layer holds
  (a curated label replaces the parser's label in that language).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from habitat_kg.errors import TargetError
from habitat_kg.graph.incremental.packing import pack_rows, packed, unpack_rows, unpacked

#: The ledger's schema; a ledger of another format is set aside and a full build made.
FORMAT = "1"
LEDGER_FILE = "ledger.sqlite"
#: Seconds a build waits for another process's build of the same folder to end.
BUSY_SECONDS = 120.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    name TEXT PRIMARY KEY, digest TEXT NOT NULL, layer TEXT NOT NULL,
    rows BLOB NOT NULL, extra BLOB
);
CREATE TABLE IF NOT EXISTS present (
    row TEXT NOT NULL, layer TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (row, layer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facts (
    unit TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (unit, kind, key, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facts_by_key ON facts (kind, key);
CREATE INDEX IF NOT EXISTS facts_by_value ON facts (kind, value);
CREATE TABLE IF NOT EXISTS gazetteer (form TEXT PRIMARY KEY, entity TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS named (
    subject TEXT NOT NULL, lang TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (subject, lang)
) WITHOUT ROWID;
"""


def ledger_folder(out_dir: Path) -> Path:
    """Where the ledger of the build folder ``out_dir`` lives: beside it, so that the build
    folder is still replaced whole (``.build.build-cache`` for ``build``)."""
    target = out_dir.resolve() if out_dir.is_symlink() else out_dir
    return target.with_name(f".{target.name}.build-cache")


@dataclass(frozen=True)
class StoredUnit:
    """A unit as the ledger holds it."""

    name: str
    digest: str
    layer: str
    rows: frozenset[str]
    extra: Any


class Ledger:
    """An open ledger; use :meth:`opened` (one write transaction for the whole build)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    @classmethod
    @contextlib.contextmanager
    def opened(cls, out_dir: Path, code: str, *, write: bool = True) -> Iterator[Ledger]:
        """The ledger of ``out_dir`` in one transaction (committed when the block ends without
        an error, rolled back otherwise). A ledger of another builder version or format, or a
        broken one, is emptied: the build is then a full one. A ledger the system will not let
        us write (a full disk, a read-only file system) is a TargetError naming the build
        folder, and a ledger folder this build made is removed again."""
        folder = ledger_folder(out_dir)
        made = not folder.exists()
        try:
            ledger = cls._open(folder, code, write)
        except (OSError, sqlite3.Error) as error:
            _remove(folder, made and write)
            raise _unwritable(out_dir, error) from None
        try:
            yield ledger
            ledger.db.commit()
        except BaseException as error:
            with contextlib.suppress(sqlite3.Error):
                ledger.db.rollback()
            ledger.db.close()
            _remove(folder, made and write)
            if isinstance(error, sqlite3.Error):
                raise _unwritable(out_dir, error) from None
            raise
        else:
            ledger.db.close()

    @classmethod
    def _open(cls, folder: Path, code: str, write: bool) -> Ledger:
        path = folder / LEDGER_FILE
        if write:
            folder.mkdir(parents=True, exist_ok=True)
        connection = _connect(path)
        try:
            ledger = cls(connection, path)
            ledger._begin(write)
            if write:
                ledger._check_version(code)
            return ledger
        except sqlite3.DatabaseError as error:
            connection.close()
            if not write or error.sqlite_errorname not in _BROKEN:
                raise
        # not a database, or a damaged one: start again from nothing
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        ledger = cls(_connect(path), path)
        ledger._begin(write)
        ledger._check_version(code)
        return ledger

    def _begin(self, write: bool) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            if write:
                for statement in _SCHEMA.strip().split(";"):
                    if statement.strip():
                        self.db.execute(statement)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorname in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                raise TargetError(
                    self.path.parent,
                    "another build of this folder is running (its ledger is locked); "
                    "try again when it is done",
                ) from None
            raise

    def _check_version(self, code: str) -> None:
        if self.meta("format") == FORMAT and self.meta("code") == code:
            return
        identity = self.meta("ledger")
        for table in ("units", "present", "facts", "gazetteer", "named", "meta"):
            self.db.execute(f"DELETE FROM {table}")
        self.set_meta("format", FORMAT)
        self.set_meta("code", code)
        self.set_meta("ledger", identity or uuid.uuid4().hex)
        # the state goes on from the old one: a build folder written from it stays older
        self.set_meta("state", self.meta("state") or "0")

    # --- meta ---------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        found = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return found[0] if found else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def identity(self) -> str:
        return self.meta("ledger") or ""

    @property
    def state(self) -> int:
        return int(self.meta("state") or 0)

    @property
    def is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM units LIMIT 1").fetchone() is None

    # --- units --------------------------------------------------------------------------------

    def digests(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, digest FROM units"))

    def unit(self, name: str) -> StoredUnit | None:
        found = self.db.execute(
            "SELECT digest, layer, rows, extra FROM units WHERE name = ?", (name,)
        ).fetchone()
        if found is None:
            return None
        digest, layer, rows, extra = found
        return StoredUnit(name, digest, layer, unpack_rows(rows), unpacked(extra))

    def put_unit(self, name: str, digest: str, layer: str, rows: Iterable[str], extra: Any) -> None:
        self.db.execute(
            "INSERT INTO units (name, digest, layer, rows, extra) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET digest = excluded.digest, layer = excluded.layer, "
            "rows = excluded.rows, extra = excluded.extra",
            (name, digest, layer, pack_rows(rows), packed(extra)),
        )

    def set_digest(self, name: str, digest: str) -> None:
        self.db.execute("UPDATE units SET digest = ? WHERE name = ?", (digest, name))

    def drop_unit(self, name: str) -> None:
        self.db.execute("DELETE FROM units WHERE name = ?", (name,))
        self.db.execute("DELETE FROM facts WHERE unit = ?", (name,))

    def unit_extra(self, name: str) -> Any:
        found = self.db.execute("SELECT extra FROM units WHERE name = ?", (name,)).fetchone()
        return unpacked(found[0]) if found else None

    # --- facts --------------------------------------------------------------------------------

    def facts_of(self, unit: str, kinds: Iterable[str]) -> set[tuple[str, str, str]]:
        wanted = tuple(kinds)
        marks = ",".join("?" * len(wanted))
        return set(
            self.db.execute(
                f"SELECT kind, key, value FROM facts WHERE unit = ? AND kind IN ({marks})",
                (unit, *wanted),
            )
        )

    def replace_facts(
        self, unit: str, kinds: Iterable[str], facts: Iterable[tuple[str, str, str]]
    ) -> None:
        wanted = tuple(kinds)
        marks = ",".join("?" * len(wanted))
        self.db.execute(
            f"DELETE FROM facts WHERE unit = ? AND kind IN ({marks})",
            (unit, *wanted),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO facts (unit, kind, key, value) VALUES (?, ?, ?, ?)",
            ((unit, kind, key, value) for kind, key, value in facts),
        )

    def values(self, kind: str, key: str) -> list[tuple[str, str]]:
        """(unit, value) of every fact of ``kind`` about ``key``, by unit."""
        return list(
            self.db.execute(
                "SELECT unit, value FROM facts WHERE kind = ? AND key = ? ORDER BY unit, value",
                (kind, key),
            )
        )

    def keys_with_value(self, kind: str, value: str) -> set[str]:
        return {
            key
            for (key,) in self.db.execute(
                "SELECT key FROM facts WHERE kind = ? AND value = ?", (kind, value)
            )
        }

    def has_fact(self, kind: str, key: str) -> bool:
        found = self.db.execute(
            "SELECT 1 FROM facts WHERE kind = ? AND key = ? LIMIT 1", (kind, key)
        ).fetchone()
        return found is not None

    def units_with(self, kind: str, keys: Iterable[str]) -> set[str]:
        """The units holding a fact of ``kind`` about any of ``keys``."""
        found: set[str] = set()
        for key in keys:
            found.update(
                unit
                for (unit,) in self.db.execute(
                    "SELECT DISTINCT unit FROM facts WHERE kind = ? AND key = ?", (kind, key)
                )
            )
        return found

    def all_facts(self, kind: str) -> list[tuple[str, str]]:
        return list(
            self.db.execute("SELECT DISTINCT key, value FROM facts WHERE kind = ?", (kind,))
        )

    # --- the gazetteer ------------------------------------------------------------------------

    def gazetteer(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT form, entity FROM gazetteer"))

    def gazetteer_entry(self, form: str) -> str | None:
        found = self.db.execute("SELECT entity FROM gazetteer WHERE form = ?", (form,)).fetchone()
        return found[0] if found else None

    def set_gazetteer_entry(self, form: str, entity: str | None) -> None:
        if entity is None:
            self.db.execute("DELETE FROM gazetteer WHERE form = ?", (form,))
        else:
            self.db.execute(
                "INSERT INTO gazetteer (form, entity) VALUES (?, ?) "
                "ON CONFLICT (form) DO UPDATE SET entity = excluded.entity",
                (form, entity),
            )

    # --- rows ---------------------------------------------------------------------------------

    def counts(self, rows: Iterable[str]) -> dict[str, dict[str, int]]:
        """For each row, the units contributing it, by layer."""
        found: dict[str, dict[str, int]] = {}
        for row in rows:
            found[row] = dict(
                self.db.execute("SELECT layer, n FROM present WHERE row = ?", (row,)).fetchall()
            )
        return found

    def change_counts(self, changes: dict[tuple[str, str], int]) -> None:
        self._change("present", ("row", "layer"), changes)

    def rows_with_prefix(self, prefix: str, layer: str) -> list[str]:
        """The rows of ``layer`` that begin with ``prefix`` (which ends in a space)."""
        upper = prefix[:-1] + "!"
        return [
            row
            for (row,) in self.db.execute(
                "SELECT row FROM present WHERE row >= ? AND row < ? AND layer = ?",
                (prefix, upper, layer),
            )
        ]

    def scan(self) -> Iterator[tuple[str, str]]:
        """Every (row, layer) with a unit contributing it, by row."""
        yield from self.db.execute("SELECT row, layer FROM present ORDER BY row")

    # --- curated labels -----------------------------------------------------------------------

    def named_counts(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        found = {}
        for subject, lang in keys:
            row = self.db.execute(
                "SELECT n FROM named WHERE subject = ? AND lang = ?", (subject, lang)
            ).fetchone()
            found[(subject, lang)] = row[0] if row else 0
        return found

    def change_named(self, changes: dict[tuple[str, str], int]) -> None:
        self._change("named", ("subject", "lang"), changes)

    def _change(
        self, table: str, key: tuple[str, str], changes: dict[tuple[str, str], int]
    ) -> None:
        """Adds ``changes`` to the counts ``n`` of ``table``, whose rows are keyed by the two
        columns ``key``; a key whose count falls to 0 is forgotten."""
        first, second = key
        self.db.executemany(
            f"INSERT INTO {table} ({first}, {second}, n) VALUES (?, ?, ?) "
            f"ON CONFLICT ({first}, {second}) DO UPDATE SET n = n + excluded.n",
            ((*pair, n) for pair, n in changes.items() if n),
        )
        # Only a fall can leave a count at 0 or below.
        self.db.executemany(
            f"DELETE FROM {table} WHERE {first} = ? AND {second} = ? AND n <= 0",
            (pair for pair, n in changes.items() if n < 0),
        )

    def all_named(self) -> set[tuple[str, str]]:
        return set(self.db.execute("SELECT subject, lang FROM named"))


#: SQLite's names of a file that is not a ledger any more (not a database, or damaged), and
#: the system's reasons behind its names of a refused write.
_BROKEN = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
_REASONS = {"SQLITE_FULL": "No space left on device", "SQLITE_READONLY": "Read-only file system"}


def _unwritable(out_dir: Path, error: OSError | sqlite3.Error) -> TargetError:
    """The error of a ledger the system will not let us keep, named by the build folder."""
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
    else:
        reason = _REASONS.get(getattr(error, "sqlite_errorname", ""), str(error))
    return TargetError(out_dir, f"cannot write the build here: {reason}")


def _remove(folder: Path, made: bool) -> None:
    if made:
        shutil.rmtree(folder, ignore_errors=True)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error:
        connection.close()
        raise
    return connection
