"""A view as a PNG picture drawn with matplotlib (its object API: no pyplot state, thread-safe).

Nodes are sized by degree and coloured by category (or by community); labels are the short
English names (acronyms where they exist), with the Chinese label under them when a CJK font
(Noto Sans CJK) is installed. Layered views get a heading over each column; a legend says what
the colours mean, and the title says which view and filters the picture shows.
"""

from __future__ import annotations

import io

import networkx as nx
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from habitat_kg.graph.network.labels import cjk_font, label_lines
from habitat_kg.graph.network.layout import COLUMN_GAP, Positions, columns, positions
from habitat_kg.graph.network.palette import (
    CATEGORY_COLOURS,
    SIDE_TITLES,
    category_colour,
    community_colour,
)
from habitat_kg.graph.network.views import SIDES

#: Inches per layout unit (one row of a column).
UNIT = 0.46
LABEL_POINTS = 8.5
EDGE_COLOUR = "#7d8b99"
LATIN_FONT = "DejaVu Sans"


def draw_png(graph: nx.Graph, colour_by: str = "category", dpi: int = 150) -> bytes:
    """The picture of ``graph`` as PNG bytes."""
    figure = draw(graph, colour_by)
    out = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(out, format="png", dpi=dpi, facecolor="white")
    return out.getvalue()


def draw(graph: nx.Graph, colour_by: str = "category") -> Figure:
    """The picture of ``graph`` as a matplotlib figure."""
    placed = positions(graph)
    layered = len(SIDES.get(str(graph.graph.get("view")), ())) > 1
    xs = [x for x, _y in placed.values()]
    ys = [y for _x, y in placed.values()]
    margin_x = 6.0 if layered else 2.5
    left, right = min(xs) - margin_x, max(xs) + margin_x
    bottom, top = min(ys) - 2.0, max(ys) + (2.2 if layered else 1.5)
    width = max(10.0, (right - left) * UNIT)
    height = max(6.0, (top - bottom) * UNIT) + 1.6  # room for the title and the legend
    figure = Figure(figsize=(width, height))
    title_room = 1.0 / height
    legend_room = 0.6 / height
    axes = figure.add_axes((0.0, legend_room, 1.0, 1.0 - title_room - legend_room))
    axes.set_xlim(left, right)
    axes.set_ylim(bottom, top)
    axes.set_axis_off()
    degree = dict(graph.degree())
    biggest = max(degree.values(), default=1) or 1
    radius = {n: 5.0 + 9.0 * degree[n] / biggest for n in graph}  # in points
    _draw_edges(axes, graph, placed, radius)
    colours = _colours(graph, colour_by)
    focus = graph.graph.get("focus")
    axes.scatter(
        [placed[n][0] for n in graph],
        [placed[n][1] for n in graph],
        s=[(2 * radius[n]) ** 2 for n in graph],
        c=[colours[n] for n in graph],
        edgecolors=["#111111" if n == focus else "white" for n in graph],
        linewidths=[2.5 if n == focus else 1.0 for n in graph],
        zorder=3,
    )
    _draw_labels(axes, graph, placed, radius, layered)
    if layered:
        for index, (side, _members) in enumerate(columns(graph)):
            axes.text(
                index * COLUMN_GAP,
                max(ys) + 1.3,
                SIDE_TITLES.get(side, side),
                ha="center",
                va="bottom",
                fontsize=11,
                fontweight="bold",
                color="#1d2733",
            )
    _title(figure, graph)
    _legend(figure, graph, colour_by)
    return figure


