"""Sanitize untrusted text before it reaches the terminal.

Everything dtui shows that came from a container or the daemon (log lines,
labels, env, cmd, image names, process lists, event attributes, error text)
must pass through this module. Rich and Textual strip only a few control
characters, so an ESC in such text would reach the real terminal (title
changes, screen clears, OSC 8 links, OSC 52 clipboard writes), and a ``str``
given to a markup-parsing sink can run actions (``[@click=app.quit]``) or
crash (``[/]``).

Rules applied by every function here:

* ANSI SGR (``ESC [ params m``, including ``38;5;n`` and ``38;2;r;g;b`` and
  their colon forms) becomes Rich styles (or is dropped with
  ``keep_sgr=False``). SGR with a private marker (``ESC [ > 4 ; 1 m`` is
  xterm's modifyOtherKeys, not a colour) is dropped like any other CSI, and
  so is an SGR sequence longer than 256 characters (no real one is).
* Every other escape sequence is dropped whole: CSI (``ESC [ ... final``),
  the string sequences OSC ``ESC ]``, DCS ``ESC P``, SOS ``ESC X``,
  PM ``ESC ^`` and APC ``ESC _``, and two-character or nF escapes
  (``ESC c``, ``ESC 7``, ``ESC ( B``). A lone ESC is dropped.
* A string sequence ends at BEL, at ST (``ESC \\`` or U+009C), at the next
  ESC (which terminals also treat as the start of a new sequence), or at the
  end of the line. An unterminated one is therefore dropped to the end of
  the string (of the line, for multi-line input: a sequence never swallows
  the following lines, as every log line stands alone).
* C0 controls other than tab and newline, and DEL, are dropped.
* C1 controls (U+0080 to U+009F) are dropped one character at a time and
  never start a sequence: ``"\\x9b31m"`` becomes the visible text ``"31m"``.
  Once the introducer is gone the rest is inert printable text, and text
  decoded with the wrong codec often holds C1 characters (``"â\\x80\\x9d"``)
  that must not make the rest of the line vanish.
* Lone surrogates (from ``surrogateescape`` decoding or JSON ``\\udXXX``
  escapes) cannot be encoded for the terminal and become U+FFFD.
* A bare ``\\r`` means "overwrite the line" (progress bars): only the text
  after the last ``\\r`` of a line is kept, in the style active at that
  point. ``\\r\\n`` is a newline, and a ``\\r`` with no text after it on its
  line is ignored (``"100%\\r"`` shows ``"100%"``).
* Text is never parsed as markup: results are Rich ``Text`` or Textual
  ``Content`` objects, which sinks display literally.
"""

from __future__ import annotations

import re
from typing import Final

from rich.color import Color
from rich.style import Style
from rich.text import Span, Text
from textual.content import Content

__all__ = [
    "ELLIPSIS",
    "NEWLINE_MARK",
    "safe_content",
    "safe_line",
    "safe_line_content",
    "safe_plain",
    "safe_text",
    "strip_controls",
]

ELLIPSIS: Final = "…"
"""Appended when `safe_line` / `safe_plain` truncate."""

NEWLINE_MARK: Final = "⏎"
"""Stands for an interior line break in single-line output."""

_REPLACEMENT: Final = "\ufffd"

# Anything that needs the slow path: C0 except tab/newline, DEL, C1, surrogates.
_UNSAFE_RE: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# One alternative per token kind, all inside one group so re.split keeps
# them. Every character class is disjoint from what follows it, so each match
# is a single linear scan (no backtracking blow-up on hostile input). The
# leading look-ahead lets the regex engine skip printable text quickly
# (about twice as fast as the bare alternation).
_SPLIT_RE: Final = re.compile(
    r"(?=[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff])("
    r"\x1b(?:"
    # CSI; the final byte is optional so a truncated sequence is still eaten.
    r"\[[0-?]*[ -/]*[@-~]?"
    # OSC, DCS, SOS, PM, APC: body up to BEL / ST / next ESC / end of line.
    r"|[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x9c|\x1b\\)?"
    # Other escapes (ESC c, ESC 7, ESC ( B, ...) and a lone ESC.
    r"|[ -/]*[0-~]?"
    r")"
    r"|\r"
    r"|[\ud800-\udfff]+"
    # Remaining controls; ESC and CR are always caught above.
    r"|[\x00-\x08\x0b-\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]+"
    r")"
)

