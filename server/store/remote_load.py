"""Loading a built dataset into a SPARQL server graph by graph, each graph replaced whole.

The whole TriG file is read first: a file that cannot be read changes nothing on the server.
Then each named graph goes to the server in one of two ways:

- Graph Store Protocol (the store has a ``gsp-url``): one ``PUT`` of the whole graph. The server
  replaces the graph only when the request succeeds; Oxigraph's server reads the whole body
  before it replaces (checked: a cut body or a syntax error leaves the old graph). Virtuoso's
  does not (it clears, then loads as it reads): give it an update URL instead.
- SPARQL Update (otherwise, at the ``update-url``): the graph is written into a staging graph in
  pieces (some servers refuse one big ``INSERT``: Virtuoso compiles it to SQL text of bounded
  size), then one ``MOVE`` puts it in place of the old graph, so the old graph stays whole until
  the new one is. A blank node's label holds only within one request, so every triple with a
  blank node goes in the same piece, as ``INSERT {...} WHERE {}`` (Virtuoso refuses blank nodes
  in ``INSERT DATA``, and compiles ``INSERT ... WHERE`` to SQL of bounded size: keep blank nodes
  few, as the built dataset does); the other pieces are ``INSERT DATA``.

A failure names the graph, the URL and the status, and says which graphs were replaced already.
"""

from __future__ import annotations

import contextlib
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from habitat_kg.errors import DatasetMissing, SourceError, StoreUnavailable

if TYPE_CHECKING:
    from habitat_kg.server.store.remote import SparqlStore

#: Triples in one SPARQL Update request: Virtuoso's SPARQL parser runs out of memory near 5000.
PIECE_TRIPLES = 1000
STAGING_PREFIX = "urn:x-habitat-kg:staging:"
_UPDATE_ACCEPT = "application/sparql-results+json, */*;q=0.1"

Progress = Callable[[str], None]


@dataclass
class DatasetGraphs:
    """The named graphs of a TriG file, read whole into an in-memory Oxigraph store."""

    path: Path
    store: ox.Store
    #: (graph IRI, triples), the dataset's layers first in their order, then the others.
    graphs: list[tuple[str, int]] = field(default_factory=list)

    def ntriples(self, iri: str) -> bytes:
        return self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))

    def pieces(self, iri: str, size: int = PIECE_TRIPLES) -> Iterator[tuple[bool, bytes]]:
        """The graph as N-Triples in pieces of at most ``size`` triples, except the one piece
        that holds every triple with a blank node (and says so: True)."""
        with_blank_nodes, batch = [], []
        for quad in self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
            triple = quad.triple
            if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
                with_blank_nodes.append(triple)
                continue
            batch.append(triple)
            if len(batch) == size:
                yield False, ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
                batch = []
        if batch:
            yield False, ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES)
        if with_blank_nodes:
            yield True, ox.serialize(with_blank_nodes, format=ox.RdfFormat.N_TRIPLES)


def read_dataset(path: Path, allowed_graphs: tuple[str, ...]) -> DatasetGraphs:
    """The named graphs of the TriG file at ``path``; SourceError (bad input) when it cannot
    be read, has triples outside a named graph, or a graph that is not one of ``allowed_graphs``."""
    if not path.is_file():
        raise DatasetMissing(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    except SyntaxError as error:
        raise SourceError(
            path, getattr(error, "lineno", None), f"not valid TriG: {error}"
        ) from None
    outside = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if outside:
        raise SourceError(
            path,
            None,
            f"{outside} triples are outside a named graph; a built "
            "dataset keeps every triple in the named graph of its layer",
        )
    names = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    unknown = sorted(names - set(allowed_graphs))
    if unknown:
        raise SourceError(
            path,
            None,
            f"graph <{unknown[0]}> is not a graph of the dataset "
            f"(its graphs: {', '.join(allowed_graphs)})",
        )
    dataset = DatasetGraphs(path, store)
    for iri in (g for g in allowed_graphs if g in names):
        count = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
        dataset.graphs.append((iri, count))
    return dataset


def publish(store: SparqlStore, path: Path, progress: Progress | None = None) -> list[str]:
    """Replace on ``store``'s server each named graph of the dataset at ``path``, whole; the
    IRIs replaced. SourceError for a dataset that cannot be read (nothing sent), StoreUnavailable
    when the server fails (the failed graph and the ones after it keep their old version)."""
    say = progress or (lambda _message: None)
    dataset = read_dataset(path, store.graphs)
    store.server_kind()  # a server that is down is told now, before any graph is sent
    how = f"PUT to {store.gsp_url}" if store.gsp_url else f"SPARQL Update at {store.update_url}"
    say(f"publishing {path} ({len(dataset.graphs)} graphs) by {how}")
    replaced: list[str] = []
    for iri, triples in dataset.graphs:
        say(f"  <{iri}>: {triples} triples ...")
        started = time.monotonic()
        try:
            if store.gsp_url:
                _put_graph(store, dataset, iri)
            else:
                _update_graph(store, dataset, iri)
        except StoreUnavailable as error:
            done = ", ".join(f"<{g}>" for g in replaced) or "none"
            raise StoreUnavailable(
                f"publishing <{iri}> failed: {error}. That graph and the ones after it keep "
                f"their previous version; graphs already replaced: {done}"
            ) from None
        replaced.append(iri)
        say(f"  <{iri}>: replaced in {time.monotonic() - started:.1f} s")
    return replaced


def graph_url(gsp_url: str, iri: str) -> str:
    """The Graph Store Protocol address of the named graph ``iri`` (indirect identification)."""
    separator = "&" if "?" in gsp_url else "?"
    return f"{gsp_url}{separator}graph={urllib.parse.quote(iri, safe='')}"


def _put_graph(store: SparqlStore, dataset: DatasetGraphs, iri: str) -> None:
    assert store.gsp_url is not None
    url = graph_url(store.gsp_url, iri)
    store.http.send("PUT", url, dataset.ntriples(iri), "application/n-triples")


def _update_graph(store: SparqlStore, dataset: DatasetGraphs, iri: str) -> None:
    staging = STAGING_PREFIX + urllib.parse.quote(iri, safe="")
    try:
        _update(store, f"DROP SILENT GRAPH <{staging}>")
        for blank_nodes, piece in dataset.pieces(iri):
            triples = f"GRAPH <{staging}> {{\n{piece.decode()}}}"
            if blank_nodes:
                _update(store, f"INSERT {{ {triples} }} WHERE {{}}")
            else:
                _update(store, f"INSERT DATA {{ {triples} }}")
        _update(store, f"MOVE <{staging}> TO <{iri}>")
    except StoreUnavailable:
        with contextlib.suppress(StoreUnavailable):  # no staging graph left; the old graph
            _update(store, f"DROP SILENT GRAPH <{staging}>")  # was never touched
        raise


def _update(store: SparqlStore, operation: str) -> None:
    body = urllib.parse.urlencode({"update": operation}).encode("ascii")
    store.http.send(
        "POST",
        store.update_url,
        body,
        "application/x-www-form-urlencoded",
        accept=_UPDATE_ACCEPT,
    )