def _draw_edges(axes: Axes, graph: nx.Graph, placed: Positions, radius: dict[str, float]) -> None:
    weights = [int(w) for _a, _b, w in graph.edges(data="weight", default=1)]
    heaviest = max(weights, default=1)
    for a, b, weight in graph.edges(data="weight", default=1):
        same_column = placed[a][0] == placed[b][0]
        thickness = 0.9 + 3.2 * (int(weight) - 1) / max(heaviest - 1, 1)
        axes.add_patch(
            FancyArrowPatch(
                placed[a],
                placed[b],
                arrowstyle="-",
                connectionstyle="arc3,rad=0.35" if same_column else "arc3,rad=0.0",
                linewidth=thickness,
                color=EDGE_COLOUR,
                alpha=0.55,
                shrinkA=radius[a],
                shrinkB=radius[b],
                zorder=1,
            )
        )


def _colours(graph: nx.Graph, colour_by: str) -> dict[str, str]:
    if colour_by == "community":
        return {n: community_colour(int(d.get("community", 1))) for n, d in graph.nodes(data=True)}
    return {n: category_colour(str(d.get("category"))) for n, d in graph.nodes(data=True)}


def _draw_labels(
    axes: Axes,
    graph: nx.Graph,
    placed: Positions,
    radius: dict[str, float],
    layered: bool,
) -> None:
    families = [LATIN_FONT, *([cjk_font()] if cjk_font() else [])]
    halo = [patheffects.withStroke(linewidth=3, foreground="white")]
    last_column = max((x for x, _y in placed.values()), default=0.0)
    for node, data in graph.nodes(data=True):
        x, y = placed[node]
        gap = radius[node] + 3
        if not layered:
            offset, ha, va = (0.0, -gap), "center", "top"
        elif x == 0.0:
            offset, ha, va = (-gap, 0.0), "right", "center"
        elif x == last_column:
            offset, ha, va = (gap, 0.0), "left", "center"
        else:
            offset, ha, va = (gap, 0.0), "left", "center"
        # a middle column's label lies across the edges going right: give it a backing
        backing = (
            {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
            if layered and 0.0 < x < last_column
            else None
        )
        axes.annotate(
            "\n".join(label_lines(data)),
            xy=(x, y),
            xytext=offset,
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=LABEL_POINTS,
            family=families,
            color="#1d2733",
            linespacing=1.05,
            path_effects=halo,
            bbox=backing,
            zorder=4,
        )


def _title(figure: Figure, graph: nx.Graph) -> None:
    view = str(graph.graph.get("view", ""))
    focus = graph.graph.get("focus")
    heading = f"{view.capitalize()} network"
    if focus:
        heading = f"{heading}: neighbourhood of {graph.nodes[focus].get('short', focus)}"
    facts = (
        f"{graph.graph.get('title', '')}\n{graph.graph.get('filters', 'no filter')} · "
        f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} "
        f"link{'' if graph.number_of_edges() == 1 else 's'} · "
        f"{graph.graph.get('activity_count', 0)} activities and events · "
        "node size: number of links · line width: shared activities"
    )
    height = figure.get_figheight()
    lines = [
        (0.3, heading, {"va": "center", "fontsize": 15, "fontweight": "bold", "color": "#07517f"}),
        (0.5, facts, {"va": "top", "fontsize": 9.5, "color": "#5b6b7c", "linespacing": 1.4}),
    ]
    for inches_from_top, text, style in lines:
        figure.text(0.5, 1 - inches_from_top / height, text, ha="center", **style)


def _legend(figure: Figure, graph: nx.Graph, colour_by: str) -> None:
    if colour_by == "community":
        numbers = sorted({int(d.get("community", 1)) for _n, d in graph.nodes(data=True)})
        entries = [(community_colour(n), f"community {n}") for n in numbers]
    else:
        present = {str(d.get("category")) for _n, d in graph.nodes(data=True)}
        entries = [(c, text) for key, (c, text) in CATEGORY_COLOURS.items() if key in present]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=10,
            markerfacecolor=colour,
            markeredgecolor="white",
            label=text,
        )
        for colour, text in entries
    ]
    figure.legend(
        handles=handles,
        loc="lower center",
        ncol=min(len(handles), 6),
        frameon=False,
        fontsize=9.5,
        bbox_to_anchor=(0.5, 0.05 / figure.get_figheight()),
    )
