"""The pages a person reads: the query page, stored questions, entity pages and the ontology."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef

from habitat_kg.namespaces import BASE, HKG
from habitat_kg.rdf import rdflib_internals_quiet
from habitat_kg.server.questions import all_questions
from habitat_kg.server.store import Solutions, Store

FAO = URIRef(BASE + "id/org/fao")


def test_query_page_has_editor_questions_and_prefixes(client) -> None:
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert 'id="query"' in page and "editor.js" in page
    for question in all_questions():
        assert question.title_en in page
        assert question.title_zh in page
    assert '"hkg": "https://w3id.org/habitat-kg/ontology#"' in page


def test_query_page_keeps_the_query_from_the_url(client) -> None:
    page = client.get("/?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D").get_data(as_text=True)
    assert "ASK { ?s ?p ?o }" in page


def test_page_assets_are_served_locally(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.split("<body>")[0].replace("http://www.w3.org", "")
    for asset in ("site.css", "query.css", "editor.js", "query.js"):
        with client.get(f"/static/{asset}") as response:
            assert response.status_code == 200


def test_question_list_links_every_question(client) -> None:
    page = client.get("/queries").get_data(as_text=True)
    for question in all_questions():
        assert f'href="/queries/{question.name}"' in page


def test_question_page_shows_labelled_rows(client) -> None:
    page = client.get("/queries/partners-of-a-resolution?resolution=1/5").get_data(as_text=True)
    assert "GROOTS Kenya" in page and "肯尼亚 Groots" in page
    assert 'href="/id/org/fao"' in page
    assert "<th>agentLabel</th>" not in page  # shown with the link instead


def test_question_as_json(client) -> None:
    response = client.get("/queries/partners-of-a-resolution.json?resolution=1/5")
    data = response.get_json()
    assert data["question"] == "partners-of-a-resolution"
    assert data["title"]["zh"]
    assert data["parameters"] == {"resolution": "1/5"}
    partners = {row["agent"] for row in data["rows"] if row["roleLabel"] == "partner"}
    assert str(FAO) in partners


def test_question_as_csv_by_accept(client) -> None:
    response = client.get("/queries/documents-cited", headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:2] == ["document", "symbol"]
    assert [row[1] for row in rows[1:]] == [
        "HSP/EB.2020/13/Add.1",
        "HSP/EB.2020/13/Add.2",
        "HSP/EB.2020/19",
    ]


@pytest.mark.parametrize("fmt", ["html", "json", "csv"])
def test_bad_parameter_is_a_400_naming_it(client, fmt: str) -> None:
    response = client.get(f"/queries/timeline?since=last+year&format={fmt}")
    assert response.status_code == 400
    assert "parameter 'since'" in html.unescape(response.get_data(as_text=True))


def test_unknown_question_is_a_404(client) -> None:
    response = client.get("/queries/no-such-question")
    assert response.status_code == 404
    assert "timeline" in response.get_data(as_text=True)  # names the known ones


def test_entity_page_in_both_languages_with_its_words(client) -> None:
    page = client.get("/id/org/fao").get_data(as_text=True)
    assert "Food and Agriculture Organization of the United Nations" in page
    assert "联合国粮食及农业组织" in page
    assert "Paragraph 26" in page and "肯尼亚 Groots" in page  # the paragraph's text
    assert "Strengthening urban-rural linkages partnerships" in page  # what points to it
    assert "/association/" not in page


@pytest.mark.parametrize(
    ("accept", "fmt", "parse_as"),
    [
        ("text/turtle", None, "turtle"),
        ("application/ld+json", None, "json-ld"),
        ("application/n-triples", None, "nt"),
        (None, "turtle", "turtle"),
        (None, "jsonld", "json-ld"),
        ("text/turtle;q=0.5, application/ld+json", None, "json-ld"),
    ],
)
def test_entity_as_rdf(client, accept: str | None, fmt: str | None, parse_as: str) -> None:
    headers = {"Accept": accept} if accept else {}
    url = "/id/org/fao" + (f"?format={fmt}" if fmt else "")
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    with rdflib_internals_quiet():  # rdflib's JSON-LD parser warns about rdflib's own code
        graph = Graph().parse(data=response.get_data(as_text=True), format=parse_as)
    assert (FAO, HKG.acronym, Literal("FAO")) in graph
    assert response.headers["Vary"] == "Accept"


def test_a_browser_gets_html(client) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/org/fao", headers={"Accept": accept})
    assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    ("headers", "url"), [({"Accept": "image/png"}, "/id/org/fao"), ({}, "/id/org/fao?format=pdf")]
)
def test_entity_formats_not_offered_are_406(client, headers: dict, url: str) -> None:
    response = client.get(url, headers=headers)
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True) or "turtle" in response.get_data(
        as_text=True
    )


def test_unknown_entity_is_a_404(client) -> None:
    assert client.get("/id/org/nobody").status_code == 404


def test_every_iri_of_the_namespace_resolves(client, store: Store) -> None:
    answer = store.query(
        f"""SELECT DISTINCT ?thing WHERE {{ {{ ?thing ?p ?o }} UNION {{ ?s ?p ?thing }}
            FILTER (isIRI(?thing) && STRSTARTS(STR(?thing), "{BASE}"))
            FILTER (!STRSTARTS(STR(?thing), "{BASE}id/statement/")) }}"""
    )
    assert isinstance(answer, Solutions)
    iris = [term.value for term in answer.column("thing")]
    assert len(iris) > 700
    failed = []
    for iri in iris:
        path = iri.removeprefix(BASE.rstrip("/"))
        path = "/ontology" if path.startswith("/ontology") else path
        response = client.get(path, headers={"Accept": "text/turtle"})
        if response.status_code != 200:
            failed.append((iri, response.status_code))
    assert failed == []


def test_ontology_page_lists_every_term_with_counts(client) -> None:
    page = client.get("/ontology").get_data(as_text=True)
    ontology = Graph().parse(data=client.get("/ontology?format=turtle").get_data(as_text=True))
    terms = {s for s in ontology.subjects() if str(s).startswith(str(HKG))}
    assert len(terms) > 150
    for term in terms:
        assert f'id="{term.removeprefix(str(HKG))}"' in page
    assert "undo:Resolution" in page and "org:OrganizationalUnit" in page
    assert "PREFIX hkg: &lt;https://w3id.org/habitat-kg/ontology#&gt;" in page


def test_ontology_by_content_negotiation(client) -> None:
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    data = json.loads(client.get("/ontology", headers={"Accept": "application/ld+json"}).data)
    assert any(node.get("@id") == str(HKG.Resolution) for node in data)
    assert client.get("/ontology?format=ttl").mimetype == "text/turtle"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/ontology", headers={"Accept": browser}).mimetype == "text/html"


@pytest.mark.parametrize(("query", "headers"), [("format=pdf", {}), ("", {"Accept": "image/png"})])
def test_ontology_formats_not_offered_are_406(client, query: str, headers: dict) -> None:
    response = client.get(f"/ontology?{query}", headers=headers)
    assert response.status_code == 406
    assert "offered: text/html (format=html)" in response.get_data(as_text=True)


def test_health(client) -> None:
    data = client.get("/health").get_json()
    assert data["status"] == "ok" and data["triples"] > 10000
