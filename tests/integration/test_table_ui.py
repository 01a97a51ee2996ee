"""The container table screen driven by keys against the real engine.

Each test scopes the table to its own containers with an engine filter on a per-test label,
since other engineers' containers share the development daemon.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.screens.modals import RemoveScreen, RenamePrompt
from dtui.ui.views.containers.table import ContainerTable
from dtui.ui.widgets.status_bar import StatusBar
from tests.support import engine as support
from tests.support.wait import wait_until

SIZE = (80, 24)
# Stops on TERM at once (busybox sleep as PID 1 would wait the whole grace period).
QUICK_STOP = ["sh", "-c", "trap 'exit 0' TERM; trap 'exit 42' USR1; sleep 600 & wait; sleep 600 & wait"]


class Scope:
    """One test's containers: a unique label, and an app showing only them."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.tag = uuid.uuid4().hex[:8]

    def run(self, name: str, cmd: list[str] | None = None, **kwargs: Any) -> str:
        return support.run_container(
            self.host, cmd or QUICK_STOP, name=f"t4-{self.tag}-{name}", labels={"dtui.t4": self.tag}, **kwargs
        )

    def name(self, short: str) -> str:
        return f"t4-{self.tag}-{short}"

    def app(self, **kwargs: Any) -> DtuiApp:
        filters = f"label={support.TEST_LABEL}={support.SESSION_ID} label=dtui.t4={self.tag}"
        return DtuiApp(endpoint=parse_host(self.host), filters=filters, show_all=True, stop_timeout=2, **kwargs)

    def inspect(self, container_id: str) -> dict[str, Any]:
        with support.sync_client(self.host) as client:
            return client.get(f"/containers/{container_id}/json").json()


@pytest.fixture
def scope(engine_host: str) -> Iterator[Scope]:
    made = Scope(engine_host)
    yield made
    with support.sync_client(engine_host) as client:
        listed = client.get("/containers/json", params={"all": "1", "filters": f'{{"label":["dtui.t4={made.tag}"]}}'})
        for item in listed.json():
            client.delete(f"/containers/{item['Id']}", params={"force": "1", "v": "1"})


def _table(app: DtuiApp) -> ContainerTable:
    return app.screen.query_one(ContainerTable)


def _by_name(app: DtuiApp) -> dict[str, str]:
    """name -> state of every row shown."""
    table = _table(app)
    rows = (table.container(key) for key in table.visible_keys())
    return {c.name: c.state for c in rows if c is not None}


def _notes(app: DtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _cursor_to(pilot: Pilot[int], app: DtuiApp, name: str) -> None:
    table = _table(app)
    index = [table.container(k).name for k in table.visible_keys()].index(name)  # type: ignore[union-attr]
    table.move_cursor(row=index)
    await pilot.pause()


async def test_stop_start_restart_from_keys(scope: Scope) -> None:
    container = scope.run("web")
    app = scope.app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: _by_name(app).get(scope.name("web")) == "running")
        await pilot.press("x", "y")
        await wait_until(pilot, lambda: _by_name(app)[scope.name("web")] == "exited")
        await pilot.press("s")
        await wait_until(pilot, lambda: _by_name(app)[scope.name("web")] == "running")
        started = scope.inspect(container)["State"]["StartedAt"]
        await pilot.press("r", "enter")
        await wait_until(pilot, lambda: scope.inspect(container)["State"]["StartedAt"] != started)
        await wait_until(pilot, lambda: _by_name(app)[scope.name("web")] == "running")
        await pilot.press("s")  # already running: the daemon's 304 is informational
        await wait_until(pilot, lambda: any("start" in n for n in _notes(app)))
        assert isinstance(app.screen, MainScreen)


async def test_pause_unpause_and_kill_with_signals(scope: Scope) -> None:
    container = scope.run("job")
    app = scope.app()
    name = scope.name("job")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: _by_name(app).get(name) == "running")
        await pilot.press("p")
        await wait_until(pilot, lambda: _by_name(app)[name] == "paused")
        await pilot.press("p")
        await wait_until(pilot, lambda: _by_name(app)[name] == "running")
        await pilot.press("K", "tab", *"usr1", "enter")  # typed signal
        await wait_until(pilot, lambda: _by_name(app)[name] == "exited")
        assert scope.inspect(container)["State"]["ExitCode"] == 42
        await pilot.press("K", "down", "enter")  # KILL on a stopped container
        said = "can only kill running containers" if support.on_podman() else "is not running"
        await wait_until(pilot, lambda: any(said in n for n in _notes(app)))
        await pilot.press("s")  # the app stays usable
        await wait_until(pilot, lambda: _by_name(app)[name] == "running")
        await pilot.press("K", "down", "enter")  # picked KILL
        await wait_until(pilot, lambda: _by_name(app)[name] == "exited")
        assert scope.inspect(container)["State"]["ExitCode"] == 137


