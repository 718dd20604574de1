"""The registry's routes: ``/mandates`` (facets and a text filter), ``/mandates/<mandate>`` (a
mandate, its statuses report by report and what carries it out), ``/mandates/matrix`` (mandates
by reports) and ``/mandates/schedule`` (what is due at the coming sessions).

Every page is also JSON (``Accept: application/json`` or ``?format=json``); the registry and the
matrix are also CSV. Each answer costs the two queries of :func:`read_registry`. A parameter the
page cannot take is answered 400, in plain text (JSON when asked), naming the parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from habitat_kg.server.graph import served_graph
from habitat_kg.server.languages import language as page_language
from habitat_kg.server.mandates.facets import (
    FACETS,
    STATUS_NAMES,
    ParameterError,
    Selection,
    facet_counts,
    read_language,
    read_selection,
)
from habitat_kg.server.mandates.model import STATUS_KEYS, Mandate, Name, Status, read_registry
from habitat_kg.server.mandates.tables import (
    MANDATE_BASE,
    REGISTRY_COLUMNS,
    Column,
    as_csv,
    mandate_json,
    matrix_cells,
    matrix_columns,
    matrix_json,
    matrix_rows,
    page_path,
    registry_row,
    schedule,
    status_json,
)
from habitat_kg.server.negotiation import PAGE, NotAcceptable, choose_format, prefers_json
from habitat_kg.server.questions.terms import to_sparql_term
from habitat_kg.server.security import plain_answer
from habitat_kg.server.store.formats import AnswerFormat

blueprint = Blueprint(
    "mandates",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/mandates/static",
)

JSON = AnswerFormat("json", "application/json")
CSV = AnswerFormat("csv", "text/csv")


@blueprint.errorhandler(ParameterError)
def bad_parameter(error: ParameterError) -> ResponseReturnValue:
    if prefers_json(request.headers.get("Accept")) or request.args.get("format") == "json":
        return jsonify(error=str(error), parameter=error.parameter), 400
    return plain_answer(f"400 Bad Request: {error}", 400)


def _format(offers: tuple[AnswerFormat, ...], what: str) -> AnswerFormat:
    try:
        return choose_format(
            offers, request.headers.get("Accept"), request.args.get("format"), what
        )
    except NotAcceptable as error:
        if request.args.get("format"):
            raise ParameterError("format", str(error)) from None
        abort(plain_answer(str(error), 406))


def _registry() -> list[Mandate]:
    return read_registry(served_graph().store)


def _page(template: str, **context: Any) -> Response:
    language = context["lang"]
    switch = {k: v for k, v in request.args.items() if k != "lang"}
    other = "en" if language == "zh" else "zh"
    context["other_language"] = (other, "?" + urlencode({**switch, "lang": other}))
    kept = {k: v for k, v in request.args.items() if k != "format"}
    context["format_links"] = {f: "?" + urlencode({**kept, "format": f}) for f in ("json", "csv")}
    page = render_template(template, status_names=STATUS_NAMES, page_path=page_path, **context)
    return Response(page, headers={"Vary": "Accept"})


def _csv(text: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept"}
    return Response(text, mimetype="text/csv", headers=headers)


@dataclass(frozen=True)
class _Selected:
    """What the registry and the matrix both read from the request: the answer's format, the
    language, every mandate, and those the filters keep."""

    answer: AnswerFormat
    language: str
    mandates: list[Mandate]
    today: date
    selection: Selection
    shown: list[Mandate]


def _selected(what: str) -> _Selected:
    answer = _format((PAGE, JSON, CSV), what)
    language = read_language(request.args, page_language())
    mandates, today = _registry(), date.today()
    selection = read_selection(request.args, mandates, today)
    shown = [m for m in mandates if selection.keeps(m, today)]
    return _Selected(answer, language, mandates, today, selection, shown)


@blueprint.get("/mandates")
def registry() -> ResponseReturnValue:
    asked = _selected("the mandate registry")
    answer, language, mandates, today = asked.answer, asked.language, asked.mandates, asked.today
    selection, shown = asked.selection, asked.shown
    counts = facet_counts(mandates, selection, today)
    if answer is CSV:
        rows = [registry_row(m, today, language) for m in shown]
        return _csv(as_csv(REGISTRY_COLUMNS, rows), "mandates.csv")
    if answer is JSON:
        facets = {
            name: [
                {
                    "value": v.key,
                    **v.name.as_json(),
                    "count": v.count,
                    "selected": selection.chosen.get(name) == v.key,
                }
                for v in values
            ]
            for name, values in counts.items()
        }
        return jsonify(
            total=len(mandates),
            shown=len(shown),
            filters={**selection.chosen, **({"q": selection.text} if selection.text else {})},
            facets=facets,
            mandates=[mandate_json(m, today) for m in shown],
        )
    links = {
        name: {v.key: _with(name, v.key, selection.chosen.get(name)) for v in values}
        for name, values in counts.items()
    }
    return _page(
        "mandates_registry.html",
        lang=language,
        mandates=shown,
        total=len(mandates),
        facets=FACETS,
        counts=counts,
        links=links,
        selection=selection,
        today=today,
        clear_all="?" + urlencode({"lang": language}) if language != "en" else "?",
    )


def _with(name: str, value: str, current: str | None) -> str:
    """The registry's address with ``name=value`` chosen, or taken away when already chosen."""
    arguments = {k: v for k, v in request.args.items() if k not in {name, "format"}}
    if current != value:
        arguments[name] = value
    return "?" + urlencode(arguments)


