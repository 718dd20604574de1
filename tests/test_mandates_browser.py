"""The mandate registry in a real browser (Debian's headless Chromium): facets, the text filter,
a mandate's page and the matrix, whose picture is kept for the README (docs/mandate-matrix.png);
the registry in Chinese (docs/mandates-zh.png).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

pytest_plugins = ["browser", "mandate_project"]

SCREENSHOT = Path(__file__).resolve().parents[1] / "docs" / "mandate-matrix.png"
IN_CHINESE = SCREENSHOT.with_name("mandates-zh.png")
ROWS = "document.querySelectorAll('table.mandates tbody tr').length"


@pytest.fixture(scope="module")
def mandate_server(mandate_app: Any) -> Iterator[str]:
    from servers import served_in_thread

    with served_in_thread(mandate_app) as url:
        yield url


def shown_mandates(browser: Any) -> list[str]:
    return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.mandates a.mandate-link")]


def test_facets_text_filter_and_a_mandate(browser, mandate_server, wait_until) -> None:
    browser.get(mandate_server + "/mandates")
    total = wait_until(browser, ROWS)
    assert total >= 20
    # a facet: the mandates asked of Member States
    facet = browser.find_element(
        By.XPATH, "//section[@data-facet='addressee']//a[normalize-space()='Member States']"
    )
    count = int(facet.find_element(By.XPATH, "../span[@class='count']").text)
    facet.click()
    wait_until(browser, f"{ROWS} === {count}")
    assert sorted(shown_mandates(browser)) == [
        "Decision 2024/1, OP 4",
        "Resolution 3/4, OP 3",
        "Resolution 3/4, OP 5",
    ]
    assert "addressee=" in browser.current_url
    # the text filter keeps the facet chosen
    search = browser.find_element(By.ID, "q")
    search.send_keys("authorities", Keys.ENTER)
    wait_until(browser, f"{ROWS} === 1")
    assert shown_mandates(browser) == ["Resolution 3/4, OP 5"]
    # clearing, then a text filter alone, then opening the mandate
    browser.find_element(By.CSS_SELECTOR, "a.clear").click()
    wait_until(browser, f"{ROWS} === {total}")
    browser.find_element(By.ID, "q").send_keys("ten cities", Keys.ENTER)
    wait_until(browser, f"{ROWS} === 1")
    browser.find_element(By.CSS_SELECTOR, "a.mandate-link").click()
    wait_until(browser, "document.querySelectorAll('li.timeline-entry').length === 2")
    assert browser.current_url.endswith("/mandates/ha-3-4/op-2b")
    entries = browser.find_elements(By.CSS_SELECTOR, "li.timeline-entry")
    assert entries[0].text.startswith("2024-11-12") and "in progress" in entries[0].text
    link = entries[0].find_element(By.CSS_SELECTOR, "a.paragraph")
    assert link.text == "¶ 4"
    assert link.get_attribute("href").endswith("/id/report/eb-2024-2/item-5/paragraph/4")
    # the page follows the site's CSP: its stylesheet is applied (the badges have colours)
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('.mstatus-in-progress')).backgroundColor"
    )
    assert colour == "rgb(220, 232, 250)"


def test_the_matrix(browser, mandate_server, wait_until) -> None:
    browser.get(mandate_server + "/mandates")
    browser.find_element(By.LINK_TEXT, "Matrix 矩阵").click()
    wait_until(browser, "document.querySelector('table.matrix') !== null")
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.matrix thead th")]
    assert heads[0] == "Mandate"
    assert heads.index("eb-2024-2/item-5\n2024-11-12") < heads.index("eb-2025-1/item-4\n2025-03-25")
    row = browser.find_element(
        By.XPATH, "//table[@class='matrix']//tr[th/a[@aria-label='Resolution 3/4, OP 1']]"
    )
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert "◐ in progress\n¶ 2" in cells and "✓ completed\n¶ 2" in cells
    browser.set_window_size(1400, 1000)
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1400, min(max(height + 160, 600), 2600))
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    browser.set_window_size(1400, 1000)


def test_the_registry_in_chinese(browser, mandate_server, wait_until) -> None:
    from test_languages import english_left  # the languages test's reading of a page's chrome

    browser.set_window_size(1400, 1000)
    browser.get(mandate_server + "/mandates?lang=zh")
    wait_until(browser, ROWS)
    assert browser.find_element(By.TAG_NAME, "h1").text == "任务授权登记册"
    heads = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.mandates thead th")]
    assert heads == ["任务授权", "对象", "行动", "期限 · 报告", "最新状况"]
    assert english_left(browser.page_source) == []
    assert browser.save_screenshot(str(IN_CHINESE))
    browser.delete_all_cookies()
