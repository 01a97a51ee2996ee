"""A crash inside any kind of worker is shown (one modal) and the app keeps running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from dtui.engine.images import Images
from dtui.engine.containers import Containers
from dtui.engine.errors import ServerError
from dtui.ui.app import DtuiApp
from dtui.ui.screens.choice import InternalErrorScreen
from dtui.ui.forms.export import ExportScreen
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.widgets.detail_pane import DetailPane
from dtui.ui.worker_errors import report_error
from tests.support.wait import wait_until
from tests.ui.table_support import FakeDocker

SIZE = (80, 24)


def _docker() -> FakeDocker:
    docker = FakeDocker()
    item = docker.add("web01")
    docker.engine.route("GET", "/images/json", json=[{"Id": "sha256:1", "RepoTags": ["busybox:latest"]}])
    docker.engine.route("GET", f"/containers/{item['Id']}/json", json={
        "Id": item["Id"], "Name": "/web01", "Config": {"Image": "busybox:latest", "Cmd": ["sh"]},
        "HostConfig": {}, "State": {"Status": "running", "Running": True},
    })
    return docker


def _raiser(text: str) -> Any:
    def crash(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(text)

    return crash


async def _sees_crash_then_goes_on(pilot: Pilot[Any], app: DtuiApp, text: str) -> None:
    def body() -> str:
        return " ".join(str(static.render()) for static in app.screen.query(Static))

    await wait_until(pilot, lambda: isinstance(app.screen, InternalErrorScreen), what="the error modal")
    await wait_until(pilot, lambda: f"RuntimeError: {text}" in body(), what="the crash named in the modal")
    await wait_until(pilot, lambda: app.screen.focused is not None, what="the OK button focused")
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, InternalErrorScreen), what="the modal closed")
    assert app.is_running


async def _open(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.pause(0.3)
    await pilot.press(*keys)


async def test_a_crash_in_the_create_screen_worker_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Images, "__call__", _raiser("images boom"))
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "c")
        await _sees_crash_then_goes_on(pilot, app, "images boom")
        assert type(app.screen).__name__ == "CreateScreen"  # the form stays usable


async def test_a_crash_in_the_scale_screen_worker_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dtui.ui.forms.scale.group_filters", _raiser("scale boom"))
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "S")
        await _sees_crash_then_goes_on(pilot, app, "scale boom")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="back on the main screen")


async def test_a_crash_in_the_export_worker_is_shown(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ExportScreen, "_estimated_size", _raiser("export boom"))
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export screen")
        await pilot.press("ctrl+s")
        await _sees_crash_then_goes_on(pilot, app, "export boom")
        assert list(tmp_path.iterdir()) == []  # the partial file was removed


async def test_a_crash_in_a_detail_tab_worker_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Containers, "top", _raiser("top boom"))
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, "enter")
        await wait_until(pilot, lambda: app.screen.query_one(DetailPane).display, what="the detail pane")
        app.screen.query_one(DetailPane).action_show_tab("top")
        await _sees_crash_then_goes_on(pilot, app, "top boom")
        # Back on the main screen the tab loads again and crashes again: a toast this time.
        await wait_until(pilot, lambda: any("top boom" in str(n.message) for n in app._notifications),
                         what="the repeat as a toast")
        assert isinstance(app.screen, MainScreen)


async def test_a_second_crash_while_the_modal_is_open_becomes_a_toast() -> None:
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        report_error(app.screen, RuntimeError("first"), "testing")
        await wait_until(pilot, lambda: isinstance(app.screen, InternalErrorScreen), what="the error modal")
        report_error(app.screen, RuntimeError("second"), "testing")
        await wait_until(pilot, lambda: any("second" in str(n.message) for n in app._notifications), what="a toast")
        assert isinstance(app.screen, InternalErrorScreen)


async def test_a_reported_engine_error_is_a_toast_with_the_daemons_text() -> None:
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        report_error(app.screen, ServerError("daemon says no", status=500), "testing")
        await wait_until(pilot, lambda: any("daemon says no" in str(n.message) for n in app._notifications),
                         what="the toast")
        assert isinstance(app.screen, MainScreen)
