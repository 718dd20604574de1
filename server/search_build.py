"""The search index of a served graph written in a process of its own, from rows read in
batches: the server's own memory does not grow with the graph it indexes (``search_cache``
says when and where; ``graph/search/staged`` stages the rows on disk and writes the index).

Where the rows come from: for a server answering from the dataset file (in memory, or from a
store on disk made from it), that file, read as a stream (the index is named by the file's
stamp: it indexes what the file holds); for a SPARQL server given as the store (no file), the
store, one query per property (``search-index-rows.rq``) under the store's time limit, so one
property's answer at most is held at a time, in that process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from habitat_kg.graph.search.building import INDEXED_PROPERTIES, Row, term
from habitat_kg.graph.search.staged import StagedRows
from habitat_kg.server.store.base import Triples
from habitat_kg.server.store.shared_store import BEHIND

#: Seconds the process may take to write the index before it is ended.
BUILD_LIMIT = 1800.0
#: Statements of the dataset file read between two lines of progress.
PROGRESS_EVERY = 1_000_000
_WANTED = frozenset(INDEXED_PROPERTIES)


class BuildFailed(RuntimeError):
    """The index could not be written (the message says why)."""


def build_apart(
    context: multiprocessing.context.BaseContext,
    source: tuple[str, str, float],
    target: Path,
    progress: Callable[[str], None],
    started: Callable[[BaseProcess], None] = lambda _process: None,
) -> None:
    """Write the index of ``source`` (the store setting, the dataset file, the time limit of
    one query) to the new file ``target`` in a process of its own (given to ``started``, so that
    it can be ended), telling ``progress`` how far it is; BuildFailed if it cannot."""
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_build,
        args=(sending, *source, str(target)),
        name="habitat-kg-search-index",
        daemon=True,
    )
    process.start()
    sending.close()
    started(process)
    try:
        while True:
            if not receiving.poll(BUILD_LIMIT):
                raise BuildFailed(f"not written within {BUILD_LIMIT:g} s")
            kind, text = receiving.recv()
            if kind != "progress":
                break
            progress(text)
    except EOFError:
        kind, text = "failed", "the process writing it ended"
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join()
    if kind != "done":
        raise BuildFailed(text)


def _build(sending: Connection, store: str, dataset: str, timeout: float, target: str) -> None:
    """In the process of its own: stage the rows, write the index, say so on ``sending``."""
    # a stop of the server (SIGTERM) ends this too, with its files deleted
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server, which ends us
    os.nice(BEHIND)  # the query workers take the processor first
    staged = StagedRows(Path(target + ".rows"))
    answer = ("failed", "it was stopped")
    try:
        tell = _teller(sending)
        staged.add(_rows(store, Path(dataset), timeout, tell))
        tell(f"{staged.count} rows read; writing the index")
        staged.write_index(Path(target))
        answer = ("done", "")
    except Exception as error:  # told to the server, which says it to the searches
        answer = ("failed", f"{type(error).__name__}: {error}")
    finally:
        staged.close()
        if answer[0] != "done":  # nothing half-written is left
            Path(target).unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # the server may have stopped meanwhile
        sending.send(answer)


def _teller(sending: Connection) -> Callable[[str], None]:
    def tell(text: str) -> None:
        sending.send(("progress", text))

    return tell


def _rows(store: str, dataset: Path, timeout: float, tell: Callable[[str], None]) -> Iterator[Row]:
    if store == "memory" or store.startswith("oxigraph:"):
        return _file_rows(dataset, tell)
    return _store_rows(store, timeout, tell)


def _file_rows(dataset: Path, tell: Callable[[str], None]) -> Iterator[Row]:
    """The rows of the indexed properties in the dataset file (every graph), as it is read."""
    for number, quad in enumerate(ox.parse(path=str(dataset), format=ox.RdfFormat.TRIG), 1):
        if number % PROGRESS_EVERY == 0:
            tell(f"{number:,} statements of {dataset.name} read")
        if quad.predicate.value in _WANTED:
            row = _row(quad.subject, quad.predicate, quad.object)
            if row is not None:
                yield row


def _store_rows(store: str, timeout: float, tell: Callable[[str], None]) -> Iterator[Row]:
    """The rows of the indexed properties in a SPARQL server's dataset, a property at a time."""
    from habitat_kg.queries import load_query
    from habitat_kg.server.store.factory import open_store

    text = load_query("habitat_kg.server", "search-index-rows")
    remote = open_store(store, timeout=timeout)
    for number, iri in enumerate(INDEXED_PROPERTIES, 1):
        answer = remote.query(f"{text}VALUES ?property {{ <{iri}> }}\n")
        if not isinstance(answer, Triples):
            raise TypeError("search-index-rows.rq is a CONSTRUCT query")
        yield from _rows_of(answer)
        tell(f"{number} of {len(INDEXED_PROPERTIES)} properties read ({_local(iri)})")


def _rows_of(triples: Triples) -> Iterator[Row]:
    for subject, predicate, value in triples:
        if subject.kind in ("uri", "bnode") and value.kind in ("uri", "bnode", "literal"):
            yield _kept(
                subject.value,
                subject.kind == "bnode",
                predicate.value,
                value.value,
                value.kind,
                value.lang or "",
            )


def _row(subject: object, predicate: ox.NamedNode, value: object) -> Row | None:
    if not isinstance(subject, ox.NamedNode | ox.BlankNode):
        return None  # a quoted triple: nothing the index reads
    if isinstance(value, ox.Literal):
        kind, language = "literal", value.language or ""
    elif isinstance(value, ox.NamedNode | ox.BlankNode):
        kind, language = ("bnode" if isinstance(value, ox.BlankNode) else "uri"), ""
    else:
        return None
    blank = isinstance(subject, ox.BlankNode)
    return _kept(subject.value, blank, predicate.value, value.value, kind, language)


def _kept(subject: str, blank: bool, predicate: str, value: str, kind: str, language: str) -> Row:
    """The staged row of one statement, whichever store's terms it came as (``kind``: uri,
    bnode or literal, as the SPARQL results name them)."""
    if kind == "literal":
        return Row(term(subject, blank), predicate, value, language, True)
    return Row(term(subject, blank), predicate, term(value, kind == "bnode"), "", False)


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