@blueprint.get("/mandates/matrix")
def matrix() -> ResponseReturnValue:
    asked = _selected("the mandate matrix")
    shown = asked.shown
    if asked.answer is CSV:
        return _csv(as_csv(*matrix_rows(shown, asked.language)), "mandate-matrix.csv")
    if asked.answer is JSON:
        return jsonify(matrix_json(shown, asked.today))
    columns = matrix_columns(shown)
    return _page(
        "mandates_matrix.html",
        lang=asked.language,
        columns=columns,
        groups=_by_resolution(shown, columns),
        shown=len(shown),
        legend=STATUS_KEYS,
        total=len(asked.mandates),
    )


def _by_resolution(
    mandates: list[Mandate], columns: list[Column]
) -> list[tuple[Name | None, list[tuple[Mandate, list[Status | None]]]]]:
    """The matrix's rows under their resolution, as the tracking tables group them: the
    resolutions with the latest statuses first, those no report has spoken to last."""
    groups: dict[str, list[Mandate]] = {}
    for mandate in mandates:
        groups.setdefault(mandate.text_of("resolution") or "", []).append(mandate)

    def latest(group: list[Mandate]) -> str:
        return max((s.date for m in group for s in m.statuses), default="")

    ordered = sorted(groups.values(), key=lambda g: (latest(g) == "", _negated(latest(g))))
    return [(g[0].one("resolution"), [(m, matrix_cells(m, columns)) for m in g]) for g in ordered]


def _negated(text: str) -> tuple[int, ...]:
    """A key that sorts ISO dates newest first."""
    return tuple(-ord(c) for c in text)


@blueprint.get("/mandates/schedule")
def forward_schedule() -> ResponseReturnValue:
    answer = _format((PAGE, JSON), "the forward schedule")
    language = read_language(request.args, page_language())
    for name in request.args:
        if name not in {"date", "lang", "format"}:
            raise ParameterError(name, "not a parameter of this page (known: date, lang, format)")
    today = _date_parameter()
    items = schedule(_registry(), today)
    if answer is JSON:
        return jsonify(date=today.isoformat(), due=[item.as_json() for item in items])
    return _page("mandates_schedule.html", lang=language, items=items, today=today)


def _date_parameter() -> date:
    given = request.args.get("date", "").strip()
    if not given:
        return date.today()
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise ParameterError("date", f"{given[:40]!r} is not a date (YYYY-MM-DD)") from None


@blueprint.get("/mandates/<path:local>")
def mandate_page(local: str) -> ResponseReturnValue:
    answer = _format((PAGE, JSON), "a mandate")
    language = read_language(request.args, page_language())
    for name in request.args:
        if name not in {"lang", "format"}:
            raise ParameterError(name, "not a parameter of this page (known: lang, format)")
    iri = MANDATE_BASE + local
    try:
        to_sparql_term("iri", iri, "mandate")
    except ValueError:
        abort(plain_answer("404 Not Found: no mandate is named so.", 404))
    found = read_registry(served_graph().store, only=iri)
    if not found:
        abort(plain_answer(f"404 Not Found: the registry has no mandate {iri}", 404))
    mandate, today = found[0], date.today()
    if answer is JSON:
        shape = mandate_json(mandate, today)
        shape["statuses"] = [status_json(s) for s in mandate.statuses]
        shape["activities"] = [n.as_json() for n in mandate.all("activity")]
        return jsonify(shape)
    return _page("mandates_mandate.html", lang=language, mandate=mandate, today=today)
