"""LogView alone: ring bound, scroll lock, wrap, truncation, hostile text."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import App, ComposeResult

from dtui.engine.streams import LogLine
from dtui.ui.logs.view import DISPLAY_MAX, LogView, display_plain


class ViewApp(App[None]):
    def __init__(self, max_lines: int = 100_000) -> None:
        super().__init__()
        self.max_lines = max_lines

    def compose(self) -> ComposeResult:
        yield LogView(self.max_lines)


def lines(start: int, stop: int, stream: str = "stdout") -> list[LogLine]:
    return [LogLine(f"line {n}", stream) for n in range(start, stop)]  # type: ignore[arg-type]


def rows(view: LogView) -> list[str]:
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def test_ring_drops_the_oldest_lines() -> None:
    app = ViewApp(max_lines=1000)
    async with app.run_test(size=(80, 24)):
        view = app.query_one(LogView)
        for start in range(0, 2500, 100):
            view.append_lines(lines(start, start + 100))
        assert view.line_count == 1000
        assert view.entries[0].text == "line 1500"
        assert view.entries[-1].text == "line 2499"
        assert view.dropped == 1500
        view.append_lines(lines(0, 5000))  # one batch larger than the ring
        assert view.line_count == 1000
        assert view.entries[0].text == "line 4000"


async def test_live_view_shows_the_newest_lines() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines(lines(0, 500))
        await pilot.pause()
        assert view.live
        shown = rows(view)
        assert shown[-1] == "  line 499"
        assert shown[0] == f"  line {500 - view.size.height}"


async def test_scroll_up_freezes_and_counts_new_lines() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines(lines(0, 500))
        await pilot.pause()
        view.focus()
        await pilot.press("pageup")
        await pilot.pause()
        assert not view.live
        frozen = rows(view)
        view.append_lines(lines(500, 530))
        view.append_lines(lines(530, 537))
        await pilot.pause()
        assert view.new_lines == 37
        assert rows(view) == frozen
        await pilot.press("end")
        await pilot.pause()
        assert view.live
        assert view.new_lines == 0
        assert rows(view)[-1] == "  line 536"


async def test_frozen_view_keeps_its_lines_while_the_ring_drops() -> None:
    app = ViewApp(max_lines=300)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines(lines(0, 300))
        await pilot.pause()
        view.focus()
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        frozen = rows(view)
        view.append_lines(lines(300, 350))
        await pilot.pause()
        assert view.dropped == 50
        assert rows(view) == frozen


async def test_wrap_on_100k_lines_and_a_40k_line() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines(lines(0, 100_000))
        view.append_lines([LogLine("x" * 40_000, "stdout")])
        await pilot.pause()
        width = view.scrollable_content_region.width
        view.wrap = True
        await pilot.pause()
        body = width - 2
        long_rows = -(-DISPLAY_MAX // body)  # cut to DISPLAY_MAX characters, "…" included
        assert view.virtual_size.height == 99_999 + long_rows  # the ring dropped line 0
        shown = rows(view)
        assert shown[-1].endswith("…")
        assert all(row.lstrip("x …") == "" for row in shown)
        view.wrap = False
        await pilot.pause()
        assert view.virtual_size.height == 100_000
        assert view.line_count == 100_000
        assert len(view.entries[-1].text) == 40_000  # full text kept


async def test_wrap_splits_a_long_line_with_a_hanging_indent() -> None:
    app = ViewApp()
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(LogView)
        view.wrap = True
        width = view.scrollable_content_region.width
        text = "".join(chr(ord("a") + n % 26) for n in range(100))
        view.append_lines([LogLine(text, "stderr")])
        await pilot.pause()
        shown = [row for row in rows(view) if row]
        body = width - 2
        assert shown[0] == "E " + text[:body]
        assert shown[1] == "  " + text[body : 2 * body]
        assert "".join(row[2:] for row in shown) == text


async def test_hostile_lines_are_literal_text() -> None:
    hostile = ["\x1b]0;PWNED\x07title", "[@click=app.quit]x[/]", "[/]", "\x1b[31mred\x1b[0m \x1b[2J"]
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines([LogLine(text, "stdout") for text in hostile])
        await pilot.pause()
        shown = rows(view)
        assert shown[:4] == ["  title", "  [@click=app.quit]x[/]", "  [/]", "  red"]
        strip = view.render_line(3)
        red = [segment for segment in strip if segment.text == "red"]
        assert red and red[0].style is not None and red[0].style.color is not None
        assert all("\x1b" not in segment.text for y in range(4) for segment in view.render_line(y))
        assert app.is_running


async def test_timestamps_column() -> None:
    stamp = datetime(2026, 11, 28, 1, 0, 24, 224915, tzinfo=timezone.utc)
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines([LogLine("hi", "stdout", stamp)])
        await pilot.pause()
        assert rows(view)[0] == "  hi"
        view.show_timestamps = True
        await pilot.pause()
        assert rows(view)[0] == "  2026-11-28T01:00:24.224915Z hi"


def test_display_truncates_very_long_lines() -> None:
    assert len(display_plain("y" * 40_000)) == DISPLAY_MAX
    assert display_plain("y" * 40_000).endswith("…")
    assert display_plain("a\tb\x1b[2Kc") == "a bc"


async def test_scrolling_up_during_a_flood_is_not_undone_by_new_lines() -> None:
    app = ViewApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        view.append_lines(lines(0, 500))
        await pilot.pause()
        view.focus()
        view.action_page_up()  # animated: scroll_y has not moved yet
        view.append_lines(lines(500, 510))  # a batch lands before the first animation frame
        await pilot.pause(0.5)
        assert not view.live
        assert view.new_lines == 10
        assert view.scroll_y < view.max_scroll_y - 10
