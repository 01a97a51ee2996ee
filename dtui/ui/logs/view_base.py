"""The log view's state, layout and scrolling (`LogView` in ``view.py`` is the widget).

Layout: without wrap, one row per line; with wrap, a cumulative row table (``_row_ends``,
absolute row numbers, rebased as lines drop) maps rows to lines; in filter mode only the
matching lines are rows. Scroll lock: while the view sits at the end it is *live* and
follows new lines; scrolling up freezes it (``live`` becomes False) and ``new_lines``
counts what arrived since.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from itertools import accumulate

from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from dtui.ui.logs.rows import (
    CELLS,
    DEFAULT_MAX_LINES,
    GUTTER_WIDTH,
    TIMESTAMP_WIDTH,
    Row,
    freeze_gc,
    thaw_gc,
)
from dtui.ui.logs.search_pattern import SearchPattern

CACHE_SIZE = 512
"""Strips kept rendered: about ten screens; each strip is a few dozen objects for the GC."""


class LogViewBase(ScrollView):
    """The ring of lines, how they are laid out in rows, and where the view is scrolled.

    Args:
        max_lines: Lines kept (a ring buffer); the oldest are dropped beyond it.
        name: Widget name.
        id: Widget id.
        classes: CSS classes.
    """

    live: var[bool] = var(True)
    """True while the view follows new lines; False once the user scrolled up."""

    new_lines: var[int] = var(0)
    """Lines that arrived while the view was frozen (not live)."""

    match_count: var[int] = var(0)
    """Lines held that match the search (0 without a search)."""

    match_position: var[int] = var(0)
    """1-based position of the current match among `match_count` (0: none chosen)."""

    searching: var[bool] = var(False)
    """True while lines remain to be scanned for the search."""

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
        self._entries: deque[Row] = deque(maxlen=max_lines)
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
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(CACHE_SIZE)
        self._styles: dict[str, Style] = {}  # computed CSS styles; cleared when styles change
        self._search: SearchPattern | None = None
        self._matches: list[int] = []  # absolute indices of matching lines, ascending
        self._scan_next = 0  # absolute index of the next line to scan
        self._scan_scheduled = False
        self._current: int | None = None  # absolute index of the current match
        self._filter = False

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
            # Landing exactly on the end is the size shrinking (filter mode), not the user.
            if new_value < self.max_scroll_y:
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

    def on_mount(self) -> None:
        freeze_gc()

    def on_unmount(self) -> None:
        thaw_gc()

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

    def _rows_of(self, row: Row, body_width: int) -> int:
        return max(1, -(-row[CELLS] // body_width))

    def _ensure_rows(self) -> list[int]:
        """Wrap mode: build the cumulative row table if it is missing."""
        if self._row_ends is None:
            self._wrap_width = self._content_width()
            body = self._body_width()
            rows = [self._rows_of(row, body) for row in self._entries]
            self._row_base = 0
            self._row_ends = list(accumulate(rows))
        return self._row_ends

    def _add_rows(self, batch: list[Row]) -> None:
        ends = self._ensure_rows()
        body = self._body_width()
        start = ends[-1] if ends else self._row_base
        ends.extend(accumulate((self._rows_of(row, body) for row in batch), initial=start))
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

    def _wrapping(self) -> bool:
        """Wrap mode applies (filter mode always crops)."""
        return self._wrap and not self._filter

    def _total_rows(self) -> int:
        if self._filter:
            return len(self._matches)
        if not self._wrap:
            return len(self._entries)
        ends = self._ensure_rows()
        return ends[-1] - self._row_base if ends else 0

    def _update_virtual_size(self) -> None:
        if self._wrapping():
            width = self._content_width()
        else:
            width = self.prefix_width + self._max_cells
        size = Size(width, self._total_rows())
        if size == self.virtual_size:
            return
        if not self.is_mounted or not self.container_size:
            self.virtual_size = size
            return
        # Assigning `virtual_size` relayouts the whole screen (tens of ms), once per batch
        # in a flood; only the scroll range changed, so update just the scrollbars (a
        # scrollbar appearing or vanishing still relayouts: its `display` changes).
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def _entry_at_row(self, row: int) -> int:
        """Index (into the ring) of the line drawn on ``row``; 0 when empty."""
        if not self._entries:
            return 0
        if self._filter:
            if not self._matches:
                return 0
            row = min(max(row, 0), len(self._matches) - 1)
            return self._matches[row] - self._first_index
        if not self._wrap:
            return min(max(row, 0), len(self._entries) - 1)
        ends = self._ensure_rows()
        return min(bisect_right(ends, self._row_base + row), len(ends) - 1)

    def _first_row_of(self, index: int) -> int:
        if self._filter:
            return bisect_left(self._matches, self._first_index + index)
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
