"""Page tests in a real browser: the app served by waitress, driven in headless Chromium.

Use from a test module with ``pytest_plugins = ["browser"]`` (this folder is on the import path
of the tests), then ask for the fixtures:

- ``live_server``: the session's ``app`` (tests/conftest.py) served by a real waitress server on
  a free port, in a thread; the value is its base URL (``http://127.0.0.1:PORT``).
- ``browser``: a Selenium WebDriver of Debian's headless Chromium (``/usr/bin/chromium`` with
  ``/usr/bin/chromedriver``, a fresh profile, nothing downloaded: ``SE_OFFLINE=true``). When
  Chromium or its driver is missing the test FAILS saying so: page tests are never skipped.

- ``wait_until``: a function, ``wait_until(browser, script, timeout=10)``, that waits until the
  JavaScript expression ``script`` is truthy in the page and returns its value.

Do not import this module in a test module (pytest must load it first, as a plugin).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_ARGUMENTS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


@pytest.fixture(scope="session")
def live_server(app: Any) -> Iterator[str]:
    """The application served by waitress on 127.0.0.1 and a free port; yields the base URL."""
    from servers import served_in_thread

    with served_in_thread(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium driven by Selenium through Debian's chromedriver."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(
            f"page tests need Chromium and its driver, missing: {', '.join(missing)} "
            "(apt-get install chromium chromium-driver)",
            pytrace=False,
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager must not look for (or download) a browser or a driver
    previous = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        if previous is None:
            os.environ.pop("SE_OFFLINE", None)
        else:
            os.environ["SE_OFFLINE"] = previous


@pytest.fixture(scope="session")
def wait_until() -> Any:
    """``wait_until(driver, script, timeout=10)``, for tests (they do not import this module,
    which pytest loads as a plugin)."""
    return _wait_until


def _wait_until(driver: Any, script: str, timeout: float = 10.0) -> Any:
    """Wait until ``return (script)`` is truthy in the page; its value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script(f"return ({script});")
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {script}")
        time.sleep(0.05)
