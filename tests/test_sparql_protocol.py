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
from flask import Flask, url_for
from flask.testing import FlaskClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from werkzeug.test import Client

from habitat_kg.namespaces import BASE, LAYERS
from habitat_kg.rdf import rdflib_internals_quiet
from habitat_kg.server.sparql.endpoint import FrontDoor

FAO = BASE + "id/org/fao"
FAO_EN = "Food and Agriculture Organization of the United Nations"
FAO_ZH = "联合国粮食及农业组织"
LABELS = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE {{ <{FAO}> rdfs:label ?label }} ORDER BY ?label
"""
CONSTRUCT_LABELS = f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ <{FAO}> rdfs:label ?label }} WHERE {{ <{FAO}> rdfs:label ?label }}
"""
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CURATED = str(LAYERS["curated"])
DOCUMENT = str(LAYERS["document"])


def _parsed(data: str, format: str) -> Graph:
    with rdflib_internals_quiet():  # rdflib's JSON-LD parser uses its own deprecated classes
        return Graph().parse(data=data, format=format)


def _get(client: FlaskClient, query: str, accept: str | None = None, **params: object):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


def _labels_from_json(body: bytes) -> list[tuple[str, str | None]]:
    document = json.loads(body)
    assert document["head"]["vars"] == ["label"]
    return [
        (b["label"]["value"], b["label"].get("xml:lang")) for b in document["results"]["bindings"]
    ]


def _count(client: FlaskClient, query: str, **params: object) -> int:
    response = _get(client, query, **params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


# -- methods ----------------------------------------------------------------------------------


def test_get_answers_select_as_sparql_json_by_default(client: FlaskClient) -> None:
    response = _get(client, LABELS)
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert _labels_from_json(response.data) == [(FAO_EN, "en"), (FAO_ZH, "zh")]


def test_post_form_and_post_query_body_give_the_same_answer(client: FlaskClient) -> None:
    by_form = client.post("/sparql", data={"query": LABELS})
    by_body = client.post(
        "/sparql",
        data=LABELS.encode("utf-8"),
        content_type="application/sparql-query; charset=utf-8",
    )
    assert by_form.status_code == by_body.status_code == 200
    assert _labels_from_json(by_form.data) == _labels_from_json(by_body.data)
    assert _labels_from_json(by_body.data) == [(FAO_EN, "en"), (FAO_ZH, "zh")]


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


@pytest.mark.parametrize(
    ("accept", "fmt", "media_type"),
    [
        ("application/sparql-results+json", "json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "xml", "application/sparql-results+xml"),
        ("text/csv", "csv", "text/csv"),
        ("text/tab-separated-values", "tsv", "text/tab-separated-values"),
    ],
)
def test_select_in_every_results_format(
    client: FlaskClient, accept: str, fmt: str, media_type: str
) -> None:
    by_accept = _get(client, LABELS, accept)
    by_parameter = _get(client, LABELS, format=fmt)
    for response in (by_accept, by_parameter):
        assert response.status_code == 200
        assert response.mimetype == media_type
        assert _select_rows(response.data, fmt) == [[FAO_EN], [FAO_ZH]]


def _select_rows(body: bytes, fmt: str) -> list[list[str]]:
    """The values of each row of a SELECT answer, whatever its format."""
    text = body.decode("utf-8")
    if fmt == "json":
        document = json.loads(text)
        names = document["head"]["vars"]
        return [[b[n]["value"] for n in names] for b in document["results"]["bindings"]]
    if fmt == "xml":
        root = ET.fromstring(text)
        results = root.iter(f"{SPARQL_RESULTS}result")
        return [
            [element.text or "" for element in result.iter() if element.text] for result in results
        ]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(text)))[1:]
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    assert rows[0] == ["?label"]
    return [[cell.rsplit("@", 1)[0].strip('"') for cell in row] for row in rows[1:]]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_in_every_results_format(client: FlaskClient, fmt: str) -> None:
    yes = _get(client, f"ASK {{ <{FAO}> ?p ?o }}", format=fmt)
    no = _get(client, f"ASK {{ <{FAO}> <{FAO}> ?o }}", format=fmt)
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
    ("accept", "fmt", "media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle", "text/turtle", "turtle"),
        ("application/n-triples", "ntriples", "application/n-triples", "nt"),
        ("application/ld+json", "jsonld", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "rdfxml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_in_every_rdf_format(
    client: FlaskClient, accept: str, fmt: str, media_type: str, rdflib_format: str
) -> None:
    expected = {
        (URIRef(FAO), RDFS_LABEL, Literal(FAO_EN, lang="en")),
        (URIRef(FAO), RDFS_LABEL, Literal(FAO_ZH, lang="zh")),
    }
    for response in (
        _get(client, CONSTRUCT_LABELS, accept),
        _get(client, CONSTRUCT_LABELS, format=fmt),
    ):
        assert response.status_code == 200
        assert response.mimetype == media_type
        graph = _parsed(response.get_data(as_text=True), format=rdflib_format)
        assert set(graph) == expected


