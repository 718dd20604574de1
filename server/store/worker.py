"""A query worker: a process that holds the dataset in Oxigraph and answers queries, written out.

The pool (``pool.py``) ends a worker that runs past the time limit: only ending the process stops
an Oxigraph evaluation (an aggregate runs to its end whatever the caller does). A worker answers
with bytes already in the format asked for, so the server does no work per term.

Messages over the channel (``worker_channel.py``): the worker first sends ``("ready", triples,
named graph IRIs, memory limit in bytes)`` or ``("failed", message)``; then for each
:class:`WorkerRequest` (sent as a plain tuple, which pickles several times faster than a class)
one of ``("ok", format name, rows kept or None)`` with the answer's bytes as the message's body,
``("syntax", parser message)``, ``("error", message)`` or, refused memory past its limit,
``("memory",)`` before it ends. A message ``(REPLACE_GRAPHS, graph IRIs)`` with N-Quads as its
body replaces those graphs; ``(APPLY_CHANGES, n)`` removes the quads of the body's first ``n``
bytes and adds those of the rest (N-Quads): a reload of the served dataset
(``habitat_kg.server.reload``).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox

from habitat_kg.server.store import sandbox
from habitat_kg.server.store.formats import solutions_writer, write_triples
from habitat_kg.server.store.memory_limit import limit_in_worker
from habitat_kg.server.store.oxigraph import triples_held
from habitat_kg.server.store.shared_store import open_current
from habitat_kg.server.store.worker_channel import Channel


@dataclass(frozen=True, slots=True)
class DatasetSource:
    """Where a worker gets the graph: a TriG file to load, an Oxigraph store on disk, or
    (``shared``) the folder of the store the pool keeps on disk for its workers to share
    (``shared_store``), whose generation named ``current`` it reads."""

    path: str
    on_disk: bool = False
    shared: bool = False


#: The first field of a message that replaces named graphs (see replace_graphs); the message's
#: second field names the graphs, its body holds their new contents as N-Quads.
REPLACE_GRAPHS = "replace-graphs"
#: The first field of a message that removes and adds quads (see apply_changes).
APPLY_CHANGES = "apply-changes"


class WorkerRequest(NamedTuple):
    sparql: str
    #: The text to evaluate: ``sparql``, or it with a LIMIT that bounds the evaluation.
    evaluated: str
    #: Format name for a SELECT or ASK answer, and for a CONSTRUCT or DESCRIBE answer.
    solutions_format: str
    graph_format: str
    #: The protocol's default-graph-uri and named-graph-uri (None: the service's own dataset).
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    #: Whether the query names its own dataset with FROM (else the default graph is the union).
    query_sets_dataset: bool = False
    #: Cut the answer after this many rows (None: the query's own LIMIT is within the cap).
    max_rows: int | None = None


def run_worker(
    line: socket.socket, source: DatasetSource, prefixes: Mapping[str, str], memory_mb: int = 0
) -> None:
    """The worker's life: load the graph once, take its memory limit (``memory_mb`` MiB, 0: the
    graph + 1 GiB, see memory_limit), then answer requests until the pool's end of ``line``
    closes. (A worker answering several queries at once: ``worker_threads``.)"""
    started = start_worker([line], source, memory_mb)
    if started is None:
        return
    (channel,), store = started
    while True:
        try:
            message, body = channel.receive()
            if len(message) == 2 and message[0] in UPDATES:
                if source.shared:  # the pool has written the update into a new generation
                    store, held = _open(source)
                    channel.send(("replaced", held))
                else:
                    channel.send(apply_update(store, message, body))
                continue
            send_answer(channel, answer(store, WorkerRequest(*message), prefixes))
        except MemoryError:  # refused memory past the limit: say so, and end (the pool replaces)
            with contextlib.suppress(OSError, MemoryError):
                channel.send(("memory",))
            return
        except (EOFError, OSError):  # the pool closed its end: it is done with this worker
            return


def start_worker(
    lines: list[socket.socket], source: DatasetSource, memory_mb: int
) -> tuple[list[Channel], ox.Store] | None:
    """What a worker process does first: shut itself off the network, open the graph, take its
    memory limit, and tell the pool on each of its ``lines`` that it is ready (or why it failed:
    then None)."""
    # What the fork server loaded is shared with it until written: the collector, which writes
    # into every object it looks at, is kept off it.
    gc.freeze()
    sandbox.install()  # no network from here on: SERVICE fails even if a check missed it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the server, which ends us
    _end_with_parent()
    channels = [Channel(line) for line in lines]
    try:
        store, held = _open(source)
        graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        limit = limit_in_worker(memory_mb)
    except (OSError, SyntaxError, ValueError) as error:  # MemoryTooSmall is a ValueError
        _tell(channels, ("failed", str(error)))
        return None
    if not _tell(channels, ("ready", len(store) if held is None else held, graphs, limit)):
        return None
    return channels, store


def _tell(channels: list[Channel], message: tuple) -> bool:
    """Send ``message`` on every line; False if the pool has gone meanwhile (a server stopped
    while the graph loaded): the worker then ends quietly."""
    try:
        for channel in channels:
            channel.send(message)
    except OSError:
        return False
    return True


def send_answer(channel: Channel, reply: tuple) -> None:
    """Send the reply of ``answer``: its body beside the message, not pickled."""
    if reply[0] == "ok":
        _, name, body, kept = reply
        channel.send(("ok", name, kept), body)
    else:
        channel.send(reply)


#: The first fields of the messages that change the graph (see apply_update).
UPDATES = frozenset({REPLACE_GRAPHS, APPLY_CHANGES})


def apply_update(store: ox.Store, message: tuple, body: bytes, held: int | None = None) -> tuple:
    """Apply an update message of the pool (one of UPDATES) to ``store``: ``("replaced", quads
    held now)`` or ``("failed", message)``. ``held``: the quads the store holds before, if known
    (counting those of a store on disk takes a while); the reply then counts from it. The
    workers in memory and the shared store on disk (``shared_store``) apply updates by this one
    rule."""
    if len(message) == 2 and message[0] == REPLACE_GRAPHS:
        return replace_graphs(store, message[1], body, held)
    if len(message) == 2 and message[0] == APPLY_CHANGES:
        return apply_changes(store, message[1], body, held)
    return ("failed", f"not an update this worker knows: {message[0]!r}")


def replace_graphs(
    store: ox.Store, graphs: tuple[str, ...], nquads: bytes, held_before: int | None = None
) -> tuple:
    """Make the named ``graphs`` hold ``nquads`` (their new contents): ``("replaced", quads held
    now)``, or ``("failed", message)`` with the graphs as they were.

    Only the quads that differ are removed and added: emptying and refilling a graph leaves
    the store larger after every reload, and most reloads change a few statements. The worker
    answers one message at a time, so no query sees the graphs half replaced.
    """
    replaced = {ox.NamedNode(iri) for iri in graphs}
    try:
        new = set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    except SyntaxError as error:
        return ("failed", f"the new graphs could not be read: {error}")
    if any(quad.graph_name not in replaced for quad in new):
        return ("failed", "the new contents hold quads outside the graphs they replace")
    held = {quad for graph in replaced for quad in store.quads_for_pattern(None, None, None, graph)}
    return _exchange(store, held - new, new - held, held_before)


def apply_changes(
    store: ox.Store, removed_size: int, body: bytes, held_before: int | None = None
) -> tuple:
    """Remove the quads of ``body[:removed_size]`` and add those of the rest (both N-Quads, in
    named graphs): ``("replaced", quads held now)``, or ``("failed", message)`` with the store
    as it was. The worker answers one message at a time, so no query sees half the change.
    ``held_before`` as for replace_graphs."""
    try:
        removed = list(ox.parse(body[:removed_size], format=ox.RdfFormat.N_QUADS))
        added = list(ox.parse(body[removed_size:], format=ox.RdfFormat.N_QUADS))
    except SyntaxError as error:
        return ("failed", f"the changes could not be read: {error}")
    if any(isinstance(quad.graph_name, ox.DefaultGraph) for quad in (*removed, *added)):
        return ("failed", "the changes hold a quad outside the named graphs")
    gone = [quad for quad in removed if quad in store]
    new = [quad for quad in added if quad not in store]
    return _exchange(store, gone, new, held_before)


def _exchange(
    store: ox.Store, gone: Collection[ox.Quad], new: Collection[ox.Quad], held_before: int | None
) -> tuple:
    """Remove ``gone`` (all held) and add ``new`` (none held): ``("replaced", quads held now)``,
    counted from ``held_before`` where it is known."""
    for quad in gone:
        store.remove(quad)
    store.extend(new)
    if held_before is None:
        return ("replaced", len(store))
    return ("replaced", held_before - len(gone) + len(new))


def answer(store: ox.Store, request: WorkerRequest, prefixes: Mapping[str, str]) -> tuple:
    """The reply to one request: ``("ok", format name, body, rows kept or None)``,
    ``("syntax", parser message)`` or ``("error", message)``."""
    try:
        try:
            result = store.query(request.evaluated, **_dataset(request))
        except SyntaxError:
            if request.evaluated == request.sparql:
                raise
            # The row cap made a query the parser refuses: report the query's own error, or
            # run it as written and let the cut below keep the cap.
            result = store.query(request.sparql, **_dataset(request))
        return _written(result, request, prefixes)
    except SyntaxError as error:
        return ("syntax", str(error))
    except OSError as error:
        # Input or output the engine tried (the sandbox refuses any connection): its text may
        # name an internal address, so it goes to the server's log, not to the client.
        print(f"habitat-kg: query worker: {error}", file=sys.stderr, flush=True)
        return ("error", "the query needed input or output the endpoint refuses to do")
    except (ValueError, TypeError, RuntimeError) as error:
        return ("error", f"{type(error).__name__}: {error}")


def _written(result: object, request: WorkerRequest, prefixes: Mapping[str, str]) -> tuple:
    if isinstance(result, ox.QueryBoolean):
        name = request.solutions_format
        return ("ok", name, result.serialize(format=solutions_writer(name)), None)
    if isinstance(result, ox.QuerySolutions):
        name = request.solutions_format
        if request.max_rows is None:
            return ("ok", name, result.serialize(format=solutions_writer(name)), None)
        body, kept = _capped_solutions(result, name, request.max_rows)
        return ("ok", name, body, kept)
    name = request.graph_format
    triples = result if request.max_rows is None else islice(result, request.max_rows + 1)
    listed = list(triples)  # type: ignore[call-overload]
    kept = None
    if request.max_rows is not None and len(listed) > request.max_rows:
        kept = request.max_rows
        del listed[kept:]
    return ("ok", name, write_triples(listed, name, prefixes), kept)


def _json_rows_at_most(body: bytes) -> int:
    # A row opens with '{"' after '[' or ',', or is '{}'. Inside a string a quote is escaped, so
    # these marks occur there only as a value ending in ',{' or '[{' (then its closing quote) or
    # holding '{}': counted too, they only raise the bound.
    return body.count(b'[{"') + body.count(b',{"') + body.count(b"{}")


#: For the formats whose written bytes tell how many rows they hold: bounds that are never below
#: the rows held, the cheapest first (one pass over the bytes each). JSON: every row has a '{' of
#: its own (the document, its head and its results have the other 3), then the closer bound
#: above. XML and TSV: exact, since '<' in XML text and line breaks in TSV terms are escaped
#: ('<result' also begins the one '<results>').
ROWS_AT_MOST: dict[str, tuple[Callable[[bytes], int], ...]] = {
    "json": (lambda body: body.count(b"{") - 3, _json_rows_at_most),
    "xml": (lambda body: body.count(b"<result") - 1,),
    "tsv": (lambda body: body.count(b"\n") - 1,),
}


def _capped_solutions(
    result: ox.QuerySolutions, name: str, max_rows: int
) -> tuple[bytes, int | None]:
    """Solutions written in format ``name``, cut after ``max_rows`` rows.

    The query's LIMIT (see row_cap.with_row_cap) already stopped the evaluation one row after
    the cap. The answer is written in its format and its rows counted in the bytes; only an
    answer that may pass the cap (and a CSV one, whose quoted values may hold line breaks) is
    counted and cut exactly, as TSV.
    """
    bounds = ROWS_AT_MOST.get(name)
    if bounds is None:
        return _cut_tsv(result.serialize(format=ox.QueryResultsFormat.TSV), name, max_rows)
    body = result.serialize(format=solutions_writer(name))
    if any(rows_at_most(body) <= max_rows for rows_at_most in bounds):
        return body, None
    if name == "tsv":
        return _cut_tsv(body, name, max_rows)
    reparsed = ox.parse_query_results(body, format=solutions_writer(name))
    return _cut_tsv(reparsed.serialize(format=ox.QueryResultsFormat.TSV), name, max_rows)


def _cut_tsv(tsv: bytes, name: str, max_rows: int) -> tuple[bytes, int | None]:
    """TSV solutions cut after ``max_rows`` rows (its rows are lines: line breaks in terms are
    escaped, so rows are counted and cut without reading a term), then written in format
    ``name``."""
    kept = None
    if tsv.count(b"\n") - 1 > max_rows:
        end = tsv.index(b"\n")  # the end of the header line
        for _ in range(max_rows):
            end = tsv.index(b"\n", end + 1)
        tsv = tsv[: end + 1]
        kept = max_rows
    if name == "tsv":
        return tsv, kept
    rewritten = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return rewritten.serialize(format=solutions_writer(name)), kept


def _dataset(request: WorkerRequest) -> dict:
    """The dataset keywords of ``Store.query``: the protocol's graphs, the query's FROM, or the
    union of the named graphs as the default graph."""
    if request.default_graphs is not None or request.named_graphs is not None:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in request.default_graphs or ()],
            "named_graphs": [ox.NamedNode(iri) for iri in request.named_graphs or ()],
        }
    if request.query_sets_dataset:
        return {}  # Oxigraph takes FROM and FROM NAMED from the store's own graphs
    return {"use_default_graph_as_union": True}


def _open(source: DatasetSource) -> tuple[ox.Store, int | None]:
    """The store, and the triples it holds if known without counting them."""
    if source.shared:
        return open_current(source.path)
    if source.on_disk:
        # Several workers read one store on disk; only the server's process ever writes it.
        return ox.Store.read_only(source.path), triples_held(Path(source.path))
    store = ox.Store()
    store.bulk_load(path=source.path, format=ox.RdfFormat.TRIG)
    return store, None


def _end_with_parent() -> None:
    """Make sure a worker never outlives the process that started it, even while it is busy.

    On Linux the kernel ends it (PR_SET_PDEATHSIG); elsewhere a thread watches the parent.
    """
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL) == 0 and os.getppid() == parent:
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
