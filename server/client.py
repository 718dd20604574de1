"""``habitat-kg query``: run a query against this server or any SPARQL endpoint.

The query is given inline, read from a file, or made from a stored question and its parameters.
SELECT and ASK answers are asked for as SPARQL JSON, CONSTRUCT and DESCRIBE as Turtle (JSON-LD
for ``--format json``), so any SPARQL 1.1 endpoint will do; the answer is printed as an aligned
table, as CSV, or as the JSON document the endpoint sent.
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import pyoxigraph as ox

from habitat_kg.errors import BAD_INPUT, DatasetMissing
from habitat_kg.graph.search import Names, names_in
from habitat_kg.namespaces import PREFIXES
from habitat_kg.project import DATASET_FILE, PROJECT_FILE, Project, in_project, user_project_root
from habitat_kg.server.query_local import answer_from_dataset, server_listens
from habitat_kg.server.questions import all_questions, get
from habitat_kg.server.store.query_text import QuerySyntaxError, read_query
from habitat_kg.server.store.remote_http import protocol_request
from habitat_kg.settings import setting, setting_option
from habitat_kg.urls import http_url_problem

#: Exit status when the query failed or the endpoint could not be reached.
QUERY_FAILED = 1
#: Widest a table cell is shown in the terminal (the CSV and JSON keep every character).
CELL_WIDTH = 60
_TRUNCATED_HEADER = "X-Habitat-KG-Truncated"


class BadInput(Exception):
    """The command's input is wrong (exit 2)."""


class QueryFailed(Exception):
    """The endpoint could not be reached or refused the query (exit 1)."""


@dataclass(frozen=True)
class Answer:
    """What the endpoint sent: the query form, the body, and the rows it was cut at."""

    form: str
    body: bytes
    truncated_at: str | None


@click.command()
@click.argument("query_text", metavar="[QUERY]", required=False)
@click.option("--file", "query_file", type=click.Path(path_type=Path), help="read the query here")
@click.option(
    "--question",
    type=click.Choice([question.name for question in all_questions()]),
    metavar="NAME",
    help="a stored question by name (--list shows them)",
)
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="a question's value")
@click.option(
    "--endpoint",
    help="SPARQL endpoint URL  [default: the server on --port if one runs, else the built dataset]",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--list",
    "list_questions",
    is_flag=True,
    help="list the stored questions with their parameters (name, label, default) and stop",
)
@setting_option("port", type=click.IntRange(0, 65535))
@setting_option("data", type=click.Path(path_type=Path))
@setting_option("store")
@in_project(unless=("endpoint", "list_questions"))
def query(
    query_text: str | None,
    query_file: Path | None,
    question: str | None,
    params: tuple[str, ...],
    endpoint: str | None,
    output_format: str,
    list_questions: bool,
    port: int,
    data: Path | None,
    store: str,
) -> None:
    """Run a SPARQL query against the built dataset, this server or any SPARQL endpoint and
    print the answer. With no --endpoint: the server on --port when one runs, else the
    project's built dataset (stderr says which)."""
    if list_questions:
        click.echo(questions_listing(), nl=False)
        return
    try:
        if endpoint is not None and (problem := http_url_problem(endpoint)):
            raise BadInput(f"--endpoint: {problem}; only http(s) URLs are accepted")
        text = _query_to_run(query_text, query_file, question, params, data)
        form = _form(text)
    except BadInput as error:
        click.echo(f"habitat-kg: error: {error}", err=True)
        sys.exit(BAD_INPUT)
    as_json_ld = output_format == "json"
    try:
        if endpoint is None and (port == 0 or not server_listens("127.0.0.1", port)):
            answer = _from_dataset(data, store, text, form, as_json_ld)
        else:
            url = endpoint or f"http://127.0.0.1:{port}/sparql"
            if endpoint is None:
                click.echo(f"habitat-kg: asking the server at {url}", err=True)
            answer = ask(url, text, form, as_json_ld=as_json_ld)
        printed = _printed(answer, output_format)
    except QueryFailed as error:
        click.echo(f"habitat-kg: error: {error}", err=True)
        sys.exit(QUERY_FAILED)
    click.echo(printed, nl=False)
    if answer.truncated_at is not None:
        click.echo(f"note: the endpoint cut the answer at {answer.truncated_at} rows", err=True)


