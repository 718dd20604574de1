"""``GET /validate``: what the served graph is missing before a session, checked against the
SHACL shapes; a page for people, JSON and Turtle (``sh:ValidationReport``) for programs.

``?session=YYYY-MM-DD`` (default today) and ``?severity=violation|warning|info`` (default info)
choose what is shown; ``?format=html|json|turtle`` or the Accept header choose how. The served
graph never changes, so the report of each session date is computed once and kept.

The validator (pySHACL for the shapes) is loaded by the first report asked for (validate_store,
and the page's imports below), not by every server process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from habitat_kg.server.graph import served_graph
from habitat_kg.server.security import safe_href
from habitat_kg.server.store import QueryTimeout
from habitat_kg.shapes.validation import validate_store

if TYPE_CHECKING:
    from habitat_kg.shapes.validation.report import Report

blueprint = Blueprint("validate", __name__)

#: Media types the page is offered in, by format name.
MEDIA_TYPES = {"html": "text/html", "json": "application/json", "turtle": "text/turtle"}

#: How many session dates' reports are kept (each is a few hundred kB).
KEPT_REPORTS = 16


class ReportCache:
    """Reports of the served graph by session date; one computation per date at a time."""

    def __init__(self) -> None:
        self._reports: OrderedDict[date, Report] = OrderedDict()
        self._lock = threading.Lock()

    def report(self, session: date) -> Report:
        with self._lock:
            if session in self._reports:
                self._reports.move_to_end(session)
                return self._reports[session]
            graph = served_graph()
            report = validate_store(graph.store, f"served graph {graph.dataset}", session)
            self._reports[session] = report
            if len(self._reports) > KEPT_REPORTS:
                self._reports.popitem(last=False)
            return report


_cache_lock = threading.Lock()


def _cache() -> ReportCache:
    with _cache_lock:
        return current_app.extensions.setdefault("habitat_kg_validation", ReportCache())


@blueprint.get("/validate")
def validate_page() -> ResponseReturnValue:
    from habitat_kg.shapes.validation.html import report_context
    from habitat_kg.shapes.validation.render import render_json, render_turtle
    from habitat_kg.shapes.validation.report import parse_severity
    from habitat_kg.shapes.validation.shapes import parse_session_date

    try:
        raw_session = request.args.get("session", "").strip()
        session = parse_session_date(raw_session) if raw_session else date.today()
        threshold = parse_severity(request.args.get("severity", "info"))
        fmt = _format_asked()
    except ValueError as error:
        abort(400, description=str(error))
    try:
        report = _cache().report(session).at_severity(threshold)
    except QueryTimeout:
        abort(503, description="the graph could not be read within the time limit; try again")
    if fmt == "json":
        return Response(render_json(report), mimetype="application/json")
    if fmt == "turtle":
        return Response(render_turtle(report), mimetype="text/turtle")
    return render_template("validate.html", **report_context(report, _entity_href))


def _entity_href(iri: str) -> str:
    """A thing's page here, or its IRI when http(s); "#" for what may not be linked."""
    return safe_href(iri) or "#"


def _format_asked() -> str:
    """``?format=`` if given, else the best match of the Accept header, else HTML."""
    asked = request.args.get("format")
    if asked is not None:
        name = asked.strip().lower()
        if name not in MEDIA_TYPES:
            raise ValueError(f"unknown format {asked!r}: expected one of {', '.join(MEDIA_TYPES)}")
        return name
    best = request.accept_mimetypes.best_match(list(MEDIA_TYPES.values()), default="text/html")
    return next(name for name, media in MEDIA_TYPES.items() if media == best)
