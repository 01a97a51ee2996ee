"""A bounded, virtualised log view: a ring buffer of lines, only visible rows rendered.

``LogView`` keeps at most ``max_lines`` lines (oldest dropped first) and renders through the
Line API (``render_line``), so its cost per frame depends on the screen size, never on the
log size. Rendered lines are kept in a small LRU cache keyed by the line's absolute index.

It is assembled from parts, one module each: what a line is and how its text is made safe
(``rows.py``), state, layout and scroll lock (``view_base.py``), search and filter
(``view_search.py``, patterns in ``search_pattern.py``), drawing (``view_render.py``).
This module adds the contents: appending lines and notices, clearing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from dtui.engine.streams import LogLine
from dtui.ui.logs.rows import (
    CELLS,
    DEFAULT_MAX_LINES,
    DISPLAY_MAX,
    KEEP_MAX,
    TIMESTAMP_WIDTH,
    LogEntry,
    Row,
    display_plain,
    display_text,
    entries_of,
    format_timestamp,
    make_row,
    plain_of,
)
from dtui.ui.logs.search_pattern import REGEX_PREFIX, SearchPattern
from dtui.ui.logs.view_render import LogViewRender
from dtui.ui.logs.view_search import SCAN_CHUNK, LogViewSearch

__all__ = [
    "DEFAULT_MAX_LINES", "DISPLAY_MAX", "KEEP_MAX", "REGEX_PREFIX", "SCAN_CHUNK", "TIMESTAMP_WIDTH",
    "LogEntry", "LogView", "SearchPattern", "display_plain", "display_text", "format_timestamp",
    "make_row", "plain_of",
]


class LogView(LogViewSearch, LogViewRender, can_focus=True):
    """A scrollable, bounded view of log lines.

    Args:
        max_lines: Lines kept (a ring buffer); the oldest are dropped beyond it.
        name: Widget name.
        id: Widget id.
        classes: CSS classes.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-view--stderr",
        "log-view--notice",
        "log-view--timestamp",
        "log-view--match",
        "log-view--current-match",
    }

    DEFAULT_CSS = """
    LogView {
        overflow-y: scroll;
        overflow-x: auto;
        background: $surface;
        & > .log-view--stderr { color: $error; text-style: bold; }
        & > .log-view--notice { color: $warning; text-style: italic; }
        & > .log-view--timestamp { color: $text-muted; }
        & > .log-view--match { background: $warning 60%; color: $text; }
        & > .log-view--current-match { background: $accent; color: $text; text-style: bold; }
    }
    LogView.-wrap { overflow-x: hidden; }
    """

    # ------------------------------------------------------------------ contents

    @property
    def entries(self) -> Sequence[LogEntry]:
        """The lines held, oldest first (read-only view of the ring)."""
        return entries_of(self._entries)

    @property
    def line_count(self) -> int:
        """Number of lines held."""
        return len(self._entries)

    @property
    def dropped(self) -> int:
        """Lines dropped from the front of the ring since the last `clear`."""
        return self._first_index

    def append_lines(self, lines: Iterable[LogLine]) -> None:
        """Add a batch of log lines (untrusted text).

        Args:
            lines: Decoded lines, oldest first.
        """
        rows: list[Row] = []
        add = rows.append
        for line in lines:
            text = line.text
            if len(text) <= DISPLAY_MAX and text.isascii() and text.isprintable():
                add((text, line.stream, line.timestamp, len(text)))  # make_row, inlined
            else:
                add(make_row(text, line.stream, line.timestamp))
        self._extend(rows)

    def append_notice(self, text: str, timestamp: datetime | None = None) -> None:
        """Add a line of dtui's own (e.g. "stream ended"), marked as such.

        Args:
            text: Trusted text (still never parsed as markup).
            timestamp: Shown in the timestamp column when timestamps are on.
        """
        self._extend([make_row(text, "notice", timestamp)])

    def clear(self) -> None:
        """Drop every line and go live again."""
        self._entries.clear()
        self._first_index = 0
        self._generation += 1
        self._max_cells = 0
        self._cache.clear()
        self._row_ends = [] if self._wrap else None
        self._row_base = 0
        self._matches = []
        self._scan_next = 0
        self._current = None
        self._refresh_match_counts()
        self.new_lines = 0
        self.live = True
        self._update_virtual_size()
        self._move_to(0)
        self.refresh()

    def _extend(self, batch: list[Row]) -> None:
        if not batch:
            return
        if len(batch) > self.max_lines:
            batch = batch[-self.max_lines :]
        overflow = max(0, len(self._entries) + len(batch) - self.max_lines)
        dropped_rows = self._drop_rows(overflow)
        self._entries.extend(batch)
        self._first_index += overflow
        if self._search is not None:
            dropped_matches = self._drop_matches()
            if self._filter:
                dropped_rows = dropped_matches
            self._schedule_scan()
        self._max_cells = max(self._max_cells, max(row[CELLS] for row in batch))
        if self._row_ends is not None:
            self._add_rows(batch)
        self._update_virtual_size()
        if self.live and self.scroll_target_y < self.scroll_y:
            # The user started scrolling up (an animation is under way): that freezes the
            # view, and moving to the end now would cancel their scroll.
            self.live = False
        if self.live:
            self._move_to(self.max_scroll_y)
            self.refresh()
        else:
            self.new_lines += len(batch)
            if dropped_rows:
                self._move_to(max(0, round(self.scroll_y) - dropped_rows))
                self.refresh()
