"""The search box of every page and the autocomplete of forms, in headless Chromium against a
real waitress server; the results page is kept as the README's picture."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytest_plugins = ["browser"]

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "search-page.png"
UNIT = "Capacity Development and Training Unit"


def options(browser, list_id: str) -> list[str]:
    return browser.execute_script(
        "return [...document.getElementById(arguments[0]).options].map(o => o.value);", list_id
    )


def test_search_box_suggests_and_finds(browser, live_server: str, wait_until) -> None:
    browser.get_log("browser")  # what earlier tests of the session left there is not this page's
    browser.get(live_server + "/queries")
    box = browser.find_element(By.CSS_SELECTOR, "header.site form.site-search input[name=q]")
    box.send_keys("Capacity Dev")
    # the datalist is filled from /search/suggest as one types
    wait_until(browser, "document.getElementById('site-search-names').options.length > 0")
    assert options(browser, "site-search-names")[0] == UNIT
    box.send_keys(Keys.ARROW_DOWN)  # what a person does to pick the first suggestion
    box.clear()
    box.send_keys(UNIT, Keys.ENTER)
    wait_until(browser, "location.pathname === '/search'")
    first = browser.find_element(By.CSS_SELECTOR, "ol.search-results li a.hit")
    assert first.text == UNIT
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "ol.search-results mark")]
    assert "Capacity" in marks and "Development" in marks
    # a Chinese word of two characters, in the paragraphs' texts
    browser.get(live_server + "/search?q=城乡")
    marks = browser.find_elements(By.CSS_SELECTOR, "ol.search-results mark")
    assert marks and {m.text for m in marks} == {"城乡"}
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1400, min(max(height, 600), 1400))
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    browser.set_window_size(1400, 1000)
    logged = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not [message for message in logged if "favicon.ico" not in message]


def test_a_question_form_suggests_names_of_its_kind(browser, live_server: str, wait_until) -> None:
    browser.get(live_server + "/queries/partners-of-a-resolution")
    field = browser.find_element(By.NAME, "resolution")
    field.clear()
    field.send_keys("第1/")
    wait_until(browser, "document.getElementById('names-resolution').options.length > 1")
    offered = options(browser, "names-resolution")
    assert "第1/5号决议" in offered and "第1/3号决定" in offered
    field.clear()
    field.send_keys("第1/5号决议", Keys.ENTER)
    wait_until(browser, "document.querySelectorAll('table.results tbody tr').length > 0")
    assert "联合国粮食及农业组织" in browser.find_element(By.CSS_SELECTOR, "table.results").text
