"""Faults never crash the app: each one leaves it running with a clear message (issue 13)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from textual.pilot import Pilot

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from dtui.ui.logs.screen import LogScreen
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.logs.view import LogView
from dtui.ui.widgets.status_bar import StatusBar
from tests.fakes import VanishingStream, frame
from tests.ui.table_support import HOST, FakeDocker
from tests.support.wait import wait_until

SIZE = (80, 24)


class HangingRoute(httpx.AsyncBaseTransport):
    """Sends requests matching ``path_suffix`` to a real server that never answers.

    The rest goes to the fake. A real transport is needed: MockTransport ignores timeouts.
    """

    def __init__(self, fake: httpx.AsyncBaseTransport, port: int, path_suffix: str) -> None:
        self._fake = fake
        self._real = httpx.AsyncHTTPTransport()
        self._port = port
        self._suffix = path_suffix

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith(self._suffix):
            return await self._fake.handle_async_request(request)
        url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
        forwarded = httpx.Request(
            request.method, url, headers=request.headers, content=request.content, extensions=request.extensions
        )
        return await self._real.handle_async_request(forwarded)

    async def aclose(self) -> None:
        await self._real.aclose()


def _one(name: str = "web") -> tuple[FakeDocker, str]:
    docker = FakeDocker()
    container_id: str = docker.add(name)["Id"]
    return docker, container_id


def _messages(app: DtuiApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def _settle(pilot: Pilot[Any], seconds: float = 0.3) -> None:
    await pilot.pause(seconds)


async def _wait_for_message(pilot: Pilot[Any], app: DtuiApp, text: str, seconds: float = 5.0) -> str:
    def found() -> list[str]:
        return [message for message in _messages(app) if text in message]

    await wait_until(pilot, found, timeout=seconds, what=f"a message with {text!r}")
    return found()[0]


async def _still_usable(pilot: Pilot[Any], app: DtuiApp) -> None:
    """The app runs, shows the main screen and still answers keys."""
    assert app.is_running
    assert isinstance(app.screen, MainScreen)
    status = app.screen.query_one(StatusBar)
    shown_all = status.show_all
    await pilot.press("a")
    await _settle(pilot)
    assert status.show_all is not shown_all


async def test_engine_going_away_shows_disconnected_retrying_then_recovers() -> None:
    docker, _ = _one()
    refusing = {"on": False}
    inner = docker.engine.transport()

    async def handle(request: httpx.Request) -> httpx.Response:
        if refusing["on"]:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return await inner.handle_async_request(request)

    transport = httpx.MockTransport(handle)
    app = DtuiApp(endpoint=parse_host(HOST), client=EngineClient(parse_host(HOST), transport=transport))
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        status = app.screen.query_one(StatusBar)
        assert status.connected
        refusing["on"] = True
        docker.end_events()
        await _wait_for_message(pilot, app, "connection refused")
        assert not status.connected
        assert "disconnected - retrying" in status.render().plain
        assert app.is_running and isinstance(app.screen, MainScreen)
        refusing["on"] = False  # the engine is back: dtui re-subscribes and re-lists by itself
        for _ in range(200):
            if status.connected:
                break
            await pilot.pause(0.05)
        assert status.connected


async def test_events_socket_vanishing_mid_stream_is_reported() -> None:
    docker, container_id = _one()
    event = (
        b'{"Type":"container","Action":"start","Actor":{"ID":"' + container_id.encode()
        + b'","Attributes":{}},"time":1,"timeNano":1}\n'
    )
    docker.engine.route("GET", "/events", handler=lambda request: httpx.Response(200, stream=VanishingStream(event)))
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        message = await _wait_for_message(pilot, app, "watching container events")
        assert "Connection reset by peer" in message
        assert not app.screen.query_one(StatusBar).connected
        await _still_usable(pilot, app)


async def test_500_text_plain_on_an_action_shows_the_daemon_text() -> None:
    docker, _ = _one()
    docker.engine.route("POST", "/containers/[^/]+/restart", status=500, text="driver failed: device busy")
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("r", "enter")
        message = await _wait_for_message(pilot, app, "driver failed: device busy")
        assert "web: restart:" in message
        await _still_usable(pilot, app)


async def test_container_removed_before_the_action_names_it() -> None:
    docker, container_id = _one("gone-soon")
    docker.engine.route(
        "POST", "/containers/[^/]+/start", status=404, json={"message": f"No such container: {container_id}"}
    )
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        del docker.containers[container_id]  # removed behind dtui's back
        await pilot.press("s")
        message = await _wait_for_message(pilot, app, "No such container")
        assert "gone-soon" in message and container_id in message
        await _still_usable(pilot, app)


async def test_request_hanging_past_its_timeout_is_reported() -> None:
    server = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    docker, _ = _one()
    transport = HangingRoute(docker.engine.transport(), port, "/start")
    client = EngineClient(parse_host(HOST), transport=transport, timeout=0.5)
    app = DtuiApp(endpoint=parse_host(HOST), client=client)
    async with server:
        async with app.run_test(size=SIZE) as pilot:
            await _settle(pilot)
            await pilot.press("s")
            await _settle(pilot, 0.2)
            assert _messages(app) == []  # still waiting
            message = await _wait_for_message(pilot, app, "timed out")
            assert "web: start:" in message
            await _still_usable(pilot, app)
        await transport.aclose()


async def test_log_socket_vanishing_mid_stream_keeps_lines_and_retries() -> None:
    docker, container_id = _one()
    docker.engine.route("GET", "/containers/[^/]+/json", json={
        "Id": container_id, "Name": "/web", "Config": {"Tty": False},
        "State": {"Running": True, "ExitCode": 0, "Status": "running"},
    })
    body = frame(1, b"2026-11-28T01:00:01.000000000Z first line\n")
    docker.engine.route("GET", "/containers/[^/]+/logs", handler=lambda request: httpx.Response(
        200, headers={"Content-Type": "application/vnd.docker.multiplexed-stream"}, stream=VanishingStream(body)))
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("l")
        screen = app.screen
        assert isinstance(screen, LogScreen)
        view = screen.query_one(LogView)
        for _ in range(150):
            await pilot.pause(0.02)
            if any(entry.text == "engine unreachable: retrying" for entry in view.entries):
                break
        lines = [entry.text for entry in view.entries]
        assert lines[:2] == ["first line", "engine unreachable: retrying"], lines
        assert screen.state.startswith("disconnected - retrying in") or screen.state == "following"
        await pilot.press("escape")
        await _settle(pilot)
        await _still_usable(pilot, app)
