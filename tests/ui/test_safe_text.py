"""Tests for dtui.ui.safe_text: untrusted text must never control the terminal."""

from __future__ import annotations

import io
import re

import pytest
from rich.color import Color, ColorType
from rich.console import Console
from rich.style import Style
from rich.text import Span, Text
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Label, Static

from dtui.ui.safe_text import (
    safe_content,
    safe_line,
    safe_line_content,
    safe_plain,
    safe_text,
    strip_controls,
)

RED = Style(color=Color.from_ansi(1))
GREEN = Style(color=Color.from_ansi(2))

# (payload, visible text expected after sanitizing)
HOSTILE: list[tuple[str, str]] = [
    ("a\x1b]0;PWNED\x07b", "ab"),  # OSC 0 window title
    ("a\x1b]2;PWNED\x1b\\b", "ab"),  # OSC 2, ST-terminated
    ("a\x1b]52;c;ZXZpbA==\x07b", "ab"),  # OSC 52 clipboard write
    ("\x1b]8;;http://evil.invalid/\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8
    ("a\x1b[2Jb", "ab"),  # clear screen
    ("a\x1b[6nb", "ab"),  # cursor position report request
    ("a\x1b[?1049hb", "ab"),  # alternate screen
    ("a\x1b[>4;1mb", "ab"),  # modifyOtherKeys: ends in m but is not SGR
    ("a\x1bcb", "ab"),  # RIS full reset
    ("a\x1b7b\x1b8", "ab"),  # save / restore cursor
    ("\x1b(Babc", "abc"),  # charset select
    ("a\x1b#8b", "ab"),  # DECALN screen fill
    ("\x9b31mred", "31mred"),  # 8-bit CSI: C1 dropped, rest inert text
    ("\x9d0;x\x07y", "0;xy"),  # 8-bit OSC: C1 dropped, BEL dropped
    ("a\x1bP1$r\x1b\\b", "ab"),  # DCS (DECRQSS)
    ("a\x1b_Gf=100;AAAA\x1b\\b", "ab"),  # APC (kitty graphics)
    ("a\x1b^secret\x1b\\b", "ab"),  # PM
    ("a\x1bXsos\x1b\\b", "ab"),  # SOS
    ("a\x1b]0;t\x9cb", "ab"),  # OSC ended by 8-bit ST
    ("a\x1b]0;PWNED", "a"),  # unterminated OSC: dropped to the end
    ("a\x1bP1$r", "a"),  # unterminated DCS
    ("a\x1b[12", "a"),  # truncated CSI
    ("a\x1b", "a"),  # trailing lone ESC
    ("a\x1b\x1bb", "a"),  # lone ESC, then "ESC b" (a two-char escape)
    ("a\x1b\u00e9b", "a\u00e9b"),  # lone ESC before non-ASCII
    ("a\x07b", "ab"),  # BEL
    ("a\x08b", "ab"),  # BS
    ("a\x7fb", "ab"),  # DEL
    ("a\x00b", "ab"),  # NUL
    ("a\x0b\x0cb", "ab"),  # VT, FF
    ("a\x85b", "ab"),  # NEL (C1)
    ("a\x00\x1b]0;PWNED\x07b", "ab"),  # a control run must not hide an ESC
    ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    ("[/]", "[/]"),
    ("[bold]", "[bold]"),
    ("\x1b[31m[@click=app.quit]x[/]\x1b[0m", "[@click=app.quit]x[/]"),
]

# Bytes that must never reach the terminal from untrusted text.
FORBIDDEN = [
    "]0;",
    "]2;",
    "]52;",
    "]8;",
    "\x1b[2J",
    "\x1b[6n",
    "\x1b[?1049h",
    "\x1b[>4",
    "\x1bc",
    "\x1b7",
    "\x1b(",
    "\x1bP",
    "\x1b_",
    "\x1b^",
    "\x1bX",
    "\x9b",
    "\x9d",
    "\x9c",
    "\x85",
    "\x07",
    "\x08",
    "\x7f",
    "\x00",
    "evil.invalid",
    "PWNED",
    "ZXZpbA==",
]

_SGR_OUT = re.compile(r"\x1b\[[0-9;]*m")
_ANY_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def render(renderable: Text) -> str:
    """Render through a truecolor Rich console and return the raw output.

    Args:
        renderable: Text to print.

    Returns:
        Everything Rich wrote, escape sequences included.
    """
    file = io.StringIO()
    console = Console(
        file=file, force_terminal=True, color_system="truecolor", width=200
    )
    console.print(renderable)
    return file.getvalue()


def assert_terminal_safe(output: str) -> None:
    """Assert raw terminal output holds only SGR, printable text and newlines.

    Args:
        output: Raw console output.
    """
    for payload in FORBIDDEN:
        assert payload not in output, f"{payload!r} leaked into {output!r}"
    assert _ANY_CONTROL.search(_SGR_OUT.sub("", output)) is None, repr(output)


# ---------------------------------------------------------------- payloads


@pytest.mark.parametrize(("payload", "expected"), HOSTILE)
def test_safe_text_plain(payload: str, expected: str) -> None:
    assert safe_text(payload).plain == expected


@pytest.mark.parametrize(("payload", "expected"), HOSTILE)
def test_strip_controls(payload: str, expected: str) -> None:
    assert strip_controls(payload) == expected


@pytest.mark.parametrize(("payload", "expected"), HOSTILE)
def test_rendered_output_is_safe(payload: str, expected: str) -> None:
    output = render(safe_text(payload))
    assert_terminal_safe(output)
    assert expected in _SGR_OUT.sub("", output)


@pytest.mark.parametrize(("payload", "expected"), HOSTILE)
def test_rendered_line_and_content_are_safe(payload: str, expected: str) -> None:
    assert_terminal_safe(render(safe_line(payload)))
    assert safe_content(payload).plain == expected
    assert safe_plain(payload) == expected


@pytest.mark.parametrize(
    "payload",
    [
        "a\x1b]0;PWNED\x07b",
        "a\x1b[2Jb",
        "a\x1bcb",
        "\x9b31m",
        "a\x1b]52;c;ZXZpbA==\x07",
    ],
)
def test_unsanitized_text_would_leak(payload: str) -> None:
    """Control: plain Rich Text lets these through, so the checks above bite."""
    with pytest.raises(AssertionError):
        assert_terminal_safe(render(Text(payload)))


def test_osc8_link_leaves_no_link_style() -> None:
    text = safe_text("\x1b]8;;http://evil.invalid/\x1b\\link\x1b]8;;\x1b\\")
    assert text.spans == []
    assert "\x1b]8" not in render(text)


def test_unterminated_osc_stops_at_line_end() -> None:
    assert safe_text("a\x1b]0;PWNED\nnext").plain == "a\nnext"


def test_osc_ends_at_next_escape() -> None:
    text = safe_text("\x1b]0;title\x1b[31mred")
    assert text.plain == "red"
    assert text.spans == [Span(0, 3, RED)]


def test_surrogates_become_replacement_character() -> None:
    text = safe_text("a\udc9b\udcffb")
    assert text.plain == "a\ufffd\ufffdb"
    render(text)  # must not raise UnicodeEncodeError


def test_tab_and_newline_kept_in_safe_text() -> None:
    assert safe_text("a\tb\nc").plain == "a\tb\nc"
    assert strip_controls("\x1b[1ma\tb\nc") == "a\tb\nc"


def test_plain_fast_path_returns_same_text() -> None:
    line = "2024-05-01T12:00:00Z INFO all good [x] ünïcødé 日本"
    assert strip_controls(line) is line
    assert safe_text(line).plain == line
    assert safe_text(line).spans == []


# ---------------------------------------------------------------- SGR


def test_sgr_red_becomes_span() -> None:
    text = safe_text("\x1b[31mred\x1b[0m")
    assert text.plain == "red"
    assert text.spans == [Span(0, 3, RED)]


def test_sgr_reset_forms() -> None:
    text = safe_text("\x1b[31ma\x1b[0mb\x1b[32mc\x1b[md")
    assert text.plain == "abcd"
    assert text.spans == [Span(0, 1, RED), Span(2, 3, GREEN)]


def test_sgr_bold_and_unbold() -> None:
    text = safe_text("\x1b[1mb\x1b[22mn")
    assert text.plain == "bn"
    assert text.spans[0] == Span(0, 1, Style(bold=True))
    for span in text.spans[1:]:
        assert isinstance(span.style, Style)
        assert span.style.bold is not True


def test_sgr_combined_parameters() -> None:
    text = safe_text("\x1b[1;4;31mx")
    expected = Style(bold=True, underline=True, color=Color.from_ansi(1))
    assert text.spans == [Span(0, 1, expected)]


def test_sgr_256_colour() -> None:
    (span,) = safe_text("\x1b[38;5;196mx").spans
    assert isinstance(span.style, Style)
    assert span.style.color is not None
    assert span.style.color.type == ColorType.EIGHT_BIT
    assert span.style.color.number == 196
    (span,) = safe_text("\x1b[48;5;21mx").spans
    assert isinstance(span.style, Style)
    assert span.style.bgcolor == Color.from_ansi(21)


def test_sgr_truecolor_semicolon_and_colon() -> None:
    for payload in (
        "\x1b[38;2;255;128;0mx",
        "\x1b[38:2::255:128:0mx",
        "\x1b[38:2:255:128:0mx",
    ):
        (span,) = safe_text(payload).spans
        assert span.style == Style(color=Color.from_rgb(255, 128, 0)), payload


def test_sgr_bright_colours() -> None:
    bright_red = Color.from_ansi(9)
    assert safe_text("\x1b[91mx").spans == [Span(0, 1, Style(color=bright_red))]
    assert safe_text("\x1b[101mx").spans == [Span(0, 1, Style(bgcolor=bright_red))]


def test_sgr_extended_arguments_are_not_codes() -> None:
    # 58;5;1 (underline colour) must not turn into blink + bold.
    assert safe_text("\x1b[58;5;1mx").spans == []
    # Out-of-range index: ignored, and "1" is consumed, not bold.
    assert safe_text("\x1b[38;5;300mx").spans == []


def test_sgr_huge_parameters() -> None:
    assert safe_text("\x1b[" + "9" * 5000 + "mx").plain == "x"
    text = safe_text("\x1b[" + "1;" * 200_000 + "mx")
    assert text.plain == "x"
    assert text.spans == []


def test_sgr_carries_over_lines() -> None:
    text = safe_text("\x1b[32mgreen\nstill\x1b[0m")
    assert text.plain == "green\nstill"
    assert text.spans == [Span(0, 5, GREEN), Span(6, 11, GREEN)]


def test_keep_sgr_false_drops_colours() -> None:
    text = safe_text("\x1b[31mred\x1b[0m", keep_sgr=False)
    assert text.plain == "red"
    assert text.spans == []
    assert safe_line("\x1b[31mred", keep_sgr=False).spans == []


def test_sgr_renders_as_colour() -> None:
    output = render(safe_text("\x1b[31mred\x1b[0m"))
    assert "\x1b[31mred\x1b[0m" in output


def test_base_style_applied() -> None:
    assert safe_text("x", style="bold").style == "bold"
    assert safe_line("x", style=RED).style == RED


# ---------------------------------------------------------------- carriage return


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("10%\r20%\r30%", "30%"),
        ("a\r\nb", "a\nb"),
        ("100%\r", "100%"),
        ("abc\r\x1b[K", "abc"),
        ("x\ry\nz", "y\nz"),
        ("long line\rshort", "short"),
    ],
)
def test_carriage_return(payload: str, expected: str) -> None:
    assert safe_text(payload).plain == expected
    assert strip_controls(payload) == expected


