"""The terminal-emulator widget: a :class:`TerminalSource` on screen, keys to its process.

Output goes through pyte (:mod:`.emulator`); the widget paints cells from pyte's buffer as
Rich segments with styles built by value (never markup), re-rendering only the lines pyte
marks dirty. Keys become xterm byte sequences (:mod:`.keys`); the widget's size follows
its layout and reaches the process (debounced). Cursor queries (``ESC [ 6 n``) are answered.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar, Final

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from dtui.engine.errors import EngineError
from dtui.ui.safe_text import safe_plain
from dtui.ui.terminal.emulator import DEFAULT_HISTORY, FEED_CHUNK, Emulator, Line, clean_cell
from dtui.ui.terminal.keys import key_bytes, paste_bytes
from dtui.ui.terminal.sources import Outcome, Session, TerminalSource, failure

RESIZE_DEBOUNCE_SECONDS: Final = 0.15
MAX_QUEUED_INPUTS: Final = 1024
"""Key presses and pastes waiting to be written; more ring the bell instead."""
MAX_STYLES: Final = 4096
MAX_READ_AHEAD: Final = 1 << 20
"""Output bytes read ahead of the emulator at most (a flood waits in the socket beyond this)."""
WHEEL_LINES: Final = 3
DEFAULT_SIZE: Final = (24, 80)

_ANSI = {"black": 0, "red": 1, "green": 2, "brown": 3, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7}


def cell_colour(name: str) -> Color | None:
    """pyte's colour (``"red"``, ``"brightblue"``, ``"ff8700"``, ``"default"``) as a Rich colour."""
    if name in _ANSI:
        return Color.from_ansi(_ANSI[name])
    if name.startswith("bright") and name[6:] in _ANSI:
        return Color.from_ansi(_ANSI[name[6:]] + 8)
    if len(name) == 6:
        try:
            return Color.from_rgb(int(name[0:2], 16), int(name[2:4], 16), int(name[4:6], 16))
        except ValueError:
            return None
    return None


