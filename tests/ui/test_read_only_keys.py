"""``--read-only`` proven on the wire: every key of every screen sends only GET/HEAD (issue 13).

The FakeEngine records every request that reaches its transport. The test presses every key
bound on the main screen, the detail pane and the log screen (taken from their BINDINGS, so a
new key is covered without editing this test), confirms whatever dialog a key opens, and then
checks the methods the engine saw.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from dtui.ui.app import DtuiApp
from dtui.ui.logs.screen import LogScreen
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.views.swarm.nodes import NodesScreen
from dtui.ui.views.swarm.services import ServicesScreen
from dtui.ui.views.swarm.tasks import TasksScreen
from dtui.ui.widgets.detail_pane import DetailPane
from tests.fakes import frame
from tests.ui import detail_support
from tests.ui.swarm_support import FakeSwarm
from tests.support.wait import wait_until
from tests.ui.table_support import FakeDocker

SIZE = (80, 24)
SAFE_METHODS = {"GET", "HEAD"}
NOT_PRESSED = {"q", "ctrl+q", "ctrl+c"}  # quitting ends the test, not a read-only question


def _keys(bindings: list[Any], skip: set[str]) -> list[str]:
    """Every key bound (comma-separated alternatives split), minus ``skip``."""
    keys: list[str] = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys += [key.strip() for key in binding.key.split(",") if key.strip() not in skip | NOT_PRESSED]
    return keys


def _docker() -> FakeDocker:
    docker = FakeDocker()
    docker.add("web", id=detail_support.CID)
    docker.add("db", state="exited", status="Exited (0) 1 hour ago")
    fake = detail_support.fake_engine()
    for route in reversed(fake.routes[:4]):  # the detail routes, in front of FakeDocker's
        docker.engine.routes.insert(0, route)
    log_body = frame(1, b"2026-11-28T01:00:01.000000000Z hello\n") + frame(2, b"2026-11-28T01:00:02.000000000Z oops\n")
    docker.engine.route("GET", "/containers/[^/]+/logs", chunks=[log_body], hang=True)
    return docker


STREAM_GROUPS = ("overview", "logs", "detail-stats", "merged-")
"""Worker groups that stream for as long as their view is open (a settled app still runs them)."""


def _busy_workers(app: DtuiApp) -> list[str]:
    return [worker.group for worker in app.workers
            if not worker.is_finished and not worker.group.startswith(STREAM_GROUPS)]


async def _settle(pilot: Pilot[Any]) -> None:
    """Let what a key started finish, however long that takes: the screen's pending messages,
    then every worker that is not a stream (the fake engine answers at once), then idle."""
    await pilot.pause()
    if _busy_workers(pilot.app):
        await wait_until(pilot, lambda: not _busy_workers(pilot.app), what=f"workers {_busy_workers(pilot.app)}")
        await pilot.pause()


async def _back_to(pilot: Pilot[Any], app: DtuiApp, base: type[Screen[Any]]) -> None:
    """Accept any dialog a key opened (Enter: the most dangerous answer), then leave it."""
    if isinstance(app.screen, base):
        return
    await pilot.press("enter")
    await _settle(pilot)
    for _ in range(4):
        if isinstance(app.screen, base):
            return
        await pilot.press("escape")
        await _settle(pilot)
    assert isinstance(app.screen, base), f"stuck on {app.screen!r}"


async def _leave_input(pilot: Pilot[Any], app: DtuiApp) -> None:
    """Submit, then close, a search or filter box a key focused on the same screen."""
    if isinstance(app.focused, Input):
        await pilot.press("enter")
        await _settle(pilot)
        if isinstance(app.focused, Input):
            await pilot.press("escape")
            await _settle(pilot)


def _unsafe_requests(docker: FakeDocker) -> list[str]:
    return [f"{r.method} {r.url.path}" for r in docker.engine.requests if r.method not in SAFE_METHODS]


async def _press_main_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    for key in _keys(MainScreen.BINDINGS, skip={"l", "escape"}):
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, MainScreen)
        await _leave_input(pilot, app)
        assert isinstance(app.screen, MainScreen)


async def _open_pane(pilot: Pilot[Any], app: DtuiApp) -> DetailPane:
    if not app.screen.has_class("-pane-open"):
        await pilot.press("enter")
        await _settle(pilot)
    pane = app.screen.query_one(DetailPane)
    if not pane.has_focus_within:
        await pilot.press("tab")
        await _settle(pilot)
    assert app.screen.has_class("-pane-open") and pane.has_focus_within
    return pane


async def _press_pane_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    for key in _keys(DetailPane.BINDINGS, skip=set()):
        await _open_pane(pilot, app)
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, MainScreen)
        await _leave_input(pilot, app)


async def _press_log_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    await pilot.press("l")
    await _settle(pilot)
    assert isinstance(app.screen, LogScreen)
    for key in _keys(LogScreen.BINDINGS, skip={"escape"}):
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, LogScreen)
        await _leave_input(pilot, app)
    await pilot.press("escape")
    await _settle(pilot)
    assert isinstance(app.screen, MainScreen)


async def test_every_key_of_every_screen_sends_only_get_or_head(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a save or export dialog accepted with Enter writes here
    docker = _docker()
    app = docker.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _press_main_keys(pilot, app)
        await pilot.press("escape", "escape")
        await pilot.press("space")  # the same keys with a mark set (bulk actions)
        await _press_main_keys(pilot, app)
        await _press_pane_keys(pilot, app)
        await pilot.press("escape", "escape")
        await _settle(pilot)
        await _press_log_keys(pilot, app)
        assert app.is_running
    paths = docker.engine.paths("GET")
    # The keys did reach the engine (the recording is not vacuous) ...
    for expected in ("/containers/json", f"/containers/{detail_support.CID}/json",
                     f"/containers/{detail_support.CID}/top", f"/containers/{detail_support.CID}/changes",
                     f"/containers/{detail_support.CID}/logs"):
        assert expected in paths, expected
    # ... and not one of them changed anything.
    assert _unsafe_requests(docker) == []


async def test_the_same_keys_do_mutate_without_read_only(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same key driver without --read-only sends the actions (the check above can fail)."""
    monkeypatch.chdir(tmp_path)
    docker = _docker()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _press_main_keys(pilot, app)
    sent = {request.split("/")[-1] if request.startswith("POST") else "DELETE" for request in _unsafe_requests(docker)}
    assert {"start", "stop", "restart", "kill", "pause", "DELETE"} <= sent, sent


