"""Searching the log view: matches found in chunks, stepped through, shown alone.

`LogViewSearch.set_search` compiles nothing itself (see `SearchPattern`); it scans the ring
in chunks of `SCAN_CHUNK` lines, one chunk per message-loop turn, so a 100 000-line buffer
never blocks input; lines that arrive later are scanned the same way. Matching runs on the
line's plain text (`plain_of`), one match per line counts. With ``filter_matches`` on, only
matching lines are shown (and wrap is not applied).
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import islice
from typing import Final

from textual import work

from dtui.ui.logs.rows import KIND, TEXT, plain_of
from dtui.ui.logs.search_pattern import SearchPattern
from dtui.ui.logs.view_base import LogViewBase

SCAN_CHUNK: Final = 5000
"""Lines searched per message-loop turn."""


class LogViewSearch(LogViewBase):
    """The search part of `LogView`: the active search, its matches, filter mode."""


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
            if row[KIND] != "notice" and find(plain_of(row[TEXT]))
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
