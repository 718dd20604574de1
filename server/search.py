"""``/search``: find anything by its words or its name, from the index built with the dataset.

- ``GET /search?q=`` answers a page of ranked results (what each thing is, its names, the text
  that matched with the hits marked, a link to its page), or with ``Accept: application/json``
  (or ``format=json``) ``{"query", "results": [{"iri", "label", "label_zh", "type", "snippet",
  "score"}]}``; ``snippet`` is HTML: the text escaped, the hits in ``<mark>``. ``type=`` keeps
  one kind of thing (resolution, country, place, organization, document, event, mandate).
- ``GET /search/suggest?q=&type=`` answers ``{"suggestions": [{"iri", "label", "label_zh",
  "type", "value"}]}`` for autocomplete: names that begin with what is typed (in Chinese, that
  hold it), the exact name first. ``value`` is what a form field takes for the thing.

An empty query, one longer than ``MAX_QUERY`` characters or an unknown ``type`` is answered 400
with the reason. A server without an index beside its dataset (a dataset built before search, a
SPARQL server as the store) builds one from the store (server/search_cache.py) and answers 503
with Retry-After while it does.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from habitat_kg.graph.search import (
    INDEX_FILE,
    KINDS,
    Hit,
    IndexMissing,
    LookupTooSlow,
    Names,
    SearchIndex,
)
from habitat_kg.graph.search.tokens import MAX_QUERY
from habitat_kg.server.graph import file_stamp, served_graph
from habitat_kg.server.languages import in_language, language
from habitat_kg.server.negotiation import PAGE, NotAcceptable, choose_format
from habitat_kg.server.search_cache import RETRY_AFTER, IndexBuilding, cached_index
from habitat_kg.server.security import safe_href
from habitat_kg.server.store.formats import AnswerFormat

blueprint = Blueprint("search", __name__)

#: Results on a page or in one JSON answer, at most.
MAX_RESULTS = 50
#: Suggestions in one answer, at most.
MAX_SUGGESTIONS = 10
SEARCH_FORMATS = (PAGE, AnswerFormat("json", "application/json"))
_CACHE = "habitat_kg.search"


class BadSearch(ValueError):
    """What was asked cannot be searched for (400)."""


@dataclass(frozen=True)
class Asked:
    """A search request's fields, checked."""

    query: str
    kind: str
    limit: int

    @classmethod
    def from_request(cls, default_limit: int, most: int) -> Asked:
        query = request.args.get("q", "")
        if "\x00" in query:
            raise BadSearch("q holds a NUL character")
        query = query.strip()
        if not query:
            raise BadSearch("q is empty: give a word or a name to search for")
        if len(query) > MAX_QUERY:
            raise BadSearch(f"q is {len(query)} characters long; at most {MAX_QUERY} are searched")
        kind = request.args.get("type", "").strip()
        if kind and kind not in KINDS:
            raise BadSearch(f"type {kind[:40]!r} is not one of: {', '.join(KINDS)}")
        limit = request.args.get("limit", "")
        # ASCII digits only, few of them: "²" passes isdigit() and int() refuses it
        if limit and (not re.fullmatch(r"[0-9]{1,6}", limit) or not 1 <= int(limit) <= most):
            raise BadSearch(f"limit must be a whole number from 1 to {most}")
        return cls(query, kind, int(limit) if limit else default_limit)

    @property
    def classes(self) -> frozenset[str] | None:
        return KINDS[self.kind] if self.kind else None


def search_index() -> SearchIndex:
    """The index beside the served dataset, opened again when a rebuild replaced it; where
    there is none (an older build, a SPARQL server as the store), the one this server builds
    from the store (server/search_cache.py: IndexBuilding while it is written)."""
    graph = served_graph()
    path = graph.dataset.parent
    try:
        stat = os.stat(path / INDEX_FILE)
        key: tuple[object, ...] = (str(path), stat.st_ino, stat.st_mtime_ns)
    except OSError:  # the index this server builds: a reload changes the dataset or its size
        key = (str(path), file_stamp(graph.dataset), graph.triples)
    cached = current_app.extensions.get(_CACHE)
    if cached is None or cached[0] != key:
        try:
            index = SearchIndex.in_folder(path)
        except IndexMissing:
            index = cached_index(current_app, graph)
        cached = (key, index)
        current_app.extensions[_CACHE] = cached
    return cached[1]


