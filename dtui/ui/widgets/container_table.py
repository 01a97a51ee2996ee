"""The container table: one row per container, updated by key, never rebuilt.

The table keeps the containers it was given (the model) and shows the ones passing the quick
filter, in the chosen order. Every change goes through :meth:`ContainerTable._sync`, which
removes, adds or updates only the rows and cells that differ, and keeps the cursor on the
same container.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowDoesNotExist

from dtui.engine.models import ContainerSummary
from dtui.ui.safe_text import safe_line

NO_VALUE = "—"
SORT_FIELDS = ("name", "state", "created", "cpu", "memory")
# Fields whose natural order is "biggest first" (newest, busiest).
_DESCENDING_FIRST = frozenset({"created", "cpu", "memory"})
_STATE_ORDER = {"running": 0, "restarting": 1, "paused": 2, "created": 3, "exited": 4, "dead": 5}
_STATE_STYLES = {
    "running": "green",
    "restarting": "yellow",
    "paused": "yellow",
    "exited": "dim",
    "created": "dim",
    "dead": "red",
    "removing": "red",
}
_SORT_COLUMN = {"name": "name", "state": "state", "created": "created", "cpu": "cpu", "memory": "mem"}
MARK = "●"


def row_key(host: str, container_id: str) -> str:
    """The table key of a container: several hosts may share the table."""
    return f"{host}\x00{container_id}"


def split_row_key(key: str) -> tuple[str, str]:
    """The (host, container id) of a row key."""
    host, _, container_id = key.partition("\x00")
    return host, container_id


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: key, header and the widest its cells get (None: no limit)."""

    key: str
    label: str
    max_length: int | None = None


BASE_COLUMNS = (
    Column("mark", " "),
    Column("name", "Name", 28),
    Column("id", "ID"),
    Column("image", "Image", 28),
    Column("state", "State"),
    Column("status", "Status", 30),
    Column("ports", "Ports", 48),
    Column("created", "Created"),
)
SIZE_COLUMN = Column("size", "Size")
STATS_COLUMNS = (Column("cpu", "CPU%"), Column("mem", "MEM"))
HOST_COLUMN = Column("host", "Host", 24)
STALE_MARK = "?"
"""Appended to the state of a row whose host is unreachable (the state may be out of date)."""


@dataclass(frozen=True, slots=True)
class StatsCells:
    """What the stats issue reports for a row: display text plus values to sort by."""

    cpu_text: str = NO_VALUE
    mem_text: str = NO_VALUE
    cpu: float | None = None
    memory: float | None = None


class _KeyedCell(Text):
    """The mark cell, which also remembers its row key (DataTable sort keys see only cells)."""

    def __init__(self, text: str, key: str) -> None:
        super().__init__(text, style="bold cyan")
        self.row_key = key


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """Compact age of a timestamp: ``42s``, ``5m``, ``3h``, ``2d``, ``6w``, ``2y`` (+ " ago")."""
    if when is None:
        return NO_VALUE
    seconds = max(0, int(((now or datetime.now(timezone.utc)) - when).total_seconds()))
    for unit, size in (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return f"{seconds}s ago"


def human_size(count: int | None) -> str:
    """Decimal size as the docker CLI prints it (``1.2MB``); ``—`` when unknown."""
    if count is None:
        return NO_VALUE
    value = float(count)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f}{unit}" if unit == "B" else f"{value:.1f}{unit}"
        value /= 1000
    return NO_VALUE  # pragma: no cover


def matches_quick_filter(container: ContainerSummary, query: str) -> bool:
    """True when every word of ``query`` is in the name, image or id, or fuzzily in the name.

    Fuzzy means the word's letters appear in order in the name (``wb`` matches ``web``).
    """
    name = container.name.lower()
    haystack = f"{name}\n{container.image.lower()}\n{container.id.lower()}"
    return all(word in haystack or _is_subsequence(word, name) for word in query.lower().split())


def _is_subsequence(word: str, text: str) -> bool:
    position = 0
    for char in word:
        position = text.find(char, position) + 1
        if not position:
            return False
    return True


