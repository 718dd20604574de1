"""A query nested past ``max-nesting`` is refused (400) before any engine sees it (issue 13,
item 4): deep enough, Oxigraph's recursive parser and evaluator overflow the worker's stack.

Each deep form below ended a worker with a segmentation fault when it reached Oxigraph; here it
must get a 400 that names the limit and where it is passed, and the workers must be the same
processes afterwards.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from habitat_kg.server.store.base import QueryError
from habitat_kg.server.store.memory import RdflibStore
from habitat_kg.server.store.query_text import QueryRefused, check_query, check_unsafe, read_query

P = "<http://example.org/p>"

#: Forms that crashed a worker, by what nests or chains.
DEEP = {
    "braces": "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "parentheses": "SELECT * WHERE { BIND(" + "(" * 6000 + "1" + ")" * 6000 + " AS ?x) }",
    "function calls": "SELECT * WHERE { BIND(" + "STR(" * 1000 + "1" + ")" * 1000 + " AS ?x) }",
    "subqueries": "SELECT * WHERE { " + "{ SELECT * WHERE " * 800 + "{}" + " }" * 800 + " }",
    "filter exists": "SELECT * WHERE { " + "FILTER EXISTS { " * 1000 + "}" * 1000 + " }",
    "blank node lists": f"SELECT * WHERE {{ ?s {P} " + f"[ {P} " * 3000 + "1" + " ]" * 3000 + " }",
    "collections": f"SELECT * WHERE {{ ?s {P} " + "(" * 1000 + ")" * 1000 + " }",
    "property paths": "SELECT * WHERE { ?s " + "(" * 3000 + P + ")*" * 3000 + " ?o }",
    "path sequence": f"SELECT * WHERE {{ ?s {P}" + f"/{P}" * 3000 + " ?o }",
    "sums": "SELECT * WHERE { BIND(1" + "+1" * 12000 + " AS ?x) }",
    "conjunctions": "SELECT * WHERE { FILTER(true" + "&&true" * 12000 + ") }",
    "negations": "SELECT * WHERE { FILTER(" + "!" * 12000 + "true) }",
    "unions": "SELECT * WHERE { {}" + " UNION {}" * 12000 + " }",
    "optionals": "SELECT * WHERE { " + "OPTIONAL {} " * 12000 + "}",
    "binds": "SELECT * WHERE { " + "".join(f"BIND(1 AS ?x{i}) " for i in range(3000)) + "}",
}


def _pool(app: Flask):
    return app.extensions["habitat_kg"].store


@pytest.mark.parametrize("form", sorted(DEEP))
def test_deep_forms_are_refused_and_no_worker_crashes(
    app: Flask, client: FlaskClient, form: str
) -> None:
    workers = sorted(_pool(app).worker_pids())
    response = client.post("/sparql", data={"query": DEEP[form]})
    message = response.get_data(as_text=True)
    assert response.status_code == 400, message
    assert "nests deeper than the limit of 128 (max-nesting) at line 1, column" in message
    assert sorted(_pool(app).worker_pids()) == workers
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_the_refusal_says_where_the_limit_is_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HABITAT_KG_MAX_NESTING", "3")
    check_query(read_query("SELECT * WHERE { { { } } }"), ())  # 3 deep: within
    with pytest.raises(QueryRefused, match=r"limit of 3 \(max-nesting\) at line 2, column 7"):
        check_query(read_query("SELECT * WHERE {\n  { { { } } }\n}"), ())


def test_a_bad_limit_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HABITAT_KG_MAX_NESTING", "deep")
    with pytest.raises(QueryError, match="max-nesting: expected a whole number"):
        check_query(read_query("ASK {}"), ())


def test_chains_count_within_their_bracket_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HABITAT_KG_MAX_NESTING", "6")
    # five alternatives in one FILTER: 1 (group) + 1 (FILTER) + 1 (parenthesis) + 4 (||) = 7
    with pytest.raises(QueryRefused, match="max-nesting"):
        check_query(read_query("ASK { FILTER(?a || ?b || ?c || ?d || ?e) }"), ())
    # alternatives in brackets that close before the next: never more than 5 deep
    check_query(read_query("ASK { FILTER(?a || ?b) FILTER(?c || ?d) FILTER(?e) }"), ())


@pytest.mark.parametrize(
    "hidden",
    [
        # the old tokenizer read '#' after an escaped IRI as a comment, hiding the rest
        "BIND(<http://x/\\u0041#> AS ?z) ",
        "BIND(<http://x/\\U00000041#> AS ?z) ",
        "BIND('\\u0027' AS ?z) ",
        'BIND("\\u0022" AS ?z) ',
        "?s <http://x/a\\u0020b> ?o . ",
    ],
)
def test_escapes_hide_no_bracket(client: FlaskClient, hidden: str) -> None:
    query = "SELECT * WHERE { " + hidden + "{" * 200 + "}" * 200 + " }"
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert "max-nesting" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?x WHERE { BIND("' + "{" * 300 + '" AS ?x) }',
        "SELECT ?x WHERE { BIND('''" + "(\n" * 300 + "''' AS ?x) }",
        "SELECT ?x WHERE { BIND(1 AS ?x) # " + "{[(" * 300 + "\n}",
        "SELECT ?x WHERE { BIND(<http://x/" + "(" * 300 + "> AS ?x) }",
    ],
)
def test_brackets_in_strings_comments_and_iris_do_not_count(
    client: FlaskClient, query: str
) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_query_at_the_limit_is_run(client: FlaskClient) -> None:
    # 1 (group) + 1 (BIND) + 1 (its parenthesis) + 125 parentheses = 128
    query = "SELECT ?x WHERE { BIND(" + "(" * 125 + "1" + ")" * 125 + " AS ?x) }"
    assert read_query(query).nesting == 128
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    deeper = "SELECT ?x WHERE { BIND(" + "(" * 126 + "1" + ")" * 126 + " AS ?x) }"
    assert client.post("/sparql", data={"query": deeper}).status_code == 400


@pytest.mark.parametrize("form", ["braces", "parentheses", "unions"])
def test_the_rdflib_store_refuses_deep_forms_too(form: str) -> None:
    with pytest.raises(QueryRefused, match="max-nesting"):
        RdflibStore().query(DEEP[form])
    with pytest.raises(QueryRefused, match="max-nesting"):
        check_unsafe(DEEP[form])