_SGR_TOKEN_RE: Final = re.compile(r"\x1b\[[0-9:;]*m")

_SGR_CACHE: Final[dict[tuple[Style, str], Style]] = {}
_SGR_CACHE_SIZE: Final = 4096

# Real SGR is a few dozen characters; longer tokens are dropped unstyled so a
# hostile "ESC [ 1;1;1;...m" cannot cost time or fill the cache.
_MAX_SGR_TOKEN: Final = 256
# More digits than this cannot be a valid SGR number (and int() has limits).
_MAX_DIGITS: Final = 3

_NULL_STYLE: Final = Style()

_SIMPLE_SGR: Final[dict[int, Style]] = {
    1: Style(bold=True),
    2: Style(dim=True),
    3: Style(italic=True),
    4: Style(underline=True),
    5: Style(blink=True),
    6: Style(blink2=True),
    7: Style(reverse=True),
    8: Style(conceal=True),
    9: Style(strike=True),
    21: Style(underline2=True),
    22: Style(bold=False, dim=False),
    23: Style(italic=False),
    24: Style(underline=False, underline2=False),
    25: Style(blink=False, blink2=False),
    27: Style(reverse=False),
    28: Style(conceal=False),
    29: Style(strike=False),
    39: Style(color="default"),
    49: Style(bgcolor="default"),
    51: Style(frame=True),
    52: Style(encircle=True),
    53: Style(overline=True),
    54: Style(frame=False, encircle=False),
    55: Style(overline=False),
}
for _index in range(8):
    _SIMPLE_SGR[30 + _index] = Style(color=Color.from_ansi(_index))
    _SIMPLE_SGR[40 + _index] = Style(bgcolor=Color.from_ansi(_index))
    _SIMPLE_SGR[90 + _index] = Style(color=Color.from_ansi(8 + _index))
    _SIMPLE_SGR[100 + _index] = Style(bgcolor=Color.from_ansi(8 + _index))
del _index

_FOREGROUND: Final = 38
_BACKGROUND: Final = 48
_UNDERLINE_COLOUR: Final = 58  # parsed so its arguments are skipped; not shown
_EXTENDED: Final = frozenset({_FOREGROUND, _BACKGROUND, _UNDERLINE_COLOUR})

_LINE_TRANSLATE: Final = str.maketrans({"\n": NEWLINE_MARK, "\t": " "})


# --------------------------------------------------------------------------
# SGR -> Style
# --------------------------------------------------------------------------


def _to_int(value: str) -> int | None:
    """Parse one SGR number.

    Args:
        value: Decimal digits (possibly empty, meaning 0).

    Returns:
        The number, or None when it is too long to be meaningful.
    """
    if not value:
        return 0
    if len(value) > _MAX_DIGITS or not value.isdigit():
        return None
    return int(value)


def _colour(kind: int | None, args: list[str]) -> Color | None:
    """Build a colour from the arguments of an extended colour parameter.

    Args:
        kind: 5 for a 256-colour index, 2 for truecolor.
        args: The numbers following the kind (index, or r, g, b).

    Returns:
        The colour, or None when the arguments are missing or out of range.
    """
    numbers = [_to_int(arg) for arg in args]
    if kind == 5 and len(numbers) >= 1:
        index = numbers[0]
        return Color.from_ansi(index) if index is not None and index < 256 else None
    if kind == 2 and len(numbers) >= 3:
        red, green, blue = numbers[:3]
        if red is None or green is None or blue is None:
            return None
        if max(red, green, blue) > 255:
            return None
        return Color.from_rgb(red, green, blue)
    return None


def _with_colour(state: Style, code: int, colour: Color | None) -> Style:
    """Apply an extended colour to a style.

    Args:
        state: Current style.
        code: 38 (foreground), 48 (background) or 58 (underline, ignored).
        colour: Colour to apply, or None to leave the style unchanged.

    Returns:
        The updated style.
    """
    if colour is None or code == _UNDERLINE_COLOUR:
        return state
    if code == _FOREGROUND:
        return state + Style(color=colour)
    return state + Style(bgcolor=colour)


