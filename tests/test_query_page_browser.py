"""The query page in a real browser (Debian's Chromium, headless) against the real server."""

from __future__ import annotations

from urllib.parse import quote

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytest_plugins = ["browser"]

ROWS = "document.querySelectorAll('#results table tbody tr').length"
READY = "!!window.habitatQueryEditor"


def editor_text(browser) -> str:
    return browser.execute_script("return window.habitatQueryEditor.getValue();")


def cells(browser) -> list[list[str]]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll('#results tbody tr')).map("
        "r => Array.from(r.cells).map(c => c.innerText));"
    )


def test_running_a_stored_question_shows_its_rows(browser, live_server, wait_until) -> None:
    browser.get(live_server + "/")
    wait_until(browser, READY)
    question = browser.find_element(
        By.XPATH, "//li[a[contains(., 'UN documents the reports cite')]]//button"
    )
    question.click()
    assert "hkg:symbol" in editor_text(browser)  # in a tab of its own, named after it
    active = browser.find_element(By.CSS_SELECTOR, "#query-tabs .tab.active").text
    assert "UN documents the reports cite" in active
    browser.find_element(By.ID, "run").click()
    wait_until(browser, f"{ROWS} === 3")
    symbols = [row[1] for row in cells(browser)]
    assert symbols == ["HSP/EB.2020/13/Add.1", "HSP/EB.2020/13/Add.2", "HSP/EB.2020/19"]
    assert "3 rows" in browser.find_element(By.ID, "status").text
    # IRIs become links to entity pages, named by their labels once the page has asked them.
    first = "document.querySelector('#results tbody td').innerText"
    wait_until(browser, f"{first}.includes('Draft capacity-building strategy')")
    link = browser.find_element(By.CSS_SELECTOR, "#results tbody tr a")
    assert link.get_attribute("href").startswith(live_server + "/id/document/HSP/EB.2020/13/Add.1")


def test_ctrl_enter_runs_and_prefixes_are_added(browser, live_server, wait_until) -> None:
    browser.get(live_server + "/")
    wait_until(browser, READY)
    browser.execute_script("const e = window.habitatQueryEditor; e.setValue(''); e.focus();")
    # typed as a person would; the editor closes brackets and quotes by itself
    ActionChains(browser).send_keys(
        'SELECT ?name WHERE { id:org\\/fao rdfs:label ?name FILTER (LANG(?name) = "zh'
    ).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    wait_until(browser, f"{ROWS} === 1")
    assert cells(browser) == [["联合国粮食及农业组织"]]
    assert editor_text(browser).startswith("PREFIX id:")
    assert editor_text(browser).endswith(
        'SELECT ?name WHERE { id:org\\/fao rdfs:label ?name FILTER (LANG(?name) = "zh")}'
    )
    # The address now reproduces the query (packed: see test_query_editor_browser).
    wait_until(browser, "location.search.includes('run=1') && location.search.includes('q=')")


def test_a_link_to_a_query_runs_it(browser, live_server, wait_until) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/habitat-kg/ontology#Resolution> } ORDER BY ?s"
    browser.get(f"{live_server}/?query={quote(query)}&run=1")
    wait_until(browser, f"{ROWS} === 5")


def test_an_error_is_shown_and_the_query_kept(browser, live_server, wait_until) -> None:
    broken = "SELECT ?s WHERE { ?s ?p }"
    browser.get(f"{live_server}/?query={quote(broken)}&run=1")
    wait_until(browser, "document.querySelector('#message .error') !== null")
    message = browser.find_element(By.CSS_SELECTOR, "#message .error").text
    assert message.startswith("line 1: the query ends before it is complete (the parser expected")
    assert editor_text(browser) == broken


def test_refused_service_is_explained(browser, live_server, wait_until) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    browser.get(f"{live_server}/?query={quote(query)}&run=1")
    wait_until(browser, "document.querySelector('#message .error') !== null")
    assert "SERVICE" in browser.find_element(By.CSS_SELECTOR, "#message .error").text
