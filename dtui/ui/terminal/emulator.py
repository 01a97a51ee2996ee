"""A VT100/xterm screen kept by pyte: bytes in, a grid of cells and replies out.

pyte consumes every escape sequence the process writes; nothing of the raw stream ever
reaches the real terminal (the widget renders cells, and :func:`clean_cell` drops control
characters pyte draws as text). Scrolled-off lines go to a bounded history.
"""

from __future__ import annotations

import codecs
import copy
import re
from collections import defaultdict, deque
from collections.abc import Mapping
from typing import Any, Final

import pyte
from pyte import modes as mo
from pyte.charsets import LAT1_MAP
from pyte.screens import Char, Margins, StaticDefaultDict

DEFAULT_HISTORY: Final = 1000
"""Scrolled-off lines kept per terminal."""
FEED_CHUNK: Final = 16384
"""Bytes fed to pyte at once (the caller yields to the event loop between chunks)."""
APP_CURSOR_MODE: Final = 1 << 5
"""DECCKM (private mode 1, as pyte stores private modes): cursor keys send ``ESC O A``."""
BRACKETED_PASTE_MODE: Final = 2004 << 5
"""Private mode 2004: pastes are wrapped in ``ESC [ 200 ~`` ... ``ESC [ 201 ~``."""
ALTERNATE_SCREEN_MODES: Final = frozenset({47, 1047, 1049})
"""Private modes that switch to the alternate screen (full-screen programs: vi, less, top)."""
COLUMN_MODE: Final = 3
"""DECCOLM (80/132 columns): ignored, the pane's width is the widget's."""
MAX_REPLY_BYTES: Final = 4096
MAX_CACHED_STYLES: Final = 256
"""Answers (cursor position reports...) kept until sent; a flood of queries is cut."""

Line = Mapping[int, Char]

