"""The store the server answers from: query workers over the built dataset (in memory or an
on-disk Oxigraph store), or a SPARQL server that holds the published dataset."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from habitat_kg.server.store.factory import is_remote, open_store
from habitat_kg.server.store.lanes import PoolLimits
from habitat_kg.server.store.pool import WorkerPool
from habitat_kg.server.store.serving import ServingStore
from habitat_kg.server.store.worker import DatasetSource
from habitat_kg.server.store.worker_process import prepared_on_disk


def open_pool(
    dataset: Path,
    store_spec: str,
    size: int,
    timeout: float,
    prefixes: Mapping[str, str],
    limits: PoolLimits | None = None,
    memory_workers: int | None = None,
    readers_later: bool = False,
) -> ServingStore:
    """A started pool (WorkerPool.start; closed again if it fails) answering from the built
    dataset at ``dataset`` kept as ``store_spec`` says: 'memory' (``memory_workers`` of the
    workers load the TriG, None: all; the others read one on-disk store made from it, see
    worker_sources; ``readers_later``: the pool answers once those in memory are ready, the
    others joining when that store is loaded) or 'oxigraph:PATH' (workers read that store).
    For a SPARQL server's URL there are no workers: the server holds the published dataset and
    the store passes the time limit to it (see habitat_kg.server.store.remote)."""
    if is_remote(store_spec):
        remote = open_store(store_spec, timeout=timeout)
        remote.prefixes = dict(prefixes)  # type: ignore[attr-defined]
        return remote  # type: ignore[return-value]  # SparqlStore is a ServingStore
    if store_spec == "memory":
        source = DatasetSource(str(dataset))
    elif store_spec.startswith("oxigraph:") and store_spec[len("oxigraph:") :]:
        on_disk = prepared_on_disk(dataset, Path(store_spec[len("oxigraph:") :]))
        source = DatasetSource(str(on_disk), on_disk=True)
    else:
        raise ValueError(
            f"store {store_spec!r}: the query workers answer from Oxigraph; "
            "use 'memory' or 'oxigraph:PATH'"
        )
    pool = WorkerPool(source, size, timeout, prefixes, limits, memory_workers, readers_later)
    try:
        pool.start()
    except BaseException:
        pool.close()
        raise
    return pool
