"""The interactive view: what the browser draws, and the self-contained HTML export.

The browser gets the Cytoscape.js elements of the view with their positions already computed
(the same layout as the PNG), the colours, and the script ``static/network-view.js``. The HTML
export inlines Cytoscape.js, that script and the styles, so it opens offline from a file.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import networkx as nx
from markupsafe import Markup

from habitat_kg.graph.network.labels import label_lines
from habitat_kg.graph.network.layout import positions
from habitat_kg.graph.network.palette import CATEGORY_COLOURS, COMMUNITY_COLOURS, SIDE_TITLES
from habitat_kg.graph.network.views import SIDES
from habitat_kg.templates import environment, site_css

#: Pixels per layout unit in the browser (labels take about as much room as in the picture).
PIXELS = 30.0

#: The scripts and styles the view needs, in the order they are loaded.
SCRIPTS = ("cytoscape.min.js", "network-view.js")
STYLES = ("network-view.css",)


def cytoscape_elements(graph: nx.Graph) -> dict[str, list[dict[str, Any]]]:
    """The graph as Cytoscape.js elements: ``{"nodes": [{"data": ...}], "edges": [...]}``."""
    nodes = [{"data": {"id": node, **data}} for node, data in graph.nodes(data=True)]
    edges = [
        {"data": {"id": f"e{number}", "source": a, "target": b, **data}}
        for number, (a, b, data) in enumerate(graph.edges(data=True))
    ]
    return {"nodes": nodes, "edges": edges}


def payload(
    graph: nx.Graph, language: str = "en", names: dict[str, str] | None = None
) -> dict[str, Any]:
    """What ``HabitatNetwork.draw`` takes: elements with their positions and the label to
    show (``display``, as in the picture; for a Chinese page the Chinese name, the English
    where there is none; ``names`` by node id, in another UN language, first), the colours,
    the focus."""
    names = names or {}
    elements = cytoscape_elements(graph)
    placed = positions(graph)
    layered = len(SIDES.get(str(graph.graph.get("view")), ())) > 1
    xs = [x for x, _y in placed.values()]
    first, last = min(xs, default=0.0), max(xs, default=0.0)
    for node in elements["nodes"]:
        x, y = placed[node["data"]["id"]]
        native = names.get(node["data"]["id"])
        lines = label_lines(node["data"], chinese=True, language=language)
        node["data"]["display"] = native or "\n".join(lines)
        # the browser's y grows downwards
        node["position"] = {"x": round(x * PIXELS, 1), "y": round(-y * PIXELS, 1)}
        # as in the picture: labels beside the nodes of the outer columns of a layered view
        if layered and x in (first, last):
            node["classes"] = "label-left" if x == first else "label-right"
        elif layered:
            node["classes"] = "label-right"
    return {
        "view": graph.graph.get("view"),
        "title": graph.graph.get("title"),
        "filters": graph.graph.get("filters"),
        "focus": graph.graph.get("focus"),
        "elements": elements,
        "categoryColours": {k: list(v) for k, v in CATEGORY_COLOURS.items()},
        "communityColours": list(COMMUNITY_COLOURS),
        "sideTitles": SIDE_TITLES,
    }


def script_json(data: Any) -> Markup:
    """JSON safe to put inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False)
    for unsafe, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(unsafe, escaped)
    return Markup(text)


def static_text(name: str) -> str:
    """A file of ``graph/network/static``."""
    return (files("habitat_kg.graph.network") / "static" / name).read_text(encoding="utf-8")


def standalone_page(graph: nx.Graph) -> str:
    """One HTML file that draws ``graph`` offline: scripts, styles and data inlined."""
    return (
        environment()
        .get_template("standalone.html")
        .render(
            graph=graph,
            payload=script_json(payload(graph)),
            styles=Markup("\n".join([site_css(), *(static_text(name) for name in STYLES)])),
            scripts=[Markup(static_text(name)) for name in SCRIPTS],
            t=_english,  # the offline file is in English (the widget's words go through t)
        )
    )


def _english(text: str, **values: object) -> str:
    return text.format(**values) if values else text
