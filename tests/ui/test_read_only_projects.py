"""``--read-only`` on the wire for the compose project keys (a project row acts on several containers).

Uses the key driver of ``test_read_only_keys.py``: on the project row of the grouped table
every project key is pressed and whatever dialog it opens is accepted; read-only, the engine
sees only GET; read-write, the same keys start, stop, restart, kill, pause and remove.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from dtui.ui.app import DtuiApp
from dtui.ui.logs.merged import MergedLogScreen
from dtui.ui.views.containers.screen import MainScreen
from tests.ui.compose_support import add_member
from tests.ui.table_support import FakeDocker
from tests.ui.test_read_only_keys import SIZE, _back_to, _leave_input, _settle, _unsafe_requests

PROJECT_KEYS = ("s", "x", "r", "D", "K", "p", "L", "l", "P")


def _compose_docker() -> FakeDocker:
    docker = FakeDocker()
    add_member(docker, "shop", "web", 1)
    add_member(docker, "shop", "db", 1, state="exited", status="Exited (0) 1 hour ago")
    docker.engine.route("GET", "/containers/[^/]+/logs", chunks=[b""], hang=True)
    return docker


async def _press_project_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    """Group by project, then press the project keys on the project row (nothing marked)."""
    await pilot.press("g")
    await _settle(pilot)
    for key in PROJECT_KEYS:
        app.screen.query_one(DataTable).move_cursor(row=0)  # the "shop" row
        await pilot.press(key)
        await _settle(pilot)
        if key in {"L", "l"}:
            assert isinstance(app.screen, MergedLogScreen) and len(app.screen.sources) == 2
        await _back_to(pilot, app, MainScreen)
        await _leave_input(pilot, app)


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "read-write"])
async def test_project_row_keys_send_only_get_in_read_only(read_only: bool) -> None:
    docker = _compose_docker()
    app = docker.app(read_only=read_only, show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _press_project_keys(pilot, app)
        assert app.is_running
    sent = {request.split("/")[-1] if request.startswith("POST") else "DELETE" for request in _unsafe_requests(docker)}
    if read_only:
        assert sent == set()
    else:
        assert {"start", "stop", "restart", "kill", "pause", "DELETE"} <= sent, sent
