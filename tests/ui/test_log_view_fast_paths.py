"""LogView's fast paths draw exactly what the general path draws."""

from __future__ import annotations

from datetime import datetime, timezone

import gc

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip

from dtui.engine.streams import LogLine
from dtui.ui.logs.view import LogView

STAMP = datetime(2026, 11, 28, 1, 0, 24, 224915, tzinfo=timezone.utc)


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LogView(1000)


def cells(strip: Strip) -> list[tuple[str, Style | None]]:
    """Each character with its style: equal cells draw the same, however segments are cut."""
    return [(char, segment.style) for segment in strip for char in segment.text]


@pytest.mark.parametrize("gutter", [True, False])
@pytest.mark.parametrize("timestamps", [True, False])
async def test_plain_strip_equals_the_text_path(gutter: bool, timestamps: bool) -> None:
    app = ViewApp()
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(LogView)
        view.show_gutter = gutter
        view.show_timestamps = timestamps
        view.append_lines([LogLine("plain out", "stdout", STAMP), LogLine("plain err", "stderr", None)])
        await pilot.pause()
        for index, row in enumerate(view._entries):
            text = view._line_text(row, index)
            general = Strip(list(text.render(app.console)), text.cell_len)
            fast = view._plain_strip(row)
            assert cells(fast) == cells(general)
            assert fast.cell_length == general.cell_length


async def test_only_plain_lines_take_the_fast_path() -> None:
    app = ViewApp()
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(LogView)
        view.append_lines([
            LogLine("\x1b[31mred\x1b[0m \x1b]0;title\x07x", "stdout"),
            LogLine("tab\there", "stdout"),
            LogLine("wide 日本", "stdout"),
        ])
        view.append_notice("a notice")
        await pilot.pause()
        shown = [view.render_line(y).text.rstrip() for y in range(view.size.height)]
        assert shown[:4] == ["  red x", "  tab here", "  wide 日本", "» a notice"]
        assert "\x1b" not in "".join(shown)


async def test_held_lines_are_invisible_to_the_garbage_collector() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        view.append_lines([LogLine(f"line {n}", "stdout", STAMP) for n in range(100)])
        await pilot.pause()
        gc.collect()
        assert not any(gc.is_tracked(row) for row in view._entries)
        assert [entry.text for entry in view.entries[-2:]] == ["line 98", "line 99"]
        assert view.entries[0].timestamp == STAMP and view.entries[0].cells == 6


async def test_growing_log_updates_scroll_range_and_scrollbars() -> None:
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(LogView)
        view.append_lines([LogLine(f"line {n}", "stdout") for n in range(100)])
        await pilot.pause()
        assert view.virtual_size.height == 100
        assert view.max_scroll_y == 100 - view.scrollable_content_region.height
        assert view.scroll_y == view.max_scroll_y
        assert not view.show_horizontal_scrollbar
        view.append_lines([LogLine("x" * 200, "stdout")])
        await pilot.pause()
        assert view.show_horizontal_scrollbar  # a scrollbar appearing still relayouts
        assert view.virtual_size.width == 202
        assert view.scroll_y == view.max_scroll_y
        assert view.render_line(view.scrollable_content_region.height - 1).text.startswith("  xxx")


async def test_gc_freeze_is_held_only_while_a_log_view_is_mounted() -> None:
    assert gc.get_freeze_count() == 0
    app = ViewApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0
        view = app.query_one(LogView)
        await view.remove()
        await pilot.pause()
        assert gc.get_freeze_count() == 0
    assert gc.get_freeze_count() == 0