def _from_dataset(data: Path | None, store: str, text: str, form: str, as_json_ld: bool) -> Answer:
    """The answer from the built dataset (no server runs); bad input exits 2 with one line."""
    dataset = (data or Path("build")) / DATASET_FILE
    click.echo(f"habitat-kg: no server runs: answering from the built dataset {dataset}", err=True)
    try:
        return Answer(form, answer_from_dataset(dataset, store, text, as_json_ld), None)
    except (DatasetMissing, ValueError) as error:
        click.echo(f"habitat-kg: error: {error}", err=True)
        sys.exit(BAD_INPUT)


def questions_listing() -> str:
    """The stored questions: name and title, what each finds, its parameters and defaults."""
    lines = []
    for stored in all_questions():
        lines.append(f"{stored.name}: {stored.title_en}")
        lines.append(f"    {stored.description}")
        for parameter in stored.parameters:
            default = f"default {parameter.default}" if parameter.default else "optional"
            lines.append(
                f"    --param {parameter.name}=VALUE  {parameter.label} "
                f"({parameter.kind}; {default})"
            )
        lines.append("")
    lines.append("run one: habitat-kg query --question NAME [--param NAME=VALUE]...")
    return "\n".join(lines) + "\n"


def ask(endpoint: str, text: str, form: str, *, as_json_ld: bool = False) -> Answer:
    """Send the query (a SPARQL 1.1 Protocol POST); QueryFailed says why it gave no answer."""
    if form in {"CONSTRUCT", "DESCRIBE"}:
        accept = "application/ld+json" if as_json_ld else "text/turtle"
    else:
        accept = "application/sparql-results+json"
    request = protocol_request(endpoint, text, accept)
    try:
        with urllib.request.urlopen(request, timeout=float(setting("timeout")) + 30) as response:
            return Answer(form, response.read(), response.headers.get(_TRUNCATED_HEADER))
    except urllib.error.HTTPError as error:
        raise QueryFailed(f"{endpoint} answered {error.code}: {_said(error.read())}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise QueryFailed(f"cannot reach {endpoint}: {reason}") from None


def _query_to_run(
    query_text: str | None,
    query_file: Path | None,
    question: str | None,
    params: Sequence[str],
    data: Path | None = None,
) -> str:
    given = [
        name
        for name, value in (("QUERY", query_text), ("--file", query_file), ("--question", question))
        if value is not None
    ]
    if len(given) != 1:
        raise BadInput("give one query: QUERY, --file PATH or --question NAME")
    if params and question is None:
        raise BadInput("--param goes with --question")
    if query_file is not None:
        try:
            return query_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise BadInput(f"{query_file}: cannot read the query: {error}") from None
    if question is not None:
        return _question_query(question, params, data)
    assert query_text is not None
    return query_text


def _question_query(name: str, params: Sequence[str], data: Path | None) -> str:
    values = {}
    for param in params:
        key, equals, value = param.partition("=")
        if not equals or not key:
            raise BadInput(f"--param {param!r}: expected NAME=VALUE")
        values[key.strip()] = value
    try:
        names = names_in(data) if data is not None else project_names()
        prepared = get(name).prepared(values, names)
    except ValueError as error:
        raise BadInput(f"question {name!r}: {error}") from None
    for note in prepared.notes:
        click.echo(f"note: {note}", err=True)
    return prepared.sparql


def project_names() -> Names | None:
    """Names from the search index of the project's build when no --data was given (with
    --endpoint): ``HABITAT_KG_DATA``, else the named, current or per-user project's ``build/``;
    None when there is no built index (no project is made for it)."""
    folder = setting("data")
    if not folder:
        named = setting("project")
        for root in (Path(named) if named else None, Path.cwd(), user_project_root()):
            if root is not None and (root / PROJECT_FILE).is_file():
                folder = str(Project.open(root).data)
                break
    return names_in(Path(folder)) if folder else None


def _form(text: str) -> str:
    """The query form, read locally so that the right format is asked for."""
    try:
        form = read_query(text).form
    except QuerySyntaxError:
        form = None  # the endpoint will say what is wrong with it
    if form == "UPDATE":
        raise BadInput("this runs queries; SPARQL Update is not sent")
    return form or "SELECT"


def _printed(answer: Answer, output_format: str) -> str:
    if answer.form in {"CONSTRUCT", "DESCRIBE"}:
        if output_format == "json":
            return answer.body.decode("utf-8").rstrip("\n") + "\n"
        header, rows = ["subject", "predicate", "object"], _triples(answer.body)
    else:
        document = _json(answer.body)
        if output_format == "json":
            return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if "boolean" in document:
            return f"{'true' if document['boolean'] else 'false'}\n"
        header = list(document["head"]["vars"])
        rows = [[binding.get(v) for v in header] for binding in document["results"]["bindings"]]
    if output_format == "csv":
        return _csv(header, rows)
    return _table(header, rows)


def _json(body: bytes) -> dict:
    try:
        return json.loads(body)
    except ValueError as error:
        raise QueryFailed(f"the endpoint's answer is not SPARQL JSON: {error}") from None


def _triples(turtle: bytes) -> list[list[dict | None]]:
    def term(node: object) -> dict:
        kind = "uri" if isinstance(node, ox.NamedNode) else "bnode"
        kind = "literal" if isinstance(node, ox.Literal) else kind
        return {"type": kind, "value": node.value}  # type: ignore[attr-defined]

    try:
        parsed = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        raise QueryFailed(f"the endpoint's answer is not Turtle: {error}") from None
    return [[term(t.subject), term(t.predicate), term(t.object)] for t in parsed]


def _csv(header: list[str], rows: list[list[dict | None]]) -> str:
    lines: list[str] = []

    class Lines:
        def write(self, line: str) -> None:
            lines.append(line)

    writer = csv.writer(Lines(), lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[cell["value"] if cell else "" for cell in row] for row in rows])
    return "".join(lines)


