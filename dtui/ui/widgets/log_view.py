"""A bounded, virtualised log view: a ring buffer of lines, only visible rows rendered.

``LogView`` keeps at most ``max_lines`` lines (oldest dropped first) and renders through the
Line API (``render_line``), so its cost per frame depends on the screen size, never on the
log size. Rendered lines are kept in a small LRU cache keyed by the line's absolute index.

Scroll lock: while the view sits at the end it is *live* and follows new lines; scrolling up
freezes it (``live`` becomes False) and ``new_lines`` counts what arrived since. Going to the
end (``go_live``) or scrolling back down to the last row makes it live again.

Every line a container wrote is rendered through ``dtui.ui.safe_text``: SGR colours are kept,
every other escape sequence is dropped, nothing is parsed as markup.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from itertools import accumulate
from typing import ClassVar, Final, Literal

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from dtui.engine.streams import LogLine
from dtui.ui.safe_text import ELLIPSIS, safe_line, safe_plain

EntryKind = Literal["stdout", "stderr", "notice"]

DEFAULT_MAX_LINES: Final = 100_000
"""Lines kept by default; the oldest are dropped beyond it."""

DISPLAY_MAX: Final = 10_000
"""Characters shown of one line; the rest is kept (up to `KEEP_MAX`) but not drawn."""

KEEP_MAX: Final = 1024 * 1024
"""Characters kept of one line (for saving/searching later); the rest is dropped."""

_SCAN_MAX: Final = 4 * DISPLAY_MAX
"""Characters of a line sanitised for display: enough for DISPLAY_MAX visible ones."""

GUTTER_WIDTH: Final = 2
TIMESTAMP_WIDTH: Final = 28  # "2026-11-28T01:00:24.224915Z "
_GUTTER_MARK: Final = {"stdout": "  ", "stderr": "E ", "notice": "» "}
_CACHE_SIZE: Final = 2048


class LogEntry:
    """One line held by the view.

    Attributes:
        text: The line as the container wrote it (untrusted), at most `KEEP_MAX` characters;
            for a notice, dtui's own text.
        kind: ``stdout``, ``stderr`` or ``notice`` (a line dtui adds, e.g. "stream ended").
        timestamp: When the engine received the line, if known.
        cells: Terminal cells its display text takes (without gutter and timestamp).
    """

    __slots__ = ("text", "kind", "timestamp", "cells")

    def __init__(self, text: str, kind: EntryKind, timestamp: datetime | None) -> None:
        size = len(text)
        if size <= DISPLAY_MAX and text.isascii() and text.isprintable():
            self.cells = size  # the common case, inlined: this runs for every line
        else:
            if size > KEEP_MAX:
                text = text[:KEEP_MAX]
            self.cells = cell_len(display_plain(text))
        self.text = text
        self.kind: EntryKind = kind
        self.timestamp = timestamp


def display_plain(text: str) -> str:
    """The plain text shown for a line: sanitised, single-line, cut at `DISPLAY_MAX`.

    Args:
        text: An untrusted log line.

    Returns:
        What the view draws for it, without styles.
    """
    plain = safe_plain(text[:_SCAN_MAX], max_length=DISPLAY_MAX)
    if len(text) > _SCAN_MAX and not plain.endswith(ELLIPSIS):
        plain += ELLIPSIS
    return plain


def display_text(text: str) -> Text:
    """The styled text shown for a line (SGR kept), matching `display_plain`.

    Args:
        text: An untrusted log line.

    Returns:
        A single-line Text, never parsed as markup.
    """
    if len(text) <= DISPLAY_MAX and text.isascii() and text.isprintable():
        return Text(text)
    line = safe_line(text[:_SCAN_MAX], max_length=DISPLAY_MAX)
    if len(text) > _SCAN_MAX and not line.plain.endswith(ELLIPSIS):
        line.append(ELLIPSIS)
    return line


def format_timestamp(stamp: datetime | None) -> str:
    """A fixed-width UTC timestamp column (blank when unknown).

    Args:
        stamp: The line's timestamp.

    Returns:
        ``TIMESTAMP_WIDTH`` characters, ending in a space.
    """
    if stamp is None:
        return " " * TIMESTAMP_WIDTH
    utc = stamp.astimezone(timezone.utc) if stamp.tzinfo else stamp
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ ")


class LogView(ScrollView, can_focus=True):
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
    }

    DEFAULT_CSS = """
    LogView {
        overflow-y: scroll;
        overflow-x: auto;
        background: $surface;
        & > .log-view--stderr { color: $error; text-style: bold; }
        & > .log-view--notice { color: $warning; text-style: italic; }
        & > .log-view--timestamp { color: $text-muted; }
    }
    LogView.-wrap { overflow-x: hidden; }
    """

    live: var[bool] = var(True)
    """True while the view follows new lines; False once the user scrolled up."""

    new_lines: var[int] = var(0)
    """Lines that arrived while the view was frozen (not live)."""

    def __init__(
        self,
        max_lines: int = DEFAULT_MAX_LINES,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        if max_lines < 1:
            raise ValueError("max_lines must be positive")
        self.max_lines = max_lines
        self._entries: deque[LogEntry] = deque(maxlen=max_lines)
        self._first_index = 0  # absolute index of _entries[0]; grows as lines drop
        self._generation = 0  # bumped by clear(): old cache keys never match again
        self._max_cells = 0
        self._wrap = False
        self._show_timestamps = False
        self._show_gutter = True
        self._wrap_width = 0
        self._row_ends: list[int] | None = None  # wrap mode: absolute cumulative row ends
        self._row_base = 0  # wrap mode: absolute row where _entries[0] starts
        self._moving = False  # set while dtui itself moves scroll_y
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(_CACHE_SIZE)
        self._styles: dict[str, Style] = {}  # computed CSS styles; cleared when styles change

    # ------------------------------------------------------------------ contents

    @property
    def entries(self) -> Sequence[LogEntry]:
        """The lines held, oldest first (read-only view of the ring)."""
        return self._entries

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
        self._extend([LogEntry(line.text, line.stream, line.timestamp) for line in lines])

    def append_notice(self, text: str, timestamp: datetime | None = None) -> None:
        """Add a line of dtui's own (e.g. "stream ended"), marked as such.

        Args:
            text: Trusted text (still never parsed as markup).
            timestamp: Shown in the timestamp column when timestamps are on.
        """
        self._extend([LogEntry(text, "notice", timestamp)])

    def clear(self) -> None:
        """Drop every line and go live again."""
        self._entries.clear()
        self._first_index = 0
        self._generation += 1
        self._max_cells = 0
        self._cache.clear()
        self._row_ends = [] if self._wrap else None
        self._row_base = 0
        self.new_lines = 0
        self.live = True
        self._update_virtual_size()
        self._move_to(0)
        self.refresh()

    def _extend(self, batch: list[LogEntry]) -> None:
        if not batch:
            return
        if len(batch) > self.max_lines:
            batch = batch[-self.max_lines :]
        overflow = max(0, len(self._entries) + len(batch) - self.max_lines)
        dropped_rows = self._drop_rows(overflow)
        self._entries.extend(batch)
        self._first_index += overflow
        self._max_cells = max(self._max_cells, max(entry.cells for entry in batch))
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

    # ------------------------------------------------------------------ options

    @property
    def wrap(self) -> bool:
        """Wrap long lines (no horizontal scrolling) instead of cropping them."""
        return self._wrap

    @wrap.setter
    def wrap(self, value: bool) -> None:
        if value == self._wrap:
            return
        top = self._entry_at_row(round(self.scroll_y))
        self._wrap = value
        self.set_class(value, "-wrap")
        self._row_ends = None
        self._relayout(keep_entry=top)

    @property
    def show_timestamps(self) -> bool:
        """Show the engine's timestamp column."""
        return self._show_timestamps

    @show_timestamps.setter
    def show_timestamps(self, value: bool) -> None:
        if value != self._show_timestamps:
            top = self._entry_at_row(round(self.scroll_y))
            self._show_timestamps = value
            self._row_ends = None
            self._relayout(keep_entry=top)

    @property
    def show_gutter(self) -> bool:
        """Show the two-column stream gutter (``E`` marks stderr)."""
        return self._show_gutter

    @show_gutter.setter
    def show_gutter(self, value: bool) -> None:
        if value != self._show_gutter:
            self._show_gutter = value
            self._row_ends = None
            self._relayout(keep_entry=self._entry_at_row(round(self.scroll_y)))

    @property
    def prefix_width(self) -> int:
        """Cells taken by the gutter and the timestamp column."""
        gutter = GUTTER_WIDTH if self._show_gutter else 0
        return gutter + (TIMESTAMP_WIDTH if self._show_timestamps else 0)

    # ------------------------------------------------------------------ scrolling

    def go_live(self) -> None:
        """Jump to the last line and follow new ones."""
        self.live = True
        self.new_lines = 0
        self._move_to(self.max_scroll_y)
        self.refresh()

    def go_top(self) -> None:
        """Jump to the first line held (freezes the view unless it all fits)."""
        self.scroll_to(y=0, animate=False, immediate=True)
        if self.max_scroll_y > 0:
            self.live = False

    def action_scroll_home(self) -> None:
        self.go_top()

    def action_scroll_end(self) -> None:
        self.go_live()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._moving:
            return
        if new_value < old_value:
            self.live = False
        elif new_value >= self.max_scroll_y and not self.live:
            self.live = True
            self.new_lines = 0

    def _move_to(self, y: int) -> None:
        self._moving = True
        try:
            self.scroll_to(y=y, animate=False, immediate=True, force=True)
            self.scroll_target_y = self.scroll_y
        finally:
            self._moving = False

    def on_resize(self) -> None:
        if self._wrap and self._content_width() != self._wrap_width:
            self._row_ends = None
            self._relayout(keep_entry=self._entry_at_row(round(self.scroll_y)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        """A component class's style (or ``""``: the widget's own), computed once."""
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name) if name else self.rich_style
            self._styles[name] = style
        return style

    # ------------------------------------------------------------------ layout

    def _content_width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    def _body_width(self) -> int:
        return max(1, self._content_width() - self.prefix_width)

    def _rows_of(self, entry: LogEntry, body_width: int) -> int:
        return max(1, -(-entry.cells // body_width))

    def _ensure_rows(self) -> list[int]:
        """Wrap mode: build the cumulative row table if it is missing."""
        if self._row_ends is None:
            self._wrap_width = self._content_width()
            body = self._body_width()
            rows = [self._rows_of(entry, body) for entry in self._entries]
            self._row_base = 0
            self._row_ends = list(accumulate(rows))
        return self._row_ends

    def _add_rows(self, batch: list[LogEntry]) -> None:
        ends = self._ensure_rows()
        body = self._body_width()
        start = ends[-1] if ends else self._row_base
        ends.extend(accumulate((self._rows_of(entry, body) for entry in batch), initial=start))
        del ends[len(ends) - len(batch) - 1]  # drop the "initial" value accumulate emitted

    def _drop_rows(self, count: int) -> int:
        """Forget the row table entries of the ``count`` oldest lines; returns their rows."""
        if count <= 0:
            return 0
        if self._row_ends is None:
            return count
        ends = self._row_ends
        new_base = ends[count - 1]
        dropped = new_base - self._row_base
        del ends[:count]
        self._row_base = new_base
        return dropped

    def _total_rows(self) -> int:
        if not self._wrap:
            return len(self._entries)
        ends = self._ensure_rows()
        return ends[-1] - self._row_base if ends else 0

    def _update_virtual_size(self) -> None:
        if self._wrap:
            width = self._content_width()
        else:
            width = self.prefix_width + self._max_cells
        self.virtual_size = Size(width, self._total_rows())

    def _entry_at_row(self, row: int) -> int:
        """Index (into the ring) of the line drawn on ``row``; 0 when empty."""
        if not self._entries:
            return 0
        if not self._wrap:
            return min(max(row, 0), len(self._entries) - 1)
        ends = self._ensure_rows()
        return min(bisect_right(ends, self._row_base + row), len(ends) - 1)

    def _first_row_of(self, index: int) -> int:
        if not self._wrap:
            return index
        ends = self._ensure_rows()
        start = ends[index - 1] if index > 0 else self._row_base
        return start - self._row_base

    def _relayout(self, keep_entry: int) -> None:
        self._update_virtual_size()
        if self.live:
            self._move_to(self.max_scroll_y)
        else:
            self._move_to(self._first_row_of(keep_entry) if self._entries else 0)
        self.refresh()

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        """Render one row of the viewport (Line API)."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base_style = self._style("")
        row = scroll_y + y
        if row >= self._total_rows() or row < 0:
            return Strip.blank(width, base_style)
        if not self._wrap:
            strip = self._line_strip(row)
            return strip.crop_extend(scroll_x, scroll_x + width, base_style)
        return self._wrapped_row(row, width, base_style)

    def _wrapped_row(self, row: int, width: int, base_style: Style) -> Strip:
        index = self._entry_at_row(row)
        part = row - self._first_row_of(index)
        strip = self._line_strip(index)
        prefix, body = self.prefix_width, self._body_width()
        if part == 0:
            return strip.crop_extend(0, prefix + body, base_style)
        indent = Strip.blank(prefix, base_style)
        start = prefix + part * body
        piece = strip.crop_extend(start, start + body, base_style)
        return Strip.join([indent, piece])

    def _line_strip(self, index: int) -> Strip:
        """The whole line ``index`` of the ring (gutter, timestamp, text) as a cached Strip."""
        key = (self._generation, self._first_index + index, self._show_timestamps, self._show_gutter)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        entry = self._entries[index]
        text = self._line_text(entry)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        self._cache[key] = strip
        return strip

    def _line_text(self, entry: LogEntry) -> Text:
        """Gutter + timestamp + the sanitised line, with the base style beneath."""
        line = Text(no_wrap=True, end="")
        if self._show_gutter:
            mark_style = self._kind_style(entry.kind)
            line.append(_GUTTER_MARK[entry.kind], style=mark_style)
        if self._show_timestamps:
            line.append(format_timestamp(entry.timestamp), style=self._style("log-view--timestamp"))
        if entry.kind == "notice":
            line.append(entry.text, style=self._kind_style("notice"))
        else:
            line.append_text(display_text(entry.text))
        line.stylize_before(self._style(""))
        return line

    def _kind_style(self, kind: EntryKind) -> Style:
        if kind == "stdout":
            return Style.null()
        return self._style(f"log-view--{kind}")
