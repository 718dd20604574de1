"""The query page (``/``) and the stored questions (``/queries``, ``/queries/<name>``)."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from habitat_kg.graph.search import Names
from habitat_kg.namespaces import PREFIXES
from habitat_kg.server import questions
from habitat_kg.server.answers import run, table
from habitat_kg.server.graph import served_graph
from habitat_kg.server.negotiation import PAGE, NotAcceptable, choose_format
from habitat_kg.server.questions.binding import NAMED
from habitat_kg.server.search import served_names
from habitat_kg.server.store import Solutions, Term
from habitat_kg.server.store.formats import FORMATS, AnswerFormat

blueprint = Blueprint(
    "pages",
    __name__,
    static_folder="static",
    static_url_path="/static",
    template_folder="templates",
)

#: A stored question's answer: its page, or its rows as JSON or CSV.
QUESTION_FORMATS = (PAGE, AnswerFormat("json", "application/json"), AnswerFormat("csv", "text/csv"))

#: The kind of thing a parameter's field suggests names of (``data-suggest``), by its kind.
SUGGEST_KINDS = NAMED | {"search": ""}

#: What the editor shows first: a question an analyst of the report would ask.
FIRST_QUERY = """SELECT ?activity ?label ?statusLabel
WHERE {
  ?activity a hkg:Activity ;
            hkg:forResolution/hkg:resolutionNumber "1/5" ;
            rdfs:label ?label ;
            hkg:status/skos:prefLabel ?statusLabel .
  FILTER (LANG(?label) = "en" && LANG(?statusLabel) = "en")
}
ORDER BY ?statusLabel"""

#: The downloads the query page offers, by the endpoint's format names: for SELECT and ASK, then
#: for CONSTRUCT and DESCRIBE; a name the endpoint does not answer is not offered.
DOWNLOADS = {
    "solutions": (("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON"), ("xlsx", "XLSX")),
    "graph": (("turtle", "Turtle"), ("jsonld", "JSON-LD")),
}
#: File name extensions of the downloads, where they differ from the format's name.
_EXTENSIONS = {"turtle": "ttl"}


@blueprint.app_context_processor
def site_context() -> dict[str, Any]:
    """What the base template needs on every page."""
    return {
        "nav_endpoints": set(current_app.view_functions),
        "graph_triples": served_graph().triples,
    }


@blueprint.get("/")
def query_page() -> ResponseReturnValue:
    query = request.args.get("query") or FIRST_QUERY
    return render_template(
        "query.html",
        query=query,
        prefixes=PREFIXES,
        questions=questions.all_questions(),
        timeout=current_app.config["TIMEOUT"],
        max_rows=current_app.config["MAX_ROWS"],
        downloads=offered_downloads(),
        max_query_bytes=int(current_app.config["MAX_REQUEST_KB"]) * 1024,
    )


def offered_downloads() -> dict[str, list[dict[str, str]]]:
    """The query page's download buttons by kind of answer: ``format``, ``label``,
    ``extension``; only formats the endpoint answers."""
    return {
        kind: [
            {"format": name, "label": label, "extension": _EXTENSIONS.get(name, name)}
            for name, label in offers
            if name in FORMATS
        ]
        for kind, offers in DOWNLOADS.items()
    }


@blueprint.get("/queries")
def question_list() -> ResponseReturnValue:
    return render_template("questions.html", questions=questions.all_questions())


@blueprint.get("/queries/<name>.<any(json, csv):extension>")
@blueprint.get("/queries/<name>")
def question_page(name: str, extension: str | None = None) -> ResponseReturnValue:
    try:
        question = questions.get(name)
    except KeyError as error:
        abort(404, description=str(error.args[0]))
    # only the values given: an absent parameter takes its default, an empty one is refused
    given = {p.name: request.args[p.name] for p in question.parameters if p.name in request.args}
    names = served_names()
    values = {p.name: given.get(p.name, _default_shown(p, names)) for p in question.parameters}
    fmt = extension or _format_asked()
    try:
        prepared = question.prepared(given, names)
    except ValueError as error:
        return _bad_parameter(question, values, str(error), fmt)
    sparql = prepared.sparql
    answer = run(sparql)
    assert isinstance(answer, Solutions), f"{name}.rq is a SELECT query"
    if fmt == "json":
        return jsonify(_as_json(question, values, answer) | {"notes": list(prepared.notes)})
    if fmt == "csv":
        return _as_csv(name, answer)
    shown = shown_columns(answer.variables)
    return render_template(
        "question.html",
        question=question,
        values=values,
        sparql=sparql,
        variables=[answer.variables[i] for i in shown],
        rows=[[row[i] for i in shown] for row in table(answer)],
        error=None,
        notes=prepared.notes,
        suggest_kinds=SUGGEST_KINDS,
    )


def _default_shown(parameter: questions.Parameter, names: Names | None) -> str:
    """A default as the form shows it: an IRI by its name (which the field takes back)."""
    if names is not None and parameter.default.startswith(("http://", "https://")):
        thing = names.index.thing(parameter.default)
        if thing is not None and thing.label_en:
            return thing.label_en
    return parameter.default


def shown_columns(variables: tuple[str, ...]) -> list[int]:
    """Columns a page shows: ``xLabel`` and ``xLabelZh`` go when ``x`` is shown as a link with
    its labels; JSON and CSV keep every column."""
    present = set(variables)
    hidden = {
        name
        for name in variables
        for suffix in ("Label", "LabelZh")
        if name.endswith(suffix) and name.removesuffix(suffix) in present
    }
    return [i for i, name in enumerate(variables) if name not in hidden]


def _format_asked() -> str:
    """The ``format`` parameter when it names one of QUESTION_FORMATS, else the Accept header,
    else the page: a question's page never answers 406."""
    asked = request.args.get("format")
    if asked not in {offer.name for offer in QUESTION_FORMATS}:
        asked = None
    try:
        return choose_format(QUESTION_FORMATS, request.headers.get("Accept"), asked, "").name
    except NotAcceptable:
        return PAGE.name


def _bad_parameter(question: Any, values: dict[str, str], message: str, fmt: str) -> Response:
    if fmt == "json":
        response = jsonify(error=message, question=question.name)
    elif fmt == "csv":
        response = Response(message + "\n", mimetype="text/plain")
    else:
        page = render_template(
            "question.html",
            question=question,
            values=values,
            sparql=question.text,
            variables=(),
            rows=[],
            error=message,
            notes=(),
            suggest_kinds=SUGGEST_KINDS,
        )
        response = Response(page, mimetype="text/html")
    response.status_code = 400
    return response


def _value(term: Term | None) -> str | None:
    return None if term is None else term.value


def _as_json(question: Any, values: dict[str, str], answer: Solutions) -> dict[str, Any]:
    return {
        "question": question.name,
        "title": {"en": question.title_en, "zh": question.title_zh},
        "description": question.description,
        "parameters": {p.name: values[p.name] for p in question.parameters},
        "variables": list(answer.variables),
        "rows": [
            {v: _value(t) for v, t in zip(answer.variables, row, strict=True)}
            for row in answer.rows
        ],
    }


def _as_csv(name: str, answer: Solutions) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(answer.variables)
    writer.writerows([_value(term) or "" for term in row] for row in answer.rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
