"""``/validate``: the completeness report of the served graph, as a page and as JSON and Turtle."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from typing import Any

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from habitat_kg.server.store import Store
from habitat_kg.shapes.validation import validate_store

pytest_plugins = ["browser"]

SESSION = "2020-10-27"


def test_the_page_shows_things_by_name_with_links_to_their_pages(client) -> None:
    response = client.get(f"/validate?session={SESSION}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Completeness before a session" in page and "届会前的完整性检查" in page
    assert (
        'href="/id/resolution/ha-1-1">Resolution 1/1</a><span class="zh">第1/1号决议</span>' in page
    )
    assert 'id="id-resolution-ha-1-1"' in page and 'href="#id-resolution-ha-1-1"' in page
    assert "no progress report covers it" in page and "没有任何进展报告涉及它" in page
    assert 'href="/static/site.css"' in page  # the site's stylesheet and base template


def test_every_thing_links_to_an_entity_page_that_exists(client) -> None:
    page = client.get(f"/validate?session={SESSION}").get_data(as_text=True)
    links = set(re.findall(r'<h2><a href="(/id/[^"]+)"', page))
    assert len(links) > 20
    for link in sorted(links):
        assert client.get(link).status_code == 200, link


def test_the_severity_chosen_hides_what_is_less_severe(client) -> None:
    everything = client.get(f"/validate?session={SESSION}&format=json").get_json()
    warnings = client.get(f"/validate?session={SESSION}&severity=warning&format=json").get_json()
    assert everything["counts"]["Info"] > 0
    assert "Info" not in warnings["counts"] and warnings["hidden"]["Info"] > 0
    page = client.get(f"/validate?session={SESSION}&severity=warning").get_data(as_text=True)
    assert '<option value="warning" selected>' in page
    assert "Activity with no place" not in page  # an Info message


def test_json_is_the_report_of_the_served_graph(client, store: Store) -> None:
    response = client.get(f"/validate?session={SESSION}&format=json")
    assert response.mimetype == "application/json"
    served = response.get_json()
    expected = validate_store(store, "built", date(2020, 10, 27))
    assert served["counts"] == expected.counts
    assert [t["node"] for t in served["focusNodes"]] == [g.node for g in expected.groups]


@pytest.mark.parametrize(
    ("headers", "query", "media_type"),
    [
        ({"Accept": "application/json"}, "", "application/json"),
        ({"Accept": "text/turtle"}, "", "text/turtle"),
        ({"Accept": "text/turtle;q=0.5, text/html"}, "", "text/html"),
        ({"Accept": "application/json"}, "&format=turtle", "text/turtle"),
        ({}, "&format=html", "text/html"),
    ],
)
def test_the_format_follows_the_parameter_else_the_accept_header(
    client, headers: dict[str, str], query: str, media_type: str
) -> None:
    response = client.get(f"/validate?session={SESSION}{query}", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == media_type


def test_turtle_is_a_standard_validation_report(client) -> None:
    response = client.get(f"/validate?session={SESSION}&format=turtle")
    graph = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    counts = client.get(f"/validate?session={SESSION}&format=json").get_json()["counts"]
    assert len(list(graph.objects(report, SH.result))) == sum(counts.values())


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("session=2020-10-32", "is not a date"),
        ("session=yesterday", "is not a date"),
        ("severity=high", "unknown severity"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, query: str, words: str) -> None:
    response = client.get(f"/validate?{query}")
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "headers"),
    [("format=xml", {}), ("format=%3Cb%3Ex", {}), ("", {"Accept": "image/png"})],
)
def test_formats_not_offered_are_a_406_naming_the_offered(client, query, headers) -> None:
    response = client.get(f"/validate?{query}", headers=headers)
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    assert "offered: text/html (format=html)" in text and "text/turtle (format=turtle)" in text
    assert "<b>" not in text


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ({"Accept": "text/turtle"}, "text/turtle"),
        ({"Accept": "application/json"}, "application/json"),
    ],
)
def test_the_report_by_accept_header(client, headers, kind) -> None:
    assert client.get(f"/validate?session={SESSION}", headers=headers).mimetype == kind


@pytest.mark.alone
def test_the_report_of_a_session_date_is_computed_once(app, client) -> None:
    client.get("/validate?session=2019-01-01")
    started = time.perf_counter()
    again = client.get("/validate?session=2019-01-01&severity=violation&format=json")
    assert time.perf_counter() - started < 0.5
    assert again.get_json()["session"] == "2019-01-01"
    with app.app_context():
        cache = app.extensions["habitat_kg_validation"]
        assert cache.report(date(2019, 1, 1)) is cache.report(date(2019, 1, 1))


def test_the_session_date_changes_what_is_due(client) -> None:
    """Planned for November 2020: not due for the session of October, due for one in 2021."""

    def due(session: str) -> set[str]:
        report = client.get(f"/validate?session={session}&format=json").get_json()
        return {
            t["node"].rsplit("/", 1)[1]
            for t in report["focusNodes"]
            for r in t["results"]
            if r["shape"].endswith("#PlannedBeforeSessionShape")
        }

    assert "p26-leipzig-conference" not in due(SESSION)
    assert "p26-leipzig-conference" in due("2021-03-30")


def test_a_person_reads_the_page_in_a_browser(live_server: str, browser: Any, wait_until) -> None:
    browser.get(f"{live_server}/validate?session={SESSION}&severity=warning")
    wait_until(browser, "document.querySelector('.validation-group') !== null")
    title = browser.find_element("css selector", "h1").text
    assert title.startswith("Completeness before a session")
    counts = browser.find_element("css selector", ".validation-summary .counts").text
    assert "warning" in counts and "info" not in counts
    link = browser.find_element("css selector", '.validation-index a[href="#id-resolution-ha-1-1"]')
    link.click()
    assert browser.execute_script("return location.hash") == "#id-resolution-ha-1-1"
    heading = browser.find_element("css selector", "#id-resolution-ha-1-1 h2").text
    assert "Resolution 1/1" in heading and "第1/1号决议" in heading
    color = browser.find_element("css selector", "h3.severity-warning").value_of_css_property(
        "color"
    )
    assert color != browser.find_element("css selector", "p").value_of_css_property("color")
    script = "return JSON.stringify(performance.getEntriesByType('resource').map(e => e.name))"
    resources = json.loads(browser.execute_script(script))
    assert resources and all(name.startswith(live_server) for name in resources)
