"""The merged log screen against a fake engine: order, toggles, hostile names, save, keys."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx
from textual.app import App

from dtui.engine.client import EngineClient
from dtui.engine.errors import EngineUnreachable
from dtui.engine.models import ContainerSummary
from dtui.ui.logs.merged import PALETTE, MergedLogScreen, SourcePicker, name_colour, name_label
from dtui.ui.logs.view import LogView, plain_of
from tests.support.wait import wait_until
from tests.fakes import ChunkStream, FakeEngine, container_json, frame
from tests.ui.test_logs import settle

STAMP = "2026-11-28T01:00:{:02d}.{:09d}Z "


def stamped(second: int, text: str, nanos: int = 0, stream: int = 1) -> bytes:
    return frame(stream, (STAMP.format(second, nanos) + text + "\n").encode())


def summary(name: str) -> ContainerSummary:
    return ContainerSummary.from_api(container_json(name=name))


class MergedEngine:
    """A fake engine serving several containers' logs and inspect answers."""

    def __init__(self) -> None:
        self.engine = FakeEngine()
        self.logs_requests: list[httpx.Request] = []

    def add(
        self,
        name: str,
        tail: Iterable[bytes] = (),
        live: Iterable[bytes] = (),
        *,
        later: Iterable[list[bytes]] = (),
        states: list[dict[str, Any]] | None = None,
    ) -> ContainerSummary:
        """A container whose log requests get, in turn: the tail, the live lines, then each
        of ``later`` (the last body stays open); its inspects get ``states`` in turn."""
        container = summary(name)
        bodies = [list(tail), list(live), *later]
        answers = states or [inspect_json(container)]
        calls = {"logs": 0, "inspect": 0}

        def logs(request: httpx.Request) -> httpx.Response:
            self.logs_requests.append(request)
            index = min(calls["logs"], len(bodies) - 1)
            calls["logs"] += 1
            return httpx.Response(200, stream=ChunkStream(bodies[index], hang_after=index == len(bodies) - 1))

        def inspect(request: httpx.Request) -> httpx.Response:
            answer = answers[min(calls["inspect"], len(answers) - 1)]
            calls["inspect"] += 1
            return httpx.Response(200, json=answer)

        self.engine.route("GET", f"/containers/{container.id}/logs", handler=logs)
        self.engine.route("GET", f"/containers/{container.id}/json", handler=inspect)
        return container


def inspect_json(container: ContainerSummary, running: bool = True, exit_code: int = 0) -> dict[str, Any]:
    return {
        "Id": container.id,
        "Name": "/" + container.name,
        "Config": {"Tty": False},
        "State": {"Running": running, "ExitCode": exit_code, "Status": "running" if running else "exited"},
    }


class MergedApp(App[None]):
    """A bare app with one client per host, pushing the merged screen."""

    def __init__(
        self, client: EngineClient, containers: list[ContainerSummary], hosts: list[str] | None = None, **options: Any
    ) -> None:
        super().__init__()
        self.client = client
        self.hosts_asked: list[str | None] = []
        self.containers = containers
        self.hosts = hosts or ["local"] * len(containers)
        self.options = options

    def client_for(self, host: str | None = None) -> EngineClient:
        self.hosts_asked.append(host)
        if host != "local":
            raise EngineUnreachable(f"dtui is not connected to {host}")
        return self.client

    def on_mount(self) -> None:
        self.push_screen(MergedLogScreen(list(zip(self.hosts, self.containers)), **self.options))


def plain_lines(view: LogView) -> list[str]:
    return [plain_of(entry.text) for entry in view.entries]


def interleaved() -> tuple[MergedEngine, list[ContainerSummary]]:
    """alpha writes the odd seconds, beta the even ones (tails and live lines)."""
    fake = MergedEngine()
    alpha = fake.add("alpha", tail=[stamped(1, "one"), stamped(3, "three")], live=[stamped(5, "five")])
    beta = fake.add("beta", tail=[stamped(2, "two"), stamped(4, "four")], live=[stamped(6, "six")])
    return fake, [alpha, beta]


