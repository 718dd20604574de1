"""Named graphs changed in a running pool: each worker brings its copy of the dataset up to
date before it takes its next query.

A reload that changes a few statements (those an analyst accepted) need not start new workers
and load the whole dataset again: the pool is given the quads removed and added (or the new
contents of whole graphs), each update with a *generation* number, and a worker that holds an
older generation applies what it misses, in order, before it is given a query
(``worker.apply_changes``, ``worker.replace_graphs``). A worker busy with a query when the
update arrives finishes it on the graph it started on; every query given to a worker after the
update is answered from the new graphs.

A worker started later (in place of one that ran past a limit) loads the dataset file, which
holds the generation last written there (``written``); it applies the updates after that one.
Updates applied in order from a newer dataset than the one they start from give the same
dataset: each quad ends as the last update that names it says (replacing a graph whole names
all of its quads), so a worker that read a newer file than it was told gives the same answers.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from habitat_kg.server.store.lanes import IdleWorkers
from habitat_kg.server.store.worker import APPLY_CHANGES, REPLACE_GRAPHS
from habitat_kg.server.store.worker_channel import Channel, PastDeadline


class UpdatedWorker(Protocol):
    channel: Channel
    generation: int
    triples: int


@dataclass(frozen=True)
class GraphReplacement:
    """One update and the generation it makes: the message a worker is sent (the new contents
    of some named graphs, or quads removed and added) and its N-Quads."""

    generation: int
    message: tuple
    nquads: bytes


class GraphUpdates:
    """The updates of a pool that some of its workers may not have applied yet."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[GraphReplacement] = []
        #: The generation the workers' dataset would hold with every update applied.
        self.generation = 0
        #: The generation the dataset file holds (a worker started now loads it).
        self.file_generation = 0

    @staticmethod
    def replacement(graphs: tuple[str, ...], nquads: bytes) -> tuple[tuple, bytes]:
        """The message and body of new contents (``nquads``) for ``graphs``."""
        return (REPLACE_GRAPHS, graphs), nquads

    @staticmethod
    def changes(removed: bytes, added: bytes) -> tuple[tuple, bytes]:
        """The message and body of quads removed and added."""
        return (APPLY_CHANGES, len(removed)), removed + added

    def add(self, message: tuple, nquads: bytes) -> int:
        """Record an update (``replacement`` or ``changes``); the generation it makes."""
        with self._lock:
            self.generation += 1
            self._pending.append(GraphReplacement(self.generation, message, nquads))
            return self.generation

    def since(self, generation: int) -> tuple[list[GraphReplacement], int]:
        """The updates after ``generation``, and the generation they lead to."""
        with self._lock:
            missed = [update for update in self._pending if update.generation > generation]
            return missed, self.generation

    def withdraw(self, generation: int) -> None:
        """Forget an update a worker refused (its contents cannot be read: every worker would
        refuse them), so that no worker tries it again."""
        with self._lock:
            self._pending = [u for u in self._pending if u.generation != generation]

    def written(self, generation: int, held: list[int]) -> None:
        """The dataset file now holds ``generation``; forget the updates that neither a new
        worker nor any of the workers now alive (holding the generations ``held``) needs."""
        with self._lock:
            self.file_generation = max(self.file_generation, generation)
            oldest = min([self.file_generation, *held])
            self._pending = [u for u in self._pending if u.generation > oldest]


def bring_up_to_date(worker: UpdatedWorker, updates: GraphUpdates, deadline: float) -> None:
    """Apply to ``worker`` the updates it misses (one it refuses is withdrawn: the worker
    keeps its graphs as they were); EOFError, OSError or PastDeadline if it broke."""
    missed, target = updates.since(worker.generation)
    for update in missed:
        worker.channel.send(update.message, update.nquads)
        reply, _ = worker.channel.receive(deadline)
        if reply[0] == "replaced":
            worker.triples = reply[1]
        elif reply[0] == "failed":
            print(f"habitat-kg: new graphs refused: {reply[1]}", file=sys.stderr, flush=True)
            updates.withdraw(update.generation)
        else:  # ("memory",): it ends
            raise EOFError("the query worker ran out of memory while loading the new graphs")
    worker.generation = max(worker.generation, target)


def check_nquads(graphs: tuple[str, ...], nquads: bytes) -> None:
    """ValueError unless ``nquads`` is N-Quads all in ``graphs`` (read before any worker is
    given it, so that the workers never hold half an update)."""
    names = {ox.NamedNode(iri) for iri in graphs}
    try:
        quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        outside = next((quad for quad in quads if quad.graph_name not in names), None)
    except SyntaxError as error:
        raise ValueError(f"the new graphs are not N-Quads: {error}") from None
    if outside is not None:
        raise ValueError(f"the new graphs hold a quad of another graph: {outside}")


def check_changes(graphs: tuple[str, ...], removed: bytes, added: bytes) -> None:
    """ValueError unless ``removed`` and ``added`` are N-Quads all in ``graphs``."""
    for nquads in (removed, added):
        check_nquads(graphs, nquads)


def update_idle(
    lanes: Iterable[IdleWorkers[Any]],
    updates: GraphUpdates,
    deadline: float,
    broken: Callable[[Any], None],
) -> None:
    """Bring the workers now idle in ``lanes`` up to date, so that the first queries after an
    update do not wait for it; a worker that cannot apply it is handed to ``broken``."""
    taken = []
    for idle in lanes:
        while True:
            try:
                taken.append((idle, idle.get(timeout=0)))
            except queue.Empty:
                break
    for idle, worker in taken:
        try:
            bring_up_to_date(worker, updates, deadline)
        except (EOFError, OSError, PastDeadline):
            broken(worker)
        else:
            idle.put(worker)