# -- the swarm views (issue 21) ----------------------------------------------------------


def _swarm() -> FakeSwarm:
    swarm = FakeSwarm()
    swarm.add("web", replicas=1, ports=(8080,))
    swarm.add("agent", replicas=None)
    return swarm


async def _press_view_keys(pilot: Pilot[Any], app: DtuiApp, screen: type[Screen[Any]], skip: set[str]) -> None:
    for key in _keys(screen.BINDINGS, skip={"escape", *skip}):
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, screen)
        await _leave_input(pilot, app)
        assert isinstance(app.screen, screen)


async def _escape_to(pilot: Pilot[Any], app: DtuiApp, screen: type[Screen[Any]]) -> None:
    for _ in range(4):
        if isinstance(app.screen, screen):
            return
        await pilot.press("escape")
        await _settle(pilot)
    assert isinstance(app.screen, screen), f"stuck on {app.screen!r}"


async def _press_swarm_keys(pilot: Pilot[Any], app: DtuiApp, *, with_marks: bool = True) -> None:
    await pilot.press("W")
    await _settle(pilot)
    assert isinstance(app.screen, ServicesScreen)
    for marked in (False, True) if with_marks else (False,):
        if marked:
            await pilot.press("space")
        await _press_view_keys(pilot, app, ServicesScreen, skip={"enter"})
    await pilot.press("escape", "enter")  # clear the marks, open the tasks
    await _settle(pilot)
    if isinstance(app.screen, TasksScreen):
        await _press_view_keys(pilot, app, TasksScreen, skip=set())
        await _escape_to(pilot, app, ServicesScreen)
    await pilot.press("N")
    await _settle(pilot)
    assert isinstance(app.screen, NodesScreen)
    await pilot.press("space")
    await _press_view_keys(pilot, app, NodesScreen, skip=set())


async def test_every_key_of_the_swarm_views_sends_only_get_or_head(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    swarm = _swarm()
    app = swarm.docker.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _press_swarm_keys(pilot, app)
        assert app.is_running
    paths = swarm.docker.engine.paths("GET")
    for expected in ("/services", "/tasks", "/nodes"):
        assert expected in paths, expected
    assert any(path.startswith("/services/") and path.endswith("/logs") for path in paths)
    assert _unsafe_requests(swarm.docker) == []


async def test_the_swarm_keys_do_mutate_without_read_only(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    swarm = _swarm()
    app = swarm.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _press_swarm_keys(pilot, app, with_marks=False)
    sent = {f"{r.method} {r.url.path.split('/')[-1]}" for r in swarm.docker.engine.requests if r.method not in SAFE_METHODS}
    assert {"POST update", "DELETE"} <= {s if s.startswith("POST") else "DELETE" for s in sent}, sent
