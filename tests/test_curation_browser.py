"""Issue 15's end-to-end check in a real browser: a report written for testing is ingested, an
analyst accepts and corrects its proposals on the curation page, by keyboard, and finds them
through /sparql, served without a restart."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from curation_project import REPORT_ID, curation_app, ingested_project
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from habitat_kg.graph.review import load_review

pytest_plugins = ["browser"]

TOKEN = "browser-test-curation-token-0123456789"
GERMANY = "https://w3id.org/habitat-kg/id/country/DEU"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ingested_project(tmp_path_factory.mktemp("curation-browser")) / "sources"


@pytest.fixture(scope="module")
def curation_server(sources: Path):
    from servers import served_in_thread

    with curation_app(sources.parent, TOKEN, testing=False) as app, served_in_thread(app) as url:
        yield url


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


def saved(browser, wait_until, done: str) -> str:
    """Wait for the status line of a write done in place; its text."""
    script = (
        "document.getElementById('saved').textContent.includes(arguments[0])"
        " && !document.body.classList.contains('working')"
    )
    wait_until(browser, script.replace("arguments[0]", json.dumps(done)), timeout=60)
    return browser.find_element(By.ID, "saved").text


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

    # accept the unit with the key "a" on its row: in place, the page is not loaded again
    browser.execute_script("window.samePage = true; arguments[0].scrollIntoView()", row)
    scrolled = browser.execute_script("return window.scrollY")
    pending = int(browser.find_element(By.ID, "pending-left").text)
    press(row, "a")
    assert "accepted" in saved(browser, wait_until, "accepted")
    assert browser.execute_script("return window.samePage === true")
    assert abs(browser.execute_script("return window.scrollY") - scrolled) < 400
    accepted_row = browser.find_element(By.ID, f"row-{unit.id}")
    assert "state-accepted" in accepted_row.get_attribute("class")
    assert "Browser Tester" in accepted_row.text
    assert int(browser.find_element(By.ID, "pending-left").text) < pending
    # the focus went on to the next row, for the next decision
    focused = browser.execute_script("return document.activeElement.id")
    assert focused.startswith("row-") and focused != f"row-{unit.id}"
    assert browser.find_element(By.ID, "curator").get_attribute("value") == "Browser Tester"

    # correct the funder: "e" on its row opens the correction, Germany the country comes first
    row = browser.find_element(By.ID, f"row-{funder.id}")
    press(row, "e")
    field = browser.switch_to.active_element
    assert field.get_attribute("name") == "object" and field.is_displayed()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("Germa")
    listed = f"#row-{funder.id} .suggestions:not([hidden]) li"
    wait_until(browser, f"document.querySelector('{listed}') !== null")
    first = browser.find_element(By.CSS_SELECTOR, listed)
    assert first.get_attribute("data-value") == "id:country/DEU", first.text
    field.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    assert field.get_attribute("value") == "id:country/DEU"
    field.send_keys(Keys.ENTER)  # submits the correction
    assert "does not show it yet" not in saved(browser, wait_until, "corrected")
    corrected_row = browser.find_element(By.ID, f"row-{funder.id}")
    assert "state-corrected" in corrected_row.get_attribute("class")
    assert browser.execute_script("return window.samePage === true")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", corrected_row)
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


def test_a_reviewer_filters_undoes_sees_errors_on_the_row_and_accepts_a_paragraph(
    browser, curation_server, sources, wait_until
) -> None:
    browser.get(f"{curation_server}/curate/{REPORT_ID.replace('/', '_')}")
    wait_until(browser, "document.querySelector('tr.row') !== null")
    browser.execute_script("window.samePage = true")
    # the association of paragraph 3 reads as the report says it, not as prov:agent
    p3 = browser.find_element(By.ID, "p3").text
    assert "co-organizer" in p3 and "United Cities and Local Governments of Africa" in p3
    assert "prov:agent" not in p3 and "association/" not in p3

    # pending rows only: the accepted and corrected ones are hidden, and counted
    Select(browser.find_element(By.ID, "filter-state")).select_by_value("pending")
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('tr.row'))"
        ".filter(r => r.offsetParent !== null).map(r => r.dataset.state)"
    )
    assert shown and set(shown) == {"pending"}
    assert "rows shown" in browser.find_element(By.ID, "shown").text

    # a correction that cannot be read: the error is shown on the row, nothing is saved
    row = browser.find_element(By.CSS_SELECTOR, "#p7 tr.row.kind-place:not(.filtered)")
    before = (sources / "review" / "eb-2022-1_item-6.json").read_bytes()
    press(row, "e")
    field = browser.switch_to.active_element
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("<b>not an IRI</b>", Keys.ENTER)
    error = wait_until(browser, "document.querySelector('#p7 .row-error')")
    assert "object:" in error.text and "<b>" in error.text  # shown as text
    assert (sources / "review" / "eb-2022-1_item-6.json").read_bytes() == before

    # reject a row with "r", then undo it with "u": pending again
    row = browser.find_element(By.CSS_SELECTOR, "#p8 tr.row:not(.filtered)")
    rejected = row.get_attribute("data-id")
    press(row, "r")
    saved(browser, wait_until, "rejected")
    assert load_review(sources, REPORT_ID).item(rejected).state == "rejected"
    browser.switch_to.active_element.send_keys("u")
    saved(browser, wait_until, "undone")
    assert load_review(sources, REPORT_ID).item(rejected).state == "pending"
    assert "state-pending" in browser.find_element(By.ID, f"row-{rejected}").get_attribute("class")

    # "p" accepts the paragraph; the focus goes on to the next paragraph's pending rows
    press(browser.find_element(By.CSS_SELECTOR, "#p8 tr.row:not(.filtered)"), "p")
    saved(browser, wait_until, "paragraph accepted")
    assert not [
        i
        for i in load_review(sources, REPORT_ID).pending()
        if "/paragraph/8" in str(i.proposal.passage)
    ]
    assert wait_until(browser, "document.activeElement.closest('section').id") != "p8"
    assert "done" in browser.find_element(
        By.CSS_SELECTOR, "nav.jump a[data-anchor=p8]"
    ).get_attribute("class")
    assert browser.execute_script("return window.samePage === true")

    # Escape leaves a correction and goes back to its row; the filters outlive a reload
    row = browser.find_element(By.CSS_SELECTOR, "#p9 tr.row:not(.filtered)")
    press(row, "e")
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert browser.execute_script("return document.activeElement.id") == row.get_attribute("id")
    assert not row.find_element(By.CSS_SELECTOR, "details.correct").get_attribute("open")
    browser.refresh()
    wait_until(browser, "document.querySelector('tr.row') !== null")
    assert browser.find_element(By.ID, "filter-state").get_attribute("value") == "pending"
    browser.execute_script("localStorage.removeItem('habitat-kg.curation-filters')")
