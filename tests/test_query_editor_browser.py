"""The query page's editor in a real browser (Debian's headless Chromium) against the real
server: it loads from the site alone, completes prefixes, classes and things by name, marks the
FILTR typo in the gutter in words, keeps tabs and history across a reload, opens a short link
to the same query, and offers the downloads that work (issue 17, point 3)."""

from __future__ import annotations

import base64
import re
import time
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from habitat_kg.server.pages import DOWNLOADS
from habitat_kg.server.questions import all_questions
from habitat_kg.server.store.formats import FORMATS

pytest_plugins = ["browser"]

SHADOW = "document.getElementById('editor').shadowRoot"
READY = f"{SHADOW} && {SHADOW}.querySelector('.cm-content') !== null && !!window.habitatQueryEditor"
OPTIONS = (
    f"Array.from({SHADOW}.querySelectorAll('.cm-tooltip-autocomplete li')).map(li => li.innerText)"
)
SHOWN = "document.querySelectorAll('#downloads a:not([hidden])')"
SHOWN_DOWNLOADS = (
    "Array.from(document.querySelectorAll('#downloads a:not([hidden])')).map(a => a.innerText)"
)
#: The issue's query: FILTR on line 7, which the endpoint reports at line 7, column 11.
FILTR = """PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?activity ?label
WHERE {
  ?activity a hkg:Activity ;
            rdfs:label ?label .
  FILTR (LANG(?label) = "en")
}"""


@pytest.fixture(scope="module")
def page(browser, live_server: str, wait_until) -> Iterator:
    """The query page with nothing remembered from earlier tests of the session."""
    # off the query page, which keeps its tabs as it is left
    browser.get(live_server + "/static/site.css")
    browser.execute_script("localStorage.clear();")
    browser.get_log("browser")  # what earlier tests of the session left there is not this page's
    yield browser
    browser.execute_script("localStorage.clear();")
    browser.get_log("browser")  # the 400s of the runs stay here


def fresh(browser, live_server: str, wait_until, path: str = "/") -> None:
    browser.get(live_server + path)
    wait_until(browser, READY)


def write(browser, text: str, typed: str = "") -> None:
    """Put ``text`` in the editor, the cursor at its end, then type ``typed`` as a person does."""
    browser.execute_script(
        "const e = window.habitatQueryEditor; e.setValue(arguments[0]);"
        "e.view.dispatch({selection: {anchor: arguments[0].length}}); e.focus();",
        text,
    )
    if typed:
        ActionChains(browser).send_keys(typed).perform()


def text(browser) -> str:
    return browser.execute_script("return window.habitatQueryEditor.getValue();")


def choose(browser, wait_until, label: str) -> None:
    """Click the completion whose text starts with ``label``."""
    wait_until(browser, f"{OPTIONS}.some(o => o.startsWith({label!r}))")
    browser.execute_script(
        f"const li = Array.from({SHADOW}.querySelectorAll('.cm-tooltip-autocomplete li'))"
        ".find(li => li.innerText.startsWith(arguments[0]));"
        "li.dispatchEvent(new MouseEvent('mousedown', {bubbles: true}));"
        "li.dispatchEvent(new MouseEvent('click', {bubbles: true}));",
        label,
    )


def test_the_editor_loads_from_the_site_alone(page, live_server: str, wait_until) -> None:
    fresh(page, live_server, wait_until)
    wait_until(
        page,
        "performance.getEntriesByType('resource').some(e => e.name.includes('/query/vocabulary'))",
    )
    loaded = page.execute_script(
        "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));"
    )
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(live_server))
    assert [url for url in loaded if not url.startswith(origin)] == []
    assert any(url.endswith("/static/vendor/codemirror/codemirror.js") for url in loaded)
    said = [e["message"] for e in page.get_log("browser") if "Content Security" in e["message"]]
    assert said == [], "the editor breaks the page's Content-Security-Policy"
    assert page.execute_script(f"return {SHADOW}.querySelector('.cm-lineNumbers') !== null")