def test_carriage_return_keeps_style() -> None:
    text = safe_text("\x1b[32m10%\r20%")
    assert text.plain == "20%"
    assert text.spans == [Span(0, 3, GREEN)]


def test_safe_line_progress() -> None:
    assert safe_line("10%\r20%\r\n").plain == "20%"


# ---------------------------------------------------------------- single line


def test_safe_line_newlines_and_tabs() -> None:
    assert safe_line("a\nb\tc\n").plain == "a\u23ceb c"
    assert safe_line("a\r\n").plain == "a"
    assert safe_plain("a\nb\tc\r\n\n") == "a\u23ceb c"


@pytest.mark.parametrize(
    ("max_length", "expected"),
    [
        (None, "abcdef"),
        (10, "abcdef"),
        (6, "abcdef"),
        (4, "abc\u2026"),
        (1, "\u2026"),
        (0, ""),
    ],
)
def test_truncation(max_length: int | None, expected: str) -> None:
    assert safe_line("abcdef", max_length=max_length).plain == expected
    assert safe_plain("abcdef", max_length=max_length) == expected


def test_truncation_clips_spans() -> None:
    text = safe_line("ab\x1b[31mcdef", max_length=4)
    assert text.plain == "abc\u2026"
    assert text.spans == [Span(2, 4, RED)]
    # The ellipsis takes the style of the text it replaces.
    assert safe_line("\x1b[31mab\x1b[0mcdef", max_length=2).spans == [Span(0, 2, RED)]
    assert safe_line("\x1b[31ma\x1b[0mbcdef", max_length=3).spans == [Span(0, 1, RED)]


