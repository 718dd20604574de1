"""What ``/network`` answers (``habitat_kg.server.network``): the interactive network views and
their downloads, drawn with networkx from the served graph. Imported by the first of those
requests, so that a server process holds networkx only once they are asked for.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import networkx as nx
from flask import Response, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from habitat_kg.graph import network
from habitat_kg.graph.network.catalogue import COLOUR_SCHEMES, FORMATS
from habitat_kg.graph.network.exports import render
from habitat_kg.graph.network.interactive import SCRIPTS, STYLES, payload, script_json
from habitat_kg.graph.network.measures import COMMUNITY_SEED, summarize
from habitat_kg.graph.network.palette import CATEGORY_COLOURS
from habitat_kg.graph.network.rendering import PictureFailed, PictureRenderer, PicturesBusy
from habitat_kg.graph.network.views import view_holding
from habitat_kg.graph.search import IndexMissing, LookupTooSlow
from habitat_kg.namespaces import BASE
from habitat_kg.server.graph import served_graph
from habitat_kg.server.languages import language
from habitat_kg.server.search import search_index, served_names
from habitat_kg.server.search_cache import IndexBuilding

#: The query-string fields of the page and of the downloads.
FIELDS = ("view", "resolution", "country", "since", "until", "node")
_PICTURES_LOCK = threading.Lock()


@dataclass(frozen=True)
class NetworkForm:
    """The page's fields as the request gives them."""

    view: str
    resolution: str
    country: str
    since: str
    until: str
    node: str

    @classmethod
    def from_request(cls) -> NetworkForm:
        return cls(*(request.args.get(name, "").strip() for name in FIELDS))

    @property
    def filter(self) -> network.NetworkFilter:
        return network.NetworkFilter(
            self.resolution, self.country, self.since, self.until, names=served_names()
        )

    def query(self, **changes: str) -> dict[str, str]:
        """The non-empty fields, with ``changes`` applied, for links."""
        values = {name: getattr(self, name) for name in FIELDS} | changes
        return {name: value for name, value in values.items() if value}


def evidence() -> network.Evidence:
    """The lines of work of the served graph, asked once per application (it does not change)."""
    cached = current_app.extensions.get("habitat_kg.graph.network")
    if cached is None:
        cached = network.fetch_evidence(served_graph().store)
        current_app.extensions["habitat_kg.graph.network"] = cached
    return cached


def _graph_for(form: NetworkForm) -> tuple[str, nx.Graph]:
    """The view asked for (or the first holding the node) and its graph."""
    view = _view_for(form)
    return view, _view_graph(view, form)


def _view_for(form: NetworkForm) -> str:
    """The view asked for, else the first holding the node, else partners."""
    return form.view or (view_holding(evidence(), form.node) if form.node else "partners")


def _view_graph(view: str, form: NetworkForm) -> nx.Graph:
    return network.network_graph(evidence(), view, form.filter, form.node)


def _status(error: Exception) -> int:
    """400 for a filter that is wrong; 404 when there is nothing (or no such node) to show."""
    missing = isinstance(error, network.EmptyNetwork) or (
        isinstance(error, network.NetworkInputError) and error.parameter == "node"
    )
    return 404 if missing else 400


def page() -> ResponseReturnValue:
    """The page of ``/network``."""
    form = NetworkForm.from_request()
    context: dict[str, Any] = {
        "form": form,
        "views": network.VIEWS,
        "formats": FORMATS,
        "resolutions": evidence().resolutions(),
        "countries": _countries_reached(evidence()),
        "colours": CATEGORY_COLOURS,
        "scripts": SCRIPTS,
        "styles": STYLES,
        "seed": COMMUNITY_SEED,
    }
    try:
        view, graph = _graph_for(form)
    except (network.NetworkInputError, network.EmptyNetwork) as error:
        context |= {"error": str(error), "view": form.view or "partners", "graph": None}
        return render_template("network_page.html", **context), _status(error)
    shown = NetworkForm(view, *(getattr(form, name) for name in FIELDS[1:]))
    downloads = {fmt: url_for("network.download", **shown.query(format=fmt)) for fmt in FORMATS}
    context |= {
        "view": view,
        "graph": graph,
        "summary": summarize(graph),
        "payload": script_json(payload(graph, language(), _names_in_page_language(graph))),
        "downloads": downloads,
        "whole_view": url_for("network.network_page", **shown.query(node="")),
        # the page appends a node's IRI (encoded) to this to show its neighbourhood
        "neighbourhood_base": url_for("network.network_page")
        + "?"
        + urlencode(shown.query(node="") | {"node": ""}),
        "entity_base": BASE,
    }
    return render_template("network_page.html", **context)


def _names_in_page_language(graph: nx.Graph) -> dict[str, str]:
    """The nodes' names in a page language other than English and Chinese, where the graph
    has them (countries), from the search index; none without one."""
    if language() in ("en", "zh"):
        return {}
    try:
        return search_index().labels_in(graph.nodes, language())
    except (IndexMissing, IndexBuilding, LookupTooSlow):
        return {}


def download_file() -> ResponseReturnValue:
    """The answer of ``/network/download``: the view as a file."""
    form = NetworkForm.from_request()
    fmt = request.args.get("format", "")
    colour = request.args.get("colour", "category")
    if fmt not in FORMATS:
        return _plain(f"format {fmt!r}: choose from {', '.join(FORMATS)}", 400)
    if colour not in COLOUR_SCHEMES:
        return _plain(f"colour {colour!r}: choose from {', '.join(COLOUR_SCHEMES)}", 400)
    suffix, media_type = FORMATS[fmt]
    try:
        view = _view_for(form)
        if fmt == "png":
            # Remembered pictures, and refusals when all renders are busy, cost no graph.
            asked = (view, *sorted(form.query().items()), colour)
            content = pictures().picture(asked, lambda: _view_graph(view, form), colour)
        else:
            content = render(_view_graph(view, form), fmt, colour)
    except (network.NetworkInputError, network.EmptyNetwork) as error:
        return _plain(str(error), _status(error))
    except PicturesBusy as busy:
        response = _plain(str(busy), 503)
        response.headers["Retry-After"] = str(busy.retry_after)
        return response
    except PictureFailed as error:
        return _plain(f"the network picture was not drawn: {error}", 503)
    name = f"habitat-kg-{view}{suffix}"
    return Response(
        content,
        content_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def pictures() -> PictureRenderer:
    """The application's picture renderer, made on the first PNG asked for."""
    with _PICTURES_LOCK:
        renderer = current_app.extensions.get("habitat_kg.pictures")
        if renderer is None:
            renders = int(current_app.config["PICTURE_RENDERS"])
            renderer = PictureRenderer(renders, float(current_app.config["TIMEOUT"]))
            current_app.extensions["habitat_kg.pictures"] = renderer
            atexit.register(renderer.close)
    return renderer


def _plain(message: str, status: int) -> Response:
    return Response(message + "\n", status, content_type="text/plain; charset=utf-8")


def _countries_reached(known: network.Evidence) -> list[tuple[str, str, str]]:
    """(ISO alpha-3, English, Chinese name) of the countries the lines of work reach, for the
    form (a browser offers the options whose code or names hold what is typed)."""
    codes = {known.entity(p).country for line in known.lines for p in line.places}
    countries = known.countries()
    return sorted(
        (code, countries[code].en, countries[code].zh) for code in codes if code in countries
    )
