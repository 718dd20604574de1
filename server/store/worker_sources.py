"""Where each query worker of a pool gets the graph: a copy in its own memory, or the one store
on disk that the others share (``shared_store``).

A worker in memory answers fastest; each holds a copy of the graph. The setting
``memory-workers`` says how many do; the rest read one on-disk store together, so that the
memory the server holds grows with the workers in memory only. The workers in memory take the
queries first (``lanes``): one query at a time is answered in memory, and the readers on disk
answer beside it when several come at once.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterable
from pathlib import Path

from habitat_kg.errors import StoreUnavailable
from habitat_kg.server.store.graph_updates import GraphUpdates
from habitat_kg.server.store.shared_store import SharedStore, SharedStoreError
from habitat_kg.server.store.worker import DatasetSource, apply_update
from habitat_kg.server.store.worker_process import LONG


class WorkerSources:
    """The sources of one pool's workers: ``source`` for those in memory, and the shared
    store for the others once ``prepare`` has made it."""

    def __init__(
        self,
        source: DatasetSource,
        size: int,
        memory_workers: int | None,
        updating: threading.Lock | None = None,
    ) -> None:
        if memory_workers is not None and memory_workers < 0:
            raise ValueError(f"memory-workers: at least 0, not {memory_workers}")
        self.source = source
        # A store on disk named by the user is read by every worker as it is.
        shares = not source.on_disk and memory_workers is not None and memory_workers < size
        #: How many workers hold the graph in memory; the others read the shared store.
        self.in_memory = memory_workers if shares and memory_workers is not None else size
        self.shares = shares
        self.shared: SharedStore | None = None
        #: The store while it loads, and the update generation it starts from.
        self._loading: SharedStore | None = None
        self._pinned: int | None = None
        self._closed = False
        #: The pool's lock held while an update is written and numbered.
        self._updating = updating or threading.Lock()
        self._lock = threading.Lock()

    def prepare(self, context: multiprocessing.context.BaseContext, updates: GraphUpdates) -> None:
        """Make the shared store if some workers read it, with every update of ``updates``
        applied, then let new readers open it (StoreUnavailable if it cannot be made, or the
        pool closed meanwhile). The store is loaded while the pool may serve and take updates:
        those numbered meanwhile are applied to it before it is let out."""
        if not self.shares:
            return
        base = updates.file_generation  # what the dataset file holds at least
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the query workers have been shut down")
            self._loading = SharedStore.made(context)
            self._pinned = base  # the updates after it are kept until the store has them
        try:
            self._loading.load(Path(self.source.path), base)
            with self._updating:  # no update is numbered until the store is let out
                missed, _ = updates.since(self._loading.generation)
                for update in missed:
                    self._loading.update(
                        update.generation, apply_update, update.message, update.nquads
                    )
                with self._lock:
                    if self._closed:
                        raise SharedStoreError("the pool has closed")
                    self.shared, self._loading, self._pinned = self._loading, None, None
        except SharedStoreError as error:
            with self._lock:
                loading, self._loading, self._pinned = self._loading, None, None
            if loading is not None:
                loading.close()
            why = f"the query workers could not share one store: {error}"
            raise StoreUnavailable(why) from None

    @property
    def pinned(self) -> list[int]:
        """The generation the shared store being loaded starts from (its later updates must
        be kept for it), if one is being loaded."""
        pinned = self._pinned
        return [] if pinned is None else [pinned]

    def placed(self, lanes: list[str]) -> list[str]:
        """The lanes of the workers to start, those of the workers in memory first (the first
        ``in_memory``): in the long lane, which takes queries first, as far as it goes."""
        return sorted(lanes, key=lambda lane: lane != LONG)

    def for_worker(self, in_memory: bool, file_generation: int) -> tuple[DatasetSource, int]:
        """The source of a new worker, and the update generation it will hold once it has
        opened it (the dataset file's for one that loads it)."""
        if in_memory or self.shared is None:
            return self.source, file_generation
        with self._lock:
            return DatasetSource(str(self.shared.folder), on_disk=True, shared=True), (
                self.shared.generation
            )

    def update(self, generation: int, message: tuple, body: bytes) -> None:
        """Write update ``generation`` (a message of worker.UPDATES and its body) into the
        shared store before any reader is told of it; ValueError (nothing changed) if it
        cannot be."""
        if self.shared is None:
            return
        with self._lock:
            try:
                self.shared.update(generation, apply_update, message, body)
            except SharedStoreError as error:
                raise ValueError(str(error)) from None

    def forget(self, readers_hold: Iterable[int]) -> None:
        """Delete the shared store's generations that no reader holds (``readers_hold``: the
        generations of the workers reading it)."""
        if self.shared is None:
            return
        with self._lock:
            self.shared.forget_before(min(readers_hold, default=self.shared.generation))

    def close(self) -> None:
        """Delete the shared store (once its readers have ended); one being loaded, with the
        process loading it."""
        with self._lock:
            self._closed = True
            stores = [self.shared, self._loading]
        for store in stores:
            if store is not None:
                store.close()
