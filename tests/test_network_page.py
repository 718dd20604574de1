"""``/network``: the interactive view in headless Chromium against a real waitress server, its
filters, neighbourhoods and downloads."""

from __future__ import annotations

import io
import re
import urllib.request
import zipfile
from urllib.parse import quote

import networkx as nx
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from habitat_kg.graph.network.catalogue import FORMATS
from habitat_kg.namespaces import BASE

pytest_plugins = ["browser"]

ID = BASE + "id/"
UN_HABITAT = ID + "org/un-habitat"
DRAWN = "window.habitatNetwork && window.habitatNetwork.cy.nodes().length > 0"


def node_ids(browser) -> set[str]:
    return set(browser.execute_script("return habitatNetwork.cy.nodes().map(n => n.id());"))


@pytest.fixture
def open_page(browser, wait_until):
    def load(url: str) -> None:
        browser.get(url)
        wait_until(browser, DRAWN)

    return load


# ---------------------------------------------------------------- in the browser


def test_the_partners_network_is_drawn(browser, live_server: str, open_page, wait_until) -> None:
    browser.get_log("browser")  # what earlier tests of the session left there is not this page's
    open_page(live_server + "/network")
    assert len(node_ids(browser)) == 29
    assert browser.execute_script("return habitatNetwork.cy.edges().length") == 31
    assert UN_HABITAT in node_ids(browser)
    # the same nodes are listed in the page's table
    rows = browser.find_elements(By.CSS_SELECTOR, "#network-nodes tbody tr")
    assert {row.get_attribute("data-iri") for row in rows} == node_ids(browser)
    # and Cytoscape painted them: its canvas holds coloured pixels
    painted = browser.execute_script(
        """
        const canvases = [...document.querySelectorAll('#network [data-part=canvas] canvas')];
        let coloured = 0;
        for (const canvas of canvases) {
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 0; i < data.length; i += 4) {
            const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
            if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
          }
        }
        return coloured;
        """
    )
    assert painted > 500
    legend = browser.find_element(By.CSS_SELECTOR, "#network [data-part=legend]").text
    assert "organization" in legend and "country" in legend
    # no script error (a missing favicon is the only thing the browser may complain about)
    assert [e for e in browser.get_log("browser") if "favicon" not in e["message"]] == []


def test_the_resolution_filter_redraws_the_network(
    browser, live_server: str, open_page, wait_until
) -> None:
    open_page(live_server + "/network")
    Select(browser.find_element(By.ID, "field-view")).select_by_value("partners")
    field = browser.find_element(By.ID, "field-resolution")
    field.clear()
    field.send_keys("1/2")
    browser.find_element(By.ID, "network-submit").click()
    wait_until(browser, "location.search.includes('resolution=1%2F2')")
    wait_until(browser, DRAWN)
    drawn = node_ids(browser)
    assert ID + "org/unodc" in drawn and UN_HABITAT in drawn
    assert ID + "org/uclg" not in drawn and ID + "org/fao" not in drawn
    assert "resolution 1/2" in browser.find_element(By.ID, "network-facts").text


def test_clicking_a_node_shows_it_and_leads_to_its_neighbourhood(
    browser, live_server: str, open_page, wait_until
) -> None:
    open_page(live_server + "/network?view=partners&resolution=1/5")
    canvas = browser.find_element(By.CSS_SELECTOR, "#network [data-part=canvas]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    x, y = browser.execute_script(
        "const p = habitatNetwork.cy.getElementById(arguments[0]).renderedPosition();"
        "return [p.x, p.y];",
        ID + "org/fao",
    )
    size = canvas.size
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(x - size["width"] / 2), int(y - size["height"] / 2)
    ).click().perform()
    details = browser.find_element(By.CSS_SELECTOR, "#network [data-part=details]")
    wait_until(browser, "document.querySelector('[data-part=details] h3') !== null")
    assert "Food and Agriculture Organization of the United Nations" in details.text
    assert "联合国粮食及农业组织" in details.text and "Resolution 1/5" in details.text
    details.find_element(By.CSS_SELECTOR, "[data-part=neighbourhood]").click()
    wait_until(browser, "location.search.includes('node=')")
    wait_until(browser, DRAWN)
    assert node_ids(browser) == {
        ID + "org/" + name
        for name in (
            "fao",
            "uclg",
            "unccd",
            "market-cities-initiative",
            "groots-kenya",
            "un-habitat",
        )
    }
    assert "Neighbourhood of Food and Agriculture" in browser.find_element(By.TAG_NAME, "h2").text


def test_a_bad_filter_is_said_on_the_page(browser, live_server: str, open_page, wait_until) -> None:
    browser.get(live_server + "/network?resolution=9/9")
    error = browser.find_element(By.ID, "network-error").text
    assert "resolution '9/9': names no resolution or decision" in error
    assert browser.execute_script("return window.habitatNetwork === undefined")


def test_the_html_export_draws_offline_from_a_file(
    browser, live_server: str, open_page, wait_until, tmp_path
) -> None:
    with urllib.request.urlopen(live_server + "/network/download?view=geography&format=html") as r:
        (tmp_path / "geography.html").write_bytes(r.read())
    open_page((tmp_path / "geography.html").as_uri())
    assert len(node_ids(browser)) == 25
    assert ID + "region/NG-NI" in node_ids(browser)


# ---------------------------------------------------------------- answers of the server


def test_page_offers_every_download_and_the_filters(client) -> None:
    page = client.get("/network?view=geography&resolution=1/5").get_data(as_text=True)
    for fmt in FORMATS:
        assert f'data-format="{fmt}"' in page
        assert f"/network/download?view=geography&amp;resolution=1/5&amp;format={fmt}" in page
    for field in ("view", "resolution", "country", "since", "until"):
        assert f'id="field-{field}"' in page
    assert '<option value="dec:1/3">' in page and '<option value="CMR">' in page
    assert "http://" not in page.split("<body>")[0].replace("http://www.w3.org", "")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_downloads(client, fmt: str) -> None:
    response = client.get(f"/network/download?view=partners&resolution=1/5&format={fmt}")
    assert response.status_code == 200
    assert response.content_type == FORMATS[fmt][1]
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="habitat-kg-partners{FORMATS[fmt][0]}"'
    if fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(response.data))
        assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 16
    if fmt == "csv":
        assert sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist()) == [
            "edges.csv",
            "nodes.csv",
        ]


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/network?resolution=9/9", 400, "names no resolution or decision"),
        ("/network?since=2020-13", 400, "not a date"),
        ("/network?view=friends", 400, "no such view"),
        ("/network?country=FRA", 404, "no activity or event matches country FRA"),
        ("/network?node=https://example.org/x", 404, "not in any network view"),
        ("/network/download?format=svg", 400, "format &#39;svg&#39;"),
        ("/network/download?format=png&resolution=9/9", 400, "names no resolution"),
        ("/network/download?format=png&country=FRA", 404, "no activity or event matches"),
    ],
)
def test_bad_requests(client, url: str, status: int, words: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    assert words in text or words.replace("&#39;", "'") in text


def test_entity_pages_lead_to_their_neighbourhood(client) -> None:
    entity = client.get("/id/org/fao").get_data(as_text=True)
    link = f"/network?node={quote(ID + 'org/fao', safe='')}"
    assert link in entity or f"/network?node={ID}org/fao" in entity
    page = client.get(f"/network?node={ID}resolution/ha-1-5").get_data(as_text=True)
    assert "Neighbourhood of Resolution 1/5" in page  # found in the bipartite view
    assert re.search(r'<option value="bipartite" title="[^"]*" selected>', page)