class _Reads:
    """The session's output read ahead by a task of its own, handed out as everything that arrived.

    While the widget feeds one piece, the next reads pile up (bounded by ``MAX_READ_AHEAD``)
    and go to the emulator in one feed: a flood costs one pass per frame, not one per read.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pieces: list[bytes] = []
        self._size = 0
        self._arrived = asyncio.Event()
        self._room = asyncio.Event()
        self._task = asyncio.create_task(self._read_all())

    async def _read_all(self) -> None:
        while data := await self._session.read():
            self._pieces.append(data)
            self._size += len(data)
            self._arrived.set()
            while self._size >= MAX_READ_AHEAD:
                self._room.clear()
                await self._room.wait()
        self._arrived.set()

    async def take(self) -> bytes:
        """Everything read so far (waiting for some); ``b""`` at the end. Read errors are raised here."""
        while not self._pieces:
            if self._task.done():
                self._task.result()  # the session's error, if it failed
                return b""
            self._arrived.clear()
            arrived = asyncio.ensure_future(self._arrived.wait())
            try:
                await asyncio.wait([self._task, arrived], return_when=asyncio.FIRST_COMPLETED)
            finally:
                arrived.cancel()
        data = b"".join(self._pieces)
        self._pieces, self._size = [], 0
        self._room.set()
        return data

    def close(self) -> None:
        """Stop reading (the session is closing)."""
        self._task.cancel()


class TerminalView(Widget, can_focus=True):
    """One terminal: runs ``source`` once mounted, shows its screen, types into it.

    Args:
        source: What to run (an exec, an attach, a test fake).
        history: Scrolled-off lines kept for Shift+PgUp.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+right_square_bracket", "leave", "Leave shell", id="terminal.leave", priority=True),
        Binding("shift+pageup", "scroll_back", "Scroll back", id="terminal.scroll_back", show=False, priority=True),
        Binding("shift+pagedown", "scroll_forward", "Scroll forward", id="terminal.scroll_forward", show=False,
                priority=True),
    ]

    @dataclass
    class Left(Message):
        """The user asked to leave the terminal (``ctrl+]``)."""

        view: TerminalView

    @dataclass
    class Ended(Message):
        """The session ended (or never started); the pane says why."""

        view: TerminalView
        outcome: Outcome

    def __init__(self, source: TerminalSource, *, history: int = DEFAULT_HISTORY, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.emulator = Emulator(DEFAULT_SIZE[1], DEFAULT_SIZE[0], history)
        self.outcome: Outcome | None = None
        self._session: Session | None = None
        self._inputs: asyncio.Queue[bytes] = asyncio.Queue(MAX_QUEUED_INPUTS)
        self._strips: dict[int, Strip] = {}
        self._styles: dict[tuple[object, ...], Style] = {}
        self._scrolled = 0
        self._cursor_line = 0
        self._resize_timer: Timer | None = None
        self._started = False

    # -- state ------------------------------------------------------------------------

    @property
    def live(self) -> bool:
        """True while the session is open."""
        return self._session is not None

    @property
    def takes_every_key(self) -> bool:
        """Every key belongs to the process now: the screen's own actions step back (footer too)."""
        return self.live and self.has_focus

    @property
    def holds_app_keys(self) -> bool:
        """The app's priority keys (ctrl+p, ctrl+q) stay away while the terminal has the focus.

        Also once the session ended: detach keys typed a moment too late must not quit dtui.
        """
        return self.has_focus

    @property
    def scrolled(self) -> int:
        """Lines scrolled back into the history (0: following the screen)."""
        return self._scrolled

    def screen_text(self) -> list[str]:
        """The screen as plain lines (tests, search)."""
        width = self.emulator.columns
        return ["".join(self.emulator.line(y)[x].data for x in range(width)).rstrip() for y in range(self.emulator.lines)]

    # -- running ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        """Start the session once the widget has its size (the process starts at that size)."""
        width, height = self.size
        if self._started or width <= 0 or height <= 0:
            return
        self._started = True
        self.emulator.resize(width, height)
        self._run()

    @work(group="terminal", exit_on_error=False)
    async def _run(self) -> None:
        """Open the session, feed its output until it ends, then say how it ended."""
        if self.source.intro:
            self.announce(self.source.intro, "yellow")
        size = (self.emulator.lines, self.emulator.columns)
        try:
            async with self.source.open(size) as session:
                self._session = session
                if getattr(session, "tty", True) is False:
                    self.emulator.follow_bare_newlines()
                if (self.emulator.lines, self.emulator.columns) != size:  # resized while it started
                    self._send_size(self.emulator.lines, self.emulator.columns)
                self._invalidate({self.emulator.cursor[1]})
                self.screen.refresh_bindings()  # the footer shows the terminal's keys only
                writer = asyncio.create_task(self._write_inputs(session))
                reads = _Reads(session)
                try:
                    while data := await reads.take():
                        await self._feed(data)
                finally:
                    self._session = None
                    writer.cancel()
                    reads.close()
            outcome = await self.source.outcome()
        except EngineError as error:
            outcome = failure(error)
        except Exception as error:  # noqa: BLE001 - one broken session must not end dtui
            outcome = failure(error)
        self._session = None
        self.outcome = outcome
        self.announce(outcome.text + "  (ctrl+w closes this tab)", "bold red" if outcome.failed else "bold")
        self.post_message(self.Ended(self, outcome))

    async def _feed(self, data: bytes) -> None:
        for start in range(0, len(data), FEED_CHUNK):
            if start:
                await asyncio.sleep(0)  # keys and other widgets stay responsive during a flood
            before = self.emulator.scrolled_off
            dirty = self.emulator.feed(data[start : start + FEED_CHUNK])
            if self._scrolled:  # reading the history: the view stays on the same lines
                self._scrolled = min(self._scrolled + self.emulator.scrolled_off - before, len(self.emulator.history))
            self._invalidate(dirty)
            replies = self.emulator.take_replies()
            if replies:
                self.send(replies)

    async def _write_inputs(self, session: Session) -> None:
        """Write queued input in order; a dropped link ends this (the read loop reports it)."""
        try:
            while True:
                await session.write(await self._inputs.get())
        except EngineError:
            return

    @property
    def takes_input(self) -> bool:
        """True until the session ended: keys typed while it opens wait in the queue for it."""
        return self._session is not None or self.outcome is None

    def send(self, data: bytes) -> None:
        """Queue input for the process (dropped with a bell when the queue is full, or once it ended)."""
        if not self.takes_input or not data:
            return
        try:
            self._inputs.put_nowait(data)
        except asyncio.QueueFull:
            self.app.bell()

    def announce(self, text: str, style: str) -> None:
        """Write a line of dtui's own (sanitized) into the terminal, on a line of its own."""
        sgr = {"bold": "1", "bold red": "1;31", "yellow": "33"}.get(style, "0")
        prefix = "\r\n" if self.emulator.cursor[0] else ""
        line = f"\x1b[0m{prefix}\x1b[{sgr}m[dtui] {safe_plain(text, max_length=500)}\x1b[0m\r\n"
        self._invalidate(self.emulator.feed(line.encode("utf-8")))

    # -- input ------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Every key (but the bindings above) goes to the process while the session is open (or opening)."""
        if not self.takes_input:
            return
        data = key_bytes(event.key, event.character, app_cursor=self.emulator.app_cursor)
        if data is None:
            return
        event.stop()
        event.prevent_default()
        self._scroll_history(0)
        self.send(data)

    def on_paste(self, event: events.Paste) -> None:
        if not self.takes_input:
            return
        event.stop()
        self._scroll_history(0)
        self.send(paste_bytes(event.text, bracketed=self.emulator.bracketed_paste))

    def action_leave(self) -> None:
        """Give the focus back to dtui (the session keeps running)."""
        self.post_message(self.Left(self))

    def action_scroll_back(self) -> None:
        """Half a screen back into the history."""
        self._scroll_history(self._scrolled + max(self.emulator.lines // 2, 1))

    def action_scroll_forward(self) -> None:
        """Half a screen towards the live screen."""
        self._scroll_history(self._scrolled - max(self.emulator.lines // 2, 1))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll_history(self._scrolled + WHEEL_LINES)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll_history(self._scrolled - WHEEL_LINES)

    def _scroll_history(self, lines_back: int) -> None:
        lines_back = min(max(lines_back, 0), len(self.emulator.history))
        if lines_back != self._scrolled:
            self._scrolled = lines_back
            self.refresh()

    # -- size -------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        if not self._started:
            self._start()
            return
        if width <= 0 or height <= 0 or (width, height) == (self.emulator.columns, self.emulator.lines):
            return
        self.emulator.resize(width, height)
        self._strips.clear()
        self.refresh()
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(RESIZE_DEBOUNCE_SECONDS, self._tell_size)

    def _tell_size(self) -> None:
        self._resize_timer = None
        if self._session is not None:
            self._send_size(self.emulator.lines, self.emulator.columns)

    @work(group="terminal-resize", exclusive=True, exit_on_error=False)
    async def _send_size(self, height: int, width: int) -> None:
        try:
            await self.source.resize(height, width)
        except EngineError:
            pass  # the process ended meanwhile; the read loop reports it

    # -- painting ---------------------------------------------------------------------

    def on_focus(self) -> None:
        self._invalidate({self.emulator.cursor[1]})

    def on_blur(self) -> None:
        self._invalidate({self.emulator.cursor[1]})

    def _invalidate(self, lines: set[int]) -> None:
        cursor_line = self.emulator.cursor[1]
        lines = lines | {cursor_line, self._cursor_line}
        self._cursor_line = cursor_line
        width = self.size.width
        for y in lines:
            self._strips.pop(y, None)
        if self._scrolled:
            self.refresh()
        elif len(lines) > self.emulator.lines // 2:
            self.refresh()
        else:
            self.refresh(*(Region(0, y, width, 1) for y in lines))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        history = self.emulator.history
        row = len(history) - self._scrolled + y
        if self._scrolled and row < len(history):
            strip = self._build(history[row], -1)
        elif row - len(history) >= self.emulator.lines:
            strip = Strip.blank(width)
        else:
            line = row - len(history) if self._scrolled else y
            strip = self._strips.get(line) or self._line_strip(line)
        return strip.adjust_cell_length(width).apply_style(self.rich_style)

    def _line_strip(self, y: int) -> Strip:
        x, cursor_y, visible = self.emulator.cursor
        show_cursor = visible and self.has_focus and self.live and not self._scrolled and cursor_y == y
        strip = self._build(self.emulator.line(y), x if show_cursor else -1)
        if not self._scrolled:
            self._strips[y] = strip
        return strip

    def _build(self, line: Line, cursor_x: int) -> Strip:
        segments: list[Segment] = []
        run: list[str] = []
        run_key: tuple[object, ...] | None = None
        for x in range(self.emulator.columns):
            char = line[x]
            if not char.data:
                continue  # the right half of a wide character
            key = (char.fg, char.bg, char.bold, char.italics, char.underscore, char.strikethrough,
                   char.reverse != (x == cursor_x), char.blink)
            if key != run_key and run:
                segments.append(Segment("".join(run), self._style(run_key)))
                run = []
            run_key = key
            run.append(clean_cell(char.data))
        if run:
            segments.append(Segment("".join(run), self._style(run_key)))
        return Strip(segments)

    def _style(self, key: tuple[object, ...] | None) -> Style:
        if key is None:
            return Style()
        style = self._styles.get(key)
        if style is None:
            if len(self._styles) >= MAX_STYLES:
                self._styles.clear()
            fg, bg, bold, italic, underline, strike, reverse, blink = key
            style = Style(
                color=cell_colour(str(fg)), bgcolor=cell_colour(str(bg)), bold=bool(bold) or None,
                italic=bool(italic) or None, underline=bool(underline) or None, strike=bool(strike) or None,
                reverse=bool(reverse) or None, blink=bool(blink) or None,
            )
            self._styles[key] = style
        return style