def test_completion_of_a_prefix_a_class_and_a_thing(page, live_server: str, wait_until) -> None:
    fresh(page, live_server, wait_until)
    write(page, "", "PREFIX hk")
    choose(page, wait_until, "hkg:")
    assert text(page) == "PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>"

    write(page, "SELECT ?r WHERE {\n  ?r a ", "hkg:Resol")
    wait_until(page, f"{OPTIONS}.some(o => o.includes('hkg:Resolution') && o.includes('决议'))")
    choose(page, wait_until, "hkg:Resolution")
    assert text(page).endswith("?r a hkg:Resolution")

    write(page, "SELECT ?p WHERE {\n  ?p hkg:location ", "Nairo")
    choose(page, wait_until, "Nairobi")
    assert text(page).endswith("?p hkg:location id:city\\/ke-nairobi")
    # and by its Chinese name
    write(page, "SELECT ?p WHERE {\n  ?p hkg:location ", "内罗")
    choose(page, wait_until, "内罗毕")
    assert text(page).endswith("?p hkg:location id:city\\/ke-nairobi")


def test_the_filtr_typo_is_marked_in_the_gutter_in_words(
    page, live_server: str, wait_until
) -> None:
    fresh(page, live_server, wait_until)
    write(page, FILTR)
    # marked while typing, before any run
    wait_until(page, f"{SHADOW}.querySelector('.cm-lint-marker-error') !== null")
    page.find_element(By.ID, "run").click()
    wait_until(page, "document.querySelector('#message .error') !== null")
    words = page.find_element(By.CSS_SELECTOR, "#message .error").text
    assert words == "line 7: FILTR is not a SPARQL keyword — did you mean FILTER?"
    marked = page.execute_script(
        f"const root = {SHADOW};"
        "const marker = root.querySelector('.cm-lint-marker-error').getBoundingClientRect();"
        "const line = Array.from(root.querySelectorAll('.cm-lineNumbers .cm-gutterElement'))"
        "  .find(g => Math.abs(g.getBoundingClientRect().top - marker.top) < 4);"
        "return {line: line && line.innerText,"
        "  word: root.querySelector('.cm-lintRange-error').innerText};"
    )
    assert marked == {"line": "7", "word": "FILTR"}
    assert page.execute_script(f"return {SHOWN_DOWNLOADS}.length") == 0


def test_tabs_and_history_survive_a_reload(page, live_server: str, wait_until) -> None:
    fresh(page, live_server, wait_until)
    first = text(page)
    page.find_element(By.CSS_SELECTOR, "#query-tabs .tab-add").click()
    write(page, "ASK { ?s a hkg:Resolution }")
    page.find_element(By.ID, "run").click()
    wait_until(page, "document.querySelector('#history .history-entry') !== null")
    page.refresh()
    wait_until(page, READY)
    tabs = page.execute_script(
        "return Array.from(document.querySelectorAll('#query-tabs .tab')).map(t => t.className);"
    )
    assert len(tabs) >= 2 and tabs[-1] == "tab active"
    assert text(page).endswith("ASK { ?s a hkg:Resolution }")
    entry = page.find_element(By.CSS_SELECTOR, "#history .history-entry")
    assert "ASK { ?s a hkg:Resolution }" in entry.text and "ASK: true" in entry.text
    page.find_element(By.CSS_SELECTOR, "#query-tabs .tab:first-child .tab-name").click()
    assert text(page) == first
    entry.click()  # the history opens its query in the tab that holds it
    assert text(page).endswith("ASK { ?s a hkg:Resolution }")