_DROPPED: Final = dict.fromkeys([*range(0x01, 0x07), *range(0x10, 0x1B), *range(0x1C, 0x20), *range(0x80, 0xA0),
                                0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""C0 controls a terminal ignores, C1 controls and bidi controls (pyte would draw some, or lose the rest of the run)."""

_PLAIN: Final = re.compile("[\x20-\x7e\r\n]*")
"""Output of the fast path: printable ASCII, CR and LF only."""

_PRINTABLE: Final = "".join(map(chr, range(0x20, 0x7F)))

_UNSAFE = frozenset(
    [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)


def clean_cell(data: str) -> str:
    """A cell's text with control characters (C0, DEL, C1, bidi overrides) shown as ``?``."""
    if data.isascii() and data.isprintable():
        return data
    return "".join("?" if c in _UNSAFE else c for c in data)


class _Screen(pyte.Screen):
    """pyte's screen with a bounded history of lines scrolled off the top and collected replies."""

    def __init__(self, columns: int, lines: int, history: int) -> None:
        self.history: deque[Line] = deque(maxlen=history)
        self.replies: list[str] = []
        self.reply_size = 0
        self.scrolled_off = 0  # lines ever moved into the history (it is bounded; this is not)
        self._cells: dict[Char, dict[str, Char]] = {}  # cells are immutable: one per (style, character)
        self._main: tuple[Any, Any] | None = None  # the main screen's buffer and cursor while the alternate shows
        super().__init__(columns, lines)

    def index(self) -> None:
        """pyte's ``index`` (scroll up at the bottom margin), keeping the line that leaves the top."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if self.cursor.y != bottom:
            self.cursor_down()
            return
        buffer = self.buffer
        if top == 0 and self._main is None:
            self.history.append(buffer[top])
            self.scrolled_off += 1
        self.dirty.update(range(self.lines))
        for y in range(top, bottom):
            below = buffer.get(y + 1)  # a missing line is blank: no need to build one
            if below is None:
                buffer.pop(y, None)
            else:
                buffer[y] = below
        buffer.pop(bottom, None)

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        """Like a real terminal: a shorter screen drops blank lines under the cursor first, then
        moves top lines into the history (pyte would drop top lines and leave the cursor behind)."""
        lines, columns = lines or self.lines, columns or self.columns
        if lines < self.lines:
            drop_top = max(self.lines - lines - (self.lines - 1 - self.cursor.y), 0)
            if drop_top:
                self._scroll_off(drop_top)
            for y in range(lines, self.lines):
                self.buffer.pop(y, None)
            self.lines = lines
        super().resize(lines, columns)
        self.set_margins()
        self.cursor.y = min(self.cursor.y, self.lines - 1)
        self.dirty.update(range(self.lines))

    def _scroll_off(self, count: int) -> None:
        buffer = self.buffer
        if self._main is None:
            self.history.extend(buffer[y] for y in range(count))
            self.scrolled_off += count
        for y in range(self.lines):
            below = buffer.get(y + count) if y + count < self.lines else None
            if below is None:
                buffer.pop(y, None)
            else:
                buffer[y] = below
        self.cursor.y -= count

    def draw(self, data: str) -> None:
        """pyte's ``draw``, with a fast path for plain ASCII (one shared cell per character and style)."""
        charset = self.g1_charset if self.charset else self.g0_charset
        if charset is not LAT1_MAP or mo.IRM in self.mode or not (data.isascii() and data.isprintable()):
            super().draw(data)
            return
        cursor: Any = self.cursor
        cells = self._cells_of(cursor.attrs)
        columns, wraps = self.columns, mo.DECAWM in self.mode
        start = 0
        while start < len(data):
            if cursor.x >= columns:
                if not wraps:  # each further character overwrites the last column
                    self.buffer[cursor.y][columns - 1] = self._cell(cells, cursor.attrs, data[-1])
                    break
                self.dirty.add(cursor.y)
                self.carriage_return()
                self.linefeed()
            line, x = self.buffer[cursor.y], cursor.x
            piece = data[start : start + columns - x]
            for character in piece:
                line[x] = cells.get(character) or self._cell(cells, cursor.attrs, character)
                x += 1
            cursor.x = x
            start += len(piece)
        self.dirty.add(cursor.y)

    def takes_plain_lines(self) -> bool:
        """True when :meth:`draw_plain_lines` gives what pyte would (the common state of a shell)."""
        charset = self.g1_charset if self.charset else self.g0_charset
        return (charset is LAT1_MAP and self.margins is None and self._main is None and mo.DECAWM in self.mode
                and mo.LNM not in self.mode and mo.IRM not in self.mode)

    def draw_plain_lines(self, text: str) -> None:
        """Printable ASCII, CR and LF drawn in one go (a flood of output), as pyte would draw them.

        The screen's rows are shifted once per chunk instead of once per line, cells are set a
        row piece at a time, and lines that would scroll out of the bounded history before the
        chunk ends are only counted, not drawn.
        """
        cursor: Any = self.cursor
        cell_of = self._printable_cells(cursor.attrs).__getitem__
        columns, lines, buffer = self.columns, self.lines, self.buffer
        blank = self.default_char
        rows: list[Any] = [buffer.get(y) for y in range(lines)]
        gone: list[Any] = []
        x, y = cursor.x, cursor.y
        start_y = y
        parts = text.split("\n")
        # A line followed by this many more ends up past the history (and the screen): not drawn.
        drawn_from = len(parts) - (lines + (self.history.maxlen or 0) + 2)
        for number, part in enumerate(parts):
            if number:
                y = self._next_row(rows, gone, y, blank)
            keep = number >= drawn_from
            for index, piece in enumerate(part.split("\r")):
                if index:
                    x = 0
                start, size = 0, len(piece)
                while start < size:
                    if x >= columns:
                        x, y = 0, self._next_row(rows, gone, y, blank)
                    count = min(size - start, columns - x)
                    if keep:
                        row = rows[y]
                        if row is None:
                            row = rows[y] = StaticDefaultDict(blank)
                        row.update(zip(range(x, x + count), map(cell_of, piece[start : start + count]), strict=True))
                    x += count
                    start += count
        for line, row in enumerate(rows):
            if row is None:
                buffer.pop(line, None)
            else:
                buffer[line] = row
        self.history.extend(gone)
        self.scrolled_off += len(gone)
        cursor.x, cursor.y = x, y
        self.dirty.update(range(lines) if gone else range(start_y, y + 1))

    def _next_row(self, rows: list[Any], gone: list[Any], y: int, blank: Char) -> int:
        if y < self.lines - 1:
            return y + 1
        top = rows.pop(0)
        gone.append(top if top is not None else StaticDefaultDict(blank))
        rows.append(None)
        return y

    def _printable_cells(self, attrs: Char) -> dict[str, Char]:
        """The cells of every printable ASCII character in ``attrs``'s style."""
        cells = self._cells_of(attrs)
        if len(cells) < len(_PRINTABLE):
            for character in _PRINTABLE:
                if character not in cells:
                    self._cell(cells, attrs, character)
        return cells

    def _cells_of(self, attrs: Char) -> dict[str, Char]:
        cells = self._cells.get(attrs)
        if cells is None:
            if len(self._cells) >= MAX_CACHED_STYLES:
                self._cells.clear()
            cells = self._cells[attrs] = {}
        return cells

    @staticmethod
    def _cell(cells: dict[str, Char], attrs: Char, character: str) -> Char:
        cell = cells[character] = attrs._replace(data=character)
        return cell

    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private"):
            modes = tuple(mode for mode in modes if mode != COLUMN_MODE)  # xterm ignores it too by default
        if kwargs.get("private") and self._main is None and ALTERNATE_SCREEN_MODES.intersection(modes):
            self._main = (self.buffer, copy.copy(self.cursor))
            self.buffer = defaultdict(lambda: StaticDefaultDict(self.default_char))
            self.dirty.update(range(self.lines))
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private"):
            modes = tuple(mode for mode in modes if mode != COLUMN_MODE)
        if kwargs.get("private") and self._main is not None and ALTERNATE_SCREEN_MODES.intersection(modes):
            self.buffer, self.cursor = self._main
            self._main = None
            self.dirty.update(range(self.lines))
        super().reset_mode(*modes, **kwargs)

    def write_process_input(self, data: str) -> None:
        if self.reply_size + len(data) <= MAX_REPLY_BYTES:
            self.replies.append(data)
            self.reply_size += len(data)

    def set_title(self, param: str) -> None:
        """Titles are ignored (a container must not name dtui's tabs)."""

    def set_icon_name(self, param: str) -> None:
        """Icon names are ignored too."""


class Emulator:
    """One terminal's state: feed it output, read its lines, cursor, modes and replies.

    Args:
        columns: Width in cells.
        lines: Height in lines.
        history: Scrolled-off lines kept.
    """

    def __init__(self, columns: int, lines: int, history: int = DEFAULT_HISTORY) -> None:
        self._screen = _Screen(max(columns, 1), max(lines, 1), history)
        self._stream = pyte.Stream(self._screen)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    @property
    def columns(self) -> int:
        """Width in cells."""
        return int(self._screen.columns)

    @property
    def lines(self) -> int:
        """Height in lines."""
        return int(self._screen.lines)

    @property
    def history(self) -> deque[Line]:
        """Lines scrolled off the top, oldest first (bounded)."""
        return self._screen.history

    @property
    def scrolled_off(self) -> int:
        """How many lines ever went into the history (grows past its bound)."""
        return int(self._screen.scrolled_off)

    def line(self, y: int) -> Line:
        """The cells of screen line ``y`` (missing cells are blanks)."""
        return self._screen.buffer[y]

    @property
    def cursor(self) -> tuple[int, int, bool]:
        """(x, y, visible)."""
        cursor: Any = self._screen.cursor
        return int(cursor.x), int(cursor.y), not cursor.hidden

    @property
    def app_cursor(self) -> bool:
        """The program asked for application cursor keys."""
        return APP_CURSOR_MODE in self._screen.mode

    @property
    def bracketed_paste(self) -> bool:
        """The program asked for bracketed paste."""
        return BRACKETED_PASTE_MODE in self._screen.mode

    def follow_bare_newlines(self) -> None:
        """Treat LF as CR LF (output without a TTY, e.g. an attach to a container started without ``-t``)."""
        self._screen.set_mode(mo.LNM)

    def feed(self, data: bytes) -> set[int]:
        """Apply output bytes; returns the screen lines that changed.

        A sequence pyte cannot parse (e.g. a number too long for ``int``) resets the
        parser, not the screen: the stream goes on.
        """
        try:
            text = self._decoder.decode(data).translate(_DROPPED)
            if _PLAIN.fullmatch(text) and self._stream._taking_plain_text and self._screen.takes_plain_lines():
                self._screen.draw_plain_lines(text)
            else:
                self._stream.feed(text)
        except Exception:  # noqa: BLE001 - hostile input must not end the session
            self._stream = pyte.Stream(self._screen)
        return self.take_dirty()

    def take_dirty(self) -> set[int]:
        """The lines changed since the last call."""
        dirty = {y for y in self._screen.dirty if 0 <= y < self._screen.lines}
        self._screen.dirty.clear()
        return dirty

    def take_replies(self) -> bytes:
        """What the terminal answers the process (e.g. ``ESC [ 6 n`` -> ``ESC [ row ; col R``)."""
        replies, self._screen.replies = self._screen.replies, []
        self._screen.reply_size = 0
        return "".join(replies).encode("utf-8", "replace")

    def resize(self, columns: int, lines: int) -> None:
        """Follow a new size (every line is redrawn)."""
        columns, lines = max(columns, 1), max(lines, 1)
        if (columns, lines) != (self.columns, self.lines):
            self._screen.resize(lines, columns)
            self._screen.dirty.update(range(lines))
