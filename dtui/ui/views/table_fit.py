"""Column widths of the resource table: measured once per cell, shrinking when the widest goes.

DataTable's own widths only grow: a long name that came and went leaves its column wide (and
a horizontal scrollbar at 80 columns). :class:`WidthTally` counts, per column, how many rows
hold a cell of each width, so the widest one is known after any add, change or removal
without measuring a column again. :func:`fit_columns` picks the columns that fit the width.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, Protocol, TypeVar

from rich.text import Text
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

from dtui.ui.views.row_table import RowTable


class FitColumn(Protocol):
    """What fitting needs of a column (the table's ``Column``)."""

    @property
    def key(self) -> str: ...

    @property
    def priority(self) -> int: ...


C = TypeVar("C", bound=FitColumn)


class WidthTally:
    """The widths of every row's cells, per column, with how many rows have each width.

    A row's widths are compared with what it had, so an unchanged row costs a comparison of
    integers; the widest cell of a column is the largest width still counted (there are few
    distinct widths, whatever the number of rows).
    """

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, int]] = {}
        self._counts: dict[str, Counter[int]] = {}

    def set_row(self, key: str, widths: Mapping[str, int]) -> None:
        """The cells of row ``key`` now have these widths (by column key)."""
        old = self._rows.get(key)
        if old == widths:
            return
        for column, width in (old or {}).items():
            self._uncount(column, width)
        for column, width in widths.items():
            self._counts.setdefault(column, Counter())[width] += 1
        self._rows[key] = dict(widths)

    def set_cell(self, key: str, column: str, width: int) -> None:
        """One cell of a counted row changed width."""
        widths = self._rows.get(key)
        if widths is None:
            return
        old = widths.get(column)
        if old == width:
            return
        if old is not None:
            self._uncount(column, old)
        self._counts.setdefault(column, Counter())[width] += 1
        widths[column] = width

    def drop_rows(self, keys: Iterable[str]) -> None:
        """These rows left the table."""
        for key in keys:
            for column, width in self._rows.pop(key, {}).items():
                self._uncount(column, width)

    def keys(self) -> set[str]:
        """The rows counted."""
        return set(self._rows)

    def clear(self) -> None:
        """Forget every row."""
        self._rows.clear()
        self._counts.clear()

    def widest(self, column: str) -> int:
        """The width of the widest cell of ``column`` (0 when it has none)."""
        counts = self._counts.get(column)
        return max(counts) if counts else 0

    def _uncount(self, column: str, width: int) -> None:
        counts = self._counts[column]
        counts[width] -= 1
        if counts[width] <= 0:
            del counts[width]


def fit_columns(wanted: Sequence[C], width_of: Callable[[C], int], room: int) -> tuple[str, ...]:
    """The keys of the columns that fit ``room`` cells, by priority (ties: left first), in display order.

    The first two by priority (the mark and the most important column) always show; picking
    stops at the first column that does not fit.
    """
    chosen: set[str] = set()
    used = 0
    for index in sorted(range(len(wanted)), key=lambda i: (wanted[i].priority, i)):
        width = width_of(wanted[index])
        if len(chosen) >= 2 and used + width > room:
            break
        chosen.add(wanted[index].key)
        used += width
    return tuple(column.key for column in wanted if column.key in chosen)


class FittedTable(RowTable, Generic[C]):
    """A one-line-per-row DataTable whose columns fit the width and are as wide as their widest cell.

    A subclass gives :attr:`columns_wanted` and :meth:`header`, tells :meth:`count_widths`
    the cells of its rows on every update and calls :meth:`apply_widths` after; DataTable
    never measures a cell itself (its measure asks the terminal size three times a cell).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._widths = WidthTally()
        self._fitted: tuple[str, ...] = ()

    @property
    def columns_wanted(self) -> tuple[C, ...]:
        """Every column the table may show, in display order (the width decides which do)."""
        return ()

    @property
    def columns_shown(self) -> tuple[C, ...]:
        """The columns on screen now, in display order."""
        fitted = set(self._fitted)
        return tuple(column for column in self.columns_wanted if column.key in fitted)

    def header(self, column: C) -> Text:
        """The header cell of a column."""
        return Text(str(column.key))

    def count_widths(self, rows: Mapping[str, Mapping[str, Text]]) -> None:
        """These are every row's cells now (an unchanged row costs a comparison)."""
        self._widths.drop_rows(self._widths.keys() - rows.keys())
        for key, cells in rows.items():
            self._widths.set_row(key, {column: cell.cell_len for column, cell in cells.items()})

    def count_cell(self, key: str, column: str, cell: Text) -> None:
        """One cell of a row changed."""
        self._widths.set_cell(key, column, cell.cell_len)

    def fit(self) -> tuple[str, ...]:
        """The keys of the columns that fit the width now (see :func:`fit_columns`)."""
        wanted = self.columns_wanted
        if self.size.width <= 0:
            return tuple(column.key for column in wanted)
        return fit_columns(wanted, self._column_width, self.size.width - self.styles.scrollbar_size_vertical)

    def _column_width(self, column: C) -> int:
        return 2 * self.cell_padding + max(self._widths.widest(column.key), self.header(column).cell_len)

    def apply_widths(self) -> bool:
        """Make each column shown as wide as its widest cell or header; True when one changed."""
        changed = False
        for column in self.columns_shown:
            table_column = self.columns.get(ColumnKey(column.key))
            if table_column is None:
                continue
            width = max(self._widths.widest(column.key), self.header(column).cell_len)
            if table_column.content_width != width:
                table_column.content_width = width
                changed = True
        if changed:
            self._update_count += 1  # cached lines were rendered at the old widths
            self._require_update_dimensions = True
            self.check_idle()
            self.refresh()
        return changed

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Size the table from the widths already set (every row is one line high, no labels)."""
        self.apply_widths()
        super()._update_dimensions(())  # no new rows to measure: only the virtual size

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        """The tally knows the widths already: only the table's size is computed again."""
        self._require_update_dimensions = True
