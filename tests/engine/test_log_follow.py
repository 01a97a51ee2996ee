"""LogFollower against a fake engine: tail apart, resume without duplicates, outages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from dtui.engine.backoff import Backoff
from dtui.engine.errors import EngineError, NotFound
from dtui.engine.log_follow import (
    EngineBack,
    EngineLost,
    LogFollower,
    LogsEnded,
    LogsOpened,
    LogsResumed,
    ResumeFilter,
    TailEnded,
)
from dtui.engine.streams import LogLine, parse_rfc3339
from tests.fakes import ChunkStream, FakeEngine, frame

STAMP = "2026-11-28T01:00:{:02d}.{:09d}Z "


def stamped(second: int, text: str, nanos: int = 0) -> bytes:
    return frame(1, (STAMP.format(second, nanos) + text + "\n").encode())


def state(running: bool = True, exit_code: int = 0) -> dict[str, Any]:
    return {
        "Id": "c" * 64,
        "Name": "/web",
        "Config": {"Tty": False},
        "State": {"Running": running, "ExitCode": exit_code, "Status": "running" if running else "exited"},
    }


class Script:
    """A fake engine answering logs and inspect requests from lists, in turn."""

    def __init__(self, bodies: list[list[bytes]], states: list[dict[str, Any] | Exception]) -> None:
        self.bodies = bodies
        self.states = states
        self.logs_params: list[httpx.QueryParams] = []
        self.inspects = 0
        self.engine = FakeEngine()
        self.engine.route("GET", "/containers/.*/logs", handler=self._logs)
        self.engine.route("GET", "/containers/.*/json", handler=self._inspect)

    def _logs(self, request: httpx.Request) -> httpx.Response:
        index = min(len(self.logs_params), len(self.bodies) - 1)
        self.logs_params.append(request.url.params)
        last = index == len(self.bodies) - 1
        return httpx.Response(200, stream=ChunkStream(self.bodies[index], hang_after=last))

    def _inspect(self, request: httpx.Request) -> httpx.Response:
        answer = self.states[min(self.inspects, len(self.states) - 1)]
        self.inspects += 1
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(200, json=answer)


async def collect(items: AsyncIterator[Any], count: int) -> list[Any]:
    """The first ``count`` items (the follower never ends by itself while following)."""
    got: list[Any] = []
    async for item in items:
        got.append(item)
        if len(got) == count:
            break
    return got


def describe(items: list[Any]) -> list[str]:
    names = {LogsOpened: "opened", TailEnded: "tail-ended", LogsEnded: "ended", LogsResumed: "resumed",
             EngineLost: "lost", EngineBack: "back"}
    return [item.text if isinstance(item, LogLine) else names[type(item)] for item in items]


async def test_tail_apart_reads_the_tail_then_follows_after_its_last_line() -> None:
    tail = [stamped(1, "one"), stamped(2, "two", 5)]
    live = [stamped(2, "two", 5), stamped(3, "three")]  # since includes the last line again
    script = Script([tail, live], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=100, tail_apart=True)
    items = await collect(follower.run(), 5)
    assert describe(items) == ["opened", "one", "two", "tail-ended", "three"]
    opening, following = script.logs_params
    assert opening["tail"] == "100" and "follow" not in opening and opening["timestamps"] == "1"
    assert following["follow"] == "1" and following["tail"] == "5000"  # with since: read backwards
    assert 1_795_827_601.999 < float(following["since"]) < 1_795_827_602


async def test_a_stopped_container_is_followed_again_when_it_restarts() -> None:
    first = [stamped(1, "one"), stamped(3, "three")]
    second = [stamped(3, "three"), stamped(4, "four")]
    script = Script([first, second], [state(), state(False, 137), state(False, 137), state()])
    follower = LogFollower(script.engine.client(), "web", tail=10, restart_poll=0.0)
    items = await collect(follower.run(), 6)
    assert describe(items) == ["opened", "one", "three", "ended", "resumed", "four"]
    ended = items[3]
    assert isinstance(ended, LogsEnded) and not ended.detail.running and ended.detail.exit_code == 137
    assert script.logs_params[1]["tail"] == "5000"


async def test_the_resume_tail_can_be_all() -> None:
    script = Script([[stamped(1, "one")], [stamped(1, "one"), stamped(2, "two")]], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=10, tail_apart=True, resume_tail="all")
    assert describe(await collect(follower.run(), 4)) == ["opened", "one", "tail-ended", "two"]
    assert script.logs_params[1]["tail"] == "all"


async def test_not_following_reads_once() -> None:
    script = Script([[stamped(1, "one")], []], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=10, follow=False, tail_apart=True)
    items = [item async for item in follower.run()]
    assert describe(items) == ["opened", "one", "tail-ended"]
    assert len(script.logs_params) == 1


async def test_tail_zero_with_nothing_seen_resumes_with_new_lines_only() -> None:
    script = Script([[], [stamped(5, "new")]], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=0, tail_apart=True)
    items = await collect(follower.run(), 3)
    assert describe(items) == ["opened", "tail-ended", "new"]
    assert script.logs_params[1]["tail"] == "0" and "since" not in script.logs_params[1]


async def test_a_removed_container_raises_not_found() -> None:
    engine = FakeEngine()
    engine.route("GET", "/containers/.*/json", status=404, json={"message": "No such container: web"})
    follower = LogFollower(engine.client(), "web", tail=10)
    with pytest.raises(NotFound):
        await collect(follower.run(), 10)


async def test_an_engine_refusal_raises() -> None:
    engine = FakeEngine()
    engine.route("GET", "/containers/.*/json", json=state())
    engine.route("GET", "/containers/.*/logs", status=500, json={"message": "boom"})
    follower = LogFollower(engine.client(), "web", tail=10)
    with pytest.raises(EngineError, match="boom"):
        await collect(follower.run(), 10)


async def test_an_unreachable_engine_is_retried_and_the_stream_resumes(monkeypatch: Any) -> None:
    monkeypatch.setattr("dtui.engine.log_follow.Backoff", lambda: Backoff(first=0.0, cap=0.0))
    down = httpx.ConnectError("Connection refused")
    first = [stamped(1, "one")]
    second = [stamped(1, "one"), stamped(2, "two")]
    script = Script([first, second], [down, down, state()])
    follower = LogFollower(script.engine.client(), "web", tail=10, tail_apart=True)
    items = await collect(follower.run(), 7)
    assert describe(items) == ["lost", "lost", "back", "opened", "one", "tail-ended", "two"]
    lost = [item for item in items if isinstance(item, EngineLost)]
    assert [item.failures for item in lost] == [1, 2]


async def test_batches_come_as_the_reads_complete_them_repeats_dropped() -> None:
    tail = [stamped(1, "one") + stamped(2, "two", 5)]  # one chunk: one batch
    live = [stamped(2, "two", 5), stamped(3, "three")]
    script = Script([tail, live], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=100, tail_apart=True)
    items = await collect(follower.batches(), 4)
    assert isinstance(items[0], LogsOpened) and isinstance(items[2], TailEnded)
    assert [[line.text for line in batch] for batch in (items[1], items[3])] == [["one", "two"], ["three"]]


async def test_the_streams_asked_for_are_passed_on_and_a_tty_gets_both() -> None:
    script = Script([[stamped(1, "out")]], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=10, stderr=False)
    await collect(follower.batches(), 2)
    assert script.logs_params[0]["stdout"] == "1" and script.logs_params[0]["stderr"] == "0"
    tty = {**state(), "Config": {"Tty": True}}
    script = Script([[b"raw\n"]], [tty])
    follower = LogFollower(script.engine.client(), "web", tail=10, stdout=False)
    await collect(follower.batches(), 2)
    assert script.logs_params[0]["stdout"] == "1" and script.logs_params[0]["stderr"] == "1"


async def test_resuming_starts_after_the_last_line_seen_with_a_bounded_tail() -> None:
    seen = ResumeFilter()
    assert seen.keep(LogLine("two", "stdout", parse_rfc3339("2026-11-28T01:00:02.000000005Z")))
    script = Script([[stamped(2, "two", 5), stamped(3, "three")]], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=10, resume=seen, resuming=True)
    assert describe(await collect(follower.run(), 2)) == ["opened", "three"]
    assert script.logs_params[0]["tail"] == "5000"
    assert 1_795_827_601.999 < float(script.logs_params[0]["since"]) < 1_795_827_602


async def test_resuming_with_nothing_seen_starts_with_the_tail() -> None:
    script = Script([[stamped(1, "one")]], [state()])
    follower = LogFollower(script.engine.client(), "web", tail=10, resuming=True)
    assert describe(await collect(follower.run(), 2)) == ["opened", "one"]
    assert script.logs_params[0]["tail"] == "10" and "since" not in script.logs_params[0]
