"""``/network``: the interactive network views, with the command's filters as form fields.

- ``GET /network?view=&resolution=&country=&since=&until=`` draws a view (Cytoscape.js, shipped
  with the package) with its measures and download links; ``&node=<IRI>`` draws that node's
  neighbourhood (entity pages link here; without a view, the first view holding the node).
- ``GET /network/download?view=..&format=..`` (and the same filters) answers the view as a file:
  graphml, gexf, json, csv (a zip of nodes.csv and edges.csv), html or png. PNG pictures are
  drawn in render processes, a few at once (503 with Retry-After past that), and remembered
  (habitat_kg.graph.network.rendering).

A bad filter is answered 400 with the form and the message; a node that is not in the view, or
filters that leave nothing to draw, 404.

The answers are drawn in ``habitat_kg.server.network_answers``, imported by the first request
for them: a server process that is never asked for a network does not load networkx.
"""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint
from flask.typing import ResponseReturnValue

blueprint = Blueprint(
    "network",
    __name__,
    # named from habitat_kg.graph, which is light: its network package imports networkx
    static_folder=str(files("habitat_kg.graph") / "network" / "static"),
    static_url_path="/network/static",
)


@blueprint.get("/network")
def network_page() -> ResponseReturnValue:
    from habitat_kg.server.network_answers import page

    return page()


@blueprint.get("/network/download")
def download() -> ResponseReturnValue:
    from habitat_kg.server.network_answers import download_file

    return download_file()