def _apply_colon_param(state: Style, subparams: list[str]) -> Style:
    """Apply one ITU-style SGR parameter with colon sub-parameters.

    Handles ``38:5:n``, ``38:2:[id]:r:g:b`` (and the common ``38:2:r:g:b``)
    and ``4:n`` underline styles; other colon forms use their first number.

    Args:
        state: Current style.
        subparams: The parameter split on ``:``.

    Returns:
        The updated style.
    """
    code = _to_int(subparams[0])
    if code in _EXTENDED and len(subparams) >= 2:
        kind = _to_int(subparams[1])
        args = subparams[2:]
        if kind == 2 and len(args) >= 4:
            args = args[1:]  # skip the colour-space id
        return _with_colour(state, code, _colour(kind, args))
    if code == 4 and len(subparams) >= 2:
        underline_kind = _to_int(subparams[1])
        if underline_kind == 0:
            return _apply_code(state, 24)
        if underline_kind == 2:
            return _apply_code(state, 21)
        return _apply_code(state, 4)
    return state if code is None else _apply_code(state, code)


def _apply_code(state: Style, code: int) -> Style:
    """Apply one plain SGR number.

    Args:
        state: Current style.
        code: SGR number (unknown numbers are ignored).

    Returns:
        The updated style.
    """
    if code == 0:
        return _NULL_STYLE
    delta = _SIMPLE_SGR.get(code)
    return state if delta is None else state + delta


def _apply_sgr(state: Style, params: str) -> Style:
    """Apply the parameters of one SGR sequence to a style.

    Args:
        state: Style in effect before the sequence.
        params: The text between ``ESC [`` and ``m`` (digits, ``;``, ``:``).

    Returns:
        Style in effect after the sequence.
    """
    parts = params.split(";")
    index = 0
    while index < len(parts):
        part = parts[index]
        index += 1
        if ":" in part:
            state = _apply_colon_param(state, part.split(":"))
            continue
        code = _to_int(part)
        if code is None:
            continue
        if code in _EXTENDED:
            kind = _to_int(parts[index]) if index < len(parts) else None
            wanted = 1 if kind == 5 else 3 if kind == 2 else 0
            args = parts[index + 1 : index + 1 + wanted]
            index += 1 + wanted
            state = _with_colour(state, code, _colour(kind, args))
            continue
        state = _apply_code(state, code)
    return state


# --------------------------------------------------------------------------
# Scanner
# --------------------------------------------------------------------------


def _next_state(state: Style, token: str) -> Style:
    """Style in effect after an escape token, for the SGR cache.

    Args:
        state: Style in effect before the token.
        token: An escape token ending in ``m`` and starting with ``ESC [``.

    Returns:
        The new style; unchanged when the token is not well-formed SGR
        (private marker or intermediate bytes, as in ``ESC [ > 4 ; 1 m``)
        or longer than `_MAX_SGR_TOKEN`.
    """
    if len(token) > _MAX_SGR_TOKEN or _SGR_TOKEN_RE.fullmatch(token) is None:
        return state
    return _apply_sgr(state, token[2:-1])


def _sgr_transition(state: Style, token: str) -> Style:
    """Cached `_next_state`.

    Args:
        state: Style in effect before the token.
        token: Escape token that may be SGR.

    Returns:
        The style in effect after the token.
    """
    key = (state, token)
    cached = _SGR_CACHE.get(key)
    if cached is not None:
        return cached
    result = _next_state(state, token)
    if len(token) <= _MAX_SGR_TOKEN:
        if len(_SGR_CACHE) >= _SGR_CACHE_SIZE:
            _SGR_CACHE.clear()
        _SGR_CACHE[key] = result
    return result


