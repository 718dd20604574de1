"""The ontology and reference layers the synthetic datasets sit on: the real ones, from a build."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from habitat_kg.namespaces import LAYERS


def base_layers(data: Path | None) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The ontology and reference layers of a real build: the one in ``data``, else the bundled
    record built now."""
    from habitat_kg.project import bundled_sources

    dataset = data / "habitat-kg.trig" if data is not None else None
    if dataset is not None and dataset.is_file():
        quads = list(ox.parse(path=str(dataset), format=ox.RdfFormat.TRIG))
    else:
        from habitat_kg.graph.build import build

        with tempfile.TemporaryDirectory(prefix="habitat-kg-base-") as folder:
            built = build(bundled_sources(), Path(folder) / "data").dataset_path
            quads = list(ox.parse(path=str(built), format=ox.RdfFormat.TRIG))
    quads = _stable_blank_nodes(quads)
    by_layer = {
        name: [q for q in quads if q.graph_name == ox.NamedNode(str(LAYERS[name]))]
        for name in ("ontology", "reference")
    }
    return by_layer["ontology"], by_layer["reference"]


def _stable_blank_nodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads with their blank nodes named b1, b2, ... in order of first use: the parser
    names them at random, and a seeded dataset should not differ from run to run."""
    names: dict[str, ox.BlankNode] = {}

    def stable(term: Any) -> Any:  # any pyoxigraph term
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term.value, ox.BlankNode(f"b{len(names) + 1}"))
        return term

    return [ox.Quad(stable(q.subject), q.predicate, stable(q.object), q.graph_name) for q in quads]
