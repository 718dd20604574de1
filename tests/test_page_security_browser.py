"""No attack runs in a real browser (Debian's headless Chromium), and the site's own pages work
under their Content-Security-Policy (issue 13, item 2).

Every document the browser opens first gets a watcher (through the DevTools protocol, so that
the page's policy does not apply to it): it records each ``securitypolicyviolation`` event and
each ``alert()``. The attacks set ``window.__pwned`` when they run. An attack that reached the
page as markup would show as a violation even though the policy stopped it, so "no violation"
also checks the escaping, and "no __pwned" checks both layers together.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from servers import served_in_thread
from test_page_security import write_hostile_dataset

pytest_plugins = ["browser"]

WATCHER = """
window.__violations = [];
window.__alerts = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sample);
});
window.alert = function (text) { window.__alerts.push(String(text)); };
"""
RAN = "window.__pwned !== undefined || window.__alerts.length > 0"
ROWS = "document.querySelectorAll('#results table tbody tr').length"
#: Links whose protocol is anything but http(s) or mailto, in the whole document, and links
#: to the host a "//host" path from the data would lead to (HOSTILE_TRIG has one).
UNSAFE_LINKS = (
    "Array.from(document.querySelectorAll('a[href]'))"
    ".filter(a => !['http:', 'https:', 'mailto:'].includes(a.protocol)"
    " || a.hostname === 'evil.example').map(a => a.href)"
)


@pytest.fixture(scope="module")
def watched(browser) -> Iterator:
    """The session's browser with the watcher in every document it opens (removed after)."""
    added = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCHER})
    yield browser
    browser.execute_cdp_cmd(
        "Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]}
    )
    # the attacks' refusals (400, 404, 406, the policy's own test) stay out of the browser
    # log that later tests of the session read
    browser.get_log("browser")


