"""A view as a file: GraphML, GEXF, JSON, CSV (a zip of two tables), HTML or PNG.

GraphML and GEXF (for Gephi, yEd, Cytoscape) cannot hold lists, so the list attributes
(``resolutions``, ``activities``...) are written as one string joined with ``"; "``; JSON keeps
them as lists. CSV is a zip archive holding ``nodes.csv`` and ``edges.csv`` (UTF-8, one header
row), so that one download or one ``-o`` path holds the whole network and is written in one
step. Files are written atomically (``habitat_kg.outputs.write_atomically``): into a temporary
file beside the target, then renamed.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import networkx as nx

from habitat_kg.graph.network.interactive import cytoscape_elements, standalone_page

#: Between the items of a list attribute in the formats that have no lists.
LIST_SEPARATOR = "; "

NODE_COLUMNS = (
    "id",
    "label",
    "en",
    "zh",
    "short",
    "type",
    "category",
    "side",
    "country",
    "resolutions",
    "resolution_labels",
    "activity_count",
    "community",
)
EDGE_COLUMNS = ("source", "target", "weight", "relation", "activities", "events", "first", "last")


def render(graph: nx.Graph, fmt: str, colour_by: str = "category") -> bytes:
    """The bytes of ``graph`` in format ``fmt`` (one of FORMATS); ``colour_by`` (one of
    COLOUR_SCHEMES) is for the PNG."""
    if fmt == "png":
        from habitat_kg.graph.network.picture import draw_png

        return draw_png(graph, colour_by)
    return _RENDERERS[fmt](graph)


def flattened(graph: nx.Graph) -> nx.Graph:
    """A copy whose list attributes are strings, for the formats that have no lists."""
    flat = nx.Graph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items()})
    for a, b, data in graph.edges(data=True):
        flat.add_edge(a, b, **{k: _flat(v) for k, v in data.items()})
    return flat


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


def _graphml(graph: nx.Graph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(flattened(graph), out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


def _gexf(graph: nx.Graph) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(flattened(graph), out, encoding="utf-8", prettyprint=True)
    return out.getvalue()


def node_link(graph: nx.Graph) -> dict[str, Any]:
    """Node-link JSON (d3, ``networkx.node_link_graph``) with the same network as Cytoscape.js
    ``elements`` beside it."""
    data = nx.node_link_data(graph, edges="edges")
    data["elements"] = cytoscape_elements(graph)
    return data


def _json(graph: nx.Graph) -> bytes:
    return json.dumps(node_link(graph), ensure_ascii=False, indent=1).encode("utf-8")


def _csv(graph: nx.Graph) -> bytes:
    flat = flattened(graph)
    nodes = [{"id": node, **data} for node, data in flat.nodes(data=True)]
    edges = [{"source": a, "target": b, **data} for a, b, data in flat.edges(data=True)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", _table(nodes, NODE_COLUMNS))
        archive.writestr("edges.csv", _table(edges, EDGE_COLUMNS))
    return out.getvalue()


def _table(rows: list[dict[str, Any]], preferred: tuple[str, ...]) -> str:
    present = {key for row in rows for key in row}
    columns = [c for c in preferred if c in present] + sorted(present - set(preferred))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()


def _html(graph: nx.Graph) -> bytes:
    return standalone_page(graph).encode("utf-8")


_RENDERERS: dict[str, Callable[[nx.Graph], bytes]] = {
    "graphml": _graphml,
    "gexf": _gexf,
    "json": _json,
    "csv": _csv,
    "html": _html,
}
