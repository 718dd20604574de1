"""The default store: pyoxigraph, in memory or on disk, asked directly (no rdflib conversion).

On disk (``oxigraph:PATH``) the store keeps the dataset between starts: beside Oxigraph's own
files it keeps a note of the SHA-256 of the TriG file it loaded, and loading the same file again
does nothing, so a restart answers at once. Another file (a new build) replaces the contents.
Since that empties the folder, a folder is used only when it is new, empty, or a store made here
(its marker ``.habitat-kg-store``, or the note from before the marker).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from habitat_kg.outputs import STORE_MARKER, check_store_folder, store_marker_text, writing
from habitat_kg.server.store.base import QueryError, QueryResult, Solutions, Term, Triples

if TYPE_CHECKING:  # rdflib only where a graph is added: a query worker never imports it
    from rdflib import Graph


def term_of(node: object) -> Term | None:
    """A pyoxigraph term as the store interface carries it (None for an unbound variable)."""
    if node is None:
        return None
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term("literal", node.value, node.datatype.value, node.language)
    raise QueryError(f"the store returned a term this interface does not carry: {node!r}")


#: The note, in an on-disk store's folder, of the dataset it holds (Oxigraph ignores the file).
LOADED_NOTE = "habitat-kg-dataset.json"


class OxigraphStore:
    """pyoxigraph's store; ``path`` keeps it on disk between starts."""

    def __init__(self, path: Path | None = None) -> None:
        """Raises TargetError, touching nothing, when ``path`` is a file or a folder of files
        that is not a store made here (it would be emptied), or cannot be made or opened."""
        self.path = path
        if path is None:
            self._store = ox.Store()
            return
        with writing(path, "the Oxigraph store here"):
            unmarked = check_store_folder(path, LOADED_NOTE)
            path.mkdir(parents=True, exist_ok=True)
            if unmarked:
                (path / STORE_MARKER).write_text(store_marker_text(), encoding="utf-8")
            self._store = ox.Store(str(path))

    def load_dataset(self, path: Path) -> None:
        """Load the TriG file at ``path``; on disk, only if the store does not hold it yet.

        The note of the dataset held gives its SHA-256, its triples, and the stamp of the file it
        came from (``_file_stamp``): when the file has that stamp still, it is not read again
        (hashing a large dataset would take longer than a restart may); when only its contents are
        the same (a copy, a touch), the note is brought up to date and nothing is loaded.
        """
        if self.path is None:
            # lenient: the build wrote the file from terms it had checked, so the parser need
            # not check every IRI and language tag again (much of a large load's time); the
            # quads are the same, and a file that is not TriG is still refused
            self._store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG, lenient=True)
            return
        seen = _file_stamp(path)
        note = self._note()
        if note.get("file") == seen:
            return
        checksum = file_checksum(path)
        same = note.get("sha256") == checksum  # a copy or a touch of the dataset held
        with writing(self.path, "the Oxigraph store here"):
            if not same:
                self._reload(path)
            triples = note.get("triples") if same else None
            held = {
                "sha256": checksum,
                "dataset": str(path),
                "file": seen,
                "triples": triples if isinstance(triples, int) else len(self._store),
            }
            _write_note(self.path, held)

    def _reload(self, path: Path) -> None:
        assert self.path is not None
        # The note goes first and comes back last: a load cut short is redone at the next start.
        (self.path / LOADED_NOTE).unlink(missing_ok=True)
        self._store.clear()
        self._store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
        self._store.flush()

    def _note(self) -> dict:
        """The note of the dataset this on-disk store holds ({} when there is none to trust)."""
        assert self.path is not None
        not_empty = next(iter(self._store.quads_for_pattern(None, None, None)), None) is not None
        return _read_note(self.path) if not_empty else {}

    def query(self, sparql: str) -> QueryResult:
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise QueryError(str(error)) from None
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(variable.value for variable in result.variables)
            rows = tuple(
                tuple(term_of(solution[name]) for name in variables) for solution in result
            )
            return Solutions(variables, rows)
        return Triples(
            tuple((term_of(t.subject), term_of(t.predicate), term_of(t.object)) for t in result)
        )

    def triple_count(self) -> int:
        return len(self._store)

    def add_graph(self, graph: Graph) -> None:
        """Add the triples of an rdflib graph to the default graph, blank nodes keeping their ids
        (so a report's results, asked for here, name the nodes of ``graph``)."""
        from habitat_kg.rdf import oxigraph_term

        self._store.extend(
            ox.Quad(oxigraph_term(subject), oxigraph_term(predicate), oxigraph_term(value))  # type: ignore[arg-type]
            for subject, predicate, value in graph
        )


def triples_held(path: Path) -> int | None:
    """The triples of the dataset the on-disk store at ``path`` was loaded with, from its note
    (None without one): counting them in the store would cost seconds on a large graph, on every
    start of every query worker. Only a load writes the store, and it writes the note last."""
    triples = _read_note(path).get("triples")
    return triples if isinstance(triples, int) else None


def _read_note(folder: Path) -> dict:
    try:
        note = json.loads((folder / LOADED_NOTE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}


def _write_note(folder: Path, note: dict) -> None:
    """Write the note whole or not at all (a note cut short would be read as none: a reload)."""
    partial = folder / (LOADED_NOTE + ".partial")
    partial.write_text(json.dumps(note) + "\n", encoding="utf-8")
    os.replace(partial, folder / LOADED_NOTE)


def _file_stamp(path: Path) -> dict[str, int | str]:
    """What tells that the file is the one loaded, unchanged, without reading it: where it is,
    which file it is, its size, and when its contents and its inode last changed (a copy made
    with its times kept, 'cp -p' or 'rsync -t', has the times but not the inode or its change
    time)."""
    status = path.stat()
    return {
        "path": str(path.resolve()),
        "device": status.st_dev,
        "inode": status.st_ino,
        "size": status.st_size,
        "mtime_ns": status.st_mtime_ns,
        "ctime_ns": status.st_ctime_ns,
    }


def file_checksum(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (a 1-million-triple dataset is ~100 MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
