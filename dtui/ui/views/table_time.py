"""Relative-time cells ("5m ago", "Up 3 seconds") that stay true without asking the engine.

The resource table renders its relative columns again every :data:`TICK_SECONDS` for the rows
in view; :func:`aged_cells` says which cells now read differently, so only those are updated
(on a slow link, a second without a change sends nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime

from rich.text import Text

TICK_SECONDS = 1.0
"""How often relative-time cells in view are rendered again (no engine call)."""


def now() -> datetime:
    """The time the table renders against (tests replace this module's ``datetime``)."""
    return datetime.now(UTC)


def same_cell(left: Text, right: Text) -> bool:
    """True when two cells look the same (Rich's ``==`` ignores the base style)."""
    return left.plain == right.plain and left.style == right.style and left.spans == right.spans


def aged_cells(
    keys: Iterable[str],
    columns: Sequence[str],
    shown: Mapping[str, Mapping[str, Text]],
    render: Callable[[str, str], Text | None],
) -> list[tuple[str, str, Text]]:
    """The (row key, column key, new cell) of the cells that read differently now.

    Args:
        keys: The rows in view.
        columns: The relative-time columns shown.
        shown: The cells on screen, by row key then column key.
        render: The cell of a row and column now (None: the row is gone).
    """
    changed: list[tuple[str, str, Text]] = []
    for key in keys:
        cells = shown.get(key)
        if cells is None:
            continue
        for column in columns:
            cell = render(key, column)
            if cell is not None and column in cells and not same_cell(cells[column], cell):
                changed.append((key, column, cell))
    return changed
