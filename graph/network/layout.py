"""Where each node goes, for the picture and the interactive view alike.

The partners view is a force layout (networkx's spring layout, seeded) of each connected
component, the components packed in rows, largest first, so that small groups and isolated
organizations do not fly to the edges. The other views are layered: one column per side of the
view (resolutions | organizations; resolutions | places | organizations; mandates | units |
partners), each column ordered to cross as few edges as possible (barycentre sweeps).
Coordinates have y growing upwards, in the units of ``labels`` (a row of a column is at least
one unit, more when labels are taller).
"""

from __future__ import annotations

import math
import re

import networkx as nx

from habitat_kg.graph.network.labels import LINE_UNITS, NODE_UNITS, footprint, label_lines
from habitat_kg.graph.network.views import SIDES

#: Seed of the force layout: the same graph is drawn the same way on every run.
LAYOUT_SEED = 7

#: Horizontal distance between the columns of a layered view, in row gaps.
COLUMN_GAP = 9.0

Positions = dict[str, tuple[float, float]]


def positions(graph: nx.Graph) -> Positions:
    """The position of every node of ``graph``."""
    sides = SIDES.get(str(graph.graph.get("view")), ("agent",))
    if len(sides) == 1:
        return packed_components(graph)
    return layered(graph)


def columns(graph: nx.Graph) -> list[tuple[str, list[str]]]:
    """The layered view's columns that have nodes, left to right: (side, nodes)."""
    sides = SIDES.get(str(graph.graph.get("view")), ("agent",))
    found = [(side, _members(graph, side)) for side in sides]
    return [(side, members) for side, members in found if members]


def _members(graph: nx.Graph, side: str) -> list[str]:
    return [node for node, s in graph.nodes(data="side") if s == side]


def layered(graph: nx.Graph) -> Positions:
    """One column per side of the view, each ordered to cross few edges."""
    present = columns(graph)
    order = [_initial_order(graph, side, members) for side, members in present]
    movable = [side not in _FIXED_SIDES for side, _members in present]
    # a few sweeps right then left: each movable column sorted by the mean row of its
    # neighbours in the column before it (resolutions and mandates keep their number order)
    for _ in range(4):
        for index in range(1, len(order)):
            if movable[index]:
                order[index] = _by_barycentre(graph, order[index], order[index - 1])
        for index in range(len(order) - 2, -1, -1):
            if movable[index]:
                order[index] = _by_barycentre(graph, order[index], order[index + 1])
    tallest = max(len(column) for column in order)
    # rows far enough apart for the tallest label (labels sit beside their nodes)
    row_gap = max(
        1.0, max(len(label_lines(data)) * LINE_UNITS + 0.2 for _n, data in graph.nodes(data=True))
    )
    placed: Positions = {}
    for index, column in enumerate(order):
        step = _stretch(len(column), tallest) * row_gap
        top = (len(column) - 1) * step / 2  # every column is centred on y = 0
        for row, node in enumerate(column):
            placed[node] = (index * COLUMN_GAP, top - row * step)
    return placed


#: Sides that keep the order of their numbers rather than follow their neighbours.
_FIXED_SIDES = frozenset({"resolution", "mandate"})


def _stretch(size: int, tallest: int) -> float:
    """Short columns spread out (up to three row gaps) to use the picture's height."""
    if size <= 1:
        return 1.0
    return min(3.0, (tallest - 1) / (size - 1)) if tallest > 1 else 1.0


def _initial_order(graph: nx.Graph, side: str, nodes: list[str]) -> list[str]:
    """Resolutions by number, mandates by the number of their resolution, the others most
    linked first."""
    if side == "resolution":
        return sorted(nodes, key=lambda n: _numbered(str(graph.nodes[n].get("label", n))))
    if side == "mandate":

        def by_resolution(node: str) -> tuple[tuple[int, int, bool, str], str]:
            data = graph.nodes[node]
            resolutions = data.get("resolution_labels") or [""]
            return _numbered(str(resolutions[0])), str(data.get("label", node))

        return sorted(nodes, key=by_resolution)
    return sorted(nodes, key=lambda n: (-graph.degree(n), str(graph.nodes[n].get("label", n))))


def _numbered(label: str) -> tuple[int, int, bool, str]:
    """``Resolution 1/3`` -> (1, 3, ...): by the first session/number pair of a label, a
    resolution before the decision of the same number."""
    found = re.search(r"(\d+)/(\d+)", label)
    decision = label.startswith("Decision")
    if found is None:
        return (10**9, 0, decision, label)
    return (int(found[1]), int(found[2]), decision, label)


