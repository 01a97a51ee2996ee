"""``--read-only`` proven on the wire: every key of every screen sends only GET/HEAD (issue 13).

The FakeEngine records every request that reaches its transport. The test presses every key
bound on the main screen, the detail pane and the log screen (and, in their own test, the
images screen, its detail pane and the disk usage screen) (taken from their BINDINGS, so a
new key is covered without editing this test), confirms whatever dialog a key opens, and then
checks the methods the engine saw.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from dtui.ui.app import DtuiApp
from dtui.ui.screens.logs import LogScreen
from dtui.ui.screens.main import MainScreen
from dtui.ui.views.detail import ResourceDetail
from dtui.ui.views.images.disk_usage import DiskUsageScreen
from dtui.ui.views.images.screen import ImagesScreen
from dtui.ui.views.networks.screen import NetworksScreen
from dtui.ui.views.volumes.screen import VolumesScreen
from dtui.ui.widgets.detail_pane import DetailPane
from tests.fakes import frame
from tests.ui import detail_support
from tests.ui.images_support import NGINX, FakeImages
from tests.ui.table_support import FakeDocker
from tests.ui.volnet_support import FakeResources

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


def _docker() -> FakeResources:
    docker = FakeResources()
    docker.add("web", id=detail_support.CID)
    docker.add("db", state="exited", status="Exited (0) 1 hour ago")
    docker.add_volume("data")
    docker.add_volume("spare")
    docker.mount("web", "data")
    docker.add_network("appnet", subnet="10.9.0.0/24")
    docker.attach("web", "appnet")
    fake = detail_support.fake_engine()
    for route in reversed(fake.routes[:4]):  # the detail routes, in front of FakeDocker's
        docker.engine.routes.insert(0, route)
    log_body = frame(1, b"2026-11-28T01:00:01.000000000Z hello\n") + frame(2, b"2026-11-28T01:00:02.000000000Z oops\n")
    docker.engine.route("GET", "/containers/[^/]+/logs", chunks=[log_body], hang=True)
    return docker


async def _settle(pilot: Pilot[Any], seconds: float = 0.1) -> None:
    await pilot.pause(seconds)


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
    pane = app.screen.query_one(DetailPane)
    if not app.screen.has_class("-pane-open"):
        await pilot.press("enter")
        await _settle(pilot)
    if not pane.has_focus_within:
        await pilot.press("tab")
        await _settle(pilot)
    assert app.screen.has_class("-pane-open") and pane.has_focus_within
    return pane


async def _press_pane_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    for key in _keys(DetailPane.BINDINGS, skip=set()):
        await _open_pane(pilot, app)
        await pilot.press(key)
        await _settle(pilot, 0.3)
        await _back_to(pilot, app, MainScreen)
        await _leave_input(pilot, app)


async def _press_log_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    await pilot.press("l")
    await _settle(pilot, 0.3)
    assert isinstance(app.screen, LogScreen)
    for key in _keys(LogScreen.BINDINGS, skip={"escape"}):
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, LogScreen)
        await _leave_input(pilot, app)
    await pilot.press("escape")
    await _settle(pilot)
    assert isinstance(app.screen, MainScreen)


async def _press_view_keys(
    pilot: Pilot[Any], app: DtuiApp, key: str, view: type[Screen[Any]], passes: tuple[bool, ...] = (False, True)
) -> None:
    """Open a resource view from the table, press each of its keys (without, then with a mark), go back."""
    await pilot.press(key)
    await _settle(pilot, 0.3)
    assert isinstance(app.screen, view)
    for marked in passes:
        if marked:
            await pilot.press("space")
        for bound in _keys(view.BINDINGS, skip={"escape"}):
            await pilot.press(bound)
            await _settle(pilot)
            await _back_to(pilot, app, view)
            await _leave_input(pilot, app)
            assert isinstance(app.screen, view)
    for _ in range(3):
        if isinstance(app.screen, MainScreen):
            break
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
        await _settle(pilot, 0.3)
        await _press_main_keys(pilot, app)
        await pilot.press("escape", "escape")
        await pilot.press("space")  # the same keys with a mark set (bulk actions)
        await _press_main_keys(pilot, app)
        await _press_pane_keys(pilot, app)
        await pilot.press("escape", "escape")
        await _settle(pilot)
        await _press_log_keys(pilot, app)
        await _press_view_keys(pilot, app, "V", VolumesScreen)
        await _press_view_keys(pilot, app, "N", NetworksScreen)
        assert app.is_running
    paths = docker.engine.paths("GET")
    # The keys did reach the engine (the recording is not vacuous) ...
    for expected in ("/containers/json", f"/containers/{detail_support.CID}/json",
                     f"/containers/{detail_support.CID}/top", f"/containers/{detail_support.CID}/changes",
                     f"/containers/{detail_support.CID}/logs", "/volumes", "/volumes/data", "/system/df",
                     "/networks"):
        assert expected in paths, expected
    # ... and not one of them changed anything.
    assert _unsafe_requests(docker) == []


async def test_the_same_keys_do_mutate_without_read_only(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same key driver without --read-only sends the actions (the check above can fail)."""
    monkeypatch.chdir(tmp_path)
    docker = _docker()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot, 0.3)
        await _press_main_keys(pilot, app)
    sent = {request.split("/")[-1] if request.startswith("POST") else "DELETE" for request in _unsafe_requests(docker)}
    assert {"start", "stop", "restart", "kill", "pause", "DELETE"} <= sent, sent


