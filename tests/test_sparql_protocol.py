"""The SPARQL 1.1 Protocol at /sparql: every method, format and error, with the answers parsed.

The app (one per test session, see conftest.py) serves the dataset built from the sources; the
documents that come back are parsed (json, csv, xml.etree, rdflib) and their content checked.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from flask import Response
from flask.testing import FlaskClient
from rdflib import Literal, URIRef
from sparql_requests import (
    BROWSER,
    CONSTRUCT_LABELS,
    FAO,
    FAO_EN,
    FAO_ZH,
    LABELS,
    RDFS_LABEL,
    SPARQL_RESULTS,
    get_query,
    labels_from_json,
    parsed,
    select_rows,
)
from werkzeug.test import EnvironBuilder

from habitat_kg.namespaces import BASE
from habitat_kg.server.sparql.responses import answer_response

# -- methods ----------------------------------------------------------------------------------


def test_get_answers_select_as_sparql_json_by_default(client: FlaskClient) -> None:
    response = get_query(client, LABELS)
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert labels_from_json(response.data) == [(FAO_EN, "en"), (FAO_ZH, "zh")]


def test_post_form_and_post_query_body_give_the_same_answer(client: FlaskClient) -> None:
    by_form = client.post("/sparql", data={"query": LABELS})
    by_body = client.post(
        "/sparql",
        data=LABELS.encode("utf-8"),
        content_type="application/sparql-query; charset=utf-8",
    )
    assert by_form.status_code == by_body.status_code == 200
    assert labels_from_json(by_form.data) == labels_from_json(by_body.data)
    assert labels_from_json(by_body.data) == [(FAO_EN, "en"), (FAO_ZH, "zh")]


def test_post_of_another_content_type_is_415_with_a_message(client: FlaskClient) -> None:
    response = client.post("/sparql", data=LABELS, content_type="text/plain")
    assert response.status_code == 415
    assert "application/sparql-query" in response.get_data(as_text=True)


def test_other_methods_are_405_with_a_message(client: FlaskClient) -> None:
    response = client.put("/sparql", data=LABELS)
    assert response.status_code == 405
    assert "use GET or POST" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("request_args", "problem"),
    [
        ({"query_string": "query=&format=json"}, "the query is empty"),
        ({"query_string": "query=ASK{}&query=ASK{}"}, "one query, not 2"),
    ],
)
def test_empty_or_repeated_query_is_400(
    client: FlaskClient, request_args: dict, problem: str
) -> None:
    response = client.get("/sparql", **request_args)
    assert response.status_code == 400
    assert problem in response.get_data(as_text=True)


def test_post_form_without_query_is_400(client: FlaskClient) -> None:
    response = client.post("/sparql", data={"format": "json"})
    assert response.status_code == 400
    assert "no 'query' field" in response.get_data(as_text=True)


# -- result formats ---------------------------------------------------------------------------


# Each format asked for by its media type (Accept) and by its name (format=): the answer comes
# as that media type.
@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
    ],
)
def test_select_in_every_results_format(client: FlaskClient, media_type: str, fmt: str) -> None:
    by_accept = get_query(client, LABELS, media_type)
    by_parameter = get_query(client, LABELS, format=fmt)
    for response in (by_accept, by_parameter):
        assert response.status_code == 200
        assert response.mimetype == media_type
        assert select_rows(response.data, fmt) == [[FAO_EN], [FAO_ZH]]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_every_results_format(client: FlaskClient, fmt: str) -> None:
    yes = get_query(client, f"ASK {{ <{FAO}> ?p ?o }}", format=fmt)
    no = get_query(client, f"ASK {{ <{FAO}> <{FAO}> ?o }}", format=fmt)
    assert yes.status_code == no.status_code == 200
    if fmt == "json":
        assert json.loads(yes.data)["boolean"] is True
        assert json.loads(no.data)["boolean"] is False
    elif fmt == "xml":
        assert ET.fromstring(yes.data).find(f"{SPARQL_RESULTS}boolean").text == "true"
        assert ET.fromstring(no.data).find(f"{SPARQL_RESULTS}boolean").text == "false"
    else:
        assert (yes.data.strip(), no.data.strip()) == (b"true", b"false")


@pytest.mark.parametrize(
    ("media_type", "fmt", "rdflib_format"),
    [
        ("text/turtle", "turtle", "turtle"),
        ("application/n-triples", "ntriples", "nt"),
        ("application/ld+json", "jsonld", "json-ld"),
        ("application/rdf+xml", "rdfxml", "xml"),
    ],
)
def test_construct_in_every_rdf_format(
    client: FlaskClient, media_type: str, fmt: str, rdflib_format: str
) -> None:
    expected = {
        (URIRef(FAO), RDFS_LABEL, Literal(FAO_EN, lang="en")),
        (URIRef(FAO), RDFS_LABEL, Literal(FAO_ZH, lang="zh")),
    }
    for response in (
        get_query(client, CONSTRUCT_LABELS, media_type),
        get_query(client, CONSTRUCT_LABELS, format=fmt),
    ):
        assert response.status_code == 200
        assert response.mimetype == media_type
        graph = parsed(response.get_data(as_text=True), format=rdflib_format)
        assert set(graph) == expected


def test_describe_gives_the_facts_of_the_thing(client: FlaskClient) -> None:
    response = get_query(client, f"DESCRIBE <{FAO}>", "text/turtle")
    assert response.status_code == 200
    graph = parsed(response.get_data(as_text=True), format="turtle")
    assert (URIRef(FAO), RDFS_LABEL, Literal(FAO_EN, lang="en")) in graph
    assert graph.value(URIRef(FAO), URIRef(BASE + "ontology#acronym")) == Literal("FAO")


# -- content negotiation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "select_type", "construct_type"),
    [
        (BROWSER, "application/sparql-results+json", "text/turtle"),
        ("*/*", "application/sparql-results+json", "text/turtle"),
        (None, "application/sparql-results+json", "text/turtle"),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9, application/rdf+xml;q=0.8",
            "application/sparql-results+xml",
            "application/rdf+xml",
        ),
        ("application/json", "application/sparql-results+json", "application/ld+json"),
        ("text/*;q=0.9, application/n-triples", "text/csv", "application/n-triples"),
        (
            "application/sparql-results+json;q=0, text/turtle;q=0, */*",
            "application/sparql-results+xml",
            "application/n-triples",
        ),
    ],
)
def test_accept_with_q_values_chooses_the_format(
    client: FlaskClient, accept: str | None, select_type: str, construct_type: str
) -> None:
    assert get_query(client, LABELS, accept).mimetype == select_type
    assert get_query(client, CONSTRUCT_LABELS, accept).mimetype == construct_type


def test_format_parameter_wins_over_accept(client: FlaskClient) -> None:
    response = get_query(client, LABELS, "application/sparql-results+json", format="csv")
    assert response.mimetype == "text/csv"
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header == ["label"]


def test_nothing_acceptable_is_406_listing_what_is_offered(client: FlaskClient) -> None:
    response = get_query(client, LABELS, "text/html")
    assert response.status_code == 406
    message = response.get_data(as_text=True)
    for offered in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        assert offered in message
    response = get_query(client, CONSTRUCT_LABELS, format="csv")
    assert response.status_code == 406
    assert "text/turtle (format=turtle)" in response.get_data(as_text=True)


def test_a_refused_accept_header_is_refused_again_naming_each_query_form(
    client: FlaskClient,
) -> None:
    for _ in range(2):  # the second time the choice for the header is a kept one
        select, construct = (
            get_query(client, LABELS, "text/html"),
            get_query(client, CONSTRUCT_LABELS, "text/html"),
        )
        assert select.status_code == construct.status_code == 406
        assert "for SELECT queries" in select.get_data(as_text=True)
        assert "for CONSTRUCT queries" in construct.get_data(as_text=True)


def test_a_long_accept_header_is_read_like_a_short_one(client: FlaskClient) -> None:
    unknown = ", ".join(f"application/x-unknown-{number}" for number in range(100))
    for accept in (f"text/csv;q=0.5, {unknown}", f"{unknown}, text/csv;q=0.5"):
        assert len(accept) > 1024  # longer than the headers whose choice is kept
        assert get_query(client, LABELS, accept).mimetype == "text/csv"


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("status", [200, 304])
def test_an_answer_sends_the_headers_werkzeug_would_send(method: str, status: int) -> None:
    response = answer_response(b'{"boolean": true}', "application/sparql-results+json")
    response.headers["ETag"] = '"answer"'
    response.status_code = status
    environ = EnvironBuilder("/sparql", method=method).get_environ()
    sent = response.get_wsgi_headers(environ).to_wsgi_list()
    assert sent == Response.get_wsgi_headers(response, environ).to_wsgi_list()