def test_a_short_link_opens_the_same_query(page, live_server: str, wait_until) -> None:
    fresh(page, live_server, wait_until)
    query = (
        'SELECT ?name WHERE { id:org\\/fao rdfs:label ?name FILTER (LANG(?name) = "zh") }'
        " # 联合国粮农组织, written for testing"
    )
    page.find_element(By.CSS_SELECTOR, "#query-tabs .tab-add").click()
    write(page, query)
    page.find_element(By.ID, "permalink").click()
    wait_until(page, "!document.getElementById('permalink-text').hidden")
    link = page.find_element(By.ID, "permalink-text").get_attribute("value")
    assert "?q=" in link and "&run=1" in link and "query=" not in link
    page.get(live_server + "/static/site.css")  # the query page keeps its tabs as it is left
    page.execute_script("localStorage.clear();")  # as if opened in another browser
    page.get(link)
    wait_until(page, "document.querySelectorAll('#results tbody tr').length === 1")
    assert text(page).endswith(query)  # prefixes added by the run, the text kept
    assert "联合国粮食及农业组织" in page.find_element(By.ID, "results").text
    # a short link that would inflate past the limit of a query is refused in words
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(b" " * 4_000_000) + packer.flush()
    page.get(live_server + "/?q=" + base64.urlsafe_b64encode(bomb).decode().rstrip("="))
    wait_until(page, "document.querySelector('#message .error') !== null")
    assert "was not opened" in page.find_element(By.CSS_SELECTOR, "#message .error").text


def test_downloads_are_offered_when_they_work(
    page, live_server: str, wait_until, tmp_path: Path
) -> None:
    fresh(page, live_server, wait_until)
    write(page, "SELECT ?r WHERE { ?r a hkg:Resolution } ORDER BY ?r")  # never run, no PREFIX
    offered = [(name, label) for name, label in DOWNLOADS["solutions"] if name in FORMATS]
    wait_until(page, f"{SHOWN_DOWNLOADS}.join() === {','.join(label for _, label in offered)!r}")
    links = page.execute_script(f"return Array.from({SHOWN}).map(a => a.href);")
    for link, (name, _) in zip(links, offered, strict=True):
        with urllib.request.urlopen(link, timeout=10) as answer:
            assert answer.status == 200
            assert answer.headers.get_content_type() == FORMATS[name].media_type
            if name in {"csv", "tsv", "json"}:
                assert answer.read().count(b"/id/resolution/") == 5
    page.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    page.find_element(By.CSS_SELECTOR, "#downloads a[data-format=csv]").click()
    deadline = time.monotonic() + 10
    while not (tmp_path / "answer.csv").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (tmp_path / "answer.csv").read_text().splitlines()[0] == "r"

    write(page, "CONSTRUCT { ?r a hkg:Resolution } WHERE { ?r a hkg:Resolution }")
    wait_until(page, f"{SHOWN_DOWNLOADS}.join() === 'Turtle,JSON-LD'")
    links = page.execute_script(f"return Array.from({SHOWN}).map(a => a.href);")
    for link, media_type in zip(links, ["text/turtle", "application/ld+json"], strict=True):
        with urllib.request.urlopen(link, timeout=10) as answer:
            assert answer.status == 200 and answer.headers.get_content_type() == media_type

    write(page, "SELECT ?r WHERE { ?r a nowhere:Resolution }")  # a prefix nobody declares
    wait_until(page, f"{SHOWN_DOWNLOADS}.length === 0")


def test_the_editor_knows_the_projects_queries_and_names_typos(
    page, live_server: str, wait_until
) -> None:
    """No stored question or README example is marked (a false mark would also hide the
    downloads); the common typos get the keyword meant."""
    fresh(page, live_server, wait_until)
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    queries = [q.sparql() for q in all_questions()]
    queries += re.findall(r"```sparql\n(.*?)```", readme, re.DOTALL)
    marked = page.execute_script(
        "const config = document.getElementById('query-page-config').textContent;"
        "const known = JSON.parse(config).prefixes;"
        "return arguments[0].map(q => window.SparqlWords.problems(q, known).map(p => p.message))"
        ".filter(found => found.length);",
        queries,
    )
    assert len(queries) > 20 and marked == []
    typos = {"SELEC": "SELECT", "OPTINAL": "OPTIONAL", "LIMT": "LIMIT", "GROUPBY": "GROUP BY"}
    meant = page.execute_script(
        "return arguments[0].map(w => window.SparqlWords.nearestKeyword(w));", list(typos)
    )
    assert meant == list(typos.values())
    unbalanced = page.execute_script(
        "return window.SparqlWords.problems('SELECT ?s WHERE { ?s ?p \"open }', {})"
        ".map(p => p.message);"
    )
    assert unbalanced == [
        "this { is never closed: a } is missing",
        'this string is not closed: its " at the end is missing',
    ]