async def _press_screen_keys(pilot: Pilot[Any], app: DtuiApp, base: type[Screen[Any]], skip: set[str]) -> None:
    for key in _keys(list(base.BINDINGS), skip=skip):
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, base)
        await _leave_input(pilot, app)
        assert isinstance(app.screen, base), f"{key} left {base.__name__}"


async def _press_resource_pane_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    for key in _keys(ResourceDetail.BINDINGS, skip=set()):
        if not app.screen.has_class("-pane-open"):
            await pilot.press("enter")
            await _settle(pilot)
        pane = app.screen.query_one(ResourceDetail)
        if not pane.has_focus_within:
            await pilot.press("tab")
            await _settle(pilot)
        await pilot.press(key)
        await _settle(pilot, 0.2)
        await _back_to(pilot, app, ImagesScreen)
        await _leave_input(pilot, app)


async def _drive_image_screens(pilot: Pilot[Any], app: DtuiApp) -> None:
    """Every key of the images screen (then with a mark), its detail pane, and the disk usage screen."""
    await _settle(pilot, 0.2)
    await pilot.press("I")
    await _settle(pilot, 0.3)
    assert isinstance(app.screen, ImagesScreen)
    await pilot.press("space")  # with a mark set: the bulk actions act on it
    await _press_screen_keys(pilot, app, ImagesScreen, skip={"escape", "space"})
    await _press_resource_pane_keys(pilot, app)
    await pilot.press("escape", "escape", "escape")
    await _settle(pilot)
    assert isinstance(app.screen, MainScreen)
    await pilot.press("U")
    await _settle(pilot, 0.3)
    assert isinstance(app.screen, DiskUsageScreen)
    await _press_screen_keys(pilot, app, DiskUsageScreen, skip={"escape"})


async def test_every_key_of_the_image_screens_sends_only_get_or_head() -> None:
    fake = FakeImages()
    app = fake.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _drive_image_screens(pilot, app)
    paths = fake.docker.engine.paths("GET")
    for expected in ("/images/json", f"/images/{NGINX}/json", f"/images/{NGINX}/history", "/system/df"):
        assert expected in paths, expected
    assert _unsafe_requests(fake.docker) == []


async def test_the_image_screen_keys_do_mutate_without_read_only() -> None:
    """The mutating keys of the same screens, without --read-only, do send (the check above can fail)."""
    fake = FakeImages()
    app = fake.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot, 0.2)
        for keys in (("I",), ("D", "enter"), ("p", "enter"), ("escape",), ("U",), ("c", "enter"), ("v", "enter"),
                     ("b", "enter"), ("i", "enter")):
            await pilot.press(*keys)
            await _settle(pilot, 0.2)
    sent = {(r.method, path) for r, path in zip(fake.docker.engine.requests, fake.docker.engine.paths())}
    for method, path in (("DELETE", "/images/"), ("POST", "/images/prune"), ("POST", "/containers/prune"),
                         ("POST", "/volumes/prune"), ("POST", "/build/prune")):
        assert any(m == method and p.startswith(path) for m, p in sent), (method, path, sent)


async def test_the_resource_view_keys_do_mutate_without_read_only(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The volumes and networks keys, driven the same way, do remove, prune, create and connect."""
    monkeypatch.chdir(tmp_path)
    docker = _docker()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot, 0.3)
        await _press_view_keys(pilot, app, "V", VolumesScreen, passes=(False,))
        await _press_view_keys(pilot, app, "N", NetworksScreen, passes=(False,))
    sent = {re.sub(r"/v[0-9.]+/", "/", request) for request in _unsafe_requests(docker)}
    assert {"POST /volumes/prune", "POST /networks/prune"} <= sent, sent
    assert any(r.startswith("DELETE /volumes/") for r in sent), sent
    assert any(r.endswith("/connect") for r in sent) and any(r.endswith("/disconnect") for r in sent), sent