async def test_rename_bad_name_conflict_and_success(scope: Scope) -> None:
    scope.run("old")
    scope.run("taken")
    app = scope.app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_by_name(app)) == 2)
        await _cursor_to(pilot, app, scope.name("old"))
        await pilot.press("n", "ctrl+a", "ctrl+k", *"x!", "enter")
        assert isinstance(app.screen, RenamePrompt)  # refused inline, nothing sent
        await pilot.press("ctrl+a", "ctrl+k", *scope.name("taken"), "enter")
        await wait_until(pilot, lambda: any("already in use" in n for n in _notes(app)))
        await pilot.press("n", "ctrl+a", "ctrl+k", *scope.name("new"), "enter")
        await wait_until(pilot, lambda: scope.name("new") in _by_name(app))
        assert scope.name("old") not in _by_name(app)


async def test_remove_with_confirm_and_bulk_stop_of_marked(scope: Scope) -> None:
    for index in range(4):
        scope.run(f"m{index}")
    app = scope.app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_by_name(app)) == 4)
        await pilot.press("space", "space", "space")  # m0, m1, m2
        assert app.screen.query_one(StatusBar).marked == 3
        await pilot.press("x", "y")
        expected = {scope.name("m0"): "exited", scope.name("m1"): "exited", scope.name("m2"): "exited",
                    scope.name("m3"): "running"}
        await wait_until(pilot, lambda: _by_name(app) == expected)
        assert sum("stop done" in n for n in _notes(app)) == 3
        await pilot.press("escape")  # clear the marks
        await _cursor_to(pilot, app, scope.name("m3"))
        await pilot.press("D")
        assert isinstance(app.screen, RemoveScreen) and app.screen.force  # running: force preselected
        await pilot.press("y")
        await wait_until(pilot, lambda: scope.name("m3") not in _by_name(app))


async def test_container_created_between_subscribing_and_listing_appears(
    scope: Scope, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope.run("early")
    app = scope.app()
    original = app.client.containers.list
    first_listing: list[str] = []

    async def list_then_create(**kwargs: Any) -> Any:
        listing = await original(**kwargs)
        if not first_listing:
            first_listing.extend(c.name for c in listing)
            await asyncio.to_thread(scope.run, "late")  # after the engine answered the listing
        return listing

    monkeypatch.setattr(app.client.containers, "list", list_then_create)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: scope.name("late") in _by_name(app), timeout=5)
        assert first_listing == [scope.name("early")]


async def test_outside_changes_show_within_a_second(scope: Scope) -> None:
    app = scope.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        began = time.monotonic()
        container = await asyncio.to_thread(scope.run, "outside")
        await wait_until(pilot, lambda: _by_name(app).get(scope.name("outside")) == "running", timeout=1.0)
        with support.sync_client(scope.host) as client:
            client.post(f"/containers/{container}/stop", params={"t": "2"}).raise_for_status()
            await wait_until(pilot, lambda: _by_name(app)[scope.name("outside")] == "exited", timeout=1.0)
            client.delete(f"/containers/{container}", params={"force": "1"}).raise_for_status()
            await wait_until(pilot, lambda: scope.name("outside") not in _by_name(app), timeout=1.0)
        assert time.monotonic() - began < 10


async def test_unknown_engine_filter_shows_daemon_reason(scope: Scope) -> None:
    scope.run("one")
    app = scope.app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_by_name(app)) == 1)
        await pilot.press("f", "end", *" bogus=1", "enter")
        said = "bogus is an invalid filter" if support.on_podman() else "Invalid filter 'bogus'"
        await wait_until(pilot, lambda: any(said in n for n in _notes(app)))
        assert "bogus" not in app.screen.query_one(StatusBar).engine_filter
        await pilot.press("f", "end", *" status=exited", "enter")
        await wait_until(pilot, lambda: len(_by_name(app)) == 0)
