"""The SPARQL endpoint beyond methods and formats: the dataset a query sees, the service
description, the front door, CORS and the errors."""

from __future__ import annotations

import json

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF
from sparql_requests import (
    BROWSER,
    CONSTRUCT_LABELS,
    CURATED,
    DOCUMENT,
    FAO,
    LABELS,
    SD,
    VOID,
    count_rows,
    get_query,
    parsed,
    select_rows,
)
from werkzeug.test import Client

from habitat_kg.namespaces import LAYERS
from habitat_kg.server.sparql.description import format_iri
from habitat_kg.server.sparql.endpoint import FrontDoor
from habitat_kg.server.store.formats import FORMATS

# -- the dataset ------------------------------------------------------------------------------


def test_default_graph_is_the_union_of_the_layers(app: Flask, client: FlaskClient) -> None:
    total = count_rows(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert total == app.extensions["habitat_kg"].triples
    layers = json.loads(
        get_query(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").data
    )
    assert {b["g"]["value"] for b in layers["results"]["bindings"]} == set(
        map(str, LAYERS.values())
    )
    per_layer = sum(
        count_rows(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        for g in LAYERS.values()
    )
    assert per_layer == total


def test_default_graph_uri_and_named_graph_uri_make_the_dataset(client: FlaskClient) -> None:
    in_document = count_rows(
        client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DOCUMENT}> {{ ?s ?p ?o }} }}"
    )
    assert (
        count_rows(
            client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": DOCUMENT}
        )
        == in_document
    )
    # FAO is said about in the curated layer only
    fao = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{FAO}> ?p ?o }}"
    assert count_rows(client, fao, **{"default-graph-uri": DOCUMENT}) == 0
    assert count_rows(client, fao, **{"default-graph-uri": [DOCUMENT, CURATED]}) == 6
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count_rows(client, graphs, **{"named-graph-uri": CURATED}) == 1
    # named-graph-uri alone: the default graph is then empty
    assert count_rows(client, fao, **{"named-graph-uri": CURATED}) == 0
    for graph, count in ((CURATED, "6"), (DOCUMENT, "0")):  # a form carries its graphs too
        form = client.post(
            "/sparql",
            data={"query": fao, "default-graph-uri": graph},
            headers={"Accept": "application/json"},
        )
        assert json.loads(form.data)["results"]["bindings"][0]["n"]["value"] == count


def test_from_a_graph_of_the_dataset_is_allowed(client: FlaskClient) -> None:
    fao = "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ <" + FAO + "> ?p ?o }}"
    assert count_rows(client, fao.format(CURATED)) == 6
    assert count_rows(client, fao.format(DOCUMENT)) == 0


def test_a_graph_parameter_outside_the_dataset_is_400(client: FlaskClient) -> None:
    response = get_query(client, LABELS, **{"named-graph-uri": "http://example.org/elsewhere"})
    assert response.status_code == 400
    assert "is not a graph of this dataset" in response.get_data(as_text=True)


# -- the service description ------------------------------------------------------------------


