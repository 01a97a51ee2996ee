"""The volumes table: name, driver, users, size (from ``/system/df``) and mountpoint."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import ClassVar

from rich.text import Text

from dtui.live.volume_kinds import VolumeRow
from dtui.ui.safe_text import safe_line
from dtui.ui.views.containers.table import human_size
from dtui.ui.views.table import NO_VALUE, Column, ResourceTable, Sort, split_row_key


def users_text(row: VolumeRow) -> str:
    """``web, db`` (first three names, then ``+N``), or ``—`` for an unused volume."""
    if not row.users:
        return NO_VALUE
    shown = ", ".join(row.users[:3])
    return f"{shown} +{len(row.users) - 3}" if len(row.users) > 3 else shown


VOLUME_COLUMNS: tuple[Column[VolumeRow], ...] = (
    Column("name", "Name", 30, text=lambda r: r.name),
    Column("driver", "Driver", 10, text=lambda r: r.volume.driver),
    Column("users", "In use by", 30, text=users_text, style=lambda r: "" if r.users else "dim"),
    Column("size", "Size"),  # filled by VolumeTable.cells from the host's /system/df
    Column("mountpoint", "Mountpoint", 70, text=lambda r: r.volume.mountpoint, style="dim"),
)


class VolumeTable(ResourceTable[VolumeRow]):
    """Every volume of the hosts shown, one row each; sizes come from ``/system/df``."""

    COLUMNS = VOLUME_COLUMNS
    SORTS: ClassVar[Mapping[str, Sort[VolumeRow]]] = {
        "name": Sort("name", lambda r: (r.name.lower(),)),
        "users": Sort("users", lambda r: (-len(r.users), r.name.lower()), descending_first=True),
        "size": Sort("size", lambda r: (r.name.lower(),), descending_first=True),  # see sort_key
        "driver": Sort("driver", lambda r: (r.volume.driver, r.name.lower())),
    }
    STATUS_COLUMN = "users"
    SEARCHED = (lambda r: r.volume.driver, lambda r: " ".join(r.users), lambda r: r.volume.mountpoint)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sizes: dict[str, Mapping[str, int]] = {}

    def set_sizes(self, host: str, sizes: Mapping[str, int]) -> None:
        """The bytes each volume of ``host`` uses (``/system/df``)."""
        self._sizes[host] = MappingProxyType(dict(sizes))
        self._sync()

    def size_of(self, key: str) -> int | None:
        """The bytes a row's volume uses, when ``/system/df`` measured it."""
        host, name = split_row_key(key)
        return self._sizes.get(host, {}).get(name)

    def cells(self, key: str, item: VolumeRow, now: datetime) -> dict[str, Text]:
        """The base cells, with the size of the host's last ``/system/df``."""
        cells = super().cells(key, item, now)
        size = self.size_of(key)
        cells["size"] = safe_line(human_size(size), style="" if size is not None else "dim")
        return cells

    def sort_key(self, key: str, item: VolumeRow) -> tuple[object, ...]:
        """By size: the measured ones first, biggest first."""
        if self.sort_field == "size":
            size = self.size_of(key)
            return (size is None, -(size or 0), item.name.lower())
        return super().sort_key(key, item)