def test_describe_gives_the_facts_of_the_thing(client: FlaskClient) -> None:
    response = _get(client, f"DESCRIBE <{FAO}>", "text/turtle")
    assert response.status_code == 200
    graph = _parsed(response.get_data(as_text=True), format="turtle")
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
    assert _get(client, LABELS, accept).mimetype == select_type
    assert _get(client, CONSTRUCT_LABELS, accept).mimetype == construct_type


def test_format_parameter_wins_over_accept(client: FlaskClient) -> None:
    response = _get(client, LABELS, "application/sparql-results+json", format="csv")
    assert response.mimetype == "text/csv"
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header == ["label"]


def test_nothing_acceptable_is_406_listing_what_is_offered(client: FlaskClient) -> None:
    response = _get(client, LABELS, "text/html")
    assert response.status_code == 406
    message = response.get_data(as_text=True)
    for offered in ("application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        assert offered in message
    response = _get(client, CONSTRUCT_LABELS, format="csv")
    assert response.status_code == 406
    assert "text/turtle (format=turtle)" in response.get_data(as_text=True)


def test_a_refused_accept_header_is_refused_again_naming_each_query_form(
    client: FlaskClient,
) -> None:
    for _ in range(2):  # the second time the choice for the header is a kept one
        select, construct = (
            _get(client, LABELS, "text/html"),
            _get(client, CONSTRUCT_LABELS, "text/html"),
        )
        assert select.status_code == construct.status_code == 406
        assert "for SELECT queries" in select.get_data(as_text=True)
        assert "for CONSTRUCT queries" in construct.get_data(as_text=True)


def test_a_long_accept_header_is_read_like_a_short_one(client: FlaskClient) -> None:
    unknown = ", ".join(f"application/x-unknown-{number}" for number in range(100))
    for accept in (f"text/csv;q=0.5, {unknown}", f"{unknown}, text/csv;q=0.5"):
        assert len(accept) > 1024  # longer than the headers whose choice is kept
        assert _get(client, LABELS, accept).mimetype == "text/csv"


# -- the dataset ------------------------------------------------------------------------------


def test_default_graph_is_the_union_of_the_layers(app: Flask, client: FlaskClient) -> None:
    total = _count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert total == app.extensions["habitat_kg"].triples
    layers = json.loads(_get(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").data)
    assert {b["g"]["value"] for b in layers["results"]["bindings"]} == set(
        map(str, LAYERS.values())
    )
    per_layer = sum(
        _count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")
        for g in LAYERS.values()
    )
    assert per_layer == total


def test_default_graph_uri_and_named_graph_uri_make_the_dataset(client: FlaskClient) -> None:
    in_document = _count(
        client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DOCUMENT}> {{ ?s ?p ?o }} }}"
    )
    assert (
        _count(
            client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", **{"default-graph-uri": DOCUMENT}
        )
        == in_document
    )
    # FAO is said about in the curated layer only
    fao = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{FAO}> ?p ?o }}"
    assert _count(client, fao, **{"default-graph-uri": DOCUMENT}) == 0
    assert _count(client, fao, **{"default-graph-uri": [DOCUMENT, CURATED]}) == 6
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _count(client, graphs, **{"named-graph-uri": CURATED}) == 1
    # named-graph-uri alone: the default graph is then empty
    assert _count(client, fao, **{"named-graph-uri": CURATED}) == 0
    for graph, count in ((CURATED, "6"), (DOCUMENT, "0")):  # a form carries its graphs too
        form = client.post(
            "/sparql",
            data={"query": fao, "default-graph-uri": graph},
            headers={"Accept": "application/json"},
        )
        assert json.loads(form.data)["results"]["bindings"][0]["n"]["value"] == count


