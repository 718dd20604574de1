"""``--store`` has one syntax on every command: ``memory``, ``oxigraph:PATH``, ``rdflib``, or the
query URL of a SPARQL server (``http://host:port/query``)."""

from __future__ import annotations

from pathlib import Path

from habitat_kg.errors import DatasetMissing
from habitat_kg.server.store.base import Store
from habitat_kg.server.store.oxigraph import OxigraphStore
from habitat_kg.settings import setting

STORE_HELP = (
    "where the graph is kept: 'memory' (Oxigraph in memory), 'oxigraph:PATH', 'rdflib', "
    "or the query URL of a SPARQL server (http://host:port/query)"
)


def open_store(
    spec: str = "memory",
    *,
    update_url: str | None = None,
    gsp_url: str | None = None,
    timeout: float | None = None,
) -> Store:
    """The store named by ``spec``; raises ValueError naming the spec when it is not one.

    For a SPARQL server, ``update_url``, ``gsp_url`` and ``timeout`` default to the settings
    (``update-url``, ``gsp-url``, ``timeout``); the other stores do not use them.
    """
    if spec == "memory":
        return OxigraphStore()
    if spec == "rdflib":
        from habitat_kg.server.store.memory import RdflibStore  # rdflib's SPARQL only when asked

        return RdflibStore()
    if spec.startswith("oxigraph:") and spec[len("oxigraph:") :]:
        return OxigraphStore(Path(spec[len("oxigraph:") :]))
    if is_remote(spec):
        from habitat_kg.server.store.remote import SparqlStore  # SPARQLWrapper only when needed

        return SparqlStore(
            spec,
            update_url=setting("update-url") if update_url is None else update_url,
            gsp_url=setting("gsp-url") if gsp_url is None else gsp_url,
            timeout=_seconds(setting("timeout") if timeout is None else timeout),
        )
    raise ValueError(f"unknown store {spec!r}: expected {STORE_HELP}")


def _seconds(value: str | float) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"timeout: expected a number of seconds, not {value!r}") from None


def open_dataset(path: Path, store_spec: str = "memory") -> Store:
    """A store holding the dataset at ``path``; a SPARQL server's store as it is.

    Readers never load into a remote server: that is ``habitat-kg publish``'s job.
    """
    if is_remote(store_spec):
        return open_store(store_spec)
    if not path.is_file():
        raise DatasetMissing(path)
    store = open_store(store_spec)
    store.load_dataset(path)
    return store


def is_remote(spec: str) -> bool:
    """Whether ``--store`` names a SPARQL server (its query URL) rather than a local store."""
    return spec.startswith(("http://", "https://"))
