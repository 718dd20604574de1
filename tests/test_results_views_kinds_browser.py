"""The result views' finer points in headless Chromium: every label of an IRI in the table, the
line chart of an ordered x beside its bars, shapes and lines across the antimeridian on the map,
and CONSTRUCT answers read as RDF (N-Triples, by N3.js) into a network with labels and
attributes.

The views are loaded alone in a local page; the answers below are written for testing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from results_page import BASE, HOSTILE, answer_of, render, term, texts, write_views_page
from selenium.webdriver.common.by import By

pytest_plugins = ["browser"]

#: The map of the lines across the Pacific, for the README (the places are real, the answer
#: written for testing).
SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "view-map-antimeridian.png"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
HKG = "https://w3id.org/habitat-kg/ontology#"
#: The widest step (in map units, the map being 960 wide) between two points of one drawn
#: ring or line: a shape or a line smeared across the map has a step near 960. A step along
#: the map's top or bottom edge (a pole, where Antarctica's ring is closed) is no smear.
WIDEST_STEP = """
const widest = [];
for (const path of document.querySelectorAll(arguments[0])) {
  let most = 0;
  for (const part of path.getAttribute('d').split('M').slice(1)) {
    const xy = part.replace('Z', '').split('L').map(p => p.split(',').map(parseFloat));
    for (let i = 1; i < xy.length; i++) {
      const pole = [0, 480].includes(xy[i][1]) && xy[i][1] === xy[i - 1][1];
      if (!pole) most = Math.max(most, Math.abs(xy[i][0] - xy[i - 1][0]));
    }
  }
  widest.push(most);
}
return widest;
"""


@pytest.fixture(scope="module")
def page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    browser.get(write_views_page(tmp_path_factory.mktemp("views-kinds")).as_uri())
    return browser


def test_the_table_shows_every_label_the_answer_gives(page: Any) -> None:
    unit = term(f"{BASE}id/unit/u1", kind="uri")
    rows = [
        {"unit": unit, "unitLabel": term("Test unit one") | {"xml:lang": "en"}},
        {"unit": unit, "unitLabel": term("测试单位一") | {"xml:lang": "zh"}},
        {
            "unit": term(f"{BASE}id/unit/u2", kind="uri"),
            "unitLabel": term("Test unit two"),
            "unitAltLabel": term(HOSTILE),
        },
    ]
    render(page, answer_of(["unit", "unitLabel", "unitAltLabel"], rows))
    assert texts(page, ".hr-table th") == ["Unit"]
    cells = texts(page, ".hr-table tbody td")
    # each row leads with its own label, then the others the answer gives that IRI
    assert cells[0] == "Test unit one测试单位一"
    assert cells[1] == "测试单位一Test unit one"
    assert cells[2] == "Test unit two" + HOSTILE
    assert page.execute_script(
        "return [...document.querySelectorAll('.hr-table tbody tr:first-child [lang]')]"
        ".map(e => e.lang)"
    ) == ["en", "zh"]
    assert page.execute_script("return window.hacked === undefined")


def test_a_chart_is_a_line_over_ordered_x_and_bars_otherwise(page: Any) -> None:
    rows = [
        {"year": term(str(year), "gYear"), "count": term(str(count), "integer")}
        for year, count in ((2019, 4), (2016, 9), (2017, 2), (2018, 7))
    ]
    render(page, answer_of(["year", "count"], rows))
    page.execute_script("document.querySelector('[data-view=chart]').click()")
    assert texts(page, ".hr-chart-kinds button") == ["Line", "Bars"]
    points = page.execute_script(
        "return document.querySelector('.hr-line').getAttribute('points').split(' ')"
        ".map(p => p.split(',').map(Number))"
    )
    xs = [x for x, _ in points]
    assert len(points) == 4 and xs == sorted(xs)  # in the order of the years
    heights = [y for _, y in points]  # 2016: 9 is highest (smallest y), 2017: 2 lowest
    assert heights.index(min(heights)) == 0 and heights.index(max(heights)) == 1
    page.execute_script("document.querySelector('[data-chart=bars]').click()")
    assert len(texts(page, ".hr-chart rect.hr-bar")) == 4
    # drawn again (as the query page does once it has labels), the chart stays in view
    render(page, answer_of(["year", "count"], rows), {"keepView": True})
    assert texts(page, ".hr-views [aria-selected=true]") == ["Chart"]
    render(page, answer_of(["year", "count"], rows))
    assert texts(page, ".hr-views [aria-selected=true]") == ["Table"]
    page.execute_script("document.querySelector('[data-view=chart]').click()")
    page.execute_script("document.querySelector('[data-chart=bars]').click()")
    assert texts(page, ".hr-chart text.hr-axis")[:4] == ["2016", "2017", "2018", "2019"]
    # numbers as x are ordered too; names are not
    render(
        page,
        answer_of(
            ["size", "count"],
            [
                {"size": term(str(s), "integer"), "count": term(str(s * 2), "integer")}
                for s in (3, 1, 2)
            ],
        ),
    )
    page.execute_script("document.querySelector('[data-view=chart]').click()")
    assert len(texts(page, ".hr-line")) == 1
    render(
        page,
        answer_of(
            ["name", "count"],
            [{"name": term(n), "count": term("1", "integer")} for n in ("b", "a")],
        ),
    )
    page.execute_script("document.querySelector('[data-view=chart]').click()")
    assert texts(page, ".hr-line") == [] and texts(page, ".hr-chart-kinds button") == []
    assert texts(page, ".hr-chart text.hr-axis") == ["b", "a"]


def test_the_map_wraps_shapes_and_lines_across_the_antimeridian(page: Any) -> None:
    def city(name: str, lat: float, lon: float, prefix: str) -> dict[str, Any]:
        return {
            prefix: term(f"{BASE}id/city/{name.lower()}", kind="uri"),
            prefix + "Label": term(name),
            prefix + "Lat": term(str(lat), "decimal"),
            prefix + "Long": term(str(lon), "decimal"),
        }

    rows = [
        city("Tokyo", 35.69, 139.69, "from") | city("Lima", -12.04, -77.03, "to"),
        city("Suva", -18.14, 178.44, "from") | city("Apia", -13.83, -171.76, "to"),
        city("Nairobi", -1.28, 36.82, "from") | city("Berlin", 52.52, 13.41, "to"),
    ]
    vars_ = [name for name in rows[0]]
    render(page, answer_of(vars_, rows))
    page.execute_script("document.querySelector('[data-view=map]').click()")
    # no ring of any country, Fiji, Russia and Antarctica among them, steps across the map
    widest = page.execute_script(WIDEST_STEP, ".hr-map path.hr-country")
    assert len(widest) > 150 and max(widest) < 480
    for name in ("Fiji", "Russia", "Antarctica"):
        assert max(page.execute_script(WIDEST_STEP, f".hr-country[data-name={name}]")) < 480
    # Fiji is drawn at both edges of the map (its two halves meet across the map's seam)
    fiji = page.execute_script(
        "return document.querySelector('.hr-country[data-name=Fiji]').getBBox().width"
    )
    assert fiji > 900
    # the lines go the short way round: across the Pacific, drawn at both edges
    assert max(page.execute_script(WIDEST_STEP, ".hr-map path.hr-link")) < 480
    links = page.execute_script(
        "return [...document.querySelectorAll('.hr-link')].map(l => l.getAttribute('d')"
        ".split('M').length - 1)"
    )
    assert links == [2, 2, 1]
    assert set(texts(page, ".hr-map text")) == {
        "Tokyo",
        "Lima",
        "Suva",
        "Apia",
        "Nairobi",
        "Berlin",
    }
    assert page.find_element(By.CSS_SELECTOR, ".hr-map").screenshot(str(SCREENSHOT))


def _nt(subject: str, predicate: str, obj: str) -> str:
    return f"<{subject}> <{predicate}> {obj} .\n"


def test_a_graph_answer_is_read_as_rdf_into_a_network(page: Any) -> None:
    org, unit, office = (f"{BASE}id/org/test-a", f"{BASE}id/unit/test-b", f"{BASE}id/org/test-c")
    ntriples = (
        _nt(org, RDFS_LABEL, '"Test organisation A"@en')
        + _nt(org, RDFS_LABEL, '"测试组织A"@zh')
        + _nt(org, HKG + "partnerOf", f"<{unit}>")
        + _nt(unit, SKOS_PREF, '"Test unit B"@en')
        + _nt(unit, HKG + "reportsTo", f"<{office}>")
        + _nt(unit, HKG + "founded", '"2004"^^<http://www.w3.org/2001/XMLSchema#gYear>')
        + _nt(office, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"<{HKG}Office>")
        + _nt(office, HKG + "note", '"a note with . and ; and > in it"')
        + _nt(office, RDFS_LABEL, '"' + HOSTILE.replace('"', '\\"') + '"')
    )
    render(page, {"ntriples": ntriples}, {"prefixes": {"hkg": HKG}})
    assert texts(page, ".hr-views button") == ["Network", "Turtle"]
    nodes = page.execute_script(
        "const cy = document.querySelector('.hr-network')._cyreg.cy;"
        "return cy.nodes().map(n => [n.id(), n.data('label')]).sort();"
    )
    # literals and classes are no nodes; each node is named by its label in the answer
    assert nodes == sorted([[org, "Test organisation A"], [unit, "Test unit B"], [office, HOSTILE]])
    edges = page.execute_script(
        "return document.querySelector('.hr-network')._cyreg.cy.edges()"
        ".map(e => e.data('label')).sort()"
    )
    assert edges == ["partnerOf", "reportsTo"]
    page.execute_script(
        "document.querySelector('.hr-network')._cyreg.cy.getElementById(arguments[0]).emit('tap')",
        office,
    )
    assert texts(page, ".hr-node dt") == [HOSTILE]
    assert texts(page, ".hr-attribute") == [
        "type: Office",
        "note: a note with . and ; and > in it",
        "label: " + HOSTILE,
    ]
    page.execute_script("document.querySelector('[data-view=turtle]').click()")
    turtle = texts(page, ".hr-turtle")[0]
    assert "@prefix hkg: <https://w3id.org/habitat-kg/ontology#>." in turtle
    assert "hkg:partnerOf" in turtle
    assert page.execute_script("return window.hacked === undefined")
    # text that is not N-Triples is said so, and shown as it came
    render(page, {"ntriples": "<a> <b> ."})
    assert "could not be read" in texts(page, ".hr-error")[0]
    assert texts(page, ".hr-turtle") == ["<a> <b> ."]