def _scan(text: str, keep_sgr: bool) -> tuple[str, list[Span]]:
    """Sanitize possibly multi-line text (the slow path).

    Each line is split into visible pieces and tokens (even and odd indexes
    of ``re.split``). Tokens are SGR (tracked as style), ``\\r`` (overwrite),
    surrogates (shown as U+FFFD) or something to drop. The SGR style carries
    over to the next line, as on a terminal; nothing else does.

    Args:
        text: Untrusted text.
        keep_sgr: Turn SGR into styles (else drop it).

    Returns:
        Visible text (lines joined by ``\\n``) and its style spans.
    """
    chunks: list[str] = []
    spans: list[Span] = []
    state = _NULL_STYLE
    offset = 0
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            chunks.append("\n")
            offset += 1
        line_chunks, line_spans, line_offset = len(chunks), len(spans), offset
        pending_cr = False
        for index, piece in enumerate(_SPLIT_RE.split(line)):
            if index & 1:
                if piece == "\r":
                    pending_cr = True
                    continue
                first = piece[0]
                if first == "\x1b":
                    if keep_sgr and piece[-1] == "m" and piece[1] == "[":
                        state = _sgr_transition(state, piece)
                    continue
                if not "\ud800" <= first <= "\udfff":
                    continue  # a run of control characters
                piece = _REPLACEMENT * len(piece)
            elif not piece:
                continue
            if pending_cr:
                # Text after a CR overwrites the line; a CR with nothing after
                # it ("100%\r") leaves the line alone, as a terminal would.
                del chunks[line_chunks:], spans[line_spans:]
                offset = line_offset
                pending_cr = False
            end = offset + len(piece)
            if state:
                spans.append(Span(offset, end, state))
            chunks.append(piece)
            offset = end
    return "".join(chunks), spans


def _sanitize(text: str, keep_sgr: bool) -> tuple[str, list[Span]]:
    """Sanitize text, taking the fast path when nothing needs removing.

    Args:
        text: Untrusted text.
        keep_sgr: Turn SGR into styles (else drop it).

    Returns:
        Visible text and its style spans.
    """
    if _UNSAFE_RE.search(text) is None:
        return text, []
    return _scan(text, keep_sgr)


# --------------------------------------------------------------------------
# Single-line helpers
# --------------------------------------------------------------------------


def _single_line(plain: str) -> str:
    """Make sanitized text single-line.

    Trailing line breaks are dropped; interior ones become `NEWLINE_MARK`
    and tabs become one space. Lengths are preserved up to the stripped
    tail, so spans stay valid.

    Args:
        plain: Sanitized text.

    Returns:
        Text with no tab or newline.
    """
    return plain.rstrip("\n").translate(_LINE_TRANSLATE)


def _check_max_length(max_length: int | None) -> None:
    """Reject a negative length limit.

    Args:
        max_length: Limit given by the caller.

    Raises:
        ValueError: If the limit is negative.
    """
    if max_length is not None and max_length < 0:
        raise ValueError(f"max_length must be >= 0, not {max_length}")


def _truncate_plain(plain: str, max_length: int | None) -> str:
    """Cut text to at most ``max_length`` characters, ending in `ELLIPSIS`.

    Args:
        plain: Single-line text.
        max_length: Limit in characters, or None for no limit.

    Returns:
        The text, shortened if it was longer than the limit.
    """
    if max_length is None or len(plain) <= max_length:
        return plain
    if max_length == 0:
        return ""
    return plain[: max_length - 1] + ELLIPSIS


def _clip_spans(spans: list[Span], length: int) -> list[Span]:
    """Drop or shorten spans that reach past ``length``.

    Args:
        spans: Style spans.
        length: New text length.

    Returns:
        Spans lying within ``[0, length)``.
    """
    return [
        Span(start, min(end, length), style)
        for start, end, style in spans
        if start < length
    ]


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def strip_controls(text: str) -> str:
    """Remove every escape sequence (SGR too) and control character.

    Tabs and newlines are kept; bare ``\\r`` overwrite is applied, so the
    result matches what `safe_text` displays. Use it for search, saving and
    comparisons.

    Args:
        text: Untrusted text.

    Returns:
        Plain text safe to write anywhere that does not parse markup.
    """
    return _sanitize(text, keep_sgr=False)[0]