async def test_two_containers_appear_in_timestamp_order() -> None:
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hold=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 6)
        assert plain_lines(view) == [
            "alpha one",
            "beta  two",
            "alpha three",
            "beta  four",
            "alpha five",
            "beta  six",
        ]
        assert app.hosts_asked == ["local", "local"]
        opening = [r.url.params for r in fake.logs_requests if r.url.params.get("follow") != "1"]
        assert {p["tail"] for p in opening} == {"200"} and all(p["timestamps"] == "1" for p in opening)


async def test_names_are_coloured_and_bodies_line_up() -> None:
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hold=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 6)
        rows = [view.render_line(y) for y in range(2)]
        assert [strip.text.rstrip() for strip in rows] == ["  alpha one", "  beta  two"]
        colours = {
            segment.text.strip(): segment.style.color
            for strip in rows
            for segment in strip
            if segment.text.strip() in {"alpha", "beta"} and segment.style is not None
        }
        assert colours["alpha"] is not None and colours["beta"] is not None


async def test_toggling_a_container_hides_its_lines_and_brings_them_back() -> None:
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hold=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 6)
        await pilot.press("2")
        assert plain_lines(view) == ["alpha one", "alpha three", "alpha five"]
        status = str(app.screen.query_one("#logs-status").render())
        assert "(2 beta)" in status and "merged 1/2" in status
        await pilot.press("2")
        assert len(plain_lines(view)) == 6
        await pilot.press("1", "2")
        assert plain_lines(view) == []
        await pilot.press("0")
        assert len(plain_lines(view)) == 6
        await pilot.press("7")  # there is no seventh container: nothing changes
        assert len(plain_lines(view)) == 6


async def test_a_big_buffer_is_rebuilt_in_chunks_and_the_latest_toggle_wins(monkeypatch: Any) -> None:
    monkeypatch.setattr("dtui.ui.logs.merged.REBUILD_CHUNK", 2)
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hold=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 6)
        await pilot.press("2", "2", "1")
        for _ in range(50):
            await pilot.pause(0.02)
            if not app.screen._rebuilding:
                break
        assert plain_lines(view) == ["beta  two", "beta  four", "beta  six"]


async def test_the_picker_applies_on_enter_and_cancels_on_escape() -> None:
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hold=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 6)
        await pilot.press("c")
        assert isinstance(app.screen, SourcePicker)
        await pilot.press("space")  # uncheck alpha (the first row)
        await pilot.press("escape")
        assert len(plain_lines(view)) == 6
        await pilot.press("c", "space", "enter")
        assert not isinstance(app.screen, SourcePicker)
        assert plain_lines(view) == ["beta  two", "beta  four", "beta  six"]


async def test_hostile_names_and_lines_are_shown_literally() -> None:
    fake = MergedEngine()
    evil = fake.add("[/]\x1b]0;pwned\x07evil", tail=[stamped(1, "[@click=app.quit]x \x1b]52;c;aGk=\x07y")])
    plain = fake.add("ok", tail=[stamped(2, "fine")])
    app = MergedApp(fake.engine.client(), [evil, plain], hold=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 2)
        rows = [view.render_line(y).text.rstrip() for y in range(2)]
        assert rows == ["  [/]evil [@click=app.quit]x y", "  ok      fine"]
        assert all("\x1b" not in "".join(s.text for s in view.render_line(y)) for y in range(2))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SourcePicker)
        assert app.is_running