def test_truncation_counts_visible_characters() -> None:
    assert safe_plain("\x1b]0;PWNED\x07abc", max_length=3) == "abc"


def test_negative_max_length() -> None:
    with pytest.raises(ValueError):
        safe_line("x", max_length=-1)
    with pytest.raises(ValueError):
        safe_plain("x", max_length=-1)


def test_safe_plain_keeps_brackets_and_drops_sgr() -> None:
    assert safe_plain("\x1b[31m[bold]x[/]\x1b[0m\n") == "[bold]x[/]"


# ---------------------------------------------------------------- Content


def test_safe_content_is_literal() -> None:
    content = safe_content("\x1b[31m[@click=app.quit]x[/]\x1b[0m [bold]")
    assert isinstance(content, Content)
    assert content.plain == "[@click=app.quit]x[/] [bold]"
    assert len(content.spans) == 1
    assert content.spans[0].start == 0
    assert content.spans[0].end == len("[@click=app.quit]x[/]")


def test_safe_line_content() -> None:
    content = safe_line_content("a\nb\x1b]0;PWNED\x07", max_length=10)
    assert isinstance(content, Content)
    assert content.plain == "a\u23ceb"


# ---------------------------------------------------------------- speed / ReDoS


MEGABYTE_PAYLOADS = {
    "plain": "a" * 1_000_000,
    "unterminated-osc": "\x1b]" + "a" * 1_000_000,
    "unterminated-csi": "\x1b[" + "1" * 1_000_000,
    "long-sgr": "\x1b[" + "1;" * 500_000 + "m",
    "escs": "\x1b" * 1_000_000,
    "csi-introducers": "\x1b[" * 333_333,
    "osc-introducers": "\x1b]0;" * 250_000,
    "dcs-then-escs": "\x1bP" + "\x1b" * 1_000_000,
    "c1-csi": "\x9b" * 1_000_000,
    "carriage-returns": "\r" * 1_000_000,
    "mixed-lines": ("\x1b[31mred\x1b[0m \x1b]0;x\x07" + "y" * 80 + "\r\n") * 10_000,
}


