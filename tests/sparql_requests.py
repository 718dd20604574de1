"""What the tests of the SPARQL endpoint share: a few queries about FAO, and how to ask them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from flask.testing import FlaskClient
from rdflib import Graph, Namespace, URIRef

from habitat_kg.namespaces import BASE, LAYERS
from habitat_kg.rdf import rdflib_internals_quiet

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


def parsed(data: str, format: str) -> Graph:
    with rdflib_internals_quiet():  # rdflib's JSON-LD parser uses its own deprecated classes
        return Graph().parse(data=data, format=format)


def get_query(client: FlaskClient, query: str, accept: str | None = None, **params: object):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


def labels_from_json(body: bytes) -> list[tuple[str, str | None]]:
    document = json.loads(body)
    assert document["head"]["vars"] == ["label"]
    return [
        (b["label"]["value"], b["label"].get("xml:lang")) for b in document["results"]["bindings"]
    ]


def count_rows(client: FlaskClient, query: str, **params: object) -> int:
    response = get_query(client, query, **params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


def select_rows(body: bytes, fmt: str) -> list[list[str]]:
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
