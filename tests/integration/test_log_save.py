"""Saving the complete log from a real engine gives exactly what `docker logs` prints."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.models import ContainerSummary
from dtui.ui.app import DtuiApp
from dtui.ui.logs.save import LogSaveProgressed
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.view import LogView
from tests.support import engine as support
from tests.support.wait import wait_until

DOCKER_CLI = "/usr/local/bin/docker"
LINES = 5000
PRINTER = [
    "sh",
    "-c",
    f'i=0; while [ $i -lt {LINES} ]; do i=$((i+1)); echo "line $i"; done;'
    ' printf "\\033[31mred\\033[0m caf\\303\\251\\n";'
    " sleep 300",
]


def docker_logs(host: str, container_id: str) -> bytes:
    """The log as `docker logs` prints it (the CLI when present, else the raw API demultiplexed)."""
    if os.access(DOCKER_CLI, os.X_OK):
        done = subprocess.run(
            [DOCKER_CLI, "-H", host, "logs", container_id], capture_output=True, timeout=60, check=True
        )
        return done.stdout + done.stderr
    with support.sync_client(host) as http:
        body = http.get(f"/containers/{container_id}/logs", params={"stdout": 1, "stderr": 1}).content
    payload = b""
    while body:
        size = int.from_bytes(body[4:8], "big")
        payload += body[8 : 8 + size]
        body = body[8 + size :]
    return payload


async def test_full_log_save_equals_docker_logs(
    engine_host: str, engine: EngineClient, make_container: Callable[..., str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    container_id = make_container(PRINTER)
    summary = next(c for c in await engine.containers.list(all=True) if c.id == container_id)
    app = DtuiApp(endpoint=engine.endpoint, client=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        # A small buffer: the full save must not depend on what the view holds.
        container = ContainerSummary.from_api({"Id": summary.id, "Names": [f"/{summary.name}"]})
        screen = LogScreen(container, max_lines=100)
        await app.push_screen(screen)
        view = screen.query_one(LogView)
        await wait_until(pilot, lambda: any("café" in e.text for e in view.entries), timeout=20.0)
        assert view.line_count == 100

        progress: list[int] = []
        original = LogScreen.on_log_save_progressed

        def record(self: LogScreen, message: LogSaveProgressed) -> None:
            progress.append(message.lines)
            original(self, message)

        monkeypatch.setattr(LogScreen, "on_log_save_progressed", record)
        target = tmp_path / "full.log"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")  # switch to the complete log
        prompt = screen.query_one("#logs-prompt")
        assert prompt.border_title == "save full log from engine (ctrl+s: buffer)"
        prompt.value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("Saved full log" in str(n.message) for n in app._notifications), timeout=20.0)
        saved = target.read_bytes()
        expected = docker_logs(engine_host, container_id)
        assert saved == expected
        assert saved.count(b"\n") == LINES + 1
        assert "\x1b[31mred\x1b[0m café\n" in saved.decode()
        assert progress and progress[0] == 2000 and progress == sorted(progress)

        # The same path again: refused, the file is untouched.
        await pilot.press("ctrl+s", "ctrl+s")
        prompt.value = str(target)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert prompt.display
        assert target.read_bytes() == saved
        await pilot.press("escape", "escape")
