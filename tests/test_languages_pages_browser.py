"""The new pages in Chinese, in headless Chromium (issue 17, point 6): the query page (editor,
tabs, history, gutter, result views, downloads), the search page and box, the network page
(labels, legend, nodes named in Chinese). Each is switched to zh with the page's own switch, its
words checked, and no English string of the catalogue left in the page's chrome (buttons,
labels, headings, placeholders, tooltips) where the catalogue has the Chinese. An Arabic page is
laid out right to left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from habitat_kg.server.catalogue import CATALOGUE, ENGLISH

pytest_plugins = ["browser"]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs"
SHADOW = "document.getElementById('editor').shadowRoot"
EDITOR_READY = (
    f"{SHADOW} && {SHADOW}.querySelector('.cm-content') !== null && !!window.habitatQueryEditor"
)
#: The chrome of a page: what the interface says, not what the data says.
CHROME = """
const texts = [];
const own = el => Array.from(el.childNodes).filter(n => n.nodeType === 3)
  .map(n => n.textContent).join(' ');
document.querySelectorAll('button, label, h1, h2, h3, th, nav a, option, .status, .muted, '
    + '.hr-info, .hr-downloads, .history li, .tagline, .toolbar, dt').forEach(el => {
  if (el.closest('.prefixes, .cm-content, td, .snippet, .iri, .network-legend')) return;
  texts.push(own(el));
});
document.querySelectorAll('[placeholder], [title], [aria-label]').forEach(el => {
  if (el.closest('td, .cm-content')) return;
  ['placeholder', 'title', 'aria-label'].forEach(
    a => el.getAttribute(a) && texts.push(el.getAttribute(a)));
});
const legend = document.querySelector('.network-legend');
if (legend) texts.push(legend.innerText);
return texts.join('\\n');
"""
#: English strings of the catalogue with a Chinese one; whole phrases only, of two words
#: besides their fields (a word of one string may be a name in the data: "to {body}" is
#: any "to" followed by a word).
TRANSLATED = sorted(
    (
        english
        for english in CATALOGUE["zh"]
        if english not in ENGLISH and len(re.sub(r"\{[a-z0-9]*\}", " ", english).split()) > 1
    ),
    key=len,
    reverse=True,
)


def english_left(browser) -> list[str]:
    chrome = browser.execute_script(CHROME)
    left = []
    for english in TRANSLATED:
        pattern = re.escape(english).replace(r"\{0\}", r"\S+").replace(r"\{1\}", r"\S+")
        pattern = re.sub(r"\\\{[a-z]+\\\}", r"\\S+", pattern)
        found = re.search(r"(?<![A-Za-z])" + pattern + r"(?![A-Za-z])", chrome)
        if found:
            left.append(f"{english}: {found.group(0)}")
    return left


def to_chinese(browser, wait_until) -> None:
    """Switch with the page's own switch, as a person does."""
    browser.find_element(By.CSS_SELECTOR, ".lang-switch a[data-lang=zh]").click()
    wait_until(
        browser, "document.documentElement.lang === 'zh' && document.readyState === 'complete'"
    )


@pytest.fixture(scope="module")
def chinese(browser, live_server: str):
    browser.delete_all_cookies()
    browser.get(live_server + "/ontology")
    browser.execute_script("localStorage.clear();")
    yield browser
    browser.execute_script("localStorage.clear();")
    browser.delete_all_cookies()
    browser.get_log("browser")


