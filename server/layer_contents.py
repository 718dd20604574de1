"""The layers of a build as the query workers take them: each as N-Quads in its named graph,
with a digest that tells whether it changed since the build the server answers from."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import BNode, Graph

from habitat_kg.graph.build import stable_blank_nodes
from habitat_kg.namespaces import LAYERS
from habitat_kg.rdf import rdflib_internals_quiet


@dataclass(frozen=True)
class LayerContent:
    """One layer in its named graph: its N-Quads (sorted), their SHA-256, and its triples."""

    graph: str
    nquads: bytes
    digest: str
    triples: int


def layer_contents(layers: Mapping[str, Graph]) -> dict[str, LayerContent]:
    """Every layer of a build, by its name (as ``LAYERS``).

    Blank nodes are named as the build writes them (from what they say), so that the same
    layer always gives the same bytes and a digest compares two builds.
    """
    contents = {}
    for name, iri in LAYERS.items():
        layer = layers[name]
        # naming blank nodes copies the layer: only where it has some (the ontology's lists)
        stable = stable_blank_nodes(layer) if _has_blank_nodes(layer) else layer
        with rdflib_internals_quiet():
            written = stable.serialize(format="nt", encoding="utf-8")
        graph = f" <{iri}> .".encode()
        lines = sorted(line for line in written.splitlines() if line.strip())
        # an N-Triples line ends " ." : the graph's name goes before the dot
        nquads = b"".join(line[: line.rindex(b" .")] + graph + b"\n" for line in lines)
        contents[name] = LayerContent(
            str(iri), nquads, hashlib.sha256(nquads).hexdigest(), len(lines)
        )
    return contents


def changed_layers(
    contents: Mapping[str, LayerContent], served: Mapping[str, str]
) -> tuple[str, ...]:
    """The names of the layers whose digest is not the one ``served`` gives."""
    return tuple(name for name in LAYERS if contents[name].digest != served.get(name))


def _has_blank_nodes(layer: Graph) -> bool:
    return any(isinstance(s, BNode) or isinstance(o, BNode) for s, _, o in layer)
