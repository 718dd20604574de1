"""The endpoint fetches nothing: SERVICE, LOAD and FROM outside the dataset are refused (400)
before any store sees the query, and updates get 403.

A listening socket on loopback stands for another server: after each refused query it must
not have been connected to. A named pipe stands for a file: nobody may have opened it.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from listeners import Listener

from habitat_kg.namespaces import LAYERS
from habitat_kg.server.store.query_text import (
    QueryRefused,
    QuerySyntaxError,
    ReadQueries,
    UpdateRefused,
    check_query,
    read_query,
)
from habitat_kg.server.store.row_cap import with_row_cap

GRAPHS = tuple(str(iri) for iri in LAYERS.values())
CURATED = str(LAYERS["curated"])


def _url(listener: Listener) -> str:
    return f"http://127.0.0.1:{listener.port}/sparql"


def _refused(client: FlaskClient, query: str, status: int = 400, **params: object) -> str:
    response = client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX remote: <{url}#>\nSELECT * WHERE {{ SERVICE remote:x {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ VALUES ?where {{ <{url}> }} SERVICE ?where {{ ?s ?p ?o }} }}",
        "ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        # Oxigraph reads '<' as a comparison here and the rest as code: refused all the same.
        "SELECT ?o WHERE {{ ?s ?p ?o FILTER(?o<'x> ') SERVICE <{url}> {{ ?s ?p ?o }} }} #'",
    ],
)
def test_service_is_refused_and_nobody_is_connected(
    client: FlaskClient, listener: Listener, template: str
) -> None:
    message = _refused(client, template.format(url=_url(listener)))
    assert "SERVICE" in message or "'<' here may be a comparison" in message
    assert not listener.reached()


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?s WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" }',
        "SELECT ?s WHERE { ?s ?p '''a\nSERVICE <http://127.0.0.1:9/> { }''' }",
        "SELECT ?s WHERE { ?s ?p 'none' } # SERVICE <http://127.0.0.1:9/> { }",
        "SELECT ?s WHERE { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX ex: <http://example.org/>\nSELECT ?service WHERE { ?service ex:service ?o }",
        "PREFIX ex: <http://example.org/>\nSELECT ?s WHERE { ?s ex:a\\#SERVICE ?o }",
    ],
)
def test_service_in_a_string_comment_iri_or_name_is_not_a_keyword(
    client: FlaskClient, query: str
) -> None:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert json.loads(response.data)["results"]["bindings"] == []


def test_load_is_refused_as_query_or_update(client: FlaskClient, listener: Listener) -> None:
    load = f"LOAD <{_url(listener)}> INTO GRAPH <{CURATED}>"
    assert "LOAD" in _refused(client, load)
    by_form = client.post("/sparql", data={"update": load})
    by_body = client.post("/sparql", data=load, content_type="application/sparql-update")
    for response in (by_form, by_body):
        assert response.status_code == 403
    assert not listener.reached()


@pytest.fixture
def named_pipe(tmp_path: Path) -> Path:
    """A file nobody should open: a reader of a named pipe would block there and show."""
    path = tmp_path / "data.ttl"
    os.mkfifo(path)
    return path


def _nobody_opened(pipe: Path) -> bool:
    try:
        descriptor = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        return error.errno == errno.ENXIO  # no reader has the pipe open
    os.close(descriptor)
    return False


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM <{file}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{file}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <file:///etc/passwd> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "PREFIX far: <{url}#>\nSELECT * FROM far:graph WHERE {{ ?s ?p ?o }}",
        "BASE <{url}>\nSELECT * FROM <other> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM <relative> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM unknown:graph WHERE {{ ?s ?p ?o }}",
        "SELECT (?o<'x> ' AS ?b) FROM <{url}> WHERE {{ ?s ?p ?o }} #'",
    ],
)
def test_from_outside_the_dataset_is_refused_and_nothing_fetched(
    client: FlaskClient, listener: Listener, named_pipe: Path, template: str
) -> None:
    query = template.format(file=named_pipe.as_uri(), url=_url(listener))
    message = _refused(client, query)
    assert "not a graph of this dataset" in message or "may be a comparison" in message
    assert not listener.reached()
    assert _nobody_opened(named_pipe)


def test_graph_parameters_outside_the_dataset_are_refused(
    client: FlaskClient, listener: Listener, named_pipe: Path
) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        for iri in (_url(listener), named_pipe.as_uri()):
            message = _refused(client, "ASK { ?s ?p ?o }", **{name: iri})
            assert "not a graph of this dataset" in message
    assert not listener.reached()
    assert _nobody_opened(named_pipe)


@pytest.mark.parametrize(
    "update",
    [
        f"INSERT DATA {{ GRAPH <{CURATED}> {{ <urn:a> <urn:b> <urn:c> }} }}",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        f"DROP GRAPH <{CURATED}>",
        "PREFIX ex: <http://example.org/>\nWITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_403_and_change_nothing(app: Flask, client: FlaskClient, update: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = client.get("/sparql", query_string={"query": count}).get_json(force=True)
    for response in (
        client.get("/sparql", query_string={"query": update}),
        client.get("/sparql", query_string={"update": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", data=update, content_type="application/sparql-update"),
    ):
        assert response.status_code == 403
        assert "read-only" in response.get_data(as_text=True)
    after = client.get("/sparql", query_string={"query": count}).get_json(force=True)
    assert before == after
    assert (
        int(after["results"]["bindings"][0]["n"]["value"]) == app.extensions["habitat_kg"].triples
    )


# -- the reading of the query itself ----------------------------------------------------------


def test_reading_refuses_before_any_store() -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(read_query("ASK { SERVICE <urn:x> {} }"), GRAPHS)
    with pytest.raises(UpdateRefused):
        check_query(read_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }"), GRAPHS)
    with pytest.raises(QuerySyntaxError, match="line 2, column 6: this string is not closed"):
        read_query("ASK\n{ ?s 'open }")
    check_query(read_query(f"SELECT * FROM <{CURATED}> FROM NAMED <{CURATED}> {{}}"), GRAPHS)
    # IRIs with '#' in VALUES rows and comparisons written with spaces are not ambiguous
    check_query(
        read_query(
            "SELECT * WHERE { VALUES (?a ?b) { (<urn:x#1> <urn:x#2>) } "
            "FILTER(?a < <urn:x#3> && STR(?a) > 'b#') }"
        ),
        GRAPHS,
    )


@pytest.mark.parametrize(
    ("query", "evaluated", "may_exceed"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }\nLIMIT 11\n", True),
        (
            "SELECT * { ?s ?p ?o } # a comment",
            "SELECT * { ?s ?p ?o } # a comment\nLIMIT 11\n",
            True,
        ),
        (
            "SELECT * { ?s ?p ?o } LIMIT 500 OFFSET 2",
            "SELECT * { ?s ?p ?o } LIMIT 11 OFFSET 2",
            True,
        ),
        ("SELECT * { ?s ?p ?o } limit 3", "SELECT * { ?s ?p ?o } limit 3", False),
        (
            "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 3 } } VALUES ?s { <urn:a> }",
            "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 3 } } LIMIT 11\nVALUES ?s { <urn:a> }",
            True,
        ),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }", True),
    ],
)
def test_row_cap_bounds_the_evaluation(query: str, evaluated: str, may_exceed: bool) -> None:
    assert with_row_cap(read_query(query), 10) == (evaluated, may_exceed)


# -- queries read once, checked every time ----------------------------------------------------


def test_a_kept_query_is_checked_again_against_each_dataset() -> None:
    """The text's reading is kept; the verdict is not (it depends on the dataset's graphs)."""
    text = f"SELECT * FROM <{CURATED}> WHERE {{ ?s ?p ?o }}"
    first = read_query(text)
    assert read_query(text) is first  # read once
    check_query(read_query(text), GRAPHS)
    others = tuple(graph for graph in GRAPHS if graph != CURATED)
    with pytest.raises(QueryRefused, match="not a graph of this dataset"):
        check_query(read_query(text), others)
    check_query(read_query(text), GRAPHS)


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("ASK { SERVICE <urn:x> { ?s ?p ?o } }", QueryRefused),
        ("select * { ?s ?p ?o } # LOAD <urn:x> is a comment, but:\nload <urn:x>", QueryRefused),
        ("DELETE WHERE { ?s ?p ?o }", UpdateRefused),
        ("ASK FROM <urn:elsewhere> { ?s ?p ?o }", QueryRefused),
        ("ASK FROM nowhere:x { ?s ?p ?o }", QueryRefused),  # refused while it is read
        ("ASK { ?s 'open }", QuerySyntaxError),
    ],
)
def test_a_refused_query_is_refused_every_time(text: str, refusal: type[Exception]) -> None:
    for _ in range(3):
        with pytest.raises(refusal):
            check_query(read_query(text), GRAPHS)


def test_refused_twice_through_the_endpoint(client: FlaskClient, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{_url(listener)}> {{ ?s ?p ?o }} }}"
    assert "SERVICE" in _refused(client, query)
    assert "SERVICE" in _refused(client, query)
    assert not listener.reached()


def test_kept_queries_hold_a_bounded_number_of_tokens() -> None:
    kept = ReadQueries(max_tokens=80)
    queries = [read_query(f"ASK {{ ?s ?p {number} }}") for number in range(20)]
    assert {len(query.tokens) for query in queries} == {6}
    for query in queries:
        kept.put(query)
    assert len(kept) == 80 // 6
    assert kept.get(queries[0].text) is None  # the first ones made room for the last
    assert kept.get(queries[-1].text) is queries[-1]
    oldest, next_oldest = queries[-13], queries[-12]
    assert kept.get(oldest.text) is oldest  # asked again: now the last to go
    kept.put(read_query("ASK { ?s ?p 100 }"))
    assert kept.get(oldest.text) is oldest and kept.get(next_oldest.text) is None
    long = read_query("ASK { " + "?s ?p ?o . " * 10 + "}")
    kept.put(long)  # more than an eighth of all: not kept, it would push out many others
    assert kept.get(long.text) is None


def test_row_cap_of_a_kept_query_follows_the_cap() -> None:
    query = read_query("SELECT * { ?s ?p ?o }")
    assert with_row_cap(query, 10) == ("SELECT * { ?s ?p ?o }\nLIMIT 11\n", True)
    assert with_row_cap(query, 2) == ("SELECT * { ?s ?p ?o }\nLIMIT 3\n", True)
    assert with_row_cap(query, 10) == ("SELECT * { ?s ?p ?o }\nLIMIT 11\n", True)
