"""Network views of partnerships: who works with whom, for which resolutions, where.

The views (``catalogue.VIEWS``) are networkx graphs built from what the SPARQL queries in
``queries/`` return (``evidence.fetch_evidence``), so they work on any store. ``network_graph``
is what the command and the server call: a view, filtered, cut to a node's neighbourhood if
asked, with its communities marked on the nodes. networkx is loaded by the modules that draw,
when a view is first asked for: importing this package (the command's options, the server's
routes) does not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from habitat_kg.graph.network.catalogue import VIEWS
from habitat_kg.graph.network.evidence import Evidence, fetch_evidence
from habitat_kg.graph.network.filters import EmptyNetwork, NetworkFilter, NetworkInputError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "VIEWS",
    "EmptyNetwork",
    "Evidence",
    "NetworkFilter",
    "NetworkInputError",
    "fetch_evidence",
    "network_graph",
]


def network_graph(
    evidence: Evidence, view: str, given: NetworkFilter | None = None, node: str = ""
) -> nx.Graph:
    """The ``view`` under ``given`` (the neighbourhood of ``node`` when one is given), each
    node marked with its ``community``."""
    from habitat_kg.graph.network.measures import annotate_communities
    from habitat_kg.graph.network.views import build_view, neighbourhood

    graph = build_view(evidence, view, given)
    if node:
        graph = neighbourhood(graph, node)
    annotate_communities(graph)
    return graph
