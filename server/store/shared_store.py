"""One copy of the graph on disk that the query workers read together, so that the memory the
server holds does not grow with its workers.

A worker that loads the dataset in memory holds a copy of the graph of its own (some 380 MiB at
a million triples). Workers forked from one process that loaded it would not stay shared:
Oxigraph's in-memory store writes to every node a query reads (its lock and reference counts),
so each page a query touches is copied into the worker that touched it. An Oxigraph store on
disk, opened read-only by every worker, is read through the operating system's page cache,
which holds one copy for all of them (and gives it back when memory is short); each worker keeps
only its own small caches.

The store is prepared when the pool starts, from the dataset, in a process of its own (so that
what loading takes is given back when it ends), while the workers in memory load the graph and
then answer (its readers join once it is loaded: ``worker_starts``); in a folder of the system's
temporary folder that the pool deletes when it closes (one left by a server that was killed is
deleted by the next pool that starts; a pool closed while it loads ends the loading process).

Updates (``replace_graphs``): a store opened read-only must not be written while it is open, so
an update makes a new *generation* of the store beside it: a checkpoint of the current one (hard
links to its files, which are never changed), opened for writing in a process of its own, given
the quads that differ (``worker.apply_update``, as a worker in memory applies them), and closed.
Then the file ``current`` names it, and every reader opens it before its next query (the pool
sends it the update as it does to a worker in memory; see ``worker.run_worker``). A generation
no worker reads any more is deleted.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from habitat_kg.outputs import process_alive

#: The file of the shared folder that names the generation to open.
CURRENT = "current"
#: The note, in each generation, of the triples it holds (counting them costs a while).
TRIPLES_NOTE = "triples.json"
#: How the shared folders are named: the prefix, then the id of the process that made it.
FOLDER_PREFIX = "habitat-kg-shared-"
#: How much lower the first load runs than the server's other processes (``nice``).
BEHIND = 10
#: Seconds the preparation of the store (or of one update) may take.
PREPARE_LIMIT = 900.0


#: How an update message is applied to a store: (store, message, body, triples it holds) ->
#: ``("replaced", triples)`` or ``("failed", why)``.
Applying = Callable[[ox.Store, tuple, bytes, int], tuple]


class SharedStoreError(OSError):
    """The shared store could not be prepared or brought up to date (the message says why)."""


def open_current(folder: str | Path) -> tuple[ox.Store, int]:
    """The generation of the shared store that ``folder``'s ``current`` names, opened
    read-only, and the triples it holds."""
    generation = Path(folder) / Path(folder, CURRENT).read_text(encoding="utf-8").strip()
    return ox.Store.read_only(str(generation)), _triples(generation)


class SharedStore:
    """The shared folder of one pool: its generations, and which is current."""

    def __init__(self, folder: Path, context: multiprocessing.context.BaseContext) -> None:
        self.folder = folder
        self._context = context
        #: The pool's update generation each store generation holds, by folder name.
        self._held: dict[str, int] = {}
        self.current = ""
        #: The process now writing a generation (``close`` ends it), and whether it is closed.
        self._writing: BaseProcess | None = None
        self._closed = False

    @classmethod
    def made(cls, context: multiprocessing.context.BaseContext) -> SharedStore:
        """A new, empty shared folder (``load`` fills it)."""
        _delete_abandoned()
        return cls(Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")), context)

    def load(self, dataset: Path, generation: int) -> None:
        """Load the dataset at ``dataset``, which holds update ``generation``, as the first
        generation (SharedStoreError if it could not be: a dataset that does not parse, a full
        disk, the folder closed meanwhile)."""
        triples = self._apart(_load_behind, str(dataset), str(self.folder / "g0"))
        if self._closed:  # its folder is gone
            raise SharedStoreError("the pool has closed")
        self._made("g0", generation, triples)

    def update(self, generation: int, apply: Applying, message: tuple, body: bytes) -> None:
        """Make generation ``generation``: the current one with the update ``message`` (and its
        ``body``) applied by ``apply`` (the rule the workers in memory apply it by, see
        worker.apply_update); then make it current. SharedStoreError (nothing changed) if it
        could not be made."""
        name = f"g{generation}"
        source, target = self.folder / self.current, self.folder / name
        try:
            triples = self._apart(_updated, str(source), str(target), apply, message, body)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._made(name, generation, triples)

    def forget_before(self, generation: int) -> None:
        """Delete the generations older than ``generation`` (no worker reads them any more),
        never the current one."""
        for name, held in list(self._held.items()):
            if held < generation and name != self.current:
                shutil.rmtree(self.folder / name, ignore_errors=True)
                del self._held[name]

    @property
    def generation(self) -> int:
        """The update generation the current store holds."""
        return self._held.get(self.current, 0)

    def close(self) -> None:
        """End the process writing a generation, if one does, and delete the shared folder
        (its readers have ended)."""
        self._closed = True
        writing = self._writing
        if writing is not None:
            with contextlib.suppress(ValueError, AttributeError):  # ended and closed meanwhile
                writing.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _apart(self, work: Callable[..., int], *args: Any) -> int:
        """``work(*args)`` run in a process of its own: what it loads is given back when it
        ends. SharedStoreError with its message if it fails, ends without an answer (killed by
        ``close``), or takes longer than PREPARE_LIMIT."""
        receiving, sending = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_answer,
            args=(sending, work, *args),
            name="habitat-kg-shared-store",
            daemon=True,
        )
        if self._closed:
            raise SharedStoreError("the pool has closed")
        self._writing = process
        process.start()
        sending.close()
        try:
            if self._closed:  # closed before the process was there to be ended
                process.kill()
            if not receiving.poll(PREPARE_LIMIT):
                raise SharedStoreError(f"the shared store was not ready within {PREPARE_LIMIT:g} s")
            ok, value = receiving.recv()
        except EOFError:
            ok, value = False, "the process that prepares it ended"
        finally:
            receiving.close()
            if process.is_alive():
                process.kill()
            process.join()
            self._writing = None
        if not ok:
            raise SharedStoreError(f"the shared on-disk store could not be prepared: {value}")
        return value

    def _made(self, name: str, generation: int, triples: int) -> None:
        _write_atomically(self.folder / name / TRIPLES_NOTE, json.dumps({"triples": triples}))
        _write_atomically(self.folder / CURRENT, name + "\n")
        self._held[name] = generation
        self.current = name


def _load(dataset: str, target: str) -> int:
    store = ox.Store(target)
    store.bulk_load(path=dataset, format=ox.RdfFormat.TRIG)
    store.flush()
    return len(store)


def _load_behind(dataset: str, target: str) -> int:
    # the workers in memory load the graph meanwhile: they take the processor first, so that
    # the server answers sooner
    os.nice(BEHIND)
    return _load(dataset, target)


def _updated(source: str, target: str, apply: Applying, message: tuple, body: bytes) -> int:
    # A checkpoint of a store opened read-only: hard links to its files, which RocksDB never
    # changes; the writes below go to the new folder's own files.
    ox.Store.read_only(source).backup(target)
    store = ox.Store(target)
    reply = apply(store, message, body, _triples(Path(source)))
    store.flush()
    if reply[0] != "replaced":
        raise SharedStoreError(reply[1])
    return int(reply[1])


def _triples(generation: Path) -> int:
    try:
        note = json.loads((generation / TRIPLES_NOTE).read_text(encoding="utf-8"))
        return int(note["triples"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _answer(sending: Connection, work: Callable[..., int], *args: Any) -> None:
    try:
        answer = (True, work(*args))
    except (OSError, SyntaxError, ValueError) as error:
        answer = (False, str(error))
    # the server may have stopped (and deleted the folder) meanwhile: nobody to tell
    with contextlib.suppress(OSError):
        sending.send(answer)


def _delete_abandoned() -> None:
    """Delete the shared folders of servers that ended without deleting theirs (killed): only
    folders of this user (not links), whose server's process is gone."""
    with contextlib.suppress(OSError):
        for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
            pid = folder.name[len(FOLDER_PREFIX) :].split("-")[0]
            status = folder.lstat()
            ours = stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()
            if ours and pid.isdigit() and not process_alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