def safe_text(
    text: str, *, style: str | Style = "", keep_sgr: bool = True
) -> Text:
    """Turn untrusted (possibly multi-line) text into a Rich `Text`.

    SGR colours and attributes become spans; everything else that could
    control the terminal is dropped (see the module docstring). Tabs and
    newlines are kept (Rich expands tabs when rendering). The result is
    never parsed as markup.

    Args:
        text: Untrusted text.
        style: Base style for the whole text (trusted, from dtui itself).
        keep_sgr: Keep SGR colours as styles; False drops them.

    Returns:
        A `Text` holding only printable characters, tabs and newlines.
    """
    plain, spans = _sanitize(text, keep_sgr)
    return Text(plain, style=style, spans=spans)


def safe_line(
    text: str,
    *,
    style: str | Style = "",
    max_length: int | None = None,
    keep_sgr: bool = True,
) -> Text:
    """Turn untrusted text into a single-line Rich `Text`.

    For table cells, titles and notifications. Trailing line breaks are
    dropped, interior ones are shown as ``⏎`` and tabs become one space.
    Beyond ``max_length`` characters (not cells) the text is cut and ends
    in ``…``, the whole result being ``max_length`` characters long.

    Args:
        text: Untrusted text.
        style: Base style for the whole text (trusted, from dtui itself).
        max_length: Maximum length in characters, or None for no limit.
        keep_sgr: Keep SGR colours as styles; False drops them.

    Returns:
        A single-line `Text`.

    Raises:
        ValueError: If ``max_length`` is negative.
    """
    _check_max_length(max_length)
    plain, spans = _sanitize(text, keep_sgr)
    line = _truncate_plain(_single_line(plain), max_length)
    if spans:
        spans = _clip_spans(spans, len(line))
    return Text(line, style=style, spans=spans)


def safe_plain(text: str, max_length: int | None = None) -> str:
    """Turn untrusted text into a single-line plain string without styles.

    Same rules as `safe_line` (``⏎`` for interior newlines, tab as space,
    ``…`` truncation). Only for sinks that take a ``str`` and do NOT parse
    markup (e.g. ``App.title``, ``App.sub_title``, log files). Sinks that
    parse markup (``Static``/``Label`` strings, ``notify``, ``DataTable``
    str cells and labels, ``Tree`` labels, border titles, tab labels) must
    receive `safe_line` / `safe_content` objects instead: this string may
    still contain ``[@click=...]``.

    Args:
        text: Untrusted text.
        max_length: Maximum length in characters, or None for no limit.

    Returns:
        A single-line string free of escape sequences and controls.

    Raises:
        ValueError: If ``max_length`` is negative.
    """
    _check_max_length(max_length)
    plain, _spans = _sanitize(text, keep_sgr=False)
    return _truncate_plain(_single_line(plain), max_length)


def safe_content(
    text: str, *, style: str | Style = "", keep_sgr: bool = True
) -> Content:
    """Turn untrusted (possibly multi-line) text into Textual `Content`.

    Built from a `Text` via ``Content.from_rich_text``, which does not parse
    markup when given a `Text` (it would for a ``str``).

    Args:
        text: Untrusted text.
        style: Base style for the whole text (trusted, from dtui itself).
        keep_sgr: Keep SGR colours as styles; False drops them.

    Returns:
        Content with the same text and styles as `safe_text`.
    """
    return Content.from_rich_text(safe_text(text, style=style, keep_sgr=keep_sgr))


def safe_line_content(
    text: str,
    *,
    style: str | Style = "",
    max_length: int | None = None,
    keep_sgr: bool = True,
) -> Content:
    """Single-line variant of `safe_content` (same rules as `safe_line`).

    Args:
        text: Untrusted text.
        style: Base style for the whole text (trusted, from dtui itself).
        max_length: Maximum length in characters, or None for no limit.
        keep_sgr: Keep SGR colours as styles; False drops them.

    Returns:
        Single-line Content.

    Raises:
        ValueError: If ``max_length`` is negative.
    """
    line = safe_line(text, style=style, max_length=max_length, keep_sgr=keep_sgr)
    return Content.from_rich_text(line)
