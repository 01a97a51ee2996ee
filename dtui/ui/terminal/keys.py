"""What a key typed in a terminal pane sends to the process (xterm's byte sequences).

Pure functions over Textual's key names (``"ctrl+a"``, ``"shift+up"``, ``"f5"``), so they are
tested without an app.
"""

from __future__ import annotations

from typing import Final

ESC: Final = b"\x1b"
PASTE_START: Final = b"\x1b[200~"
PASTE_END: Final = b"\x1b[201~"

_FIXED: Final[dict[str, bytes]] = {
    "enter": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "backspace": b"\x7f",
    "escape": b"\x1b",
    "space": b" ",
    "ctrl+@": b"\x00",
    "ctrl+space": b"\x00",
    "ctrl+backslash": b"\x1c",
    "ctrl+right_square_bracket": b"\x1d",
    "ctrl+circumflex_accent": b"\x1e",
    "ctrl+underscore": b"\x1f",
    "f1": b"\x1bOP",
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
}
_TILDE: Final[dict[str, int]] = {
    "insert": 2, "delete": 3, "pageup": 5, "pagedown": 6,
    "f5": 15, "f6": 17, "f7": 18, "f8": 19, "f9": 20, "f10": 21, "f11": 23, "f12": 24,
}
_CURSOR: Final[dict[str, str]] = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
_MODIFIER_BITS: Final[dict[str, int]] = {"shift": 1, "alt": 2, "ctrl": 4}


def _split_modifiers(key: str) -> tuple[int, str]:
    """``"ctrl+shift+up"`` -> (xterm modifier bits, ``"up"``)."""
    bits = 0
    parts = key.split("+")
    while len(parts) > 1 and parts[0] in _MODIFIER_BITS:
        bits |= _MODIFIER_BITS[parts.pop(0)]
    return bits, "+".join(parts)


def _named(base: str, bits: int, app_cursor: bool) -> bytes | None:
    """Cursor, editing and function keys, with xterm's ``;m`` modifier parameter."""
    if base in _CURSOR:
        final = _CURSOR[base]
        if bits:
            return f"\x1b[1;{bits + 1}{final}".encode()
        return (f"\x1bO{final}" if app_cursor else f"\x1b[{final}").encode()
    if base in _TILDE:
        number = _TILDE[base]
        return (f"\x1b[{number};{bits + 1}~" if bits else f"\x1b[{number}~").encode()
    return None


def key_bytes(key: str, character: str | None, *, app_cursor: bool = False) -> bytes | None:
    """The bytes a terminal sends for a key, or None for a key it has no sequence for.

    Args:
        key: Textual's key name (``"a"``, ``"ctrl+c"``, ``"shift+up"``, ``"f5"``).
        character: The character Textual decoded with it, if any.
        app_cursor: The program asked for application cursor keys (DECCKM: ``ESC O A``).
    """
    if key in _FIXED:
        return _FIXED[key]
    bits, base = _split_modifiers(key)
    named = _named(base, bits, app_cursor)
    if named is not None:
        return named
    if bits == _MODIFIER_BITS["ctrl"] and len(base) == 1 and base.isascii() and base.isalpha():
        return bytes([ord(base.lower()) & 0x1F])
    if bits == _MODIFIER_BITS["alt"]:
        inner = key_bytes(base, character if character and len(character) == 1 else None, app_cursor=app_cursor)
        return None if inner is None else ESC + inner
    if character and character.isprintable():
        return character.encode("utf-8", "replace")
    if len(key) == 1 and key.isprintable():
        return key.encode("utf-8", "replace")
    return None


def paste_bytes(text: str, *, bracketed: bool) -> bytes:
    """What a paste sends: newlines as Enter (CR), wrapped when the program asked for bracketed paste.

    Control characters other than tab and newline are dropped: a pasted ESC must not end
    the bracket early or type a sequence the user did not see.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in lines if c in "\t\n" or (c.isprintable() and c != "\x7f"))
    data = kept.replace("\n", "\r").encode("utf-8", "replace")
    return PASTE_START + data + PASTE_END if bracketed else data
