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
from habitat_kg.server.negotiation import PAGE, NotAcceptable, choose_format
from habitat_kg.server.security import safe_href
from habitat_kg.server.store import QueryTimeout
from habitat_kg.server.store.formats import FORMATS, AnswerFormat
from habitat_kg.shapes.validation import validate_store

if TYPE_CHECKING:
    from habitat_kg.shapes.validation.report import Report

blueprint = Blueprint("validate", __name__)

#: What the report is offered in: the page, JSON (habitat-kg's own) and sh:ValidationReport.
REPORT_FORMATS = (
    PAGE,
    AnswerFormat("json", "application/json", for_solutions=False),
    FORMATS["turtle"],
)

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
        fmt = choose_format(
            REPORT_FORMATS, request.headers.get("Accept"), request.args.get("format"), "the report"
        ).name
    except NotAcceptable as error:
        abort(406, description=str(error))
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