def _by_barycentre(graph: nx.Graph, column: list[str], fixed: list[str]) -> list[str]:
    rank = {node: row for row, node in enumerate(fixed)}

    def barycentre(item: tuple[int, str]) -> tuple[float, int]:
        row, node = item
        linked = [rank[n] for n in graph.neighbors(node) if n in rank]
        return (sum(linked) / len(linked) if linked else float(row), row)

    return [node for _row, node in sorted(enumerate(column), key=barycentre)]


def packed_components(graph: nx.Graph) -> Positions:
    """Each component laid out by force with room for its labels, the components packed in
    rows, largest first."""
    parts = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    room = {node: footprint(data) for node, data in graph.nodes(data=True)}
    boxes = [_boxed(_component_layout(graph.subgraph(part)), room) for part in parts]
    area = sum(w * h for _layout, w, h in boxes)
    row_width = max(max((w for _l, w, _h in boxes), default=1.0), math.sqrt(area) * 1.5)
    placed: Positions = {}
    x = y = row_height = 0.0
    for layout, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y - row_height - PACKING_GAP, 0.0
        for node, (node_x, node_y) in layout.items():
            placed[node] = (x + node_x, y + node_y)
        x += width + PACKING_GAP
        row_height = max(row_height, height)
    return placed


#: Room between packed components, in layout units.
PACKING_GAP = 0.8


def _component_layout(part: nx.Graph) -> Positions:
    """A force layout of one component (labels are made room for afterwards)."""
    size = part.number_of_nodes()
    if size == 1:
        return {next(iter(part.nodes)): (0.0, 0.0)}
    raw = nx.spring_layout(
        part, seed=LAYOUT_SEED, weight="weight", iterations=300, k=1.8 / math.sqrt(size)
    )
    scale = 1.5 * math.sqrt(size)
    return {node: (float(p[0]) * scale, float(p[1]) * scale) for node, p in raw.items()}


def _boxed(
    layout: Positions, room: dict[str, tuple[float, float]]
) -> tuple[Positions, float, float]:
    """The layout with no two labels overlapping, moved so that its bounding box (labels
    included) starts at x = 0 and ends at y = 0 at the top; with its width and height."""
    separated = separate_labels(layout, room)
    left = min(x - room[n][0] / 2 for n, (x, _y) in separated.items())
    right = max(x + room[n][0] / 2 for n, (x, _y) in separated.items())
    top = max(y + NODE_UNITS for _n, (_x, y) in separated.items())
    bottom = min(y + NODE_UNITS - room[n][1] for n, (_x, y) in separated.items())
    moved = {n: (x - left, y - top) for n, (x, y) in separated.items()}
    return moved, right - left, top - bottom


def separate_labels(
    layout: Positions, room: dict[str, tuple[float, float]], rounds: int = 300
) -> Positions:
    """Push apart nodes whose boxes (node and label under it) overlap, along the axis where
    they overlap least, until none do (or ``rounds`` passes)."""
    placed = {node: list(point) for node, point in layout.items()}
    nodes = sorted(placed)
    for _ in range(rounds):
        moved = False
        for index, a in enumerate(nodes):
            for b in nodes[index + 1 :]:
                moved |= _push_apart(placed[a], placed[b], room[a], room[b])
        if not moved:
            break
    return {node: (point[0], point[1]) for node, point in placed.items()}


def _push_apart(
    a: list[float], b: list[float], room_a: tuple[float, float], room_b: tuple[float, float]
) -> bool:
    """Move ``a`` and ``b`` apart if their boxes overlap; True when they moved."""
    margin = 0.25
    overlap_x = (room_a[0] + room_b[0]) / 2 + margin - abs(a[0] - b[0])
    # each box spans from NODE_UNITS above its centre down to its label's last line
    top_a, top_b = a[1] + NODE_UNITS, b[1] + NODE_UNITS
    overlap_y = min(top_a, top_b) - max(top_a - room_a[1], top_b - room_b[1]) + margin
    if overlap_x <= 0 or overlap_y <= 0:
        return False
    if overlap_x <= overlap_y:
        shift = overlap_x / 2 + 0.01
        direction = 1.0 if (a[0], a[1]) >= (b[0], b[1]) else -1.0
        a[0] += direction * shift
        b[0] -= direction * shift
    else:
        shift = overlap_y / 2 + 0.01
        direction = 1.0 if a[1] >= b[1] else -1.0
        a[1] += direction * shift
        b[1] -= direction * shift
    return True