@pytest.mark.parametrize(
    "payload", list(MEGABYTE_PAYLOADS.values()), ids=list(MEGABYTE_PAYLOADS)
)
def test_megabyte_input_is_handled(payload: str) -> None:
    """1 MB hostile inputs finish (the regexes are linear) and leave no control character.

    Speed itself is measured by the benchmarks, never asserted here.
    """
    for result in (safe_text(payload).plain, strip_controls(payload), safe_line(payload, max_length=80).plain):
        assert not any(ord(c) < 32 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in result)


def test_megabyte_mixed_payload() -> None:
    payload = "x\x1b]0;PWNED\x07\x1b[2J\x9b31m" * 70_000
    text = safe_text(payload)
    assert text.plain == "x31m" * 70_000


# ---------------------------------------------------------------- Textual


HOSTILE_LINE = "[@click=app.quit]x[/] [bold] [/] \x1b]0;PWNED\x07\x1b[31mred\x1b[0m"


class _SafeApp(App[None]):
    """Shows hostile text through the sanitizer in several widgets."""

    def compose(self) -> ComposeResult:
        yield Static(safe_text(HOSTILE_LINE), id="text")
        yield Static(safe_content(HOSTILE_LINE), id="content")
        yield Label(safe_line(HOSTILE_LINE), id="line")


@pytest.mark.asyncio
async def test_textual_widgets_show_literal_text() -> None:
    app = _SafeApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        for widget_id in ("#text", "#content", "#line"):
            static = app.query_one(widget_id, Static)
            plain = static.visual.plain  # type: ignore[attr-defined]
            assert plain == "[@click=app.quit]x[/] [bold] [/] red"
            await pilot.click(widget_id, offset=(1, 0))
            await pilot.pause()
            assert app.is_running
        assert app.return_code is None


@pytest.mark.asyncio
async def test_markup_str_would_run_the_action() -> None:
    """Control: a raw str in Static is markup, so the click above is meaningful."""

    class _UnsafeApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("[@click=app.quit]xxxx[/]", id="raw")

    app = _UnsafeApp()
    async with app.run_test() as pilot:
        await pilot.click("#raw", offset=(1, 0))
        await pilot.pause()
        assert not app.is_running
