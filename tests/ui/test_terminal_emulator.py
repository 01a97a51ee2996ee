"""The emulator on its own: hostile bytes, replies, history, alternate screen, resizes, colours."""

from __future__ import annotations

import random
from typing import Any

import pyte
from pyte.screens import Margins
from rich.color import Color

from dtui.ui.terminal.emulator import Emulator, clean_cell
from dtui.ui.terminal.view import cell_colour


def _text(emulator: Emulator) -> list[str]:
    return ["".join(emulator.line(y)[x].data for x in range(emulator.columns)).rstrip() for y in range(emulator.lines)]


def test_hostile_bytes_are_consumed_not_drawn() -> None:
    emulator = Emulator(40, 4)
    emulator.feed(b"\x1b]0;PWNED\x07a\x01b\xc2\x9bc\xe2\x80\xaed\x1b]52;c;ZXZpbA==\x07e")
    emulator.feed(b"\r\n\x1b[" + b"9" * 5000 + b"m")  # a number too long for int(): the parser restarts
    emulator.feed(b"still here")
    assert _text(emulator)[:2] == ["abcde", "still here"]
    assert clean_cell("\x1b") == "?" and clean_cell("\u202e") == "?" and clean_cell("é") == "é"


def test_cursor_and_attribute_queries_are_answered() -> None:
    emulator = Emulator(40, 4)
    emulator.feed(b"ab\x1b[6n\x1b[c")
    assert emulator.take_replies() == b"\x1b[1;3R\x1b[?6c"
    assert emulator.take_replies() == b""


def test_history_is_bounded_and_counted() -> None:
    emulator = Emulator(10, 3, history=5)
    emulator.feed(b"".join(b"%d\r\n" % n for n in range(20)))
    assert len(emulator.history) == 5 and emulator.scrolled_off == 18
    assert "".join(emulator.history[-1][x].data for x in range(2)) == "17"


def test_alternate_screen_returns_to_the_main_one() -> None:
    emulator = Emulator(10, 3)
    emulator.feed(b"main\r\n")
    emulator.feed(b"\x1b[?1049h\x1b[Hfull\r\n\r\n\r\nscreen")
    assert _text(emulator)[0] != "main" and emulator.scrolled_off == 0  # nothing of vi in the history
    emulator.feed(b"\x1b[?1049l")
    assert _text(emulator) == ["main", "", ""] and emulator.cursor[:2] == (0, 1)


def test_a_shorter_screen_keeps_the_cursor_line_and_ignores_132_columns() -> None:
    emulator = Emulator(20, 24)
    emulator.feed(b"intro\r\nprompt")
    emulator.resize(20, 5)
    assert _text(emulator)[:2] == ["intro", "prompt"] and emulator.cursor[:2] == (6, 1)
    emulator.feed(b"\r\n".join(b"%d" % n for n in range(6)))
    emulator.resize(20, 2)
    assert _text(emulator) == ["4", "5"] and emulator.cursor[1] == 1
    emulator.feed(b"\x1b[?3h")
    assert emulator.columns == 20


def test_modes_and_colours() -> None:
    emulator = Emulator(20, 2)
    emulator.feed(b"\x1b[?1h\x1b[?2004h")
    assert emulator.app_cursor and emulator.bracketed_paste
    emulator.feed(b"\x1b[?1l\x1b[?2004l")
    assert not emulator.app_cursor and not emulator.bracketed_paste
    assert cell_colour("red") == Color.from_ansi(1) and cell_colour("brightblue") == Color.from_ansi(12)
    assert cell_colour("ff8700") == Color.from_rgb(255, 135, 0)
    assert cell_colour("default") is None and cell_colour("zzzzzz") is None


class _ReferenceScreen(pyte.Screen):
    """Plain pyte, keeping the lines that scroll off the top (what the emulator's history holds)."""

    def __init__(self, columns: int, lines: int) -> None:
        self.scrolled: list[Any] = []
        super().__init__(columns, lines)

    def index(self) -> None:
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if self.cursor.y == bottom and top == 0:
            self.scrolled.append(self.buffer[top])
        super().index()


def _random_output(rnd: random.Random, columns: int, lines: int) -> str:
    parts = []
    for _ in range(rnd.randint(1, 60)):
        roll = rnd.random()
        if roll < 0.25:
            parts.append("\r\n")
        elif roll < 0.32:
            parts.append("\n")
        elif roll < 0.38:
            parts.append("\r")
        elif roll < 0.42:
            parts.append(f"\x1b[{rnd.choice([0, 1, 31])}m")
        elif roll < 0.44:
            parts.append(f"\x1b[{rnd.randint(1, lines)};{rnd.randint(1, columns + 2)}H")
        elif roll < 0.46:
            parts.append("\x1b[?7" + rnd.choice("hl"))
        elif roll < 0.48:
            parts.append(rnd.choice(["\x1b[2;3r", "\x1b[r", "\x1b[4h", "\x1b[4l"]))
        else:
            parts.append("".join(rnd.choice("abcXYZ 09") for _ in range(rnd.randint(1, 2 * columns))))
    return "".join(parts)


def test_the_fast_paths_draw_exactly_what_pyte_draws() -> None:
    for seed in range(150):
        rnd = random.Random(seed)
        columns, lines = rnd.randint(3, 12), rnd.randint(2, 6)
        text = _random_output(rnd, columns, lines)
        reference = _ReferenceScreen(columns, lines)
        pyte.Stream(reference).feed(text)
        emulator = Emulator(columns, lines, history=10_000)
        data, position = text.encode(), 0
        while position < len(data):  # in reads of any size, as a socket gives them
            size = rnd.randint(1, 20)
            emulator.feed(data[position : position + size])
            position += size
        cells = [[emulator.line(y)[x] for x in range(columns)] for y in range(lines)]
        assert cells == [[reference.buffer[y][x] for x in range(columns)] for y in range(lines)], (seed, text)
        assert emulator.cursor[:2] == (reference.cursor.x, reference.cursor.y), (seed, text)
        history = [[line[x] for x in range(columns)] for line in emulator.history]
        assert history == [[line[x] for x in range(columns)] for line in reference.scrolled], (seed, text)


def test_a_flood_past_the_history_draws_what_pyte_keeps() -> None:
    """Lines that scroll out of a short history within one read are skipped, not mis-drawn."""
    for seed in range(100):
        rnd = random.Random(seed)
        columns, lines, kept = rnd.randint(3, 12), rnd.randint(2, 6), rnd.randint(0, 8)
        text = "".join(rnd.choice(["\r\n", "\n", "\r", "ab", "XYZ 09" * rnd.randint(1, 3)]) for _ in range(300))
        reference = _ReferenceScreen(columns, lines)
        pyte.Stream(reference).feed(text)
        emulator = Emulator(columns, lines, history=kept)
        data, position = text.encode(), 0
        while position < len(data):
            size = rnd.randint(1, 2000)
            emulator.feed(data[position : position + size])
            position += size
        cells = [[emulator.line(y)[x] for x in range(columns)] for y in range(lines)]
        assert cells == [[reference.buffer[y][x] for x in range(columns)] for y in range(lines)], (seed, text)
        assert emulator.cursor[:2] == (reference.cursor.x, reference.cursor.y), (seed, text)
        assert emulator.scrolled_off == len(reference.scrolled), (seed, text)
        history = [[line[x] for x in range(columns)] for line in emulator.history]
        expected = reference.scrolled[len(reference.scrolled) - kept :] if kept else []
        assert history == [[line[x] for x in range(columns)] for line in expected], (seed, text)
