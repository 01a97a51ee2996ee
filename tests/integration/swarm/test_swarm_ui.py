"""The swarm views against the private single-node swarm (and a non-swarm engine).

One Pilot test walks the whole life of a service from the views (create from the form, see
2/2, its logs from both tasks, a stale version retried, drain and activate the node, remove),
one pty test drives the real ``dtui`` scaling 2 -> 3 -> 4 -> 1, and one test opens the views on
the shared engine, which is in no swarm.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.engine.errors import NotFound
from dtui.engine.swarm_models import NewService, Service
from dtui.ui.app import DtuiApp
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.view import LogView, plain_of
from dtui.ui.screens.modals import ConfirmScreen
from dtui.ui.views.swarm.forms import ServiceCreateScreen
from dtui.ui.views.swarm.logs import task_label
from dtui.ui.views.swarm.nodes import NodesScreen
from dtui.ui.views.swarm.services import ServicesScreen
from tests.integration.swarm.conftest import SERVICE_PREFIX
from tests.support.engine import TEST_IMAGE
from tests.support.pty_run import PtyProcess

SIZE = (140, 36)
HINT = "Podman has no swarm" if os.environ.get("DTUI_TEST_ENGINE") == "podman" else "docker swarm init"
"""What the views say on the shared engine, which is in no swarm (Podman: has none)."""
HELLO = "echo hello from $HOSTNAME; exec sleep 3600"


async def _until(pilot: Pilot[Any], condition: Callable[[], Any], timeout: float = 60.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached in {timeout} s: {what}")
        await pilot.pause(0.2)


def _service_row(app: DtuiApp, host: str, name: str) -> tuple[str, Service] | None:
    screen = app.screen
    if not isinstance(screen, ServicesScreen):
        return None
    for key, service in screen.table.objects.items():
        if service.name == name:
            return key, service
    return None


def _counts(app: DtuiApp, host: str, name: str) -> tuple[int, int] | None:
    found = _service_row(app, host, name)
    return None if found is None else (found[1].running, found[1].desired)


def _errors(app: DtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def _create_from_the_form(pilot: Pilot[Any], app: DtuiApp, name: str) -> None:
    await pilot.press("c")
    form = await _until(pilot, lambda: isinstance(app.screen, ServiceCreateScreen) and app.screen, 10, "the form")
    for field, value in (("image", TEST_IMAGE), ("name", name), ("command", f"sh -c '{HELLO}'"), ("replicas", "2")):
        form.query_one(f"#{field}", Input).value = value
    await pilot.press("ctrl+s")
    await _until(pilot, lambda: isinstance(app.screen, ServicesScreen), 30, "the form to close")


async def _check_logs(pilot: Pilot[Any], app: DtuiApp, name: str) -> None:
    await pilot.press("l")
    view = await _until(pilot, lambda: isinstance(app.screen, LogScreen) and app.screen.query_one(LogView), 10)
    labels = lambda: {plain_of(e.text).split(" ", 1)[0] for e in view.entries if e.kind != "notice"}  # noqa: E731
    await _until(pilot, lambda: labels() >= {task_label(f"{name}.1"), task_label(f"{name}.2")}, 30,
                 f"lines of both tasks: {[plain_of(e.text) for e in view.entries][:6]} {app.screen.state}")
    assert all(" hello from " in plain_of(e.text) for e in view.entries if e.kind != "notice")
    await pilot.press("escape")
    await _until(pilot, lambda: isinstance(app.screen, ServicesScreen), 5)


async def _stale_scale(pilot: Pilot[Any], app: DtuiApp, client: EngineClient, swarm_host: str, name: str) -> None:
    """Scale a service object the view holds after someone else bumped its version."""
    key, stale = _service_row(app, swarm_host, name) or ("", None)
    assert stale is not None
    await client.swarm.force_update(stale.id)  # the engine's version moves past the one the view read
    screen = app.screen
    assert isinstance(screen, ServicesScreen)
    screen._scale([(key, stale)], lambda service: 3, step=None)  # what `=` 3 Enter runs
    await _until(pilot, lambda: _counts(app, swarm_host, name) == (3, 3), 90, "3/3 after the retried scale")
    assert _errors(app) == []
    fresh = await client.swarm.service(stale.id)
    assert fresh.force_update == stale.force_update + 1, "the retry kept the other change"


async def _drain_and_activate(pilot: Pilot[Any], app: DtuiApp, client: EngineClient, swarm_host: str,
                              name: str) -> None:
    await pilot.press("N")
    screen = await _until(pilot, lambda: isinstance(app.screen, NodesScreen) and app.screen.table.objects
                          and app.screen, 20, "the node")
    (node,) = screen.table.objects.values()
    assert (node.role, node.availability, node.state, node.manager_status) == ("manager", "active", "ready", "leader")
    await pilot.press("d")
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    await _until(pilot, lambda: [n.availability for n in screen.table.objects.values()] == ["drain"], 30, "drained")
    service = next(s for s in await client.swarm.services() if s.name == name)
    deadline = time.monotonic() + 60
    while service.running and time.monotonic() < deadline:
        await pilot.pause(0.3)
        service = await client.swarm.service(service.id)
    assert service.running == 0, "a drained node runs no task"
    await pilot.press("a")
    await _until(pilot, lambda: [n.availability for n in screen.table.objects.values()] == ["active"], 30, "active")
    await pilot.press("escape")
    await _until(pilot, lambda: _counts(app, swarm_host, name) == (3, 3), 90, "3/3 back on the active node")


async def test_a_service_from_create_to_remove_in_the_views(swarm_host: str, swarm_engine: EngineClient) -> None:
    name = f"{SERVICE_PREFIX}views"
    app = DtuiApp(endpoint=parse_host(swarm_host))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.3)
            await pilot.press("W")
            await _until(pilot, lambda: isinstance(app.screen, ServicesScreen), 10)
            await _create_from_the_form(pilot, app, name)
            await _until(pilot, lambda: _counts(app, swarm_host, name) == (2, 2), 90, "2/2 running")
            key, service = _service_row(app, swarm_host, name) or ("", None)
            assert service is not None and service.mode_text == "replicated 2" and service.image_name == TEST_IMAGE
            table = app.screen.query_one("#services")
            table.move_cursor(row=table.get_row_index(key))  # type: ignore[attr-defined]
            await _check_logs(pilot, app, name)
            await _stale_scale(pilot, app, swarm_engine, swarm_host, name)
            await _drain_and_activate(pilot, app, swarm_engine, swarm_host, name)
            await pilot.press("D")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await _until(pilot, lambda: _service_row(app, swarm_host, name) is None, 30, "the row to go")
            with pytest.raises(NotFound):
                await swarm_engine.swarm.service(service.id)
            assert _errors(app) == []
    finally:
        await swarm_engine.swarm.set_node_availability((await swarm_engine.swarm.state()).node_id, "active")


async def test_scaling_from_the_real_dtui_in_a_terminal(swarm_host: str, swarm_engine: EngineClient) -> None:
    """``dtui -H swarm``, W, then + + and = 1: the Tasks column follows 2/2, 3/3, 4/4, 1/1."""
    name = f"{SERVICE_PREFIX}pty"
    created = await swarm_engine.swarm.create_service(
        NewService(image=TEST_IMAGE, name=name, cmd=("sleep", "3600"), replicas=2)
    )
    env = {"XDG_CONFIG_HOME": "/nonexistent", "XDG_STATE_HOME": "/nonexistent"}
    terminal = PtyProcess([sys.executable, "-m", "dtui", "-H", swarm_host], columns=140, rows=30, env=env)
    try:
        terminal.wait_for(b"Help", timeout=30)
        terminal.send("W", pause=1.0)
        terminal.send("/", pause=0.3)
        terminal.send(name + "\r", pause=0.5)  # only our service: the cursor is on it
        at = terminal.wait_for(b"2/2", timeout=60)
        terminal.send("+")
        at = terminal.wait_for(b"3/3", timeout=60, start=at)
        terminal.send("+")
        at = terminal.wait_for(b"4/4", timeout=60, start=at)
        terminal.send("=", pause=0.3)
        terminal.wait_for(b"Replicas:", timeout=15, start=at)
        time.sleep(0.5)
        for key in ("\x7f", "\x7f", "1", "\r"):
            terminal.send(key, pause=0.3)
        terminal.wait_for(b"1/1", timeout=60, start=at)
        terminal.send("q", pause=0.5)
    finally:
        terminal.close()
        await swarm_engine.swarm.remove_service(created.id)
    service_gone = [s for s in await swarm_engine.swarm.services() if s.id == created.id]
    assert service_gone == []


async def test_the_views_on_an_engine_outside_a_swarm_say_how_to_init_one(engine_host: str) -> None:
    app = DtuiApp(endpoint=parse_host(engine_host))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("W")
        notice = lambda: str(app.screen.query_one("#swarm-notice", Static).render())  # noqa: E731
        await _until(pilot, lambda: isinstance(app.screen, ServicesScreen) and HINT in notice(), 15)
        assert not app.screen.table.objects
        await pilot.press("N")
        await _until(pilot, lambda: isinstance(app.screen, NodesScreen) and HINT in notice(), 15)
        assert _errors(app) == []
