"""Drawing the log view (Line API): one cached `Strip` per line, cropped or wrapped.

A printable ASCII line without a search is built from segments directly (`_plain_strip`);
anything else goes through Rich `Text` (SGR kept, highlight of matches). Strips are cached
by the line's absolute index, so a frame costs what is on screen, never the log's size.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from dtui.ui.logs.rows import (
    CELLS,
    GUTTER_MARK,
    KIND,
    TEXT,
    TIMESTAMP_WIDTH,
    EntryKind,
    Row,
    display_text,
    format_timestamp,
    is_plain,
)
from dtui.ui.logs.view_base import LogViewBase


class LogViewRender(LogViewBase):
    """The drawing part of `LogView`."""

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
        text = row[TEXT]
        if row[KIND] != "notice" and self._search is None and row[CELLS] == len(text) and is_plain(text):
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
            mark = GUTTER_MARK[kind]
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
            line.append(GUTTER_MARK[kind], style=mark_style)
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
