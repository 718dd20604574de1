"""The result views (issue 17, point 4) in headless Chromium: table sort, filter and paging,
readable headers and every label, chart, timeline, map, network, CONSTRUCT answers, and escaping
of hostile labels.

The views are loaded alone in a local page (results.js and the vendored cytoscape); the answers
below are written for testing, not real data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from results_page import BASE, HOSTILE, write_views_page
from results_page import render as _render
from results_page import term as _term
from results_page import texts as _texts

pytest_plugins = ["browser"]


def _answer() -> dict[str, Any]:
    rows = []
    for i in range(60):
        rows.append(
            {
                "unit": _term(f"{BASE}id/unit/u{i}", kind="uri"),
                "unitLabel": _term(HOSTILE if i == 7 else f"Test unit {i:02d}"),
                "partner": _term(f"{BASE}id/org/p{i % 5}", kind="uri"),
                "count": _term(str(i * 3 % 17), "integer"),
                "startDate": _term(f"{2000 + i % 20}-01-01", "date"),
                "endDate": _term(f"{2003 + i % 20}-06-30", "date"),
            }
        )
    vars_ = ["unit", "unitLabel", "partner", "count", "startDate", "endDate"]
    return {"head": {"vars": vars_}, "results": {"bindings": rows}}


@pytest.fixture(scope="module")
def page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    browser.get(write_views_page(tmp_path_factory.mktemp("views")).as_uri())
    return browser


def test_table_headers_sort_filter_paging_and_escaping(page: Any, tmp_path: Path) -> None:
    _render(page, _answer())
    assert _texts(page, ".hr-table th") == ["Unit", "Partner", "Count", "Start date", "End date"]
    assert _texts(page, ".hr-views button") == ["Table", "Chart", "Timeline", "Network"]
    assert len(_texts(page, ".hr-table tbody tr")) == 25
    assert "60 rows, page 1 of 3" in _texts(page, ".hr-info")[0]
    # the hostile label is text, never markup
    assert HOSTILE in _texts(page, ".hr-table td a")
    assert page.execute_script(
        "return window.hacked === undefined && !document.querySelector('#out img, #out script')"
    )
    first = page.execute_script(
        "return document.querySelector('.hr-table td a').getAttribute('href')"
    )
    assert first == "/id/unit/u0"
    page.execute_script("document.querySelector('th[data-var=count]').click()")
    counts = [int(t) for t in _texts(page, ".hr-table tbody td.num")]
    assert counts == sorted(counts) and counts[0] == 0
    page.execute_script("document.querySelector('th[data-var=count]').click()")
    assert int(_texts(page, ".hr-table tbody td.num")[0]) == 16
    page.execute_script("document.querySelector('.hr-next').click()")
    assert "page 2 of 3" in _texts(page, ".hr-info")[0]
    page.execute_script(
        "const f = document.querySelector('.hr-filter'); f.value = 'unit 1';"
        "f.dispatchEvent(new Event('input'));"
    )
    assert "10 rows, page 1 of 1" in _texts(page, ".hr-info")[0]
    page.save_screenshot(str(tmp_path / "table.png"))


def test_chart_timeline_and_network(page: Any, tmp_path: Path) -> None:
    _render(page, _answer())
    page.execute_script("document.querySelector('[data-view=chart]').click()")
    # x is the unit (text, not ordered): bars only, one per row, no switch
    assert len(_texts(page, ".hr-chart rect.hr-bar")) == 60
    assert _texts(page, ".hr-chart-kinds button") == []
    assert HOSTILE[:39] + "…" in _texts(page, ".hr-chart text")  # a long name is cut, said so
    page.execute_script("document.querySelector('[data-view=timeline]').click()")
    assert len(_texts(page, ".hr-timeline rect.hr-range")) == 60
    page.execute_script("document.querySelector('[data-view=network]').click()")
    assert page.execute_script("return document.querySelectorAll('.hr-network canvas').length") > 0
    assert page.execute_script("return window.hacked === undefined")


def test_construct_answer_as_network_and_turtle(page: Any) -> None:
    escaped = HOSTILE.replace('"', '\\"')  # HOSTILE as a Turtle string
    turtle = (
        "@prefix hk: <https://w3id.org/habitat-kg/ontology#> .\n"
        f"<{BASE}id/org/a> hk:partnerOf <{BASE}id/org/b> .\n"
        f"<{BASE}id/org/b> hk:partnerOf <{BASE}id/org/c> .\n"
        f'<{BASE}id/org/c> hk:label "{escaped}" .\n'
    )
    _render(page, {"turtle": turtle})
    assert _texts(page, ".hr-views button") == ["Network", "Turtle"]
    nodes = page.execute_script(
        "return document.querySelector('.hr-network')._cyreg.cy.nodes().length"
    )
    assert nodes == 3
    page.execute_script("document.querySelector('[data-view=turtle]').click()")
    assert _texts(page, ".hr-turtle") == [turtle]
    assert page.execute_script("return window.hacked === undefined")


def test_ask_answer(page: Any) -> None:
    _render(page, {"head": {}, "boolean": True})
    assert _texts(page, ".hr-ask") == ["Yes (true)"]


def test_download_links_carry_the_query_and_the_format(page: Any) -> None:
    query = 'SELECT ?s WHERE { ?s ?p "a&b" }'
    _render(page, _answer(), {"endpoint": "/sparql", "query": query})
    links = page.execute_script(
        "return Array.from(document.querySelectorAll('.hr-downloads a'))"
        ".map(a => [a.textContent, a.getAttribute('href')]);"
    )
    assert [text for text, _ in links] == ["CSV", "TSV", "JSON", "XLSX"]
    assert links[3][1] == "/sparql?format=xlsx&query=" + quote(query, safe="()*!'~")
    _render(page, {"turtle": "<a:b> <a:c> <a:d> ."}, {"endpoint": "/sparql", "query": query})
    assert _texts(page, ".hr-downloads a") == ["Turtle", "JSON-LD"]
    _render(page, _answer())
    assert _texts(page, ".hr-downloads a") == []


def test_map_fills_countries_and_draws_cities(page: Any, tmp_path: Path) -> None:
    rows = [
        {
            "place": _term(f"{BASE}id/city/de-berlin", kind="uri"),
            "placeLabel": _term("Berlin"),
            "lat": _term("52.52437"),
            "long": _term("13.41053"),
            "countryCode": _term("276"),
        },
        {
            "place": _term(f"{BASE}id/city/ke-nairobi", kind="uri"),
            "placeLabel": _term(HOSTILE),
            "lat": _term("-1.28333"),
            "long": _term("36.81667"),
            "countryCode": _term("404"),
        },
    ]
    answer = {"head": {"vars": ["place", "placeLabel", "lat", "long", "countryCode"]}}
    answer["results"] = {"bindings": rows}
    _render(page, answer)
    page.execute_script("document.querySelector('[data-view=map]').click()")
    assert page.execute_script("return document.querySelectorAll('.hr-map path').length") > 150
    marked = page.execute_script(
        "return Array.from(document.querySelectorAll('.hr-marked')).map(p => p.dataset.code)"
    )
    assert sorted(marked) == ["276", "404"]
    assert len(_texts(page, ".hr-map circle.hr-place")) == 2
    assert HOSTILE in _texts(page, ".hr-map text")
    assert page.execute_script("return window.hacked === undefined")
