"""Source labels drawn before log lines: a container's name, a service task's ``web.2``.

Each label is made safe (``safe_plain``), cut to `NAME_WIDTH_MAX` cells, padded to a common
width and coloured by a hash of the name (the same name gets the same colour every run),
written as SGR into the line's text so the view's sanitiser draws it. `LabelColumn` builds
and remembers those prefixes; `unlabel` takes one off again for saving.
"""

from __future__ import annotations

import re
import zlib
from typing import Final

from rich.cells import cell_len, set_cell_size

from dtui.ui.safe_text import safe_plain

NAME_WIDTH_MAX: Final = 16
"""Cells of the name column at most (longer names are cut)."""

PALETTE: Final = (32, 33, 34, 35, 36, 92, 93, 94, 95, 96)
"""SGR foreground colours for names: all in the 16 basic colours, no red (stderr's)."""

RESET: Final = "\x1b[0m"
_PREFIXES_MAX: Final = 1000  # labels remembered (a long-lived service meets many tasks)
_PREFIX = re.compile(r"\x1b\[\d+m([^\x1b]*)\x1b\[0m")


def name_colour(name: str) -> int:
    """The SGR colour of a name: the same name always gets the same one.

    Args:
        name: The container's (or task's) name.

    Returns:
        One of `PALETTE`.
    """
    return PALETTE[zlib.crc32(name.encode("utf-8", "surrogatepass")) % len(PALETTE)]


def name_label(name: str) -> str:
    """A name made safe for display and cut to `NAME_WIDTH_MAX` cells.

    Args:
        name: The name as the engine gave it (untrusted).

    Returns:
        Plain text without any control character.
    """
    label = safe_plain(name, max_length=NAME_WIDTH_MAX)
    if cell_len(label) > NAME_WIDTH_MAX:
        label = set_cell_size(label, NAME_WIDTH_MAX - 1) + "…"
    return label


def label_prefix(label: str, colour: int, width: int) -> str:
    """The column written before a line: the label in its colour, padded to ``width``."""
    padding = " " * max(0, width - cell_len(label))
    return f"\x1b[{colour}m{label}{RESET}{padding} "


def unlabel(text: str) -> str:
    """A line as shown without the colour of its label prefix (plain ``label  text``)."""
    return _PREFIX.sub(r"\1", text, count=1)


class LabelColumn:
    """The prefixes of labels met one by one (a service's tasks appear as they come).

    The column is as wide as the widest label met so far (at most `NAME_WIDTH_MAX`):
    lines shown before a wider label came keep their narrower padding.
    """

    def __init__(self) -> None:
        self.width = 0
        self._prefixes: dict[str, str] = {}

    def prefix(self, name: str) -> str:
        """The prefix of the (untrusted) ``name``."""
        prefix = self._prefixes.get(name)
        if prefix is None:
            label = name_label(name)
            if cell_len(label) > self.width or len(self._prefixes) >= _PREFIXES_MAX:
                self.width = max(self.width, cell_len(label))
                self._prefixes.clear()
            prefix = self._prefixes[name] = label_prefix(label, name_colour(name), self.width)
        return prefix
