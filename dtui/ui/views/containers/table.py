"""The container table, declared as columns and sort keys on :class:`ResourceTable`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from dtui.ui.safe_text import safe_line
from dtui.core.status_clock import StatusClock, exit_code, follow_status
from dtui.engine.models import ContainerSummary, Port
from dtui.ui.views.table import (
    NO_VALUE,
    Column,
    ResourceTable,
    Sort,
    is_subsequence,
    row_key,
    split_row_key,
)

__all__ = [
    "ContainerTable", "StatsCells", "human_size", "matches_quick_filter", "relative_time", "row_key",
    "short_ports", "split_row_key", "state_text",
]

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


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """Compact age of a timestamp: ``42s``, ``5m``, ``3h``, ``2d``, ``6w``, ``2y`` (+ " ago")."""
    if when is None:
        return NO_VALUE
    seconds = max(0, int(((now or datetime.now(UTC)) - when).total_seconds()))
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
    return all(word in haystack or is_subsequence(word, name) for word in query.lower().split())


def state_text(container: ContainerSummary) -> str:
    """The state, with the exit code of an exited container: ``exited (137)``."""
    code = exit_code(container.status) if container.state == "exited" else None
    return container.state if code is None else f"{container.state} ({code})"


_WILDCARDS = {"", "0.0.0.0", "::"}


def _port_group(port: Port) -> tuple[str, str, bool]:
    ip = "" if port.ip in _WILDCARDS else port.ip
    return (ip, port.type, port.public_port is not None)


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def short_ports(ports: tuple[Port, ...]) -> str:
    """Ports as ``docker ps`` folds them: ``8080->80/tcp, 9000-9002->9000-9002/tcp``.

    The wildcard addresses (0.0.0.0 and ::, which mean the same mapping twice) are left
    out; a specific one stays (``127.0.0.1:8080->80/tcp``). Consecutive ports fold into a range.
    """
    seen: set[tuple[str, str, int | None, int]] = set()
    runs: list[list[Port]] = []
    for port in sorted(ports, key=lambda p: (_port_group(p), p.public_port or 0, p.private_port)):
        ip, kind, _ = _port_group(port)
        if (ip, kind, port.public_port, port.private_port) in seen:
            continue
        seen.add((ip, kind, port.public_port, port.private_port))
        last = runs[-1][-1] if runs else None
        if last is not None and _port_group(last) == _port_group(port) and port.private_port == last.private_port + 1 \
                and (port.public_port is None or port.public_port == (last.public_port or 0) + 1):
            runs[-1].append(port)
        else:
            runs.append([port])
    return ", ".join(_run_text(run) for run in runs)


def _run_text(run: list[Port]) -> str:
    first, last = run[0], run[-1]
    ip, kind, published = _port_group(first)
    private = f"{_span(first.private_port, last.private_port)}/{kind}"
    if not published:
        return private
    host = f"[{ip}]:" if ":" in ip else f"{ip}:" if ip else ""
    return f"{host}{_span(first.public_port or 0, last.public_port or 0)}->{private}"


@dataclass(frozen=True, slots=True)
class StatsCells:
    """What the overview reports for a row: display text plus values to sort by."""

    cpu_text: str = NO_VALUE
    mem_text: str = NO_VALUE
    cpu: float | None = None
    memory: float | None = None


# Priorities (lower shows first when the terminal is narrow): at 80 columns name, state,
# CPU, MEM and ports fit; status, image, created and the id follow as the width grows.
BASE_COLUMNS: tuple[Column[ContainerSummary], ...] = (
    Column("name", "Name", 28, text=lambda c: c.name, priority=0),
    Column("id", "ID", render=lambda c, now: Text(c.short_id, style="dim"), priority=9),
    Column("image", "Image", 28, text=lambda c: c.image, priority=7),
    Column("state", "State", 12, text=state_text, style=lambda c: _STATE_STYLES.get(c.state, ""), priority=2),
    Column("status", "Status", 30, text=lambda c: c.status, relative=True, priority=6),
    Column("ports", "Ports", 32, text=lambda c: short_ports(c.ports), priority=5),
    Column("created", "Created", render=lambda c, now: Text(relative_time(c.created, now)), relative=True,
           priority=8),
)
STATS_COLUMNS: tuple[Column[ContainerSummary], ...] = (Column("cpu", "CPU%", priority=3), Column("mem", "MEM", priority=4))
SIZE_COLUMN: Column[ContainerSummary] = Column(
    "size", "Size", render=lambda c, now: Text(f"{human_size(c.size_rw)} ({human_size(c.size_root_fs)})"),
    priority=1,  # shown only when the engine filter asks size=1: the user wants it
)


def _by_name(c: ContainerSummary) -> tuple[object, ...]:
    return (c.name.lower(), c.id)


def _by_state(c: ContainerSummary) -> tuple[object, ...]:
    return (_STATE_ORDER.get(c.state, 9), c.name.lower())


def _by_created(c: ContainerSummary) -> tuple[object, ...]:
    return (-(c.created.timestamp() if c.created else 0.0), c.name.lower())


CONTAINER_SORTS: dict[str, Sort[ContainerSummary]] = {
    "name": Sort("name", _by_name),
    "state": Sort("state", _by_state),
    "created": Sort("created", _by_created, descending_first=True),
    # Ordered by the overview's figures (see ContainerTable.sort_key); the keys are placeholders.
    "cpu": Sort("cpu", _by_name, descending_first=True),
    "memory": Sort("mem", _by_name, descending_first=True),
}
SORT_FIELDS = tuple(CONTAINER_SORTS)


class ContainerTable(ResourceTable[ContainerSummary]):
    """Every container, one row each, keyed by :func:`row_key`.

    Attributes:
        show_size: Show the Size column (the listing was asked with ``size=1``).
    """

    COLUMNS = (*BASE_COLUMNS[:4], *STATS_COLUMNS, *BASE_COLUMNS[4:])
    SORTS = CONTAINER_SORTS
    STATUS_COLUMN = "state"
    HOST_AT = 6  # CPU and memory right after the state, so they stay on screen at 80 columns
    SEARCHED = (lambda c: c.image, lambda c: c.id)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._stats: dict[str, StatsCells] = {}
        self._clocks: dict[str, StatusClock] = {}
        self.show_size = False

    @property
    def columns_wanted(self) -> tuple[Column[Any], ...]:
        """The columns in display order (Size last, when asked)."""
        size = (SIZE_COLUMN,) if self.show_size else ()
        return (*super().columns_wanted, *size)

    def observe(self, key: str, item: ContainerSummary, listed_at: datetime) -> None:
        """Read the Status text into a clock, so the cell stays true as time passes."""
        self._clocks[key] = follow_status(self._clocks.get(key), item.state, item.status, listed_at)

    @property
    def containers(self) -> dict[str, ContainerSummary]:
        """Every container known (shown or filtered out), by row key."""
        return self.objects

    def container(self, key: str) -> ContainerSummary | None:
        """The container of a row key, if known."""
        return self.get(key)

    def name_of(self, item: ContainerSummary) -> str:
        """The container's name."""
        return item.name

    def id_of(self, item: ContainerSummary) -> str:
        """The container's id."""
        return item.id

    def matches(self, item: ContainerSummary, query: str) -> bool:
        """The quick filter: :func:`matches_quick_filter`."""
        return matches_quick_filter(item, query)

    def set_host_stale(self, host: str, stale: bool) -> None:
        """Like the base; the figures of a host going stale are cleared too."""
        if stale and host not in self._stale_hosts:
            self._stats = {k: v for k, v in self._stats.items() if split_row_key(k)[0] != host}
        super().set_host_stale(host, stale)

    def set_stats(
        self, key: str, cpu_text: str, mem_text: str, *, cpu: float | None = None, memory: float | None = None
    ) -> None:
        """Show resource usage of one row.

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

    def set_show_size(self, show: bool) -> None:
        """Show or hide the Size column (a column change redraws every row once)."""
        if show == self.show_size:
            return
        self.show_size = show
        self._rebuild_columns()

    def sort_key(self, key: str, item: ContainerSummary) -> tuple[object, ...]:
        """The declared order, with CPU and memory taken from the overview's figures."""
        stats = self._stats.get(key, StatsCells())
        if self.sort_field == "cpu":
            return (-(stats.cpu if stats.cpu is not None else -1.0), item.name.lower())
        if self.sort_field == "memory":
            return (-(stats.memory if stats.memory is not None else -1.0), item.name.lower())
        return super().sort_key(key, item)

    def cell(self, key: str, column: Column[Any], item: ContainerSummary, now: datetime) -> Text:
        """The declared cells, the CPU% and MEM figures, and the Status told from its clock."""
        if column.key in ("cpu", "mem"):
            stats = self._stats.get(key, StatsCells())
            return Text(stats.cpu_text if column.key == "cpu" else stats.mem_text, justify="right")
        if column.key == "status":
            clock = self._clocks.get(key)
            status = clock.render(now) if clock is not None else item.status
            return safe_line(status, max_length=column.max_length)
        return super().cell(key, column, item, now)

    def prune(self) -> None:
        """Also drop the figures and clocks of containers no longer known."""
        super().prune()
        self._stats = {k: v for k, v in self._stats.items() if k in self._objects}
        self._clocks = {k: v for k, v in self._clocks.items() if k in self._objects}
