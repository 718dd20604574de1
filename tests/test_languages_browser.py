"""In headless Chromium (issue 17): the language switch is remembered across pages; a
paragraph's page in English beside its Chinese text (kept for the README); on /network no two
labels shown cover one another, as Cytoscape measures them."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

pytest_plugins = ["browser"]

SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs"
PARAGRAPH = "/id/report/eb-2020-2/item-7/paragraph/21"
DRAWN = "window.habitatNetwork && window.habitatNetwork.cy.nodes().length > 0"
#: Pairs of shown labels (with their nodes) whose boxes, as drawn, overlap.
OVERLAPS = """
const cy = habitatNetwork.cy;
const boxes = cy.nodes().filter(n => !n.hasClass('quiet')).map(n => [n.id(),
  n.renderedBoundingBox({includeLabels: true, includeEdges: false, includeOverlays: false})]);
const found = [];
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const [a, b] = [boxes[i][1], boxes[j][1]];
  const hit = a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  if (hit) found.push([boxes[i][0], boxes[j][0]]);
}
return [found, boxes.length, cy.nodes().length];
"""


def test_the_language_is_remembered_across_pages(browser, live_server: str, wait_until) -> None:
    browser.delete_all_cookies()
    browser.get(live_server + "/ontology")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.CSS_SELECTOR, ".lang-switch a[data-lang=zh]").click()
    wait_until(browser, "document.documentElement.lang === 'zh'")
    browser.find_element(By.LINK_TEXT, "常用问题").click()  # a link with no ?lang
    wait_until(browser, "location.pathname === '/queries'")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh"
    browser.get(live_server + "/id/org/fao")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("联合国粮食及农业组织")
    browser.find_element(By.CSS_SELECTOR, ".lang-switch a[data-lang=en]").click()
    wait_until(browser, "document.documentElement.lang === 'en'")
    browser.get(live_server + "/ontology")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


def test_a_paragraph_in_english_beside_the_chinese(browser, live_server: str) -> None:
    browser.delete_all_cookies()
    browser.set_window_size(1280, 1000)
    browser.get(live_server + PARAGRAPH + "?lang=en")
    pair = browser.find_element(By.CSS_SELECTOR, ".paragraph-pair")
    chinese, english = pair.find_elements(By.XPATH, "./div")
    assert chinese.location["y"] == english.location["y"]  # side by side
    assert chinese.location["x"] < english.location["x"]
    assert "包容性城市" in chinese.text and "Geneva Human Rights Platform" in english.text
    browser.execute_script("document.getElementById('paragraph').scrollIntoView()")
    pair.screenshot(str(SCREENSHOTS / "paragraph-en-zh.png"))


def test_network_labels_do_not_cover_one_another(browser, live_server: str, wait_until) -> None:
    browser.set_window_size(1280, 1000)
    browser.get(live_server + "/network")
    wait_until(browser, DRAWN)
    found, shown, nodes = browser.execute_script(OVERLAPS)
    assert found == [] and shown >= nodes // 2, (found, shown, nodes)
    browser.execute_script("habitatNetwork.cy.zoom(habitatNetwork.cy.zoom() * 0.6)")
    browser.execute_script("habitatNetwork.declutter()")
    found, shown, _ = browser.execute_script(OVERLAPS)
    assert found == [] and shown >= 3
    browser.execute_script("habitatNetwork.cy.fit(undefined, 20); habitatNetwork.declutter()")
    canvas = browser.find_element(By.CSS_SELECTOR, "#network [data-part=canvas]")
    canvas.screenshot(str(SCREENSHOTS / "network-labels.png"))
