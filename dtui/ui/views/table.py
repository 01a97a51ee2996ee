"""The resource table: rows keyed by (host, id), updated by key, never rebuilt.

The table keeps the objects it was given (the model) and shows the ones passing the quick
filter, in the chosen order. Every change goes through :meth:`ResourceTable._sync`, which
removes, adds or updates only the rows and cells that differ, and keeps the cursor on the
same object. A subclass declares :attr:`~ResourceTable.COLUMNS`, :attr:`~ResourceTable.SORTS`
and what the quick filter searches; marks, pending states, the Host column and stale rows
(an unreachable host) come with the base. Column widths and which columns fit are in
:mod:`dtui.ui.views.table_fit`, relative-time cells in :mod:`dtui.ui.views.table_time`, and
Home/End in :mod:`dtui.ui.views.row_table`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowDoesNotExist, RowKey

from dtui.ui.safe_text import safe_line
from dtui.ui.views import table_time
from dtui.ui.views.table_fit import FittedTable
from dtui.ui.views.table_time import TICK_SECONDS, aged_cells, same_cell

T = TypeVar("T")

NO_VALUE = "—"
MARK = "●"
STALE_MARK = "?"
"""Appended to the status of a row whose host is unreachable (it may be out of date)."""


def row_key(host: str, object_id: str) -> str:
    """The table key of an object: several hosts may share the table."""
    return f"{host}\x00{object_id}"


def split_row_key(key: str) -> tuple[str, str]:
    """The (host, object id) of a row key."""
    host, _, object_id = key.partition("\x00")
    return host, object_id


@dataclass(frozen=True, slots=True)
class Column(Generic[T]):
    """One table column, declared once.

    Attributes:
        key: The column key (also the cell key in tests and updates).
        label: The header.
        max_length: The widest its cells get (None: no limit).
        text: The cell's plain text for an object (sanitized and cut by the table).
        style: The cell's style, or a function of the object giving it.
        render: Builds the cell itself instead (gets the object and the time now).
        relative: The cell tells an age ("5m ago", "Up 3 seconds"): the table renders it again
            every second for the rows in view, updating it only when its text changes.
        priority: Lower shows first when the table is too narrow for every column: the
            columns are dropped from the highest priority number down (ties: right to left).
    """

    key: str
    label: str
    max_length: int | None = None
    text: Callable[[T], str] | None = None
    style: str | Callable[[T], str] = ""
    render: Callable[[T, datetime], Text] | None = None
    relative: bool = False
    priority: int = 50

    def cell(self, item: T, now: datetime) -> Text:
        """The cell of ``item`` in this column."""
        if self.render is not None:
            return self.render(item, now)
        style = self.style(item) if callable(self.style) else self.style
        text = self.text(item) if self.text is not None else ""
        return safe_line(text, max_length=self.max_length, style=style)


@dataclass(frozen=True, slots=True)
class Sort(Generic[T]):
    """One sort key of the table.

    Attributes:
        column: The column whose header shows the arrow.
        key: The order of an object (ties are broken by the caller's tuple).
        descending_first: The field's natural order is "biggest first" (newest, busiest).
    """

    column: str
    key: Callable[[T], tuple[object, ...]]
    descending_first: bool = False


MARK_COLUMN: Column[Any] = Column("mark", " ", priority=-1)
HOST_COLUMN: Column[Any] = Column("host", "Host", 24, priority=1)
KEPT_STYLE = "dim"
"""The style of a row kept on screen although its listing left it out (see ResourceTable.keep)."""


class _KeyedCell(Text):
    """The mark cell, which also remembers its row key (DataTable sort keys see only cells)."""

    def __init__(self, text: str, key: str) -> None:
        super().__init__(text, style="bold cyan")
        self.row_key = key


def is_subsequence(word: str, text: str) -> bool:
    """True when the letters of ``word`` appear in ``text`` in order (``wb`` in ``web``)."""
    position = 0
    for char in word:
        position = text.find(char, position) + 1
        if not position:
            return False
    return True


class ResourceTable(FittedTable[Column[Any]], Generic[T]):
    """Objects of one kind from one or more hosts, one row each, keyed by :func:`row_key`.

    Class attributes a view declares:
        COLUMNS: The columns in display order (the mark column comes first by itself).
        SORTS: Sort field name -> :class:`Sort`; the first is the default.
        STATUS_COLUMN: The column that shows a pending action or a stale mark (None: none).
        HOST_AT: Where the Host column goes (an index into COLUMNS) when several hosts show.
        SEARCHED: Texts of an object the quick filter searches (besides the name).

    Attributes:
        sort_field: One of the SORTS keys.
        sort_reverse: True inverts the field's natural order.
        quick_filter: Words a row must match to be shown.
        show_host: Show the Host column (several hosts share the table).
        marks: Row keys of marked objects.

    Columns: :attr:`columns_wanted` are the ones the table may show (declared or chosen with
    :meth:`choose_columns`); :attr:`columns_shown` are those that fit the width, picked by
    :attr:`Column.priority`. Each column is as wide as its widest cell now (it narrows when
    that row goes; see :mod:`dtui.ui.views.table_fit`). Relative-time columns are rendered
    again every :data:`~dtui.ui.views.table_time.TICK_SECONDS` for the rows in view
    (:meth:`tick`).
    """

    COLUMNS: ClassVar[tuple[Column[Any], ...]] = ()
    SORTS: ClassVar[Mapping[str, Sort[Any]]] = {}
    STATUS_COLUMN: ClassVar[str | None] = None
    HOST_AT: ClassVar[int] = 1
    SEARCHED: ClassVar[tuple[Callable[[Any], str], ...]] = (lambda item: str(item.id),)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._objects: dict[str, T] = {}
        self._pending: dict[str, str] = {}
        self._shown: dict[str, dict[str, Text]] = {}
        self.marks: set[str] = set()
        self.sort_field = next(iter(self.SORTS), "")
        self.sort_reverse = False
        self.quick_filter = ""
        self.show_host = False
        self._host_labels: dict[str, str] = {}
        self._stale_hosts: set[str] = set()
        self._chosen: tuple[str, ...] | None = None
        self._kept: set[str] = set()
        self._held: set[str] = set()
        self._cursor_seen: str | None = None  # the row the cursor was on when last highlighted

    def on_mount(self) -> None:
        self._apply_fit(self.fit())
        self.set_interval(TICK_SECONDS, self.tick)

    def on_resize(self) -> None:
        self._sync()

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: Text, *, update_width: bool = False
    ) -> None:
        """Like DataTable's, but repaints only the cell's row.

        DataTable refreshes the whole table for any cell; with CPU, memory and ages changing
        every few seconds that resent every line of the table to the terminal each round.
        The widths are the tally's: :meth:`apply_widths` refreshes everything when one changes.
        """
        row = RowKey(row_key) if isinstance(row_key, str) else row_key
        column = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        cells = self._data.get(row)
        index = self._row_locations.get(row)
        if update_width or cells is None or index is None or column not in self._column_locations:
            super().update_cell(row, column, value, update_width=update_width)
            return
        cells[column] = value
        self._update_count += 1  # the key of DataTable's line caches: the row renders anew
        self.refresh_row(index)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The cursor moved: kept rows it left may go (see :meth:`keep`)."""
        cursor = self.cursor_key  # where it is now, not where the message says it passed
        if cursor == self._cursor_seen:
            return  # a repaint that kept the cursor on its row: marked kept rows stay
        self._cursor_seen = cursor
        if self._kept - {cursor}:
            self.release_kept(but=cursor)

    # -- reading -----------------------------------------------------------------------

    @property
    def columns_wanted(self) -> tuple[Column[Any], ...]:
        """Every column the table may show, in display order (the width decides which do)."""
        host = (HOST_COLUMN,) if self.show_host else ()
        if self._chosen is None:
            chosen = self.COLUMNS
        else:
            by_key = {column.key: column for column in self.COLUMNS}
            chosen = tuple(by_key[key] for key in self._chosen)
        return (MARK_COLUMN, *chosen[:self.HOST_AT], *host, *chosen[self.HOST_AT:])

    def choose_columns(self, keys: Sequence[str] | None) -> None:
        """Show these columns in this order (None: the declared ones).

        Raises:
            ValueError: A key that is not one of :attr:`COLUMNS`.
        """
        known = [column.key for column in self.COLUMNS]
        unknown = [key for key in keys or () if key not in known]
        if unknown:
            raise ValueError(f"unknown column {unknown[0]!r} (known: {', '.join(known)})")
        self._chosen = None if keys is None else tuple(dict.fromkeys(keys))
        self._rebuild_columns()

    @property
    def objects(self) -> dict[str, T]:
        """Every object known (shown or filtered out), by row key."""
        return dict(self._objects)

    def get(self, key: str) -> T | None:
        """The object of a row key, if known."""
        return self._objects.get(key)

    def name_of(self, item: Any) -> str:
        """The object's name (quick filter fuzzy match, confirmations); ``item.name`` unless told."""
        return str(item.name)

    @property
    def cursor_key(self) -> str | None:
        """The row key under the cursor (None for an empty table)."""
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except RowDoesNotExist:
            return None

    def visible_keys(self) -> list[str]:
        """Row keys as shown, top to bottom."""
        return [row.key.value for row in self.ordered_rows if row.key.value is not None]

    def keys_in_view(self) -> list[str]:
        """Row keys scrolled into view now (none while the table is hidden), top to bottom."""
        if not self.display or not self.row_count:
            return []
        header = self.header_height if self.show_header else 0
        top = round(self.scroll_y)
        bottom = top + max(0, self.scrollable_content_region.height - header)
        keys: list[str] = []
        y = 0
        for row in self.ordered_rows:
            if y >= bottom:
                break
            if y + row.height > top and row.key.value is not None:
                keys.append(row.key.value)
            y += row.height
        return keys

    def selected_keys(self) -> list[str]:
        """The marked objects in display order, else the one under the cursor."""
        if self.marks:
            return [key for key in self.visible_keys() if key in self.marks] + sorted(
                key for key in self.marks if key not in self._shown
            )
        key = self.cursor_key
        return [key] if key else []

    def held_keys(self) -> set[str]:
        """Rows shown (dimmed) only because they are kept: their listing left them out."""
        return set(self._held)

    @property
    def stale_hosts(self) -> frozenset[str]:
        """The hosts whose engine does not answer (their rows may be out of date)."""
        return frozenset(self._stale_hosts)

    @property
    def host_labels(self) -> dict[str, str]:
        """The short names of the hosts in the table (see :meth:`set_hosts`)."""
        return dict(self._host_labels)

    def is_stale(self, key: str) -> bool:
        """True when the row's host is unreachable (what it shows may be out of date)."""
        return split_row_key(key)[0] in self._stale_hosts

    def matches(self, item: T, query: str) -> bool:
        """True when every word of ``query`` is in a searched text, or fuzzily in the name."""
        name = self.name_of(item).lower()
        haystack = "\n".join([name, *(text(item).lower() for text in type(self).SEARCHED)])
        return all(word in haystack or is_subsequence(word, name) for word in query.lower().split())

    # -- changing the model ------------------------------------------------------------

    def replace(self, host: str, items: Iterable[T]) -> None:
        """Show this full listing of ``host``: its objects not in it are gone (unless kept)."""
        listed = self._observed(host, items)
        self._leave([k for k in self._objects if split_row_key(k)[0] == host and k not in listed])
        self._objects.update(listed)
        self._sync()

    def merge(self, host: str, items: Iterable[T], asked_ids: Iterable[str]) -> None:
        """Apply a refresh of some objects: the asked ones not answered leave the view (unless kept)."""
        answered = self._observed(host, items)
        self._leave([key for key in (row_key(host, i) for i in asked_ids) if key not in answered])
        self._objects.update(answered)
        self._sync()

    def _observed(self, host: str, items: Iterable[T]) -> dict[str, T]:
        listed_at = table_time.now()
        listed = {row_key(host, self.id_of(item)): item for item in items}
        for key, item in listed.items():
            self.observe(key, item, listed_at)
        self._held -= listed.keys()
        return listed

    def _leave(self, keys: Iterable[str]) -> None:
        """Drop objects a listing left out; kept ones stay, held over."""
        for key in keys:
            if key in self._kept and key in self._objects:
                self._held.add(key)
            else:
                self._objects.pop(key, None)

    def observe(self, key: str, item: T, listed_at: datetime) -> None:
        """A listing at ``listed_at`` brought ``item`` (a subclass may read per-row data from it)."""

    def keep(self, key: str) -> None:
        """Keep this row on screen even when a listing leaves it out, dimmed, until released.

        A container stopped from the running-only view stays there, so it can be started
        again. Moving the cursor off it, re-filtering or :meth:`release_kept` lets it go.
        """
        self._kept.add(key)
        self._cursor_seen = self.cursor_key  # marked rows the cursor is not on stay until it moves

    def update_kept(self, host: str, items: Iterable[T]) -> None:
        """New facts about kept objects (a listing that would not show them); others are ignored."""
        found: dict[str, T] = {}
        listed_at = table_time.now()
        for item in items:
            key = row_key(host, self.id_of(item))
            if key in self._kept and key in self._objects:
                self.observe(key, item, listed_at)
                found[key] = item
        self._objects.update(found)
        self._sync()

    def release_kept(self, *, but: str | None = None) -> None:
        """Let every kept row go (all but ``but``); those their listing left out leave now."""
        released = self._kept - {but} if but else set(self._kept)
        self._kept -= released
        gone = released & self._held
        self._held -= gone
        for key in gone:
            self._objects.pop(key, None)
        if gone:
            self._sync()

    def id_of(self, item: Any) -> str:
        """The object's id (the second half of its row key)."""
        return str(item.id)

    def keep_hosts(self, hosts: Iterable[str]) -> None:
        """Forget every row of a host not in ``hosts`` (the host left the table)."""
        keep = set(hosts)
        for key in [k for k in self._objects if split_row_key(k)[0] not in keep]:
            del self._objects[key]
        self._stale_hosts &= keep
        self._sync()

    def set_host_stale(self, host: str, stale: bool) -> None:
        """Mark (or unmark) every row of ``host`` as possibly out of date: its engine is unreachable."""
        if stale == (host in self._stale_hosts):
            return
        if stale:
            self._stale_hosts.add(host)
        else:
            self._stale_hosts.discard(host)
        self._sync()

    def set_hosts(self, labels: dict[str, str]) -> None:
        """The hosts in the table, with their short names; the Host column shows with two or more."""
        if labels == self._host_labels:
            return  # called on every status change of a host: usually nothing to redraw
        self._host_labels = dict(labels)
        show = len(labels) > 1
        if show == self.show_host:
            self._sync()
            return
        self.show_host = show
        self._rebuild_columns()

    def discard(self, keys: Iterable[str]) -> None:
        """Forget these objects (removed by the engine)."""
        for key in keys:
            self._objects.pop(key, None)
        self._sync()

    def set_pending(self, key: str, label: str | None) -> None:
        """Show (or, with None, clear) an action in progress on a row's status cell."""
        if label is None:
            self._pending.pop(key, None)
        else:
            self._pending[key] = label
        self._sync()

    def toggle_mark(self, key: str) -> None:
        """Mark or unmark one object."""
        self.marks.symmetric_difference_update({key})
        self._sync()

    def clear_marks(self) -> None:
        """Unmark every object."""
        self.marks.clear()
        self._sync()

    def set_sort(self, field: str, reverse: bool) -> None:
        """Order the rows by one of the :attr:`SORTS` fields."""
        if field not in self.SORTS:
            raise ValueError(f"unknown sort field {field!r}")
        self.sort_field, self.sort_reverse = field, reverse
        self._label_columns()
        self._sync()

    def next_sort_field(self) -> str:
        """The sort field after the current one (wrapping round)."""
        fields = list(self.SORTS)
        return fields[(fields.index(self.sort_field) + 1) % len(fields)]

    def set_quick_filter(self, query: str) -> None:
        """Show only the rows matching ``query`` (empty shows all); kept rows go."""
        self.quick_filter = query.strip()
        self.release_kept()
        self._sync()

    def _rebuild_columns(self, cursor: str | None = None) -> None:
        """Build the columns afresh, keeping the cursor row."""
        if not self.is_mounted:
            return
        cursor = cursor or self.cursor_key
        self.clear(columns=True)
        self._shown.clear()
        self._fitted = ()
        self._sync(cursor)

    # -- rendering ---------------------------------------------------------------------

    def _apply_fit(self, fitted: tuple[str, ...]) -> None:
        """Show exactly these columns (a change rebuilds the rows once)."""
        if fitted == self._fitted:
            return
        self.clear(columns=True)
        self._shown.clear()
        self._fitted = fitted
        for column in self.columns_shown:
            self.add_column(self.header(column), key=column.key)

    @property
    def sort_label(self) -> str:
        """The order in words and an arrow, e.g. ``"created ▼"`` (newest first)."""
        return f"{self.sort_field} {self._sort_arrow()}"

    def _sort_arrow(self) -> str:
        sort = self.SORTS.get(self.sort_field)
        descending = (sort is not None and sort.descending_first) != self.sort_reverse
        return "▼" if descending else "▲"

    def header(self, column: Column[Any]) -> Text:
        """The header cell: the label, and the sort arrow on the sorted column."""
        if column.key == "mark":
            return Text(" ")
        sort = self.SORTS.get(self.sort_field)
        arrow = self._sort_arrow() if sort is not None and column.key == sort.column else " "
        return Text(f"{column.label} {arrow}", style="bold")

    def _label_columns(self) -> None:
        for column in self.columns_shown:
            table_column = self.columns.get(ColumnKey(column.key))
            if table_column is not None:
                table_column.label = self.header(column)
        self._update_count += 1  # the key of DataTable's line caches: the header renders anew
        self.refresh()

    def sort_key(self, key: str, item: T) -> tuple[object, ...]:
        """Where a row goes in the current order (a subclass may add per-row figures)."""
        sort = self.SORTS.get(self.sort_field)
        if sort is None:
            return (self.name_of(item).lower(), self.id_of(item))
        return sort.key(item)

    def _wanted_order(self) -> list[str]:
        keys = [
            key
            for key, item in self._objects.items()
            if not self.quick_filter or self.matches(item, self.quick_filter)
        ]
        keys.sort(key=lambda key: self.sort_key(key, self._objects[key]), reverse=self.sort_reverse)
        return keys

    def status_cell(self, key: str, column: Column[Any], item: T, now: datetime) -> Text:
        """The status cell: a pending action, else the state (dimmed with "?" when stale)."""
        pending = self._pending.get(key)
        if pending:
            return Text(f"{pending}…", style="bold yellow")
        if self.is_stale(key):
            text = column.text(item) if column.text is not None else column.cell(item, now).plain
            length = None if column.max_length is None else column.max_length + 1
            return safe_line(f"{text}{STALE_MARK}", style="dim italic", max_length=length)
        return column.cell(item, now)

    def cell(self, key: str, column: Column[Any], item: T, now: datetime) -> Text:
        """One cell of one row (a subclass may build some columns itself)."""
        if column.key == "mark":
            return _KeyedCell(MARK if key in self.marks else " ", key)
        if column.key == "host":
            host = split_row_key(key)[0]
            return safe_line(self._host_labels.get(host, host), max_length=24, style="dim" if self.is_stale(key) else "")
        if column.key == self.STATUS_COLUMN:
            return self.status_cell(key, column, item, now)
        return column.cell(item, now)

    def _styled_cell(self, key: str, column: Column[Any], item: T, now: datetime) -> Text:
        cell = self.cell(key, column, item, now)
        if key in self._held:
            cell.stylize(KEPT_STYLE)
        return cell

    def cells(self, key: str, item: T, now: datetime) -> dict[str, Text]:
        """Every cell of one row that the table may show, by column key."""
        return {column.key: self._styled_cell(key, column, item, now) for column in self.columns_wanted}

    def row_cells(self, key: str, now: datetime) -> dict[str, Text]:
        """The cells of a wanted row (a subclass may show rows that are not objects, e.g. groups)."""
        return self.cells(key, self._objects[key], now)

    def prune(self) -> None:
        """Drop per-row state of objects no longer known (a subclass adds its own)."""
        self.marks.intersection_update(self._objects)
        self._pending = {k: v for k, v in self._pending.items() if k in self._objects}
        self._kept.intersection_update(self._objects)
        self._held.intersection_update(self._objects)

    def tick(self) -> None:
        """Render the relative-time cells in view again; touch only those whose text changed."""
        shown = {column.key: column for column in self.columns_shown}
        relative = [key for key, column in shown.items() if column.relative]
        if not relative or not self.screen.is_current:
            return  # nothing ages, or another screen covers this one (it catches up on return)
        at = table_time.now()

        def render(key: str, column_key: str) -> Text | None:
            item = self._objects.get(key)
            return None if item is None else self._styled_cell(key, shown[column_key], item, at)

        changed = aged_cells(self.keys_in_view(), relative, self._shown, render)
        if not changed:
            return
        with self.app.batch_update():
            for key, column_key, cell in changed:
                self.update_cell(key, column_key, cell)
                self._shown[key][column_key] = cell
                self.count_cell(key, column_key, cell)
            if self.fit() != self._fitted:
                self._sync()  # a column grew past the width (or shrank to let another in)
            else:
                self.apply_widths()

    def _sync(self, cursor: str | None = None) -> None:
        """Make the rows match the model: remove, add and update only what differs."""
        if not self.is_mounted:
            return
        cursor = cursor or self.cursor_key
        self.prune()
        wanted = self._wanted_order()
        wanted_set = set(wanted)
        at = table_time.now()
        rows = {key: self.row_cells(key, at) for key in wanted}
        self.count_widths(rows)
        with self.app.batch_update():
            self._apply_fit(self.fit())
            column_keys = list(self._fitted)
            for key in [k for k in self._shown if k not in wanted_set]:
                self.remove_row(key)
                del self._shown[key]
            for key in wanted:
                self._show_row(key, rows[key], column_keys)
            if self.visible_keys() != wanted:
                position = {key: index for index, key in enumerate(wanted)}
                self.sort("mark", key=lambda cell: position[cell.row_key])
            self._restore_cursor(cursor)
            self.apply_widths()

    def _show_row(self, key: str, cells: dict[str, Text], column_keys: list[str]) -> None:
        shown = self._shown.get(key)
        if shown is None:
            self.add_row(*(cells[column] for column in column_keys), key=key)
            self._shown[key] = {column: cells[column] for column in column_keys}
            return
        for column in column_keys:
            cell = cells[column]
            if not same_cell(shown[column], cell):
                self.update_cell(key, column, cell)
                shown[column] = cell

    def _restore_cursor(self, cursor: str | None) -> None:
        if cursor is None or cursor not in self._shown:
            return
        index = self.get_row_index(cursor)
        if index != self.cursor_row:
            self.move_cursor(row=index, scroll=True)
