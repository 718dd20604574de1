"""The one loader of templates: each room keeps its own in a ``templates/`` folder beside its
modules (the server's pages in ``server/``, the network view in ``graph/network/``, the
validation report in ``shapes/validation/``), and a template of one may include another's.

The server's pages are rendered by Flask's environment over this loader (``create_app``); a page
written to a file (a validation report, a network view) by :func:`environment`, with the site's
stylesheet written into it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

#: The rooms that have templates, searched in this order (no two share a template's name).
TEMPLATE_PACKAGES = (
    "habitat_kg.server",
    "habitat_kg.graph.network",
    "habitat_kg.shapes.validation",
)


def template_loader() -> ChoiceLoader:
    """The templates of every room."""
    return ChoiceLoader([PackageLoader(package, "templates") for package in TEMPLATE_PACKAGES])


@cache
def environment() -> Environment:
    """The environment of the pages written to a file (no server, so no ``url_for``)."""
    return Environment(
        loader=template_loader(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )


@cache
def site_css() -> str:
    """The site's stylesheet (``server/static/site.css``), for a page of its own to hold."""
    return (files("habitat_kg.server") / "static" / "site.css").read_text(encoding="utf-8")