def _table(header: list[str], rows: list[list[dict | None]]) -> str:
    shown = [[_shown(cell) for cell in row] for row in rows]
    widths = [_width(name) for name in header]
    for row in shown:
        widths = [max(width, _width(cell)) for width, cell in zip(widths, row, strict=True)]
    lines = [_line(header, widths), "  ".join("-" * width for width in widths)]
    lines += [_line(row, widths) for row in shown]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    pairs = zip(cells, widths, strict=True)
    return "  ".join(cell + " " * (width - _width(cell)) for cell, width in pairs)


def _shown(cell: dict | None) -> str:
    """A term as a table shows it: IRIs with the project's prefixes, on one short line."""
    if cell is None:
        return ""
    value = " ".join(cell["value"].split())
    if cell["type"] == "uri":
        for prefix, namespace in PREFIXES.items():
            if value.startswith(namespace) and len(value) > len(namespace):
                value = f"{prefix}:{value[len(namespace) :]}"
                break
    elif cell["type"] == "bnode":
        value = f"_:{value}"
    if _width(value) > CELL_WIDTH:
        while _width(value) > CELL_WIDTH - 1:
            value = value[:-1]
        value += "…"
    return value


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _said(body: bytes) -> str:
    """What the server's error body says, on one line."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if isinstance(document, dict) and isinstance(document.get("error"), str):
        text = document["error"]
    line = " ".join(text.split())
    return line[:500] or "(no message)"
