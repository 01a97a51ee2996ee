"""Swap dtui's sanitizer for identity functions: the canary of the terminal-safety test.

Importing this module (before anything from ``dtui.ui`` other than ``safe_text``) replaces every
public function of `dtui.ui.safe_text` with one that returns the untrusted text unchanged
(still as `Text`/`Content`, so nothing parses it as markup). Modules that later run
``from dtui.ui.safe_text import safe_line`` get the identity versions. Never import it from a
test process: it is only for a ``python -c`` child that runs dtui (see
tests/integration/test_terminal_safety.py).
"""

from __future__ import annotations

import sys

from rich.style import Style
from rich.text import Text
from textual.content import Content

import dtui.ui.safe_text as safe_text_module

_ALREADY_IMPORTED = [
    name for name in sys.modules if name.startswith("dtui.ui.") and name != "dtui.ui.safe_text"
]
if _ALREADY_IMPORTED:
    raise RuntimeError(f"unsafe_sanitizer imported too late: {_ALREADY_IMPORTED}")


def _cut(text: str, max_length: int | None) -> str:
    return text if max_length is None else text[:max_length]


def strip_controls(text: str) -> str:
    return text


def safe_text(text: str, *, style: str | Style = "", keep_sgr: bool = True) -> Text:
    return Text(text, style=style)


def safe_line(
    text: str, *, style: str | Style = "", max_length: int | None = None, keep_sgr: bool = True
) -> Text:
    return Text(_cut(text, max_length), style=style)


def safe_plain(text: str, max_length: int | None = None) -> str:
    return _cut(text, max_length)


def safe_content(text: str, *, style: str | Style = "", keep_sgr: bool = True) -> Content:
    return Content.from_rich_text(Text(text, style=style))


def safe_line_content(
    text: str, *, style: str | Style = "", max_length: int | None = None, keep_sgr: bool = True
) -> Content:
    return Content.from_rich_text(Text(_cut(text, max_length), style=style))


for _name in ("strip_controls", "safe_text", "safe_line", "safe_plain", "safe_content", "safe_line_content"):
    setattr(safe_text_module, _name, globals()[_name])
