"""Colours of the pictures and the interactive view, shared so that both say the same thing.

Category colours follow the Okabe-Ito palette (readable by colour-blind viewers); communities
take the ten colours of matplotlib's ``tab10``, then repeat.
"""

from __future__ import annotations

#: category -> (colour, legend text)
CATEGORY_COLOURS: dict[str, tuple[str, str]] = {
    "organization": ("#0072B2", "organization"),
    "unit": ("#56B4E9", "UN-Habitat unit or body"),
    "governing body": ("#CC79A7", "governing body"),
    "country": ("#009E73", "country"),
    "region": ("#5FBF9F", "region"),
    "city": ("#A5D96A", "city"),
    "resolution": ("#D55E00", "resolution"),
    "decision": ("#E69F00", "decision"),
    "mandate": ("#B59B00", "mandate"),
    "post": ("#999999", "post"),
    "other": ("#777777", "other"),
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
SIDE_TITLES: dict[str, str] = {
    "agent": "Organizations and units",
    "resolution": "Resolutions and decisions",
    "place": "Countries, regions and cities",
    "mandate": "Mandates",
    "unit": "UN-Habitat units",
    "partner": "Partners",
}


def category_colour(category: str) -> str:
    return CATEGORY_COLOURS.get(category, CATEGORY_COLOURS["other"])[0]


def community_colour(number: int) -> str:
    """The colour of community ``number`` (1-based)."""
    return COMMUNITY_COLOURS[(max(number, 1) - 1) % len(COMMUNITY_COLOURS)]
