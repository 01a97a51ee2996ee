"""A bounded, virtualised log view: a ring buffer of lines, only visible rows rendered.

``LogView`` keeps at most ``max_lines`` lines (oldest dropped first) and renders through the
Line API (``render_line``), so its cost per frame depends on the screen size, never on the
log size. Rendered lines are kept in a small LRU cache keyed by the line's absolute index.

Scroll lock: while the view sits at the end it is *live* and follows new lines; scrolling up
freezes it (``live`` becomes False) and ``new_lines`` counts what arrived since. Going to the
end (``go_live``) or scrolling back down to the last row makes it live again.

Every line a container wrote is rendered through ``dtui.ui.safe_text``: SGR colours are kept,
every other escape sequence is dropped, nothing is parsed as markup.

Search: `set_search` compiles a `SearchPattern` and scans the ring in chunks of `SCAN_CHUNK`
lines, one chunk per message-loop turn, so a 100 000-line buffer never blocks input; lines
that arrive later are scanned the same way. Matching runs on the line's plain text
(`strip_controls`), one match per line counts. With ``filter_matches`` on, only matching
lines are shown (and wrap is not applied).
"""

from __future__ import annotations

import asyncio
import gc
import re
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timezone
from dataclasses import dataclass
from itertools import accumulate, islice
from typing import ClassVar, Final, Literal, overload

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from dtui.engine.streams import LogLine
from dtui.ui.safe_text import ELLIPSIS, safe_line, safe_plain, strip_controls

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
_CACHE_SIZE: Final = 512  # about ten screens; each strip is a few dozen objects for the GC
SCAN_CHUNK: Final = 5000
"""Lines searched per message-loop turn."""
REGEX_PREFIX: Final = "re:"
"""A search query starting with this is a regular expression; otherwise plain text."""


@dataclass(frozen=True, slots=True)
class SearchPattern:
    """A compiled search: plain text or a regular expression, smart case.

    Attributes:
        query: What the user typed (without the ``re:`` prefix).
        regex: Whether ``query`` is a regular expression.
        compiled: The pattern matched against each line's plain text.
    """

    query: str
    regex: bool
    compiled: re.Pattern[str]

    @classmethod
    def parse(cls, text: str) -> SearchPattern:
        """Compile what the user typed: ``re:<regex>`` or plain text.

        Smart case: the search ignores case unless the query holds an upper-case letter.

        Args:
            text: The prompt's value.

        Returns:
            The compiled search.

        Raises:
            ValueError: The query is empty or not a valid regular expression.
        """
        regex = text.startswith(REGEX_PREFIX)
        query = text[len(REGEX_PREFIX) :] if regex else text
        if not query:
            raise ValueError("empty search")
        flags = 0 if any(char.isupper() for char in query) else re.IGNORECASE
        try:
            compiled = re.compile(query if regex else re.escape(query), flags)
        except re.error as error:
            raise ValueError(f"invalid regular expression: {error}") from None
        return cls(query, regex, compiled)


def _is_plain(text: str) -> bool:
    """Printable ASCII only: drawn as is (no sanitising, one cell per character)."""
    return text.isascii() and text.isprintable()


def plain_of(text: str) -> str:
    """A line's searchable text: every escape sequence and control character removed."""
    if text.isascii() and text.isprintable():
        return text
    return strip_controls(text)


Row = tuple[str, EntryKind, "datetime | None", int]
"""How the ring holds a line: ``(text, kind, timestamp, cells)``.

A plain tuple of strings, numbers and datetimes, which the garbage collector stops
tracking: 100 000 held lines then add nothing to its full collections (which otherwise
grow to a pause of a tenth of a second, felt as key latency during a flood).
"""

_TEXT, _KIND, _STAMP, _CELLS = range(4)


def make_row(text: str, kind: EntryKind, timestamp: datetime | None) -> Row:
    """A line as the ring holds it: text cut at `KEEP_MAX`, display width measured.

    Args:
        text: The line (untrusted), or dtui's own text for a notice.
        kind: ``stdout``, ``stderr`` or ``notice``.
        timestamp: When the engine received the line, if known.

    Returns:
        The row.
    """
    size = len(text)
    if size <= DISPLAY_MAX and text.isascii() and text.isprintable():
        return (text, kind, timestamp, size)
    if size > KEEP_MAX:
        text = text[:KEEP_MAX]
    return (text, kind, timestamp, cell_len(display_plain(text)))


class LogEntry:
    """One line held by the view (a snapshot made on access; the ring holds `Row` tuples).

    Attributes:
        text: The line as the container wrote it (untrusted), at most `KEEP_MAX` characters;
            for a notice, dtui's own text.
        kind: ``stdout``, ``stderr`` or ``notice`` (a line dtui adds, e.g. "stream ended").
        timestamp: When the engine received the line, if known.
        cells: Terminal cells its display text takes (without gutter and timestamp).
    """

    __slots__ = ("text", "kind", "timestamp", "cells")

    def __init__(self, text: str, kind: EntryKind, timestamp: datetime | None) -> None:
        self._set(make_row(text, kind, timestamp))

    @classmethod
    def of_row(cls, row: Row) -> LogEntry:
        """The entry for a row of the ring."""
        entry = cls.__new__(cls)
        entry._set(row)
        return entry

    def _set(self, row: Row) -> None:
        self.text, self.kind, self.timestamp, self.cells = row


