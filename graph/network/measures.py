"""Measures of a view: size, components, the most central nodes and the communities.

Betweenness is computed on the unweighted graph (a weight here counts shared activities, a
strength, not a distance) and normalized. Communities are networkx's Louvain on the weights,
with a fixed seed so that the same graph always gives the same communities; they are numbered
from 1, largest first.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

#: Seed of the Louvain method: the same graph gives the same communities on every run.
COMMUNITY_SEED = 2020

#: How many nodes each ranking shows.
TOP = 5


@dataclass(frozen=True)
class Ranked:
    iri: str
    label: str
    value: float


@dataclass(frozen=True)
class Summary:
    view: str
    title: str
    filters: str
    activity_count: int
    nodes: int
    edges: int
    #: component sizes, largest first
    components: tuple[int, ...]
    by_degree: tuple[Ranked, ...]
    by_weighted_degree: tuple[Ranked, ...]
    by_betweenness: tuple[Ranked, ...]
    #: the members of each community (IRIs), community 1 first
    communities: tuple[tuple[str, ...], ...]


def communities(graph: nx.Graph) -> list[list[str]]:
    """Louvain communities (seeded), largest first, ties by their first member."""
    found = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    ordered = [sorted(group) for group in found]
    return sorted(ordered, key=lambda group: (-len(group), group[0]))


def annotate_communities(graph: nx.Graph) -> list[list[str]]:
    """Set each node's ``community`` (1 = the largest) and return the communities."""
    found = communities(graph)
    for number, group in enumerate(found, start=1):
        for node in group:
            graph.nodes[node]["community"] = number
    return found


def summarize(graph: nx.Graph) -> Summary:
    """The measures of ``graph``."""
    components = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    degree = dict(graph.degree())
    weighted = dict(graph.degree(weight="weight"))
    betweenness = nx.betweenness_centrality(graph, normalized=True)
    return Summary(
        view=str(graph.graph.get("view", "")),
        title=str(graph.graph.get("title", "")),
        filters=str(graph.graph.get("filters", "")),
        activity_count=int(graph.graph.get("activity_count", 0)),
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        components=tuple(components),
        by_degree=_top(graph, degree),
        by_weighted_degree=_top(graph, weighted),
        by_betweenness=_top(graph, betweenness),
        communities=tuple(tuple(group) for group in communities(graph)),
    )


def _top(graph: nx.Graph, scores: dict[str, float]) -> tuple[Ranked, ...]:
    ranked = sorted(scores.items(), key=lambda item: (-item[1], _name(graph, item[0])))
    return tuple(Ranked(node, _name(graph, node), value) for node, value in ranked[:TOP])


def _name(graph: nx.Graph, node: str) -> str:
    data = graph.nodes[node]
    label = str(data.get("label") or node)
    short = str(data.get("short") or "")
    return f"{label} ({short})" if short and short != label else label


def format_summary(summary: Summary, graph: nx.Graph) -> str:
    """The summary as the command prints it."""
    components = summary.components
    lines = [
        f"{summary.view} network: {summary.title}",
        f"filters: {summary.filters}",
        f"{summary.activity_count} activities and events match",
        f"{summary.nodes} nodes, {summary.edges} edges, density {_density(graph):.3f}",
        f"{len(components)} component{'' if len(components) == 1 else 's'} "
        f"(largest {components[0] if components else 0} nodes"
        + (f"; {components.count(1)} isolated" if 1 in components else "")
        + ")",
        "",
    ]
    for heading, ranking, integer in (
        ("most central by degree (links)", summary.by_degree, True),
        ("most central by weighted degree (shared activities)", summary.by_weighted_degree, True),
        ("most central by betweenness (normalized, unweighted)", summary.by_betweenness, False),
    ):
        lines.append(heading + ":")
        for rank in ranking:
            value = f"{int(rank.value):>6}" if integer else f"{rank.value:>6.3f}"
            lines.append(f"  {value}  {rank.label}")
        lines.append("")
    lines.append(f"{len(summary.communities)} communities (Louvain, seed {COMMUNITY_SEED}):")
    for number, group in enumerate(summary.communities, start=1):
        names = ", ".join(str(graph.nodes[n].get("short") or n) for n in group)
        lines.append(f"  {number:>3}. ({len(group)}) {names}")
    return "\n".join(lines)


def _density(graph: nx.Graph) -> float:
    return nx.density(graph) if graph.number_of_nodes() > 1 else 0.0
