"""The log screen against a fake engine: streaming, scroll lock, options, hostile lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
from textual.app import App

from dtui.engine.backoff import Backoff
from dtui.engine.client import EngineClient
from dtui.engine.models import ContainerSummary
from dtui.engine.log_follow import RESUME_TAIL
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.view import LogView
from tests.fakes import ChunkStream, FakeEngine, VanishingStream, container_json, frame
from tests.support.wait import wait_until

CONTAINER = ContainerSummary.from_api(container_json(name="web"))
STAMP = "2026-11-28T01:00:{:02d}.{:09d}Z "


def stamped(second: int, text: str, nanos: int = 0) -> bytes:
    """A log line as the engine sends it with ``timestamps=1``."""
    return (STAMP.format(second, nanos) + text + "\n").encode()


def inspect_json(tty: bool = False, running: bool = True, exit_code: int = 0) -> dict[str, Any]:
    return {
        "Id": CONTAINER.id,
        "Name": "/web",
        "Config": {"Tty": tty},
        "State": {"Running": running, "ExitCode": exit_code, "Status": "running" if running else "exited"},
    }


def fake_engine(chunks: Iterable[bytes], *, tty: bool = False, hang: bool = True) -> FakeEngine:
    engine = FakeEngine()
    engine.route("GET", "/containers/.*/json", json=inspect_json(tty=tty))
    engine.route("GET", "/containers/.*/logs", chunks=list(chunks), hang=hang)
    return engine


class LogApp(App[None]):
    """A bare app holding a client, pushing the log screen (no DtuiApp machinery)."""

    def __init__(self, client: EngineClient, max_lines: int = 100_000) -> None:
        super().__init__()
        self.client = client
        self.max_lines = max_lines

    def on_mount(self) -> None:
        self.push_screen(LogScreen(CONTAINER, max_lines=self.max_lines))


async def settle(pilot: Any, app: App[None], lines: int) -> LogView:
    """Wait until the view holds ``lines`` lines (or give up after ~3 s)."""
    view = app.screen.query_one(LogView)
    for _ in range(150):
        await pilot.pause(0.02)
        if view.line_count >= lines:
            break
    return view


def texts(view: LogView) -> list[str]:
    return [entry.text for entry in view.entries]


def screen_rows(view: LogView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


async def test_lines_appear_with_stderr_marked() -> None:
    engine = fake_engine([frame(1, stamped(1, "hello")), frame(2, stamped(2, "boom"))])
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 2)
        assert texts(view) == ["hello", "boom"]
        rows = screen_rows(view)
        assert rows[0].rstrip() == "  hello"
        assert rows[1].rstrip() == "E boom"
        request = engine.requests[-1]
        assert request.url.params["timestamps"] == "1"
        assert request.url.params["follow"] == "1"
        assert request.url.params["tail"] == "1000"


async def test_ring_keeps_only_the_newest_lines() -> None:
    chunks = [frame(1, stamped(1, f"line {n}", n)) for n in range(250)]
    app = LogApp(fake_engine(chunks).client(), max_lines=100)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 100)
        await pilot.pause(0.1)
        assert view.line_count == 100
        assert texts(view)[0] == "line 150"
        assert texts(view)[-1] == "line 249"


class QueueStream(httpx.AsyncByteStream):
    """A response body the test feeds chunk by chunk; None ends it."""

    def __init__(self) -> None:
        import asyncio

        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def __aiter__(self):  # type: ignore[override]
        while (chunk := await self.queue.get()) is not None:
            yield chunk


def queue_engine() -> tuple[FakeEngine, list[QueueStream]]:
    engine = FakeEngine()
    engine.route("GET", "/containers/.*/json", json=inspect_json())
    streams: list[QueueStream] = []

    def handler(request: httpx.Request) -> httpx.Response:
        streams.append(QueueStream())
        return httpx.Response(200, stream=streams[-1])

    engine.route("GET", "/containers/.*/logs", handler=handler)
    return engine, streams


def feed(stream: QueueStream, start: int, stop: int) -> None:
    for n in range(start, stop):
        stream.queue.put_nowait(frame(1, stamped(1, f"line {n}", n)))


async def test_scroll_lock_counts_new_lines_and_G_returns_to_live() -> None:
    engine, streams = queue_engine()
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 0)
        await wait_until(pilot, lambda: streams, what="the log stream opened")
        feed(streams[0], 0, 200)
        await settle(pilot, app, 200)
        marker = app.screen.query_one("#logs-marker")
        assert "live" in str(marker.render())
        await pilot.press("pageup")
        await pilot.pause()
        assert not view.live
        frozen = screen_rows(view)
        feed(streams[0], 200, 242)
        await settle(pilot, app, 242)
        await pilot.pause(0.1)
        assert view.new_lines == 42
        assert "+42 new lines" in str(marker.render())
        assert screen_rows(view) == frozen
        await pilot.press("G")
        await pilot.pause()
        assert view.live and view.new_lines == 0
        assert screen_rows(view)[-1].rstrip() == "  line 241"
        assert "live" in str(marker.render())


async def test_hostile_lines_through_the_stream() -> None:
    payloads = [b"\x1b]0;PWNED\x07after-osc", b"[@click=app.quit]x[/]", b"[/]", b"\x1b[2J\x1b[31mred"]
    engine = fake_engine([frame(1, stamped(1, p.decode())) for p in payloads])
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 4)
        rows = [row.rstrip() for row in screen_rows(view)[:4]]
        assert rows == ["  after-osc", "  [@click=app.quit]x[/]", "  [/]", "  red"]
        await pilot.click("#logs-view", offset=(5, 1))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, LogScreen)


async def test_40000_byte_line_cut_into_frames_is_one_line() -> None:
    line = stamped(1, "z" * 40_000)
    head = len(STAMP.format(1, 0))
    cuts = [line[: head + 16384], STAMP.format(1, 0).encode() + line[head + 16384 : head + 32768]]
    cuts.append(STAMP.format(1, 0).encode() + line[head + 32768 :])
    engine = fake_engine([frame(1, cut) for cut in cuts] + [frame(1, stamped(2, "after"))])
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 2)
        assert [len(text) for text in texts(view)] == [40_000, 5]
        await pilot.press("w")
        await pilot.pause()
        assert view.wrap
        assert screen_rows(view)[-1].rstrip() == "  after"


async def test_tty_container_has_no_gutter_and_one_stream() -> None:
    body = b"2026-11-28T01:00:01.000000000Z tty line\r\n2026-11-28T01:00:02.000000000Z 50%\r100%\r\n"
    engine = fake_engine([body], tty=True)
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 2)
        assert texts(view) == ["tty line", "100%"]
        assert not view.show_gutter
        assert screen_rows(view)[0].rstrip() == "tty line"
        requests = len(engine.paths())
        await pilot.press("o")
        await pilot.pause()
        assert len(engine.paths()) == requests  # nothing to choose: no refetch
        params = engine.requests[-1].url.params
        assert params["stdout"] == "1" and params["stderr"] == "1"


async def test_stream_option_refetches_and_clears() -> None:
    engine = fake_engine([frame(1, stamped(1, "out")), frame(2, stamped(2, "err"))])
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 2)
        engine.route("GET", "/containers/.*/logs", chunks=[frame(1, stamped(1, "out"))], hang=True)
        await pilot.press("o")
        view = await settle(pilot, app, 1)
        await pilot.pause(0.1)
        assert texts(view) == ["out"]
        params = engine.requests[-1].url.params
        assert (params["stdout"], params["stderr"]) == ("1", "0")
        assert "stdout" in str(app.screen.query_one("#logs-status").render())


async def test_prompts_escape_closes_prompt_before_screen() -> None:
    engine = fake_engine([frame(1, stamped(1, "a"))])
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, 1)
        screen = app.screen
        await pilot.press("t")
        await pilot.pause()
        prompt = screen.query_one("#logs-prompt")
        assert prompt.display and prompt.value == "1000"
        await pilot.press("escape")
        await pilot.pause()
        assert not prompt.display and app.screen is screen
        await pilot.press("t", "ctrl+u", *"all", "enter")
        await pilot.pause(0.2)
        assert engine.requests[-1].url.params["tail"] == "all"
        await pilot.press("S", "ctrl+u", *"bogus", "enter")
        await pilot.pause()
        assert prompt.display  # invalid: stays open
        await pilot.press("ctrl+u", *"10m", "enter")
        await pilot.pause(0.2)
        assert not prompt.display
        since = float(engine.requests[-1].url.params["since"])
        import time

        assert abs(time.time() - 600 - since) < 30
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        assert not [w for w in app.workers if w.group == "logs" and not w.is_finished]


def sequence_engine(log_bodies: list[list[bytes]], states: list[dict[str, Any]]) -> FakeEngine:
    """Each logs request gets the next body (the last one hangs); each inspect the next state."""
    engine = FakeEngine()
    calls = {"logs": 0, "inspect": 0}

    def logs(request: httpx.Request) -> httpx.Response:
        index = min(calls["logs"], len(log_bodies) - 1)
        calls["logs"] += 1
        last = index == len(log_bodies) - 1
        return httpx.Response(200, stream=ChunkStream(log_bodies[index], hang_after=last))

    def inspect(request: httpx.Request) -> httpx.Response:
        index = min(calls["inspect"], len(states) - 1)
        calls["inspect"] += 1
        return httpx.Response(200, json=states[index])

    engine.route("GET", "/containers/.*/logs", handler=logs)
    engine.route("GET", "/containers/.*/json", handler=inspect)
    return engine


async def test_restart_while_following_resumes_without_duplicates(monkeypatch: Any) -> None:
    monkeypatch.setattr("dtui.engine.log_follow.RESTART_POLL", 0.01)
    first = [frame(1, stamped(1, "one")), frame(1, stamped(2, "two")), frame(1, stamped(3, "three", 5))]
    # The engine's since includes the line stamped exactly then: "three" comes again.
    second = [frame(1, stamped(3, "three", 5)), frame(1, stamped(3, "three-bis", 5)), frame(1, stamped(9, "four"))]
    states = [inspect_json(), inspect_json(running=False, exit_code=137), inspect_json(running=False, exit_code=137)]
    engine = sequence_engine([first, second], [*states, inspect_json()])
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 7)
        assert texts(view) == [
            "one",
            "two",
            "three",
            "stream ended (container stopped, exit code 137): waiting for it to start again",
            "container running: stream resumed",
            "three-bis",
            "four",
        ]
        assert [entry.kind for entry in view.entries][3:5] == ["notice", "notice"]
        resumed = [r for r in engine.requests if r.url.path.endswith("/logs")][1].url.params
        # since + a bounded tail: tail=all would make the engine read the whole log file first
        assert resumed["tail"] == str(RESUME_TAIL)
        assert 1_795_827_602 < float(resumed["since"]) <= 1_795_827_603.000001
        assert app.screen.state == "following"


async def test_removed_container_leaves_the_view_readable() -> None:
    engine = fake_engine([frame(1, stamped(1, "last words"))], hang=False)
    inspected: list[int] = []

    def inspect(request: httpx.Request) -> httpx.Response:
        inspected.append(1)
        if len(inspected) == 1:
            return httpx.Response(200, json=inspect_json())
        return httpx.Response(404, json={"message": "No such container: web"})

    engine.route("GET", "/containers/.*/json", handler=inspect)
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 2)
        assert texts(view) == ["last words", "the container was removed; the lines above stay readable"]
        assert app.screen.state == "removed"
        assert app.is_running


async def test_follow_off_stops_and_on_resumes_after_the_last_line() -> None:
    engine = fake_engine([frame(1, stamped(1, "a")), frame(1, stamped(2, "b"))])
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 2)
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.options.follow is False
        assert texts(view)[:2] == ["a", "b"]
        await pilot.press("f")
        await pilot.pause(0.3)
        # the fake replays a and b: both are dropped as already seen
        assert texts(view) == ["a", "b", "follow off: stream stopped (f to follow again)"]
        params = engine.requests[-1].url.params
        assert params["follow"] == "1" and params["tail"] == str(RESUME_TAIL) and "since" in params


async def test_engine_error_is_shown_not_raised() -> None:
    engine = FakeEngine()
    engine.route("GET", "/containers/.*/json", json=inspect_json())
    engine.route("GET", "/containers/.*/logs", status=500, json={"message": "[/]boom \x1b]0;x\x07"})
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 1)
        assert texts(view) == ["stream failed: [/]boom "]
        assert app.screen.state == "failed"
        assert app.is_running


async def test_engine_restart_while_following_retries_and_resumes_without_duplicates(monkeypatch: Any) -> None:
    monkeypatch.setattr("dtui.engine.log_follow.Backoff", lambda: Backoff(first=0.01, cap=0.05))
    first = [frame(1, stamped(1, "one")), frame(1, stamped(2, "two"))]
    second = [frame(1, stamped(2, "two")), frame(1, stamped(3, "three"))]
    engine = FakeEngine()
    calls = {"logs": 0, "inspect": 0}

    def logs(request: httpx.Request) -> httpx.Response:
        calls["logs"] += 1
        if calls["logs"] == 1:
            return httpx.Response(200, stream=VanishingStream(*first))
        return httpx.Response(200, stream=ChunkStream(second, hang_after=True))

    def inspect(request: httpx.Request) -> httpx.Response:
        calls["inspect"] += 1
        if calls["inspect"] in {2, 3}:  # the daemon is down for two tries
            raise httpx.ConnectError("No such file or directory")
        return httpx.Response(200, json=inspect_json())

    engine.route("GET", "/containers/.*/logs", handler=logs)
    engine.route("GET", "/containers/.*/json", handler=inspect)
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 5)
        assert texts(view) == ["one", "two", "engine unreachable: retrying", "engine back: stream resumed", "three"]
        assert calls["inspect"] == 4
        resumed = [r for r in engine.requests if r.url.path.endswith("/logs")][1].url.params
        assert resumed["tail"] == str(RESUME_TAIL) and "since" in resumed
        assert app.screen.state == "following"


async def test_disconnected_state_names_the_retry_delay(monkeypatch: Any) -> None:
    monkeypatch.setattr("dtui.engine.log_follow.Backoff", lambda: Backoff(first=30.0, cap=30.0))
    engine = FakeEngine()

    def inspect(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused")

    engine.route("GET", "/containers/.*/json", handler=inspect)
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 1)
        await pilot.pause(0.05)
        assert texts(view) == ["engine unreachable: retrying"]
        assert app.screen.state == "disconnected - retrying in 30s"
        assert app.is_running
