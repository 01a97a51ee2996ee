"""Log search, filter and buffer save: the LogView's search and the log screen's prompts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from dtui.engine.streams import LogLine
from dtui.ui.logs.save import default_save_path
from dtui.ui.logs.view import LogView, SearchPattern
from tests.fakes import frame
from tests.ui.test_logs import LogApp, feed, queue_engine, screen_rows, settle, stamped
from tests.support.wait import wait_until

BIG = 100_000


class ViewApp(App[None]):
    """Just a LogView, filled directly (no stream) for the big-buffer tests."""

    def __init__(self, max_lines: int = BIG) -> None:
        super().__init__()
        self.max_lines = max_lines

    def compose(self) -> ComposeResult:
        yield LogView(self.max_lines)


def big_lines() -> list[LogLine]:
    """100 000 lines; ``ERROR`` every 1000th (100), ``code=7`` + digit every 250th (400)."""
    lines = []
    for n in range(BIG):
        text = f"line {n} ok"
        if n % 1000 == 0:
            text = f"line {n} ERROR disk full"
        if n % 250 == 0:
            text += f" code=7{n % 10}"
        lines.append(LogLine(text, "stdout"))
    return lines


async def wait_scanned(pilot: Any, view: LogView, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while view.searching:
        assert time.monotonic() < deadline, "search never finished"
        await pilot.pause(0.01)


def test_search_pattern_parsing() -> None:
    plain = SearchPattern.parse("a.b")
    assert (plain.query, plain.regex) == ("a.b", False)
    assert plain.compiled.search("xA.By") and not plain.compiled.search("axb")
    regex = SearchPattern.parse("re:a.b")
    assert regex.regex and regex.compiled.search("axb")
    assert SearchPattern.parse("Err").compiled.search("err") is None  # smart case
    with pytest.raises(ValueError, match="invalid regular expression"):
        SearchPattern.parse("re:(unclosed")
    with pytest.raises(ValueError):
        SearchPattern.parse("")


async def test_plain_and_regex_counts_on_a_100k_buffer_without_blocking() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines(big_lines())
        assert view.line_count == BIG

        view.set_search(SearchPattern.parse("error"))
        # Chunked: the first turn of the loop has not scanned everything.
        assert view.searching
        assert view.match_count < 100
        await wait_scanned(pilot, view)
        assert view.match_count == 100
        assert view.match_indices()[:3] == [0, 1000, 2000]

        view.set_search(SearchPattern.parse(r"re:code=7\d$"))
        await wait_scanned(pilot, view)
        assert view.match_count == 400
        assert view.match_indices()[:3] == [0, 250, 500]

        view.set_search(SearchPattern.parse("re:code=7[05]$"))
        await wait_scanned(pilot, view)
        assert view.match_count == 400  # n % 250 == 0 -> last digit is 0 or 5 (every other)


async def test_key_latency_while_searching_100k() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines(big_lines())
        seen: list[tuple[bool, float]] = []
        go_top = view.go_top

        def recording_go_top() -> None:
            seen.append((view.searching, time.monotonic()))
            go_top()

        view.go_top = recording_go_top  # type: ignore[method-assign]
        view.set_search(SearchPattern.parse("re:o+k$"))
        started = time.monotonic()
        await pilot.press("home")
        assert seen, "the key was handled"
        searching_when_handled, handled_at = seen[0]
        assert searching_when_handled, "the key went in between two scan chunks"
        # Generous: pilot.press itself waits for the screen; the machine may be loaded.
        assert handled_at - started < 1.0
        await wait_scanned(pilot, view)
        assert view.match_count == BIG - 400  # every line not ending in a code


async def test_next_previous_wrap_and_highlight() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines([LogLine(f"row {n}" + (" hit" if n % 10 == 3 else ""), "stdout") for n in range(100)])
        view.set_search(SearchPattern.parse("hit"))
        await wait_scanned(pilot, view)
        assert view.match_count == 10
        assert view.match_position == 0
        view.go_top()
        assert view.next_match()
        assert view.match_position == 1
        assert view.next_match()
        assert view.match_position == 2
        assert view.next_match(backwards=True)
        assert view.match_position == 1
        assert view.next_match(backwards=True)  # wraps to the last
        assert view.match_position == 10
        rows = screen_rows(view)
        assert any(row.rstrip() == "  row 93 hit" for row in rows)
        # The match on the current line carries the current-match style, others the match style.
        current_style = view.get_component_rich_style("log-view--current-match")
        other_style = view.get_component_rich_style("log-view--match")
        row = rows.index(next(r for r in rows if r.rstrip() == "  row 93 hit"))
        strip = view.render_line(row)
        styled = {segment.text: segment.style for segment in strip if segment.text.strip()}
        assert styled["hit"].bgcolor == current_style.bgcolor
        other_row = rows.index(next(r for r in rows if r.rstrip() == "  row 83 hit"))
        other = {s.text: s.style for s in view.render_line(other_row) if s.text.strip()}
        assert other["hit"].bgcolor == other_style.bgcolor != current_style.bgcolor


async def test_search_follows_new_lines_and_dropped_lines() -> None:
    app = ViewApp(max_lines=50)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines([LogLine(f"a {n}", "stdout") for n in range(40)])
        view.set_search(SearchPattern.parse("re:^a [0-9]*5$"))
        await wait_scanned(pilot, view)
        assert view.match_count == 4  # 5 15 25 35
        view.append_lines([LogLine(f"a {n}", "stdout") for n in range(40, 60)])
        await wait_scanned(pilot, view)
        # 0..9 dropped (5 gone); 45 and 55 arrived.
        assert view.match_count == 5
        assert [view.entries[i].text for i in view.match_indices()] == ["a 15", "a 25", "a 35", "a 45", "a 55"]


async def test_screen_search_prompt_counts_and_n_N() -> None:
    engine, streams = queue_engine()
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 0)
        await wait_until(pilot, lambda: streams, what="the log stream opened")
        feed(streams[0], 0, 300)
        await settle(pilot, app, 300)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"re:line 1[0-9]$", "enter")
        await wait_scanned(pilot, view)
        assert view.match_count == 10
        marker = app.screen.query_one("#logs-marker")
        assert "re:line 1[0-9]$ -/10" in str(marker.render())
        await pilot.press("g", "n", "n")
        assert view.match_position == 2
        assert "2/10" in str(marker.render())
        assert any(row.rstrip() == "  line 11" for row in screen_rows(view))
        await pilot.press("N")
        assert view.match_position == 1
        # New lines arriving are searched too: the count follows.
        feed(streams[0], 300, 320)  # none match
        for text in ("line 10", "line 11", "line 12"):
            streams[0].queue.put_nowait(frame(1, stamped(2, text)))
        await settle(pilot, app, 323)
        await wait_scanned(pilot, view)
        assert view.match_count == 13
        assert "1/13" in str(marker.render())


async def test_invalid_regex_keeps_the_prompt_and_ctrl_r_toggles_regex() -> None:
    engine, streams = queue_engine()
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 0)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("(", "a")
        prompt = app.screen.query_one("#logs-prompt")
        assert prompt.border_title == "search (text)"
        await pilot.press("ctrl+r")
        assert prompt.value == "re:(a"
        assert prompt.border_title == "search (regex)"
        await pilot.press("enter")
        await pilot.pause()
        assert prompt.display and prompt.has_focus
        assert view.search is None
        assert any("invalid regular expression" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+r", "enter")  # plain "(a" is fine
        await pilot.pause()
        assert not prompt.display
        assert view.search is not None and view.search.query == "(a" and not view.search.regex


async def test_filter_mode_shows_only_matches_live() -> None:
    engine, streams = queue_engine()
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(pilot, app, 0)
        await wait_until(pilot, lambda: streams, what="the log stream opened")
        feed(streams[0], 0, 100)
        await settle(pilot, app, 100)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"re:7$", "enter")
        await wait_scanned(pilot, view)
        await pilot.press("ampersand")
        await pilot.pause()
        assert view.filter_matches
        rows = [row.rstrip() for row in screen_rows(view) if row.strip()]
        assert rows == [f"  line {n}" for n in range(7, 100, 10)]
        assert "filter" in str(app.screen.query_one("#logs-marker").render())
        # New lines arrive: only the matching ones show up, at the end (the view is live).
        feed(streams[0], 100, 140)
        await settle(pilot, app, 140)
        await wait_scanned(pilot, view)
        await pilot.pause()
        rows = [row.rstrip() for row in screen_rows(view) if row.strip()]
        assert rows == [f"  line {n}" for n in range(7, 140, 10)]
        assert view.match_count == 14
        await pilot.press("ampersand")
        await pilot.pause()
        assert not view.filter_matches
        assert screen_rows(view)[-1].rstrip() == "  line 139"


async def test_save_buffer_exact_and_never_overwrites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    engine, streams = queue_engine()
    app = LogApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, 0)
        await wait_until(pilot, lambda: streams, what="the log stream opened")
        feed(streams[0], 0, 5)
        streams[0].queue.put_nowait(frame(2, stamped(3, "\x1b[31mred\x1b[0m é")))
        await settle(pilot, app, 6)
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt = app.screen.query_one("#logs-prompt")
        assert prompt.value.startswith("./web-") and prompt.value.endswith(".log")
        assert prompt.border_title == "save buffer (ctrl+s: full log)"
        prompt.value = "out.log"
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.02)
            if (tmp_path / "out.log").exists() and not app.screen.workers:
                break
        expected = "".join(f"line {n}\n" for n in range(5)) + "\x1b[31mred\x1b[0m é\n"
        assert (tmp_path / "out.log").read_text(encoding="utf-8") == expected

        (tmp_path / "taken.log").write_text("keep me")
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt.value = "taken.log"
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert prompt.display, "the prompt stays open to choose another name"
        assert (tmp_path / "taken.log").read_text() == "keep me"
        assert any("exists" in str(n.message) for n in app._notifications)


def test_default_save_path_is_safe() -> None:
    from datetime import datetime

    when = datetime(2026, 11, 28, 4, 5, 6)
    assert default_save_path("web", when) == "./web-20261128-040506.log"
    assert default_save_path("../../etc/x y", when) == "./_.._etc_x_y-20261128-040506.log"