class _Entries(Sequence[LogEntry]):
    """A read-only view of the ring as `LogEntry` objects, made as they are read."""

    def __init__(self, rows: deque[Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> LogEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[LogEntry]: ...

    def __getitem__(self, index: int | slice) -> LogEntry | list[LogEntry]:
        if isinstance(index, slice):
            return [LogEntry.of_row(row) for row in list(self._rows)[index]]
        return LogEntry.of_row(self._rows[index])

    def __iter__(self) -> Iterator[LogEntry]:
        return map(LogEntry.of_row, self._rows)


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


_gc_freezes = 0  # LogViews mounted, each holding the freeze below


def _freeze_gc() -> None:
    """Exclude every object that exists now from the garbage collector's full collections.

    A full collection walks every tracked object: with Textual loaded that is about 100 000
    objects and 70-90 ms, and a log flood (thousands of short-lived objects per batch)
    triggers one every few seconds: the pauses were the key latency's p95. The objects
    alive when a log view opens (modules, classes, the app and its screens) are long-lived;
    frozen, they are skipped, and a full collection walks only what came after.
    Nothing is lost: `_thaw_gc` gives them back when the last log view closes, and
    cycles among them are collected then.
    """
    global _gc_freezes
    if _gc_freezes == 0:
        gc.freeze()
    _gc_freezes += 1


def _thaw_gc() -> None:
    """Undo `_freeze_gc` once no log view is mounted."""
    global _gc_freezes
    _gc_freezes = max(0, _gc_freezes - 1)
    if _gc_freezes == 0:
        gc.unfreeze()


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
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(_CACHE_SIZE)
        self._styles: dict[str, Style] = {}  # computed CSS styles; cleared when styles change
        self._search: SearchPattern | None = None
        self._matches: list[int] = []  # absolute indices of matching lines, ascending
        self._scan_next = 0  # absolute index of the next line to scan
        self._scan_scheduled = False
        self._current: int | None = None  # absolute index of the current match
        self._filter = False

    # ------------------------------------------------------------------ contents

    @property
    def entries(self) -> Sequence[LogEntry]:
        """The lines held, oldest first (read-only view of the ring)."""
        return _Entries(self._entries)

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
        self._max_cells = max(self._max_cells, max(row[_CELLS] for row in batch))
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

    # ------------------------------------------------------------------ search

    @property
    def search(self) -> SearchPattern | None:
        """The active search, if any."""
        return self._search

    @property
    def filter_matches(self) -> bool:
        """Show only the lines matching the search (live: new lines are filtered too)."""
        return self._filter

    @filter_matches.setter
    def filter_matches(self, value: bool) -> None:
        if value == self._filter:
            return
        self._filter = value
        self._relayout_around_current()

    def set_search(self, pattern: SearchPattern | None) -> None:
        """Start searching for ``pattern`` (None: stop searching and leave filter mode).

        Args:
            pattern: The compiled search.
        """
        self._search = pattern
        self._scan_scheduled = False  # a running scan sees the new pattern and stops
        self.searching = False
        self._matches = []
        self._current = None
        self._scan_next = self._first_index
        if pattern is None:
            self._filter = False
        self._cache.clear()
        self._refresh_match_counts()
        self._schedule_scan()
        self._relayout_around_current()

    def next_match(self, backwards: bool = False) -> bool:
        """Move to the next (or previous) matching line, wrapping around, and show it.

        Args:
            backwards: Go to the previous match instead.

        Returns:
            False when nothing matches (yet).
        """
        if not self._matches:
            return False
        matches = self._matches
        if self._current is not None:
            origin = self._current
        else:
            top = self._first_index + self._entry_at_row(round(self.scroll_y))
            origin = top - 1 if not backwards else top
        if backwards:
            position = bisect_left(matches, origin) - 1
        else:
            position = bisect_right(matches, origin)
        self._current = matches[position % len(matches)]
        self._cache.clear()
        self._refresh_match_counts()
        self._show_entry(self._current - self._first_index)
        return True

    def match_indices(self) -> Sequence[int]:
        """Ring indices of the matching lines found so far, oldest first."""
        return [index - self._first_index for index in self._matches]

    def _show_entry(self, index: int) -> None:
        """Scroll so the line ``index`` of the ring sits in the middle (freezing the view)."""
        row = self._first_row_of(index)
        target = max(0, min(row - self.scrollable_content_region.height // 2, self.max_scroll_y))
        if target < self.max_scroll_y:
            self.live = False
        self._move_to(target)
        self.refresh()

    def _relayout_around_current(self) -> None:
        live = self.live
        keep = self._entry_at_row(round(self.scroll_y))
        if self._current is not None and self._current >= self._first_index:
            keep = self._current - self._first_index
        self._moving = True  # a shrinking size clamps scroll_y: that is no user scroll
        try:
            self._update_virtual_size()
        finally:
            self._moving = False
        self.live = live
        if live:
            self._move_to(self.max_scroll_y)
        else:
            self._move_to(max(0, min(self._first_row_of(keep), self.max_scroll_y)) if self._entries else 0)
        self.refresh()

    def _drop_matches(self) -> int:
        """Forget matches of lines dropped from the ring; returns how many were dropped."""
        first = self._first_index
        if self._current is not None and self._current < first:
            self._current = None
        self._scan_next = max(self._scan_next, first)
        dropped = bisect_left(self._matches, first)
        if dropped:
            del self._matches[:dropped]
            self._refresh_match_counts()
        return dropped

    def _schedule_scan(self) -> None:
        """Start the scan worker unless it runs already (it picks up new lines itself)."""
        if self._search is None or self._scan_scheduled:
            return
        if self._scan_next >= self._first_index + len(self._entries):
            self.searching = False
            return
        self._scan_scheduled = True
        self.searching = True
        self._scan(self._search)

    @work(group="log-search", exit_on_error=False)
    async def _scan(self, search: SearchPattern) -> None:
        """Search chunk after chunk until every line is scanned, yielding in between."""
        try:
            while self._search is search and self._scan_next < self._first_index + len(self._entries):
                self._scan_chunk(search)
                # A chunk is a few milliseconds of work: let keys and paints in between.
                await asyncio.sleep(0)
        finally:
            if self._search is search:
                self._scan_scheduled = False
                self.searching = False
                self._schedule_scan()  # a new search or new lines may have come in

    def _scan_chunk(self, search: SearchPattern) -> None:
        """Search the next `SCAN_CHUNK` lines."""
        start = self._scan_next - self._first_index
        stop = min(len(self._entries), start + SCAN_CHUNK)
        find = search.compiled.search
        found = [
            self._first_index + index
            for index, row in enumerate(islice(self._entries, start, stop), start)
            if row[_KIND] != "notice" and find(plain_of(row[_TEXT]))
        ]
        self._scan_next = self._first_index + stop
        if found:
            self._matches.extend(found)
            self._refresh_match_counts()
            if self._filter:
                self._update_virtual_size()
                if self.live:
                    self._move_to(self.max_scroll_y)
            self.refresh()

    def _refresh_match_counts(self) -> None:
        self.match_count = len(self._matches)
        if self._current is None:
            self.match_position = 0
        else:
            self.match_position = bisect_left(self._matches, self._current) + 1

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
        _freeze_gc()

    def on_unmount(self) -> None:
        _thaw_gc()

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
        return max(1, -(-row[_CELLS] // body_width))

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

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        """Render one row of the viewport (Line API)."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base_style = self._style("")
        row = scroll_y + y
        if row >= self._total_rows() or row < 0:
            return Strip.blank(width, base_style)
        if not self._wrapping():
            strip = self._line_strip(self._entry_at_row(row) if self._filter else row)
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
        row = self._entries[index]
        text = row[_TEXT]
        if row[_KIND] != "notice" and self._search is None and row[_CELLS] == len(text) and _is_plain(text):
            strip = self._plain_strip(row)
        else:
            line = self._line_text(row, self._first_index + index)
            strip = Strip(list(line.render(self.app.console)), line.cell_len)
        self._cache[key] = strip
        return strip

    def _plain_strip(self, row: Row) -> Strip:
        """Segments built directly for a printable ASCII line: what `_line_text` renders, faster."""
        text, kind, stamp, width = row
        base = self._style("")
        segments: list[Segment] = []
        if self._show_gutter:
            mark = _GUTTER_MARK[kind]
            segments.append(Segment(mark, base + self._kind_style(kind)))
            width += len(mark)
        if self._show_timestamps:
            segments.append(Segment(format_timestamp(stamp), base + self._style("log-view--timestamp")))
            width += TIMESTAMP_WIDTH
        segments.append(Segment(text, base))
        return Strip(segments, width)

    def _line_text(self, row: Row, index: int) -> Text:
        """Gutter + timestamp + the sanitised line, with the base style beneath."""
        text, kind, stamp, _cells = row
        line = Text(no_wrap=True, end="")
        if self._show_gutter:
            mark_style = self._kind_style(kind)
            line.append(_GUTTER_MARK[kind], style=mark_style)
        if self._show_timestamps:
            line.append(format_timestamp(stamp), style=self._style("log-view--timestamp"))
        if kind == "notice":
            line.append(text, style=self._kind_style("notice"))
        else:
            body = display_text(text)
            if self._search is not None:
                self._highlight(body, current=index == self._current)
            line.append_text(body)
        line.stylize_before(self._style(""))
        return line

    def _highlight(self, body: Text, *, current: bool) -> None:
        """Overlay the match style on every match of the search in a displayed line."""
        assert self._search is not None
        style = self._style("log-view--current-match" if current else "log-view--match")
        for match in self._search.compiled.finditer(body.plain):
            if match.end() > match.start():
                body.stylize(style, match.start(), match.end())

    def _kind_style(self, kind: EntryKind) -> Style:
        if kind == "stdout":
            return Style.null()
        return self._style(f"log-view--{kind}")
