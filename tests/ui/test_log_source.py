"""`LogScreen` over a source of its own (the `LogSource` protocol), as a service log would be.

A fake labelled source (lines of two tasks, ``web.1`` and ``web.2``) drives the screen:
labels drawn in colour, search and filter, save as ``label text``, follow off/on resumes
through the screen's `ResumeFilter`, a failure is a status, never an exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.app import App
from textual.widgets import Input

from dtui.engine.errors import ServerError
from dtui.engine.log_follow import ResumeFilter
from dtui.engine.streams import LogLine
from dtui.ui.logs.labels import name_colour
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.source import LogBatch, LogRequest, SourceStatus, failed
from dtui.ui.logs.view import LogView, plain_of
from tests.ui.test_logs import settle

START = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


def task_line(second: int, task: str, text: str) -> LogLine:
    return LogLine(text, "stdout", START + timedelta(seconds=second), source=task)


class TaskSource:
    """Serves ``lines`` (what the resume filter keeps), then a status, then hangs if following."""

    labelled = True

    def __init__(self, lines: list[LogLine], *, end: SourceStatus | None = None) -> None:
        self.name = "web"
        self.lines = lines
        self.end = end
        self.requests: list[LogRequest] = []
        self.read_all_calls = 0

    async def follow(self, request: LogRequest, resume: ResumeFilter) -> AsyncGenerator[LogBatch | SourceStatus, None]:
        self.requests.append(request)
        if request.resume:
            resume.resume_since(request.since)
        yield SourceStatus("following", tty=False)
        kept = [line for line in self.lines if resume.keep(line)]
        if kept:
            yield kept
        if self.end is not None:
            yield self.end
            return
        await asyncio.Event().wait()

    async def read_all(self) -> AsyncGenerator[LogBatch, None]:
        self.read_all_calls += 1
        yield list(self.lines)


class SourceApp(App[None]):
    def __init__(self, source: TaskSource) -> None:
        super().__init__()
        self.source = source

    def on_mount(self) -> None:
        self.push_screen(LogScreen(self.source, tail=50))


def screen(app: App[None]) -> LogScreen:
    assert isinstance(app.screen, LogScreen)
    return app.screen


def prompt(app: App[None]) -> Input:
    return app.screen.query_one("#logs-prompt", Input)


LINES = [task_line(1, "web.1", "starting"), task_line(2, "web.2", "starting"), task_line(3, "web.1", "ready")]


async def test_labels_are_drawn_in_their_colour_before_each_line() -> None:
    app = SourceApp(TaskSource(LINES))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 3)
        assert [plain_of(entry.text) for entry in view.entries] == [
            "web.1 starting", "web.2 starting", "web.1 ready",
        ]
        assert view.entries[0].text.startswith(f"\x1b[{name_colour('web.1')}mweb.1\x1b[0m ")
        assert screen(app).state == "following"
        assert app.source.requests[0] == LogRequest(tail=50)


async def test_search_filter_and_save_see_the_labels(tmp_path: Path) -> None:
    app = SourceApp(TaskSource(LINES))
    target = tmp_path / "web.log"
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 3)
        await pilot.press("slash")
        await pilot.pause()
        prompt(app).value = "web.2"
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert view.match_count == 1
        await pilot.press("ampersand")
        await pilot.pause()
        assert view.render_line(0).text.startswith("  web.2 starting")
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt(app).value = str(target)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if target.exists():
                break
    assert target.read_text() == "web.1 starting\nweb.2 starting\nweb.1 ready\n"


async def test_the_full_save_reads_the_whole_log_from_the_source(tmp_path: Path) -> None:
    source = TaskSource(LINES)
    app = SourceApp(source)
    target = tmp_path / "full.log"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, 3)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        prompt(app).value = str(target)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if target.exists() and target.read_text():
                break
    assert source.read_all_calls == 1
    assert target.read_text() == "web.1 starting\nweb.2 starting\nweb.1 ready\n"


async def test_follow_off_then_on_resumes_without_repeating_a_line() -> None:
    source = TaskSource(LINES)
    app = SourceApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 3)
        await pilot.press("f")
        await pilot.pause()
        source.lines = [*LINES, task_line(4, "web.2", "serving")]
        await pilot.press("f")
        await settle(pilot, app, 5)
        assert [plain_of(entry.text) for entry in view.entries][3:] == [
            "follow off: stream stopped (f to follow again)", "web.2 serving",
        ]
        assert source.requests[-1].resume and source.requests[-1].follow


async def test_a_failed_source_shows_a_notice_and_the_state() -> None:
    error = ServerError("boom \x1b]0;x\x07", 500)
    app = SourceApp(TaskSource([], end=failed(error)))
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 1)
        assert [entry.text for entry in view.entries] == ["stream failed: boom "]
        assert screen(app).state == "failed"
        assert app.is_running
        assert isinstance(app.screen.query_one(LogView), LogView)