async def test_a_stopped_then_restarted_container_gets_notices_and_no_duplicates(monkeypatch: Any) -> None:
    monkeypatch.setattr("dtui.engine.log_follow.RESTART_POLL", 0.01)
    fake = MergedEngine()
    worker = summary("worker")
    states = [inspect_json(worker), inspect_json(worker, running=False, exit_code=3), inspect_json(worker)]
    container = fake.add(
        "worker",
        tail=[stamped(1, "one")],
        live=[stamped(1, "one"), stamped(2, "two")],  # then the container stops
        later=[[stamped(2, "two"), stamped(3, "three")]],  # after its restart
        states=states,
    )
    app = MergedApp(fake.engine.client(), [container], hold=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 5)
        assert plain_lines(view) == [
            "worker one",
            "worker two",
            "worker: stopped (exit code 3): waiting for it to start again",
            "worker: running again: stream resumed",
            "worker three",
        ]
        # the state comes by message, after the notice line it goes with
        await wait_until(pilot, lambda: app.screen.sources[0].state == "following", what="state following")


async def test_a_removed_container_leaves_a_notice_and_the_others_go_on() -> None:
    fake = MergedEngine()
    alive = fake.add("alive", tail=[stamped(1, "hello")], live=[stamped(2, "still here")])
    gone = summary("gone")
    fake.engine.route("GET", f"/containers/{gone.id}/json", status=404, json={"message": "No such container"})
    app = MergedApp(fake.engine.client(), [alive, gone], hold=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 3)
        # gone never had a line: its notice sorts before everything released after it
        assert plain_lines(view) == ["gone: removed; its lines above stay readable", "alive hello", "alive still here"]
        status = str(app.screen.query_one("#logs-status").render())
        assert "removed" in status


async def test_a_container_on_a_host_no_longer_connected_fails_alone() -> None:
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hosts=["local", "tcp://gone:2375"], hold=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 4)
        assert plain_lines(view)[0] == "beta: stream failed: dtui is not connected to tcp://gone:2375"
        assert plain_lines(view)[1:] == ["alpha one", "alpha three", "alpha five"]
        assert app.screen.sources[1].state == "failed"


async def test_a_tail_that_never_ends_does_not_hold_the_others_back(monkeypatch: Any) -> None:
    monkeypatch.setattr("dtui.ui.logs.merged.TAIL_WAIT", 0.2)
    fake, containers = interleaved()
    fake.engine.route("GET", f"/containers/{containers[1].id}/logs", chunks=[], hang=True)
    app = MergedApp(fake.engine.client(), containers, hold=0.02)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 3)
        assert plain_lines(view) == ["alpha one", "alpha three", "alpha five"]


async def test_search_filter_and_save_of_the_lines_shown(tmp_path: Path) -> None:
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hold=0.05)
    target = tmp_path / "merged.log"
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 6)
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one("#logs-prompt").value = "beta"
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert view.match_count == 3
        await pilot.press("ampersand")
        assert [view.render_line(y).text.strip() for y in range(3)] == ["beta  two", "beta  four", "beta  six"]
        await pilot.press("ampersand", "1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#logs-prompt").value = str(target)
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if target.exists():
                break
        await pilot.pause(0.05)
    assert target.read_text() == "beta  two\nbeta  four\nbeta  six\n"


async def test_escape_closes_the_prompt_first_then_the_screen() -> None:
    fake, containers = interleaved()
    app = MergedApp(fake.engine.client(), containers, hold=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, 6)
        screen = app.screen
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        assert not [w for w in app.workers if w.group.startswith("merged-") and w.is_running]


def test_name_colours_are_stable_and_from_the_palette() -> None:
    # Stable across runs: another interpreter with another hash seed picks the same colours.
    names = ["web", "db", "svc-7"]
    code = f"from dtui.ui.logs.merged import name_colour; print([name_colour(n) for n in {names!r}])"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert other.stdout.strip() == str([name_colour(name) for name in names])
    assert {name_colour(f"svc-{n}") for n in range(50)} <= set(PALETTE)
    assert len({name_colour(f"svc-{n}") for n in range(50)}) > 3


def test_name_labels_are_sanitised_and_capped() -> None:
    assert name_label("a\x1b[31mb") == "ab"
    assert len(name_label("x" * 40)) == 16
    assert name_label("x" * 40).endswith("…")
