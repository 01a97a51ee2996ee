"""`dtui serve` against the real engine, driven from headless Chromium (Debian's chromium-driver)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOT = Path(__file__).resolve().parents[2] / "screenshots" / "serve-browser.png"


@pytest.fixture
def served(engine_host: str) -> Iterator[str]:
    """A running `dtui serve --port 0` for the engine; yields the URL it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "dtui", "serve", "--port", "0", "-H", engine_host, "-a"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    assert process.stdout is not None
    url = ""
    deadline = time.monotonic() + 30
    while not url and time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/\S+/", line)
        url = found.group(0) if found else ""
    try:
        assert url, "dtui serve printed no URL"
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_request_without_the_token_is_refused(served: str) -> None:
    root = served.split("/", 3)
    base = f"{root[0]}//{root[2]}"
    assert status_of(served) == 200
    for path in ("/", "/ws", "/static/js/textual.js", "/x" + root[3]):
        assert status_of(base + path) in (403, 404), path


def chromium() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,800", f"--user-data-dir={tempfile.mkdtemp(prefix='dtui-chromium-')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SCREEN})
    return browser


RECORD_SCREEN = """
window.__dtuiReceived = [];
const Native = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new Native(url, protocols);
  const decoder = new TextDecoder();
  socket.addEventListener("message", (event) => {
    const data = event.data;
    window.__dtuiReceived.push(typeof data === "string" ? data : decoder.decode(data, {stream: true}));
  });
  return socket;
};
"""
"""xterm.js paints on a canvas: the page records what the server sent to it instead."""


def screen_text(browser: Any) -> str:
    """Everything the page's terminal received so far (escape sequences and all)."""
    return str(browser.execute_script("return window.__dtuiReceived.join('')"))


def wait_for_text(browser: Any, needle: str, timeout: float = 30, after: int = 0) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = screen_text(browser)[after:]
        if needle in text:
            return text
        time.sleep(0.25)
    raise AssertionError(f"{needle!r} not in the page:\n{text}")


def test_the_browser_shows_the_table_and_answers_keys(served: str, make_container: Any) -> None:
    name = f"served-{os.getpid()}"
    make_container(name=name)
    from selenium.webdriver.common.keys import Keys

    browser = chromium()
    try:
        browser.get(served)
        wait_for_text(browser, name)
        keyboard = browser.find_element("css selector", ".xterm-helper-textarea")
        before = len(screen_text(browser))
        keyboard.send_keys("?")
        wait_for_text(browser, "Mark or unmark", after=before)  # the help screen
        before = len(screen_text(browser))
        keyboard.send_keys(Keys.ESCAPE)
        wait_for_text(browser, name, after=before)  # the table is painted again
        if os.environ.get("DTUI_SERVE_SCREENSHOT"):
            browser.save_screenshot(str(SCREENSHOT))
        remote = [entry for entry in browser.get_log("browser") if "http" in entry["message"] and served.split("/")[2] not in entry["message"]]
        assert remote == []
    finally:
        browser.quit()


def test_another_address_prints_the_plain_tcp_warning(engine_host: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "dtui", "serve", "--listen", "0.0.0.0", "--port", "0", "-H", engine_host],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        assert "http://0.0.0.0:" in process.stdout.readline()
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "warning: no TLS: anyone who can reach this port is root on this host" in process.stderr.read()


def test_bad_session_options_fail_at_once() -> None:
    result = subprocess.run([sys.executable, "-m", "dtui", "serve", "--host", "ftp://x"], check=False, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "unsupported host address" in result.stderr
