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

#: The rooms' template folders as (package, folder in it), searched in this order (no two share a
#: template's name). A folder is named from its room's top package, which the loader imports:
#: importing ``habitat_kg.graph.network`` itself would load networkx into every server process.
TEMPLATE_FOLDERS = (
    ("habitat_kg.server", "templates"),
    ("habitat_kg.graph", "network/templates"),
    ("habitat_kg.shapes", "validation/templates"),
)


def template_loader() -> ChoiceLoader:
    """The templates of every room."""
    return ChoiceLoader([PackageLoader(package, folder) for package, folder in TEMPLATE_FOLDERS])


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
