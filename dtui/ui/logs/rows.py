"""What the log view holds and draws: rows of the ring, their display text, timestamps.

The ring holds each line as a `Row` tuple (which the garbage collector stops tracking);
`LogEntry` is the snapshot a reader gets. Every line a container wrote is drawn through
``dtui.ui.safe_text``: SGR colours are kept, every other escape sequence is dropped,
nothing is parsed as markup. `freeze_gc`/`thaw_gc` keep full collections short while a log
view is mounted.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Final, Literal, overload

from rich.cells import cell_len
from rich.text import Text

from dtui.ui.safe_text import ELLIPSIS, safe_line, safe_plain, strip_controls

EntryKind = Literal["stdout", "stderr", "notice"]

DEFAULT_MAX_LINES: Final = 100_000
"""Lines kept by default; the oldest are dropped beyond it."""

DISPLAY_MAX: Final = 10_000
"""Characters shown of one line; the rest is kept (up to `KEEP_MAX`) but not drawn."""

KEEP_MAX: Final = 1024 * 1024
"""Characters kept of one line (for saving/searching later); the rest is dropped."""

_SCAN_MAX: Final = 4 * DISPLAY_MAX
"""Characters of a line sanitised for display: enough for DISPLAY_MAX visible ones."""

GUTTER_WIDTH: Final = 2
TIMESTAMP_WIDTH: Final = 28  # "2026-11-28T01:00:24.224915Z "
GUTTER_MARK: Final = {"stdout": "  ", "stderr": "E ", "notice": "» "}


def is_plain(text: str) -> bool:
    """Printable ASCII only: drawn as is (no sanitising, one cell per character)."""
    return text.isascii() and text.isprintable()


def plain_of(text: str) -> str:
    """A line's searchable text: every escape sequence and control character removed."""
    if text.isascii() and text.isprintable():
        return text
    return strip_controls(text)


Row = tuple[str, EntryKind, "datetime | None", int]
"""How the ring holds a line: ``(text, kind, timestamp, cells)``.

A plain tuple of strings, numbers and datetimes, which the garbage collector stops
tracking: 100 000 held lines then add nothing to its full collections (which otherwise
grow to a pause of a tenth of a second, felt as key latency during a flood).
"""

# Positions of a `Row`'s fields (literal, so each index has its field's type).
TEXT: Final = 0
KIND: Final = 1
STAMP: Final = 2
CELLS: Final = 3


def make_row(text: str, kind: EntryKind, timestamp: datetime | None) -> Row:
    """A line as the ring holds it: text cut at `KEEP_MAX`, display width measured.

    Args:
        text: The line (untrusted), or dtui's own text for a notice.
        kind: ``stdout``, ``stderr`` or ``notice``.
        timestamp: When the engine received the line, if known.

    Returns:
        The row.
    """
    size = len(text)
    if size <= DISPLAY_MAX and text.isascii() and text.isprintable():
        return (text, kind, timestamp, size)
    if size > KEEP_MAX:
        text = text[:KEEP_MAX]
    return (text, kind, timestamp, cell_len(display_plain(text)))


class LogEntry:
    """One line held by the view (a snapshot made on access; the ring holds `Row` tuples).

    Attributes:
        text: The line as the container wrote it (untrusted), at most `KEEP_MAX` characters;
            for a notice, dtui's own text.
        kind: ``stdout``, ``stderr`` or ``notice`` (a line dtui adds, e.g. "stream ended").
        timestamp: When the engine received the line, if known.
        cells: Terminal cells its display text takes (without gutter and timestamp).
    """

    __slots__ = ("cells", "kind", "text", "timestamp")

    def __init__(self, text: str, kind: EntryKind, timestamp: datetime | None) -> None:
        self._set(make_row(text, kind, timestamp))

    @classmethod
    def of_row(cls, row: Row) -> LogEntry:
        """The entry for a row of the ring."""
        entry = cls.__new__(cls)
        entry._set(row)
        return entry

    def _set(self, row: Row) -> None:
        self.text, self.kind, self.timestamp, self.cells = row


class _Entries(Sequence[LogEntry]):
    """A read-only view of the ring as `LogEntry` objects, made as they are read."""

    def __init__(self, rows: deque[Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> LogEntry: ...

    @overload
    def __getitem__(self, index: slice) -> list[LogEntry]: ...

    def __getitem__(self, index: int | slice) -> LogEntry | list[LogEntry]:
        if isinstance(index, slice):
            return [LogEntry.of_row(row) for row in list(self._rows)[index]]
        return LogEntry.of_row(self._rows[index])

    def __iter__(self) -> Iterator[LogEntry]:
        return map(LogEntry.of_row, self._rows)


def display_plain(text: str) -> str:
    """The plain text shown for a line: sanitised, single-line, cut at `DISPLAY_MAX`.

    Args:
        text: An untrusted log line.

    Returns:
        What the view draws for it, without styles.
    """
    plain = safe_plain(text[:_SCAN_MAX], max_length=DISPLAY_MAX)
    if len(text) > _SCAN_MAX and not plain.endswith(ELLIPSIS):
        plain += ELLIPSIS
    return plain


def display_text(text: str) -> Text:
    """The styled text shown for a line (SGR kept), matching `display_plain`.

    Args:
        text: An untrusted log line.

    Returns:
        A single-line Text, never parsed as markup.
    """
    if len(text) <= DISPLAY_MAX and text.isascii() and text.isprintable():
        return Text(text)
    line = safe_line(text[:_SCAN_MAX], max_length=DISPLAY_MAX)
    if len(text) > _SCAN_MAX and not line.plain.endswith(ELLIPSIS):
        line.append(ELLIPSIS)
    return line


def format_timestamp(stamp: datetime | None) -> str:
    """A fixed-width UTC timestamp column (blank when unknown).

    Args:
        stamp: The line's timestamp.

    Returns:
        ``TIMESTAMP_WIDTH`` characters, ending in a space.
    """
    if stamp is None:
        return " " * TIMESTAMP_WIDTH
    utc = stamp.astimezone(UTC) if stamp.tzinfo else stamp
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ ")


_gc_freezes = 0  # LogViews mounted, each holding the freeze below


def freeze_gc() -> None:
    """Exclude every object that exists now from the garbage collector's full collections.

    A full collection walks every tracked object: with Textual loaded that is about 100 000
    objects and 70-90 ms, and a log flood (thousands of short-lived objects per batch)
    triggers one every few seconds: the pauses were the key latency's p95. The objects
    alive when a log view opens (modules, classes, the app and its screens) are long-lived;
    frozen, they are skipped, and a full collection walks only what came after.
    Nothing is lost: `thaw_gc` gives them back when the last log view closes, and
    cycles among them are collected then.
    """
    global _gc_freezes
    if _gc_freezes == 0:
        gc.freeze()
    _gc_freezes += 1


def thaw_gc() -> None:
    """Undo `freeze_gc` once no log view is mounted."""
    global _gc_freezes
    _gc_freezes = max(0, _gc_freezes - 1)
    if _gc_freezes == 0:
        gc.unfreeze()



def entries_of(rows: deque[Row]) -> Sequence[LogEntry]:
    """A read-only view of a ring of rows as `LogEntry` objects, made as they are read."""
    return _Entries(rows)