def served_names() -> Names | None:
    """Name lookups in the served index; None when the server has no index (yet)."""
    try:
        return Names(search_index())
    except (IndexMissing, IndexBuilding):
        return None


@blueprint.get("/search")
def search_page() -> ResponseReturnValue:
    as_json = _wants_json()
    try:
        asked = Asked.from_request(20, MAX_RESULTS)
        with _one_of_few(), (index := search_index()).within():
            hits = index.search(asked.query, asked.limit, asked.classes)
            shown = None if as_json else _shown(hits)
    except _REFUSED as error:
        return _refused(error, as_json)
    if shown is None:
        return jsonify(query=asked.query, results=[hit.as_json() for hit in hits])
    return render_template(
        "search.html", query=asked.query, kind=asked.kind, kinds=KINDS, hits=shown
    )


@blueprint.get("/search/suggest")
def suggest() -> ResponseReturnValue:
    try:
        asked = Asked.from_request(MAX_SUGGESTIONS, MAX_SUGGESTIONS)
        with _one_of_few(), (index := search_index()).within():
            hits = index.suggest(asked.query, asked.limit, asked.classes)
    except _REFUSED as error:
        return _refused(error, True)
    return jsonify(suggestions=[_suggestion(hit) for hit in hits])


def _suggestion(hit: Hit) -> dict[str, Any]:
    entry = hit.as_json()
    del entry["snippet"], entry["score"]
    # what a form takes: the name that matched what was typed (a browser shows the options
    # that hold the typed text), else the English name
    named = hit.field != "text" and hit.text
    entry["value"] = named or hit.thing.label_en or hit.thing.label_zh or hit.thing.iri
    return entry


def _shown(hits: list[Hit]) -> list[dict[str, Any]]:
    # a page in another UN language shows the names the graph has in it (countries)
    native = {}
    if language() not in ("en", "zh"):
        native = search_index().labels_in([hit.thing.iri for hit in hits], language())
    shown = []
    for hit in hits:
        # the name in the page's language, the other beside it unless it is the snippet below
        first, other = in_language(hit.thing.label_en or None, hit.thing.label_zh or None)
        shown.append(
            hit.as_json()
            | {
                # the thing's page here, else its IRI when it may be a link (None: text)
                "href": safe_href(hit.thing.iri),
                "label": native.get(hit.thing.iri) or first or hit.thing.iri,
                "label_zh": "" if not other or other == hit.text else other,
            }
        )
    return shown


def _wants_json() -> bool:
    try:
        chosen = choose_format(
            SEARCH_FORMATS, request.headers.get("Accept"), request.args.get("format"), "search"
        )
    except NotAcceptable:
        return False
    return chosen is not PAGE


#: What a search or a suggestion is refused for: the asking (400) or the index (503).
#: Searches answered at once: the server's threads are shared with SPARQL and the pages.
SEARCHES_AT_ONCE = 4
_SEARCHES = threading.BoundedSemaphore(SEARCHES_AT_ONCE)


class SearchesBusy(Exception):
    """As many searches as SEARCHES_AT_ONCE are running: ask again in a moment."""


@contextlib.contextmanager
def _one_of_few() -> Iterator[None]:
    if not _SEARCHES.acquire(blocking=False):
        raise SearchesBusy(f"{SEARCHES_AT_ONCE} searches are running: ask again in a second")
    try:
        yield
    finally:
        _SEARCHES.release()


_REFUSED = (BadSearch, LookupTooSlow, IndexMissing, IndexBuilding, SearchesBusy)


def _refused(error: Exception, as_json: bool) -> Response:
    status = 400 if isinstance(error, BadSearch) else 503
    message = str(error)
    if isinstance(error, IndexMissing):
        message = f"search is not available here: {message}"
    if as_json:
        response = jsonify(error=message)
    else:
        query = request.args.get("q", "").replace("\x00", "")[:MAX_QUERY]
        page = render_template(
            "search.html", query=query, kind="", kinds=KINDS, hits=[], error=message
        )
        response = Response(page, mimetype="text/html")
    response.status_code = status
    if isinstance(error, IndexBuilding):  # the server is building its index: ask again
        response.headers["Retry-After"] = str(RETRY_AFTER)
    elif isinstance(error, SearchesBusy):
        response.headers["Retry-After"] = "1"
    return response
