"""A real browser: headless Chromium (Debian's) drives `inventory serve` like a person would.

The server is the real command in its own process, on a loopback port, after
`inventory sample` and `inventory user add` on the test database. Screenshots
go to artifacts/screenshots (CI keeps them), on a laptop and a tablet screen.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PASSWORD = "Browser-Test-2026"
SCREENSHOTS = Path(os.environ.get("INVENTORY_SCREENSHOTS", "artifacts/screenshots"))


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The console script pip installed, as a user runs it.
INVENTORY = str(Path(sys.executable).with_name("inventory"))


def inventory(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [INVENTORY, *args], env=env, capture_output=True, text=True, check=True, timeout=120
    )


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "INVENTORY_DATABASE_URL": database_url,
        "INVENTORY_DATA_DIR": str(tmp_path / "data"),
        "ADMIN_PASSWORD": PASSWORD,
    }
    inventory("sample", env=env)
    inventory(
        "user", "add", "chen", "--role", "bureau", "--password-env", "ADMIN_PASSWORD", env=env
    )
    port = free_tcp_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [INVENTORY, "serve", "--port", str(port)], env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/login", timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"inventory serve exited: {log.read_text()}")
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("inventory serve did not answer within 30 s")
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    if shutil.which("chromium") is None and not CHROMIUM.exists():
        pytest.skip("chromium not found")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_argument("--window-size=1366,900")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def arrive(driver: Any, where: Callable[[str], bool]) -> None:
    """Wait (up to 15 s) until the browser's URL satisfies `where` and the page has loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(
        lambda d: (
            where(d.current_url) and d.execute_script("return document.readyState") == "complete"
        )
    )


def shot(driver: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000, f"{path} looks empty"
    return path


def test_a_bureau_user_logs_in_filters_the_assets_and_opens_one(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{server}/assets?lang=zh")
    assert "/login" in browser.current_url  # the pages ask for a login first
    shot(browser, "01-login")
    browser.find_element(By.ID, "username").send_keys("chen")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "login").click()
    # A click returns before the navigation it starts: wait for the next page.
    arrive(browser, lambda url: urlparse(url).path == "/assets")  # back where they were going
    everything = int(browser.find_element(By.ID, "result-count").text)
    assert everything > 10

    Select(browser.find_element(By.ID, "mode")).select_by_value("hosted")
    browser.find_element(By.ID, "apply").click()
    arrive(browser, lambda url: "mode=hosted" in url)
    hosted = int(browser.find_element(By.ID, "result-count").text)
    assert 0 < hosted < everything
    assert "mode=hosted" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "#asset-table tbody tr")
    assert rows
    assert all("托管集中" in row.text for row in rows), [row.text for row in rows][:3]
    shot(browser, "02-assets-hosted")

    first = browser.find_element(By.CSS_SELECTOR, "a.asset-link")
    name = first.text
    first.click()
    arrive(browser, lambda url: urlparse(url).path.startswith("/assets/"))
    assert browser.find_element(By.ID, "asset-name").text == name
    assert browser.find_elements(By.CSS_SELECTOR, "#history tbody tr")
    shot(browser, "03-asset-detail")

    browser.get(f"{server}/?lang=en")
    assert browser.find_element(By.ID, "chart-mode").is_displayed()
    # Long English department names are whole and clear of the bars (none cut or covered).
    boxes = browser.execute_script(
        "return [...document.querySelectorAll('#chart-department svg')].flatMap(svg =>"
        " [...svg.querySelectorAll('.bar-label')].map(t => {const b = t.getBBox();"
        " const bar = t.nextElementSibling.getBBox();"
        " return [t.textContent, b.x, b.x + b.width, b.y + b.height, bar.y]}))"
    )
    assert any("Human Resources and Social Security Bureau" in box[0] for box in boxes)
    for text, left, right, bottom, bar_top in boxes:
        assert left >= -2, text  # a glyph may start a hair left of its origin
        assert right <= 400, text
        assert bottom <= bar_top + 1, text
    assert int(browser.find_element(By.ID, "total").text) == everything
    shot(browser, "04-overview-en")

    browser.set_window_size(820, 1180)  # a tablet held upright
    browser.get(f"{server}/?lang=zh")
    assert browser.find_element(By.ID, "chart-class").is_displayed()
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 820, "the overview scrolls sideways on a tablet"
    shot(browser, "05-overview-tablet")

    # The API docs: Swagger UI from the package, running under the CSP (no CDN, no inline).
    browser.get(f"{server}/api/v1/docs")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock")
    )
    assert "/api/v1/assets" in browser.find_element(By.ID, "swagger-ui").text
    shot(browser, "06-api-docs")
    browser.get(f"{server}/")

    browser.find_element(By.ID, "logout").click()
    arrive(browser, lambda url: "/login" in url)
    browser.get(f"{server}/assets")
    assert "/login" in browser.current_url
