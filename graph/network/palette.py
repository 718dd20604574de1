"""Colours of the pictures and the interactive view, shared so that both say the same thing.

Category colours and the sides' words are a table (``palette.toml``); communities take the ten
colours of matplotlib's ``tab10``, then repeat.
"""

from __future__ import annotations

from habitat_kg.tables import load_table

_TABLE = load_table("habitat_kg.graph.network", "palette")

#: category -> (colour, legend text)
CATEGORY_COLOURS: dict[str, tuple[str, str]] = {
    category: (entry["colour"], entry["legend"]) for category, entry in _TABLE["categories"].items()
}

COMMUNITY_COLOURS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

#: the interface's words for the sides of the views (column headings, legends)
SIDE_TITLES: dict[str, str] = dict(_TABLE["sides"])


def category_colour(category: str) -> str:
    return CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["other"])[0]


def community_colour(number: int) -> str:
    """The colour of community ``number`` (1-based)."""
    return COMMUNITY_COLOURS[(max(number, 1) - 1) % len(COMMUNITY_COLOURS)]