def test_service_description_with_void_counts(app: Flask, client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = parsed(response.get_data(as_text=True), format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "JSON-LD"} <= formats
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert int(graph.value(dataset, VOID.triples)) == app.extensions["habitat_kg"].triples
    for counted in (VOID.entities, VOID.classes, VOID.properties):
        assert int(graph.value(dataset, counted)) > 0
    named = {
        str(graph.value(node, SD.name)): graph.value(node, SD.graph)
        for node in graph.objects(dataset, SD.namedGraph)
    }
    assert set(named) == set(map(str, LAYERS.values()))
    subsets = set(graph.objects(dataset, VOID.subset))
    assert set(named.values()) == subsets
    for iri, subset in named.items():
        expected = count_rows(
            client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        )
        assert int(graph.value(subset, VOID.triples)) == expected
    assert sum(int(graph.value(s, VOID.triples)) for s in subsets) == int(
        graph.value(dataset, VOID.triples)
    )


def test_service_description_lists_every_format_the_endpoint_answers(
    client: FlaskClient,
) -> None:
    graph = parsed(client.get("/sparql?format=turtle").get_data(as_text=True), format="turtle")
    service = URIRef("http://localhost/sparql")
    listed = {str(f) for f in graph.objects(service, SD.resultFormat)}
    xlsx = "https://www.iana.org/assignments/media-types/" + FORMATS["xlsx"].media_type
    assert xlsx in listed and "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in listed
    assert listed == {format_iri(answer) for answer in FORMATS.values()}
    # each listed format is answered, in its media type, for the query forms it suits
    for answer in FORMATS.values():
        iri = URIRef(format_iri(answer))
        assert str(graph.value(iri, DCTERMS.format)) == answer.media_type
        query = LABELS if answer.for_solutions else CONSTRUCT_LABELS
        response = get_query(client, query, format=answer.name)
        assert response.status_code == 200, answer.name
        assert response.mimetype == answer.media_type


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_service_description_is_negotiable(
    client: FlaskClient, accept: str, rdflib_format: str
) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    graph = parsed(response.get_data(as_text=True), format=rdflib_format)
    assert (URIRef("http://localhost/sparql"), RDF.type, SD.Service) in graph
    assert client.get("/sparql", headers={"Accept": "text/csv"}).status_code == 406


# -- the front door ---------------------------------------------------------------------------


def test_front_door_and_flask_route_give_the_same_answers(app: Flask, client: FlaskClient) -> None:
    """/sparql is answered before Flask's own handling (endpoint.FrontDoor); Flask's route, which
    the pages name, gives the same answers, errors included, and the other pages stay Flask's."""
    front_door = app.wsgi_app
    assert isinstance(front_door, FrontDoor)
    with app.test_request_context():
        assert url_for("sparql.endpoint") == "/sparql"
    through_flask = Client(front_door.behind)
    asked = [
        ({"query": LABELS}, None),
        ({"query": LABELS}, "text/csv"),
        ({"query": CONSTRUCT_LABELS}, "text/turtle"),
        ({"query": "SELECT ?x WHERE {"}, "application/json"),
        ({"query": "ASK { SERVICE <urn:x> {} }"}, None),
        ({"query": LABELS}, "text/html"),
        ({}, "text/turtle"),
    ]
    for params, accept in asked:
        headers = {"Accept": accept} if accept else {}
        ours = client.get("/sparql", query_string=params, headers=headers)
        flasks = through_flask.get("/sparql", query_string=params, headers=headers)
        assert ours.status_code == flasks.status_code
        assert sorted(ours.headers.items()) == sorted(flasks.headers.items())
        assert ours.data == flasks.data
    head = client.head("/sparql", query_string={"query": LABELS})
    assert head.status_code == 200 and head.data == b""
    assert head.mimetype == "application/sparql-results+json"
    assert client.get("/sparql/").status_code == 404  # only /sparql itself is the endpoint's
    assert client.get("/").status_code == 200


def test_front_door_takes_the_app_settings_flask_would(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["sparql.example.org"])
    through_flask = Client(app.wsgi_app.behind)  # type: ignore[attr-defined]
    for asking in (client, through_flask):
        untrusted = asking.get("/sparql", query_string={"query": LABELS})
        assert untrusted.status_code == 400
        trusted = asking.get(
            "/sparql", query_string={"query": LABELS}, base_url="http://sparql.example.org"
        )
        assert trusted.status_code == 200


# -- CORS -------------------------------------------------------------------------------------


def test_cors_on_answers_errors_and_preflight(client: FlaskClient) -> None:
    for response in (get_query(client, LABELS), get_query(client, "SELECT ?x WHERE {")):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "X-Habitat-KG-Truncated" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


# -- errors -----------------------------------------------------------------------------------


def test_malformed_query_is_400_with_parser_message_and_position(client: FlaskClient) -> None:
    query = "SELECT ?s\nWHERE {\n  ?s ?p\n}"
    text = get_query(client, query)
    assert text.status_code == 400 and text.mimetype == "text/plain"
    message = text.get_data(as_text=True)
    assert message.startswith("malformed query: line 4, column ")
    assert "expected" in message  # Oxigraph's parser says what it expected there
    as_json = get_query(client, query, "application/sparql-results+json")
    assert as_json.status_code == 400 and as_json.mimetype == "application/json"
    error = json.loads(as_json.data)
    assert error["line"] == 4
    assert error["error"] == message.strip()
    assert f"line 4, column {error['column']}:" in message


def test_undeclared_prefix_is_named(client: FlaskClient) -> None:
    response = get_query(client, "SELECT * WHERE { ?s a hkg:Activity }")
    assert response.status_code == 400
    message = response.get_data(as_text=True)
    assert "line 1, column 23" in message
    assert (
        "the prefix 'hkg:' is not declared: add PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>"
        in message
    )


def test_errors_are_never_tracebacks(client: FlaskClient) -> None:
    for response in (
        get_query(client, "SELECT * WHERE { ?s ?p ?o } GROUP BY"),
        client.post("/sparql", data=b"\xff\xfe", content_type="application/sparql-query"),
        get_query(client, "SELECT * WHERE { ?s ?p ?o FILTER(?o < 'x) }"),
    ):
        assert response.status_code == 400
        assert "Traceback" not in response.get_data(as_text=True)
        assert response.get_data(as_text=True).strip()


def test_rows_past_the_cap_are_cut_and_the_cut_is_said(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_ROWS", 5)
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for fmt in ("json", "xml", "csv", "tsv"):
        response = get_query(client, everything, format=fmt)
        assert response.status_code == 200
        assert response.headers["X-Habitat-KG-Truncated"] == "5"
        assert (
            len(select_rows(response.data, fmt) if fmt != "tsv" else response.data.splitlines()[1:])
            == 5
        )
    document = json.loads(get_query(client, everything).data)  # still valid SPARQL JSON
    assert document["head"]["vars"] == ["s", "p", "o"] and len(document["results"]["bindings"]) == 5
    construct = get_query(client, "CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert construct.headers["X-Habitat-KG-Truncated"] == "5"
    assert len(parsed(construct.get_data(as_text=True), format="nt")) == 5
    five = "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 } }"
    six = "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 6 } } ORDER BY DESC(?x)"
    assert "X-Habitat-KG-Truncated" not in get_query(client, five).headers
    assert "X-Habitat-KG-Truncated" not in get_query(client, everything + " LIMIT 3").headers
    cut = get_query(client, six)
    assert cut.headers["X-Habitat-KG-Truncated"] == "5"
    assert [row[0] for row in select_rows(cut.data, "json")] == ["6", "5", "4", "3", "2"]


def test_request_larger_than_the_cap_is_413_with_a_message(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_REQUEST_KB", 1)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    long_query = "ASK { ?s ?p ?o }" + " " * 2048
    for response in (
        client.post("/sparql", data={"query": long_query}),
        client.post("/sparql", data=long_query, content_type="application/sparql-query"),
        get_query(client, long_query),
    ):
        assert response.status_code == 413
        assert "1 KiB" in response.get_data(as_text=True)
    as_json = client.post(
        "/sparql", data={"query": long_query}, headers={"Accept": "application/json"}
    )
    assert json.loads(as_json.data)["status"] == 413