@pytest.fixture(autouse=True)
def _fresh_log(watched) -> None:
    """What an earlier test left in the browser's log is not this test's."""
    watched.get_log("browser")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of a graph whose values are attacks (test_page_security.HOSTILE_TRIG)."""
    from habitat_kg.server.app import create_app
    from habitat_kg.server.graph import close_app

    data = write_hostile_dataset(tmp_path_factory.mktemp("hostile-browser") / "data")
    app = create_app({"DATA": str(data), "TESTING": True, "WORKERS": 1})
    with served_in_thread(app, threads=2) as url:
        yield url
    close_app(app)


def settled(browser, wait_until) -> None:
    """Wait for the page to load, then a little for what an attack would set off (an image's
    error, a late handler)."""
    wait_until(browser, "document.readyState === 'complete' && window.__violations !== undefined")
    time.sleep(0.3)


def assert_nothing_ran(browser) -> None:
    state = browser.execute_script(
        "return {ran: window.__pwned, alerts: window.__alerts, violations: window.__violations};"
    )
    assert state["ran"] is None, f"an attack ran: __pwned = {state['ran']}"
    assert state["alerts"] == []
    assert state["violations"] == [], "markup from the request or the data reached the page"
    said = [e["message"] for e in browser.get_log("browser") if "Content Security" in e["message"]]
    assert said == [], "the browser reports a breach of the policy"


def test_the_policy_is_in_force(watched, live_server: str, wait_until) -> None:
    """The check the other tests lean on: an inline script added to a page does not run."""
    watched.get(live_server + "/")
    settled(watched, wait_until)
    watched.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.__pwned = 99';"
        "document.body.appendChild(s);"
    )
    wait_until(watched, "window.__violations.length > 0")
    assert watched.execute_script("return window.__pwned;") is None
    assert any("Content Security" in e["message"] for e in watched.get_log("browser"))


def test_the_query_page_runs_a_query_under_the_policy(
    watched, live_server: str, wait_until
) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/habitat-kg/ontology#Resolution> } ORDER BY ?s"
    watched.get(f"{live_server}/?query={quote(query)}&run=1")
    wait_until(watched, f"{ROWS} === 5")
    labelled = "document.querySelector('#results tbody td').innerText.startsWith('Resolution')"
    wait_until(watched, labelled)  # the labels came
    assert_nothing_ran(watched)


def test_the_network_page_draws_under_the_policy(watched, live_server: str, wait_until) -> None:
    watched.get(live_server + "/network")
    wait_until(watched, "window.habitatNetwork && window.habitatNetwork.cy.nodes().length > 0")
    assert watched.find_element(By.CSS_SELECTOR, "[data-part=legend] .swatch").is_displayed()
    watched.execute_script("habitatNetwork.cy.nodes()[0].emit('tap');")
    wait_until(watched, "document.querySelector('[data-part=neighbourhood]') !== null")
    assert_nothing_ran(watched)


@pytest.mark.parametrize("path", ["/id/org/fao", "/ontology", "/queries/events", "/validate"])
def test_other_pages_render_under_the_policy(
    watched, live_server: str, wait_until, path: str
) -> None:
    watched.get(live_server + path)
    settled(watched, wait_until)
    assert watched.find_element(By.TAG_NAME, "h1").text
    assert_nothing_ran(watched)


ECHOED = (
    "/id/org/fao?format=" + quote("<script>window.__pwned=1</script>"),
    "/id/org/fao?format=" + quote("<script>alert(document.domain)</script>"),
    "/?query=" + quote("</textarea><script>window.__pwned=2</script><textarea>"),
    "/?query=" + quote('"><img src=x onerror="window.__pwned=3">'),
    "/network?resolution=" + quote('"><img src=x onerror="window.__pwned=4">'),
    "/network?view=" + quote("<script>window.__pwned=5</script>"),
    "/network?node=" + quote("' autofocus onfocus='window.__pwned=6"),
    "/queries/paragraphs-citing-document?symbol=" + quote('"><svg onload="window.__pwned=7">'),
    "/queries/timeline?since=" + quote("<img src=x onerror=window.__pwned=8>"),
    "/queries/" + quote("<script>window.__pwned=9</script>", safe=""),
    "/validate?session=" + quote("<img src=x onerror=window.__pwned=10>"),
    "/id/" + quote("<img src=x onerror=window.__pwned=11>", safe=""),
    "/network/download?format=" + quote("<script>window.__pwned=12</script>"),
)


@pytest.mark.parametrize("path", ECHOED)
def test_a_script_in_the_request_does_not_run(
    watched, live_server: str, wait_until, path: str
) -> None:
    watched.get(live_server + path)
    settled(watched, wait_until)
    assert_nothing_ran(watched)


def test_a_javascript_iri_in_the_answer_is_not_a_link(
    watched, live_server: str, wait_until
) -> None:
    query = (
        'SELECT ?bad ?markup ?fine WHERE { BIND(IRI("javascript:window.__pwned=20") AS ?bad) '
        'BIND("<img src=x onerror=window.__pwned=21>" AS ?markup) '
        'BIND(IRI("https://example.org/fine") AS ?fine) }'
    )
    watched.get(f"{live_server}/?query={quote(query)}&run=1")
    wait_until(watched, f"{ROWS} === 1")
    settled(watched, wait_until)
    assert watched.execute_script(f"return {UNSAFE_LINKS};") == []
    cells = watched.find_elements(By.CSS_SELECTOR, "#results tbody td")
    assert cells[0].text == "javascript:window.__pwned=20"  # shown, as text
    assert cells[1].text == "<img src=x onerror=window.__pwned=21>"
    assert cells[2].find_element(By.TAG_NAME, "a").get_attribute("href") == (
        "https://example.org/fine"
    )
    cells[0].find_element(By.CSS_SELECTOR, "[data-iri]").click()  # nothing to follow
    time.sleep(0.3)
    assert_nothing_ran(watched)


def test_an_entity_page_of_hostile_data_runs_nothing(
    watched, hostile_server: str, wait_until
) -> None:
    watched.get(hostile_server + "/id/test/hostile")
    settled(watched, wait_until)
    assert "<img src=x" in watched.find_element(By.TAG_NAME, "h1").text  # shown as text
    assert watched.execute_script(f"return {UNSAFE_LINKS};") == []
    for hovered in watched.find_elements(By.CSS_SELECTOR, "main dd, main .tag, main .iri"):
        watched.execute_script(
            "arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));", hovered
        )
    assert_nothing_ran(watched)


def test_hostile_results_on_the_query_page_run_nothing(
    watched, hostile_server: str, wait_until
) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    watched.get(f"{hostile_server}/?query={quote(query)}&run=1")
    wait_until(watched, f"{ROWS} > 5")
    settled(watched, wait_until)
    assert watched.execute_script(f"return {UNSAFE_LINKS};") == []
    assert_nothing_ran(watched)
