"""Network views of partnerships: who works with whom, for which resolutions, where.

The views (``views.VIEWS``) are networkx graphs built from what the SPARQL queries in
``queries/`` return (``evidence.fetch_evidence``), so they work on any store. ``network_graph``
is what the command and the server call: a view, filtered, cut to a node's neighbourhood if
asked, with its communities marked on the nodes.
"""

from __future__ import annotations

import networkx as nx

from habitat_kg.graph.network.evidence import Evidence, fetch_evidence
from habitat_kg.graph.network.filters import EmptyNetwork, NetworkFilter, NetworkInputError
from habitat_kg.graph.network.measures import annotate_communities
from habitat_kg.graph.network.views import VIEWS, build_view, neighbourhood

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
    graph = build_view(evidence, view, given)
    if node:
        graph = neighbourhood(graph, node)
    annotate_communities(graph)
    return graph
