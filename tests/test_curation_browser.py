"""Issue 15's end-to-end check in a real browser: a report written for testing is ingested, an
analyst accepts and corrects its proposals on the curation page, by keyboard, and finds them
through /sparql, served without a restart."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from habitat_kg.graph.build import build
from habitat_kg.graph.review import ingest_with_proposals, load_review
from habitat_kg.server.app import create_app
from habitat_kg.server.graph import close_app

pytest_plugins = ["browser"]

REPO = Path(__file__).resolve().parents[1]
#: A report written for testing (tests/data/corpus, a tuning file).
REPORT = REPO / "tests" / "data" / "corpus" / "eb-2022-1_item-6.en.txt"
REPORT_ID = "eb-2022-1/item-6"
TOKEN = "browser-test-curation-token-0123456789"
GERMANY = "https://w3id.org/habitat-kg/id/country/DEU"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("curation-browser")
    shutil.copytree(REPO / "graph" / "sources", root / "sources")
    ingest_with_proposals(REPORT, root / "sources")
    build(root / "sources", root / "build")
    return root / "sources"


@pytest.fixture(scope="module")
def curation_server(sources: Path):
    from servers import served_in_thread

    app = create_app(
        {
            "DATA": str(sources.parent / "build"),
            "SOURCES": str(sources),
            "CURATION_TOKEN": TOKEN,
            "CURATOR": "",
        },
        curate=True,
    )
    try:
        with served_in_thread(app) as url:
            yield url
    finally:
        close_app(app)


def sparql_rows(base: str, query: str) -> list[dict]:
    request = urllib.request.Request(
        f"{base}/sparql?query={quote(query)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["results"]["bindings"]


def press(element, *keys) -> None:
    """Keyboard only: focus the element and press the keys."""
    element.parent.execute_script("arguments[0].focus()", element)
    element.send_keys(*keys)


def test_an_analyst_accepts_and_corrects_on_the_page_and_finds_it_in_sparql(
    browser, curation_server, sources, wait_until, tmp_path
) -> None:
    review = load_review(sources, REPORT_ID)
    unit = next(i for i in review.pending() if i.proposal.kind == "unit")
    # paragraph 3: "funded by the Government of Germany", proposed as a new organization
    funder = next(
        i
        for i in review.pending()
        if i.proposal.kind == "partner" and str(i.proposal.predicate).endswith("#funder")
    )
    browser.get(f"{curation_server}/curate?token={TOKEN}")
    assert TOKEN not in browser.current_url  # the token left the address bar
    browser.find_element(By.LINK_TEXT, REPORT_ID).click()
    wait_until(browser, "document.querySelector('tr.row') !== null")

    curator = browser.find_element(By.ID, "curator")
    curator.clear()
    curator.send_keys("Browser Tester")

    # a row, hovered, lights up the words it rests on
    row = browser.find_element(By.ID, f"row-{unit.id}")
    ActionChains(browser).move_to_element(row).perform()
    assert wait_until(browser, "document.querySelectorAll('mark.span.active').length") >= 1

    # accept the unit, from the keyboard
    press(row.find_element(By.CSS_SELECTOR, "button.accept"), Keys.ENTER)
    wait_until(browser, "document.getElementById('saved') !== null")
    assert "accepted" in browser.find_element(By.ID, "saved").text
    accepted_row = browser.find_element(By.ID, f"row-{unit.id}")
    assert "state-accepted" in accepted_row.get_attribute("class")
    assert "Browser Tester" in accepted_row.text
    # the name was kept in the browser for the next page
    assert browser.find_element(By.ID, "curator").get_attribute("value") == "Browser Tester"

    # correct the funder: open "Correct", pick Germany (the country) among the suggestions
    row = browser.find_element(By.ID, f"row-{funder.id}")
    press(row.find_element(By.CSS_SELECTOR, "details.correct summary"), Keys.ENTER)
    field = row.find_element(By.CSS_SELECTOR, "details.correct input[name=object]")
    assert field.is_displayed()
    field.clear()
    field.send_keys("Germa")
    listed = f"#row-{funder.id} .suggestions:not([hidden]) li"
    wait_until(browser, f"document.querySelector('{listed}') !== null")
    for _ in range(12):  # down the list to the country, by keyboard
        field.send_keys(Keys.ARROW_DOWN)
        active = browser.execute_script(
            "const id = arguments[0].getAttribute('aria-activedescendant');"
            "return id && document.getElementById(id).dataset.value;",
            field,
        )
        if active == "id:country/DEU":
            break
    field.send_keys(Keys.ENTER)
    assert field.get_attribute("value") == "id:country/DEU"
    field.send_keys(Keys.ENTER)  # submits the correction
    wait_until(browser, "document.getElementById('saved') !== null")
    assert "corrected" in browser.find_element(By.ID, "saved").text
    assert "does not show it yet" not in browser.find_element(By.ID, "saved").text
    corrected_row = browser.find_element(By.ID, f"row-{funder.id}")
    assert "state-corrected" in corrected_row.get_attribute("class")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", corrected_row)
    browser.save_screenshot(str(tmp_path / "curation.png"))

    # both are served, without a restart
    u = unit.proposal
    assert sparql_rows(
        curation_server, f"SELECT * WHERE {{ <{u.subject}> <{u.predicate}> <{u.object}> }}"
    )
    f = funder.proposal
    funders = sparql_rows(
        curation_server, f"SELECT ?o WHERE {{ <{f.subject}> <{f.predicate}> ?o }}"
    )
    assert {row["o"]["value"] for row in funders} == {GERMANY}
    decided = load_review(sources, REPORT_ID)
    assert decided.item(unit.id).by == "Browser Tester"
    assert decided.item(funder.id).state == "corrected"