class ContainerTable(DataTable[Text]):
    """Every container, one row each, keyed by :func:`row_key`.

    Attributes:
        sort_field: One of :data:`SORT_FIELDS`.
        sort_reverse: True inverts the field's natural order.
        quick_filter: Words a row must match to be shown.
        show_size: Show the Size column (the listing was asked with ``size=1``).
        show_host: Show the Host column (several hosts share the table).
        marks: Row keys of marked containers.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._containers: dict[str, ContainerSummary] = {}
        self._stats: dict[str, StatsCells] = {}
        self._pending: dict[str, str] = {}
        self._shown: dict[str, dict[str, Text]] = {}
        self.marks: set[str] = set()
        self.sort_field = "name"
        self.sort_reverse = False
        self.quick_filter = ""
        self.show_size = False
        self.show_host = False
        self._host_labels: dict[str, str] = {}
        self._stale_hosts: set[str] = set()

    def on_mount(self) -> None:
        self._add_columns()
        self.set_interval(30, self._sync)

    # -- reading -----------------------------------------------------------------------

    @property
    def columns_shown(self) -> tuple[Column, ...]:
        """The columns in display order."""
        size = (SIZE_COLUMN,) if self.show_size else ()
        host = (HOST_COLUMN,) if self.show_host else ()
        # CPU and memory right after the state, so they stay on screen at 80 columns.
        return (*BASE_COLUMNS[:5], *STATS_COLUMNS, *host, *BASE_COLUMNS[5:], *size)

    @property
    def containers(self) -> dict[str, ContainerSummary]:
        """Every container known (shown or filtered out), by row key."""
        return dict(self._containers)

    def container(self, key: str) -> ContainerSummary | None:
        """The container of a row key, if known."""
        return self._containers.get(key)

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
        """The marked containers in display order, else the one under the cursor."""
        if self.marks:
            return [key for key in self.visible_keys() if key in self.marks] + sorted(
                key for key in self.marks if key not in self._shown
            )
        key = self.cursor_key
        return [key] if key else []

    def is_stale(self, key: str) -> bool:
        """True when the row's host is unreachable (what it shows may be out of date)."""
        return split_row_key(key)[0] in self._stale_hosts

    def is_pending(self, key: str) -> bool:
        """True while an action runs on this container."""
        return key in self._pending

    # -- changing the model ------------------------------------------------------------

    def replace(self, host: str, containers: Iterable[ContainerSummary]) -> None:
        """Show this full listing of ``host``: its containers not in it are gone."""
        for key in [k for k in self._containers if split_row_key(k)[0] == host]:
            del self._containers[key]
        for container in containers:
            self._containers[row_key(host, container.id)] = container
        self._sync()

    def merge(self, host: str, containers: Iterable[ContainerSummary], asked_ids: Iterable[str]) -> None:
        """Apply a refresh of some containers: the asked ones not answered leave the view."""
        answered = {row_key(host, c.id): c for c in containers}
        for container_id in asked_ids:
            self._containers.pop(row_key(host, container_id), None)
        self._containers.update(answered)
        self._sync()

    def keep_hosts(self, hosts: Iterable[str]) -> None:
        """Forget every row of a host not in ``hosts`` (the host left the table)."""
        keep = set(hosts)
        for key in [k for k in self._containers if split_row_key(k)[0] not in keep]:
            del self._containers[key]
        self._stale_hosts &= keep
        self._sync()

    def set_host_stale(self, host: str, stale: bool) -> None:
        """Mark (or unmark) every row of ``host`` as possibly out of date: its engine is unreachable."""
        if stale == (host in self._stale_hosts):
            return
        if stale:
            self._stale_hosts.add(host)
            self._stats = {k: v for k, v in self._stats.items() if split_row_key(k)[0] != host}
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
        """Forget these containers (removed by the engine)."""
        for key in keys:
            self._containers.pop(key, None)
        self._sync()

    def set_stats(
        self, key: str, cpu_text: str, mem_text: str, *, cpu: float | None = None, memory: float | None = None
    ) -> None:
        """Show resource usage of one row (the stats issue calls this).

        Args:
            key: The row key.
            cpu_text: The CPU% cell, e.g. ``"12.5%"`` (``"—"`` when unknown).
            mem_text: The memory cell, e.g. ``"20.1MB"``.
            cpu: The CPU% value to sort by.
            memory: The memory value (bytes) to sort by.
        """
        self._stats[key] = StatsCells(cpu_text, mem_text, cpu, memory)
        self._sync()

    def set_many_stats(self, cells: dict[str, StatsCells]) -> None:
        """Like :meth:`set_stats` for several rows at once (one redraw)."""
        self._stats.update(cells)
        self._sync()

    def stats_keys(self) -> set[str]:
        """Row keys that have resource usage set."""
        return set(self._stats)

    def set_pending(self, key: str, label: str | None) -> None:
        """Show (or, with None, clear) an action in progress on a row's state cell."""
        if label is None:
            self._pending.pop(key, None)
        else:
            self._pending[key] = label
        self._sync()

    def toggle_mark(self, key: str) -> None:
        """Mark or unmark one container."""
        self.marks.symmetric_difference_update({key})
        self._sync()

    def clear_marks(self) -> None:
        """Unmark every container."""
        self.marks.clear()
        self._sync()

    def set_sort(self, field: str, reverse: bool) -> None:
        """Order the rows by one of :data:`SORT_FIELDS`."""
        if field not in SORT_FIELDS:
            raise ValueError(f"unknown sort field {field!r}")
        self.sort_field, self.sort_reverse = field, reverse
        self._label_columns()
        self._sync()

    def set_quick_filter(self, query: str) -> None:
        """Show only the rows matching ``query`` (empty shows all)."""
        self.quick_filter = query.strip()
        self._sync()

    def set_show_size(self, show: bool) -> None:
        """Show or hide the Size column (a column change redraws every row once)."""
        if show == self.show_size:
            return
        self.show_size = show
        self._rebuild_columns()

    def _rebuild_columns(self) -> None:
        cursor = self.cursor_key
        self.clear(columns=True)
        self._shown.clear()
        self._add_columns()
        self._sync(cursor)

    # -- rendering ---------------------------------------------------------------------

    def _add_columns(self) -> None:
        for column in self.columns_shown:
            self.add_column(self._header(column), key=column.key)

    @property
    def sort_label(self) -> str:
        """The order in words and an arrow, e.g. ``"created ▼"`` (newest first)."""
        descending = (self.sort_field in _DESCENDING_FIRST) != self.sort_reverse
        return f"{self.sort_field} {'▼' if descending else '▲'}"

    def _header(self, column: Column) -> Text:
        if column.key == "mark":
            return Text(" ")
        arrow = self.sort_label[-1] if column.key == _SORT_COLUMN[self.sort_field] else " "
        return Text(f"{column.label} {arrow}", style="bold")

    def _label_columns(self) -> None:
        for column in self.columns_shown:
            table_column = self.columns.get(ColumnKey(column.key))
            if table_column is not None:
                table_column.label = self._header(column)
        self.refresh()

    def _sort_key(self, key: str) -> tuple[object, ...]:
        container = self._containers[key]
        name = container.name.lower()
        stats = self._stats.get(key, StatsCells())
        if self.sort_field == "state":
            return (_STATE_ORDER.get(container.state, 9), name)
        if self.sort_field == "created":
            stamp = container.created.timestamp() if container.created else 0.0
            return (-stamp, name)
        if self.sort_field == "cpu":
            return (-(stats.cpu if stats.cpu is not None else -1.0), name)
        if self.sort_field == "memory":
            return (-(stats.memory if stats.memory is not None else -1.0), name)
        return (name, container.id)

    def _wanted_order(self) -> list[str]:
        keys = [
            key
            for key, container in self._containers.items()
            if not self.quick_filter or matches_quick_filter(container, self.quick_filter)
        ]
        keys.sort(key=self._sort_key, reverse=self.sort_reverse)
        return keys

    def _cells(self, key: str, now: datetime) -> dict[str, Text]:
        container = self._containers[key]
        stats = self._stats.get(key, StatsCells())
        pending = self._pending.get(key)
        if pending:
            state = Text(f"{pending}…", style="bold yellow")
        elif self.is_stale(key):
            state = safe_line(f"{container.state}{STALE_MARK}", style="dim italic", max_length=13)
        else:
            state = safe_line(container.state, style=_STATE_STYLES.get(container.state, ""), max_length=12)
        cells = {
            "mark": _KeyedCell(MARK if key in self.marks else " ", key),
            "name": safe_line(container.name, max_length=28),
            "id": Text(container.short_id, style="dim"),
            "image": safe_line(container.image, max_length=28),
            "state": state,
            "status": safe_line(container.status, max_length=30),
            "ports": safe_line(", ".join(str(p) for p in container.ports), max_length=48),
            "created": Text(relative_time(container.created, now)),
            "cpu": Text(stats.cpu_text, justify="right"),
            "mem": Text(stats.mem_text, justify="right"),
        }
        if self.show_host:
            host = split_row_key(key)[0]
            cells["host"] = safe_line(self._host_labels.get(host, host), max_length=24, style="dim" if self.is_stale(key) else "")
        if self.show_size:
            cells["size"] = Text(f"{human_size(container.size_rw)} ({human_size(container.size_root_fs)})")
        return cells

    def _sync(self, cursor: str | None = None) -> None:
        """Make the rows match the model: remove, add and update only what differs."""
        if not self.is_mounted:
            return
        cursor = cursor or self.cursor_key
        self.marks.intersection_update(self._containers)
        self._pending = {k: v for k, v in self._pending.items() if k in self._containers}
        self._stats = {k: v for k, v in self._stats.items() if k in self._containers}
        wanted = self._wanted_order()
        wanted_set = set(wanted)
        now = datetime.now(timezone.utc)
        column_keys = [column.key for column in self.columns_shown]
        with self.app.batch_update():
            for key in [k for k in self._shown if k not in wanted_set]:
                self.remove_row(key)
                del self._shown[key]
            for key in wanted:
                self._show_row(key, self._cells(key, now), column_keys)
            if self.visible_keys() != wanted:
                position = {key: index for index, key in enumerate(wanted)}
                self.sort("mark", key=lambda cell: position[cell.row_key])
            self._restore_cursor(cursor)

    def _show_row(self, key: str, cells: dict[str, Text], column_keys: list[str]) -> None:
        shown = self._shown.get(key)
        if shown is None:
            self.add_row(*(cells[column] for column in column_keys), key=key)
            self._shown[key] = cells
            return
        for column, cell in cells.items():
            if shown.get(column) != cell:
                self.update_cell(key, column, cell, update_width=True)
                shown[column] = cell

    def _restore_cursor(self, cursor: str | None) -> None:
        if cursor is None or cursor not in self._shown:
            return
        index = self.get_row_index(cursor)
        if index != self.cursor_row:
            self.move_cursor(row=index, scroll=True)
