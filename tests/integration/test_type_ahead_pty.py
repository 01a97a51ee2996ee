"""Type-ahead on a real terminal: `/` + text + Enter written in ONE write reach the filter.

A fast typist or a laggy SSH link delivers the keys in one read; before dtui ordered them
(`dtui.ui.type_ahead`) the letters landed on the table (``e`` opens export, ``a`` shows all)
and the prompt stayed empty. The screen is read through a terminal emulator (pyte).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyte
import pytest

from tests.support import engine as support
from tests.support.pty_run import PtyProcess

COLUMNS, ROWS = 120, 30
LOG_SCRIPT = 'printf "ok one\\nERROR first\\nok two\\nERROR second\\n"; sleep 600'


def _screen_of(terminal: PtyProcess) -> list[str]:
    screen = pyte.Screen(COLUMNS, ROWS)
    pyte.ByteStream(screen).feed(terminal.output)
    return list(screen.display)


def _wait_screen(terminal: PtyProcess, check: Callable[[list[str]], bool], timeout: float = 15.0) -> list[str]:
    deadline = time.monotonic() + timeout
    lines = _screen_of(terminal)
    while time.monotonic() < deadline:
        lines = _screen_of(terminal)
        if check(lines):
            return lines
        time.sleep(0.1)
    raise AssertionError("screen never matched:\n" + "\n".join(lines))


def test_burst_reaches_quick_filter_and_log_search(
    engine_host: str, make_container: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # keys gone astray could export a tar into the working directory
    alpha, omega = f"ta-alpha-{support.SESSION_ID}", f"ta-omega-{support.SESSION_ID}"
    make_container(["sleep", "600"], name=alpha)
    make_container(["sh", "-c", LOG_SCRIPT], name=omega)
    argv = [sys.executable, "-m", "dtui", "-H", engine_host, "-a",
            "--filter", f"label={support.TEST_LABEL}={support.SESSION_ID}"]
    terminal = PtyProcess(argv, columns=COLUMNS, rows=ROWS)
    try:
        _wait_screen(terminal, lambda lines: any(alpha in line for line in lines) and any(omega in line for line in lines), 30)
        terminal.send("/omega\r", pause=0)  # one write
        lines = _wait_screen(terminal, lambda lines: any("/: omega" in line for line in lines))
        table = [line for line in lines if "ta-" in line and "/: " not in line]
        assert any(omega in line for line in table), "\n".join(lines)
        assert not any(alpha in line for line in table), "\n".join(lines)
        assert not any("Export" in line for line in lines)  # `e` of "omega" did not open export

        terminal.send("l", pause=0)
        _wait_screen(terminal, lambda lines: sum("ERROR" in line for line in lines) >= 2)
        terminal.send("/ERROR\r", pause=0)  # one write
        lines = _wait_screen(terminal, lambda lines: any(re.search(r"/ERROR [\d-]+/2", line) for line in lines))
        assert terminal.alive()
    finally:
        terminal.close()
