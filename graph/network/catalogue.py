"""What the network views offer, without networkx: the views, the file formats and the colour
schemes, which the command's options and the page's form list before any view is drawn (the
modules that draw them load networkx, only when a view is asked for)."""

from __future__ import annotations

from pathlib import Path

#: The views, in the order pages and help list them, with what each shows.
VIEWS: dict[str, str] = {
    "partners": "organizations and units, linked when they take part in the same activity or event",
    "bipartite": "organizations and units on one side, resolutions and decisions on the other",
    "geography": "resolutions and organizations linked to the countries, regions and cities "
    "where they act",
    "units": "UN-Habitat's own units, with the mandates they carry and the partners they work with",
}

#: format -> (file suffix, media type)
FORMATS: dict[str, tuple[str, str]] = {
    "graphml": (".graphml", "application/graphml+xml"),
    "gexf": (".gexf", "application/gexf+xml"),
    "json": (".json", "application/json"),
    "csv": (".zip", "application/zip"),
    "html": (".html", "text/html; charset=utf-8"),
    "png": (".png", "image/png"),
}

#: how the picture may colour its nodes
COLOUR_SCHEMES = ("category", "community")


def format_for(path: Path) -> str | None:
    """The format a file name asks for by its suffix (``.zip`` is CSV), if any."""
    suffix = path.suffix.lower()
    for fmt, (known, _media) in FORMATS.items():
        if suffix == known or suffix == f".{fmt}":
            return fmt
    return None
