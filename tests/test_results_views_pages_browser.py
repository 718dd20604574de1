"""Every result view on the query page, in headless Chromium, over the project's own dataset:
the answer of a real query shown as a table, a map, a timeline, a chart and a network, each
photographed for the README (docs/view-*.png). The network is of a CONSTRUCT answer, which the
page asks for as N-Triples and the views read with N3.js.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By

pytest_plugins = ["browser"]

DOCS = Path(__file__).resolve().parents[1] / "docs"
PREFIXES = """PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
TABLE = """SELECT ?organization ?organizationLabel ?organizationLabelZh
       (COUNT(DISTINCT ?activity) AS ?activities) WHERE {
  ?activity hkg:responsibleUnit|hkg:partner ?organization .
  ?organization rdfs:label ?organizationLabel FILTER (LANG(?organizationLabel) = "en")
  OPTIONAL {
    ?organization rdfs:label ?organizationLabelZh FILTER (LANG(?organizationLabelZh) = "zh")
  }
} GROUP BY ?organization ?organizationLabel ?organizationLabelZh
ORDER BY DESC(?activities) ?organizationLabel LIMIT 10"""
MAP = """SELECT ?city ?cityLabel ?lat ?long ?countryCode WHERE {
  ?city a hkg:City ; rdfs:label ?cityLabel ; geo:lat ?lat ; geo:long ?long ;
        hkg:inCountry/hkg:m49Code ?countryCode FILTER (LANG(?cityLabel) = "en")
}"""
TIMELINE = """SELECT ?event ?eventLabel ?startDate ?endDate WHERE {
  ?event hkg:startDate ?startDate ; rdfs:label ?eventLabel FILTER (LANG(?eventLabel) = "en")
  OPTIONAL { ?event hkg:endDate ?endDate }
  FILTER NOT EXISTS { ?event a hkg:TemporalExpression }
  FILTER NOT EXISTS { ?event a hkg:Activity }
} ORDER BY ?startDate"""
CHART = """SELECT ?year (COUNT(*) AS ?datesMentioned) WHERE {
  ?date a hkg:TemporalExpression ; hkg:startDate ?start
} GROUP BY (YEAR(?start) AS ?year) ORDER BY ?year"""
NETWORK = """CONSTRUCT {
  ?activity ?role ?agent . ?agent rdfs:label ?agentLabel . ?activity rdfs:label ?activityLabel .
  ?role rdfs:label ?roleLabel .
} WHERE {
  VALUES ?role { hkg:responsibleUnit hkg:partner }
  ?activity hkg:partner [] ; ?role ?agent ; rdfs:label ?label FILTER (LANG(?label) = "en")
  ?agent rdfs:label ?agentLabel FILTER (LANG(?agentLabel) = "en")
  ?role rdfs:label ?roleLabel FILTER (LANG(?roleLabel) = "en")
  BIND (CONCAT(SUBSTR(?label, 1, 32), "…") AS ?activityLabel)
}"""


@pytest.fixture(scope="module")
def show(browser: Any, live_server: str, wait_until: Any) -> Any:
    """Run a query on the query page and open one of its views; the page."""

    def shown(query: str, view: str) -> Any:
        browser.get_log("browser")  # what came before is not this view's
        browser.get(f"{live_server}/?query={quote(PREFIXES + query)}&run=1")
        button = f"document.querySelector('#results .hr-views [data-view={view}]')"
        wait_until(browser, button)
        browser.execute_script(f"{button}.click()")
        return browser

    return shown


def _photograph(browser: Any, name: str) -> None:
    """The answer's box, whole: the window is made tall enough and scrolled to it."""
    DOCS.mkdir(exist_ok=True)
    box = browser.find_element(By.CSS_SELECTOR, "#results")
    height = browser.execute_script("return arguments[0].getBoundingClientRect().height", box)
    browser.set_window_size(1400, min(max(int(height) + 200, 1000), 2000))
    browser.execute_script("arguments[0].scrollIntoView()", box)
    try:
        assert box.screenshot(str(DOCS / name))
    finally:
        browser.set_window_size(1400, 1000)


def _count(browser: Any, selector: str) -> int:
    return browser.execute_script("return document.querySelectorAll(arguments[0]).length", selector)


def test_table(show: Any) -> None:
    page = show(TABLE, "table")
    headers = page.execute_script(
        "return [...document.querySelectorAll('.hr-table th')].map(t => t.textContent)"
    )
    assert headers == ["Organization", "Activities"]
    first = page.find_element(By.CSS_SELECTOR, ".hr-table tbody td")
    assert first.find_element(By.CSS_SELECTOR, "[lang=zh]").text  # both labels, each marked
    assert first.find_element(By.CSS_SELECTOR, "a").get_attribute("lang") == "en"
    _photograph(page, "view-table.png")


def test_map(show: Any) -> None:
    page = show(MAP, "map")
    assert _count(page, ".hr-map circle.hr-place") == 7
    assert _count(page, ".hr-map .hr-marked") == 5  # Berlin, Leipzig and Apolda share one
    _photograph(page, "view-map.png")


def test_timeline(show: Any) -> None:
    page = show(TIMELINE, "timeline")
    marks = _count(page, ".hr-timeline .hr-range") + _count(page, ".hr-timeline .hr-point")
    assert marks > 10
    assert "Tenth session of the World Urban Forum" in page.find_element(
        By.CSS_SELECTOR, ".hr-timeline"
    ).get_attribute("textContent")
    _photograph(page, "view-timeline.png")


def test_chart(show: Any) -> None:
    page = show(CHART, "chart")
    # years are ordered: a line, with bars a click away
    assert _count(page, ".hr-line") == 1 and _count(page, "[data-chart=bars]") == 1
    _photograph(page, "view-chart.png")


def test_network_of_a_construct_answer(show: Any) -> None:
    page = show(NETWORK, "network")
    labels = page.execute_script(
        "return document.querySelector('.hr-network')._cyreg.cy.nodes().map(n => n.data('label'))"
    )
    assert "United Nations Human Settlements Programme" in labels
    assert not [label for label in labels if label.startswith("http")]
    # the properties are named by their labels in the answer, and are no nodes
    assert "partner" not in labels
    edges = page.execute_script(
        "return document.querySelector('.hr-network')._cyreg.cy.edges().map(e => e.data('label'))"
    )
    assert set(edges) == {"partner", "responsible unit"}
    said = [e["message"] for e in page.get_log("browser") if "Content Security" in e["message"]]
    assert said == [], "the network view breaks the page's Content-Security-Policy"
    _photograph(page, "view-network.png")


def test_the_views_speak_the_pages_language(
    browser: Any, live_server: str, wait_until: Any
) -> None:
    browser.get(f"{live_server}/?lang=zh&query={quote(PREFIXES + CHART)}&run=1")
    try:
        wait_until(browser, "document.querySelector('#results [data-view=chart]')")
        browser.execute_script("document.querySelector('[data-view=chart]').click()")
        words = browser.execute_script(
            "return [...document.querySelectorAll('.hr-views button, .hr-chart-kinds button')]"
            ".map(b => b.textContent)"
        )
        assert words == ["表格", "图表", "折线", "柱状"]
        browser.execute_script("document.querySelector('[data-view=table]').click()")
        headers = browser.execute_script(
            "return [...document.querySelectorAll('.hr-table th')].map(t => t.textContent)"
        )
        # ?year and ?datesMentioned: a known word translated, an unknown one read as words
        assert headers == ["年份", "Dates mentioned"]
    finally:
        browser.get(f"{live_server}/?lang=en")  # the choice is remembered: not for other tests
