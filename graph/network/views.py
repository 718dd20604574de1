"""The four views: networkx graphs made from the lines of work that pass the filters.

- partners: organizations and units, linked when they take part in the same activity or event;
  weight = how many they share.
- bipartite: organizations and units on one side, resolutions and decisions on the other.
- geography: resolutions, and organizations, linked to the countries, regions and cities where
  their activities take place.
- units: UN-Habitat's own units (those that lead activities), linked to the mandates they carry
  and the partners they work with.

Every node carries ``iri``, ``label`` (English), ``en``, ``zh``, ``short``, ``type`` (its most
specific class), ``category``, ``side`` (its place in the view), ``country`` (places),
``resolutions`` (IRIs) and ``resolution_labels`` it touches and ``activity_count``. Every edge
carries ``weight``, ``relation``, ``activities`` (the IRIs of the activities or stand-alone
events that make it), ``events`` (the events among or behind them), ``first`` and ``last`` (ISO
dates, empty when none of them is dated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

import networkx as nx

from habitat_kg.graph.network.catalogue import VIEWS
from habitat_kg.graph.network.evidence import Evidence, LineOfWork
from habitat_kg.graph.network.filters import (
    EmptyNetwork,
    NetworkFilter,
    NetworkInputError,
    resolve,
)

#: The sides of each view, in the order the layered pictures draw them from left to right.
#: (Which side wins for a thing on two sides is _SIDE_PRIORITY's business.)
SIDES: dict[str, tuple[str, ...]] = {
    "partners": ("agent",),
    "bipartite": ("resolution", "agent"),
    "geography": ("resolution", "place", "agent"),
    "units": ("mandate", "unit", "partner"),
}


def build_view(evidence: Evidence, view: str, given: NetworkFilter | None = None) -> nx.Graph:
    """The ``view`` of the lines of work that pass ``given``; raises NetworkInputError for a bad
    view or filter and EmptyNetwork when nothing is left to draw."""
    if view not in VIEWS:
        raise NetworkInputError("view", view, f"no such view (choose from {', '.join(VIEWS)})")
    given = given or NetworkFilter()
    selection = resolve(given, evidence)
    lines = selection.apply(evidence.lines, evidence)
    tally = _Tally(_SIDE_PRIORITY[view])
    _DRAWERS[view](tally, lines, evidence)
    graph = tally.graph(evidence)
    graph.graph.update(
        view=view, title=VIEWS[view], filters=given.describe(), activity_count=len(lines)
    )
    if not lines:
        raise EmptyNetwork(f"no activity or event matches {given.describe()}")
    if graph.number_of_nodes() == 0:
        raise EmptyNetwork(
            f"the {view} view is empty for {given.describe()}: {len(lines)} activities or "
            "events match, but none of them links anything this view draws"
        )
    return graph


def neighbourhood(graph: nx.Graph, iri: str) -> nx.Graph:
    """``iri`` and the nodes linked to it, with the edges among them."""
    if iri not in graph:
        raise NetworkInputError("node", iri, f"not in the {graph.graph.get('view')} view")
    nearby = graph.subgraph({iri, *graph.neighbors(iri)}).copy()
    nearby.graph["focus"] = iri
    return nearby


def view_holding(evidence: Evidence, iri: str) -> str:
    """The first view (in the order of VIEWS) in which ``iri`` is a node."""
    for view in VIEWS:
        try:
            if iri in build_view(evidence, view):
                return view
        except EmptyNetwork:
            continue
    raise NetworkInputError("node", iri, "not in any network view")


@dataclass
class _Node:
    side: str
    resolutions: set[str] = field(default_factory=set)
    lines: set[str] = field(default_factory=set)


@dataclass
class _Edge:
    relation: str
    lines: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    first: date | None = None
    last: date | None = None


class _Tally:
    """Nodes and edges counted line by line, made into a graph once every line is in."""

    def __init__(self, sides: tuple[str, ...]) -> None:
        #: a thing on two sides (Mexico as partner and as place) is drawn on the first of them
        self.priority = {side: rank for rank, side in enumerate(sides)}
        self.nodes: dict[str, _Node] = {}
        self.edges: dict[tuple[str, str], _Edge] = {}

    def node(self, iri: str, side: str, line: LineOfWork, resolutions: set[str]) -> None:
        node = self.nodes.setdefault(iri, _Node(side))
        if self.priority.get(side, 99) < self.priority.get(node.side, 99):
            node.side = side
        node.resolutions |= resolutions
        node.lines.add(line.iri)

    def link(self, a: str, b: str, relation: str, line: LineOfWork) -> None:
        if a == b:
            return
        edge = self.edges.setdefault((min(a, b), max(a, b)), _Edge(relation))
        edge.lines.add(line.iri)
        edge.events |= line.events
        if line.start is not None:
            edge.first = min(filter(None, (edge.first, line.start)))
        if line.end is not None:
            edge.last = max(filter(None, (edge.last, line.end)))

    def graph(self, evidence: Evidence) -> nx.Graph:
        graph = nx.Graph()
        for iri in sorted(self.nodes):
            graph.add_node(iri, **_node_attributes(iri, self.nodes[iri], evidence))
        for (a, b), edge in sorted(self.edges.items()):
            graph.add_edge(
                a,
                b,
                weight=len(edge.lines),
                relation=edge.relation,
                activities=sorted(edge.lines),
                events=sorted(edge.events),
                first=edge.first.isoformat() if edge.first else "",
                last=edge.last.isoformat() if edge.last else "",
            )
        return graph


def _node_attributes(iri: str, node: _Node, evidence: Evidence) -> dict[str, object]:
    entity = evidence.entity(iri)
    resolutions = sorted(node.resolutions)
    return {
        "iri": iri,
        "label": entity.en,
        "en": entity.en,
        "zh": entity.zh,
        "short": entity.short,
        "type": entity.type,
        "category": entity.category,
        "side": node.side,
        "country": entity.country,
        "resolutions": resolutions,
        "resolution_labels": [evidence.entity(r).en for r in resolutions],
        "activity_count": len(node.lines),
    }


def _partners(tally: _Tally, lines: list[LineOfWork], evidence: Evidence) -> None:
    for line in lines:
        for agent in sorted(line.agents):
            tally.node(agent, "agent", line, set(line.resolutions))
        for a, b in combinations(sorted(line.agents), 2):
            tally.link(a, b, "works with", line)


def _bipartite(tally: _Tally, lines: list[LineOfWork], evidence: Evidence) -> None:
    for line in lines:
        for agent in sorted(line.agents):
            for resolution in sorted(line.resolutions):
                tally.node(agent, "agent", line, set(line.resolutions))
                tally.node(resolution, "resolution", line, {resolution})
                tally.link(agent, resolution, "serves", line)


def _geography(tally: _Tally, lines: list[LineOfWork], evidence: Evidence) -> None:
    for line in lines:
        for place in sorted(line.places):
            for resolution in sorted(line.resolutions):
                tally.node(resolution, "resolution", line, {resolution})
                tally.node(place, "place", line, set(line.resolutions))
                tally.link(resolution, place, "reaches", line)
            for agent in sorted(line.agents):
                if evidence.entity(agent).category in _PLACE_CATEGORIES:
                    # a Member State partner is drawn as the place it is, not as an actor
                    # working in the other countries of the same activity
                    continue
                tally.node(agent, "agent", line, set(line.resolutions))
                tally.node(place, "place", line, set(line.resolutions))
                tally.link(agent, place, "works in", line)


def _units(tally: _Tally, lines: list[LineOfWork], evidence: Evidence) -> None:
    units = {u for line in lines for u in line.leads if evidence.entity(u).within_un_habitat}
    for line in lines:
        for unit in sorted(line.leads & units):
            for mandate in sorted(line.mandates):
                tally.node(unit, "unit", line, set(line.resolutions))
                mandated_by = evidence.entity(mandate).mandated_by
                tally.node(mandate, "mandate", line, {mandated_by} if mandated_by else set())
                tally.link(unit, mandate, "carries", line)
            for partner in sorted(line.agents):
                if partner != unit:
                    side = "unit" if partner in units else "partner"
                    tally.node(unit, "unit", line, set(line.resolutions))
                    tally.node(partner, side, line, set(line.resolutions))
                    tally.link(unit, partner, "works with", line)


_PLACE_CATEGORIES = frozenset({"country", "region", "city"})

_SIDE_PRIORITY: dict[str, tuple[str, ...]] = {
    "partners": ("agent",),
    "bipartite": ("resolution", "agent"),
    "geography": ("place", "resolution", "agent"),
    "units": ("unit", "mandate", "partner"),
}

_DRAWERS = {
    "partners": _partners,
    "bipartite": _bipartite,
    "geography": _geography,
    "units": _units,
}