def test_the_query_page_in_chinese(chinese, live_server: str, wait_until) -> None:
    browser = chinese
    browser.set_window_size(1280, 1000)
    browser.get(live_server + "/?lang=en")
    wait_until(browser, EDITOR_READY)
    to_chinese(browser, wait_until)
    wait_until(browser, EDITOR_READY)
    assert browser.find_element(By.ID, "run").text == "运行查询"
    assert browser.find_element(By.TAG_NAME, "h1").text == "查询知识图谱"
    assert "查询 1" in browser.find_element(By.ID, "query-tabs").text
    # a typo: the gutter's words and the message in Chinese
    browser.execute_script(
        "window.habitatQueryEditor.setValue(arguments[0])",
        "PREFIX hkg: <https://w3id.org/habitat-kg/ontology#>\n"
        "SELECT ?s WHERE {\n  ?s a hkg:Resolution .\n  FILTR (?s)\n}",
    )
    browser.find_element(By.ID, "run").click()
    wait_until(browser, "document.querySelector('#message .error') !== null")
    assert browser.find_element(By.CSS_SELECTOR, "#message .error").text == (
        "第 4 行：FILTR 不是 SPARQL 关键词——您是想写 FILTER 吗？"
    )
    # an answer: the result views, paging and downloads in Chinese, names in Chinese
    browser.execute_script(
        "window.habitatQueryEditor.setValue(arguments[0])",
        "SELECT ?country ?count WHERE { ?country a hkg:MemberState . BIND(1 AS ?count) } LIMIT 30",
    )
    browser.find_element(By.ID, "run").click()
    wait_until(browser, "document.querySelector('.hr-views button') !== null")
    wait_until(browser, "/行，用时/.test(document.getElementById('status').innerText)")
    tabs = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".hr-views button")]
    assert tabs[0] == "表格" and "图表" in tabs, tabs
    assert browser.find_element(By.CSS_SELECTOR, ".hr-next").text == "下一页"
    assert "第 1 页，共 2 页" in browser.find_element(By.CSS_SELECTOR, ".hr-info").text
    table = "document.querySelector('.hr-table tbody').innerText"
    wait_until(browser, f"/[\\u4e00-\\u9fff]/.test({table})")
    assert browser.find_element(By.CSS_SELECTOR, "#history li").text
    assert english_left(browser) == []
    browser.save_screenshot(str(SCREENSHOTS / "query-zh.png"))


def test_the_search_page_and_box_in_chinese(chinese, live_server: str, wait_until) -> None:
    browser = chinese
    browser.get(live_server + "/search?q=capacity&lang=en")
    to_chinese(browser, wait_until)
    assert browser.find_element(By.TAG_NAME, "h1").text == "搜索"
    box = browser.find_element(By.CSS_SELECTOR, ".site-search input")
    assert box.get_attribute("placeholder") == "搜索"
    assert "条结果" in browser.find_element(By.CSS_SELECTOR, "p.status").text
    first = browser.find_element(By.CSS_SELECTOR, ".search-results a.hit").text
    assert re.search(r"[\u4e00-\u9fff]", first), first  # the name in Chinese
    kinds = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "select[name=type] option")]
    assert kinds[:2] == ["全部", "决议"]
    assert english_left(browser) == []


def test_the_network_page_in_chinese(chinese, live_server: str, wait_until) -> None:
    browser = chinese
    browser.set_window_size(1280, 1000)
    browser.get(live_server + "/network?lang=en")
    wait_until(browser, "window.habitatNetwork && habitatNetwork.cy.nodes().length > 0")
    to_chinese(browser, wait_until)
    wait_until(browser, "window.habitatNetwork && habitatNetwork.cy.nodes().length > 0")
    assert browser.find_element(By.ID, "network-submit").text == "绘制"
    legend = browser.find_element(By.CSS_SELECTOR, ".network-legend").text
    assert "组织" in legend and "organization" not in legend
    shown = browser.execute_script(
        "return habitatNetwork.cy.nodes().map(n => n.data('display'))"
        ".filter(d => /[\\u4e00-\\u9fff]/.test(d)).length / habitatNetwork.cy.nodes().length"
    )
    assert shown > 0.8  # named in Chinese (the English where a thing has no Chinese name)
    browser.execute_script("habitatNetwork.cy.nodes()[0].emit('tap')")
    assert "连线" in browser.find_element(By.CSS_SELECTOR, "[data-part=details]").text
    assert english_left(browser) == []
    browser.find_element(By.ID, "network").screenshot(str(SCREENSHOTS / "network-zh.png"))


def test_arabic_is_right_to_left(chinese, live_server: str) -> None:
    browser = chinese
    browser.get(live_server + "/id/country/EGY?lang=ar")
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert browser.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.text.startswith("مصر")  # the name in Arabic, from the reference layer
    brand = browser.find_element(By.CSS_SELECTOR, ".brand").rect
    assert brand["x"] > browser.get_window_size()["width"] / 2  # the header starts at the right
    browser.save_screenshot(str(SCREENSHOTS / "country-ar.png"))