def test_from_a_graph_of_the_dataset_is_allowed(client: FlaskClient) -> None:
    fao = "SELECT (COUNT(*) AS ?n) FROM <{}> WHERE {{ <" + FAO + "> ?p ?o }}"
    assert _count(client, fao.format(CURATED)) == 6
    assert _count(client, fao.format(DOCUMENT)) == 0


def test_a_graph_parameter_outside_the_dataset_is_400(client: FlaskClient) -> None:
    response = _get(client, LABELS, **{"named-graph-uri": "http://example.org/elsewhere"})
    assert response.status_code == 400
    assert "is not a graph of this dataset" in response.get_data(as_text=True)


# -- the service description ------------------------------------------------------------------


def test_service_description_with_void_counts(app: Flask, client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = _parsed(response.get_data(as_text=True), format="turtle")
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
        expected = _count(
            client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        )
        assert int(graph.value(subset, VOID.triples)) == expected
    assert sum(int(graph.value(s, VOID.triples)) for s in subsets) == int(
        graph.value(dataset, VOID.triples)
    )


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
    graph = _parsed(response.get_data(as_text=True), format=rdflib_format)
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
    for response in (_get(client, LABELS), _get(client, "SELECT ?x WHERE {")):
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
    text = _get(client, query)
    assert text.status_code == 400 and text.mimetype == "text/plain"
    message = text.get_data(as_text=True)
    assert message.startswith("malformed query: line 4, column ")
    assert "expected" in message  # Oxigraph's parser says what it expected there
    as_json = _get(client, query, "application/sparql-results+json")
    assert as_json.status_code == 400 and as_json.mimetype == "application/json"
    error = json.loads(as_json.data)
    assert error["line"] == 4
    assert error["error"] == message.strip()
    assert f"line 4, column {error['column']}:" in message


def test_undeclared_prefix_is_named(client: FlaskClient) -> None:
    response = _get(client, "SELECT * WHERE { ?s a hkg:Activity }")
    assert response.status_code == 400
    message = response.get_data(as_text=True)
    assert "line 1, column 23" in message
    assert (
        "the prefix 'hkg:' is not declared: add PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>"
        in message
    )


def test_errors_are_never_tracebacks(client: FlaskClient) -> None:
    for response in (
        _get(client, "SELECT * WHERE { ?s ?p ?o } GROUP BY"),
        client.post("/sparql", data=b"\xff\xfe", content_type="application/sparql-query"),
        _get(client, "SELECT * WHERE { ?s ?p ?o FILTER(?o < 'x) }"),
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
        response = _get(client, everything, format=fmt)
        assert response.status_code == 200
        assert response.headers["X-Habitat-KG-Truncated"] == "5"
        assert (
            len(
                _select_rows(response.data, fmt) if fmt != "tsv" else response.data.splitlines()[1:]
            )
            == 5
        )
    document = json.loads(_get(client, everything).data)  # still valid SPARQL JSON
    assert document["head"]["vars"] == ["s", "p", "o"] and len(document["results"]["bindings"]) == 5
    construct = _get(client, "CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert construct.headers["X-Habitat-KG-Truncated"] == "5"
    assert len(_parsed(construct.get_data(as_text=True), format="nt")) == 5
    five = "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 } }"
    six = "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 6 } } ORDER BY DESC(?x)"
    assert "X-Habitat-KG-Truncated" not in _get(client, five).headers
    assert "X-Habitat-KG-Truncated" not in _get(client, everything + " LIMIT 3").headers
    cut = _get(client, six)
    assert cut.headers["X-Habitat-KG-Truncated"] == "5"
    assert [row[0] for row in _select_rows(cut.data, "json")] == ["6", "5", "4", "3", "2"]


def test_request_larger_than_the_cap_is_413_with_a_message(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_REQUEST_KB", 1)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    long_query = "ASK { ?s ?p ?o }" + " " * 2048
    for response in (
        client.post("/sparql", data={"query": long_query}),
        client.post("/sparql", data=long_query, content_type="application/sparql-query"),
        _get(client, long_query),
    ):
        assert response.status_code == 413
        assert "1 KiB" in response.get_data(as_text=True)
    as_json = client.post(
        "/sparql", data={"query": long_query}, headers={"Accept": "application/json"}
    )
    assert json.loads(as_json.data)["status"] == 413
