"""The networks table: name, id, driver, scope, subnet/gateway and the containers attached."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text

from dtui.live.network_kinds import NetworkRow
from dtui.ui.views.table import NO_VALUE, Column, ResourceTable, Sort


def subnets_text(row: NetworkRow) -> str:
    """``10.0.0.0/24 via 10.0.0.1`` for each IPAM config (``—`` for none)."""
    parts = [f"{s.subnet} via {s.gateway}" if s.gateway else s.subnet for s in row.network.subnets if s.subnet]
    return ", ".join(parts) or NO_VALUE


def attached_text(row: NetworkRow) -> str:
    """``web, db`` (first three names, then ``+N``), or ``—``."""
    names = [attached.name for attached in row.attached]
    if not names:
        return NO_VALUE
    shown = ", ".join(names[:3])
    return f"{shown} +{len(names) - 3}" if len(names) > 3 else shown


NETWORK_COLUMNS: tuple[Column[NetworkRow], ...] = (
    Column("name", "Name", 30, text=lambda r: r.name, style=lambda r: "dim" if r.network.builtin else ""),
    Column("id", "ID", render=lambda r, now: Text(r.network.short_id, style="dim"), priority=90),
    Column("driver", "Driver", 10, text=lambda r: r.network.driver),
    Column("scope", "Scope", 6, text=lambda r: r.network.scope),
    Column("attached", "Containers", 30, text=attached_text, style=lambda r: "" if r.attached else "dim"),
    Column("subnet", "Subnet / gateway", 60, text=subnets_text),
)


class NetworkTable(ResourceTable[NetworkRow]):
    """Every network of the hosts shown, one row each."""

    COLUMNS = NETWORK_COLUMNS
    SORTS: ClassVar[Mapping[str, Sort[NetworkRow]]] = {
        "name": Sort("name", lambda r: (r.name.lower(), r.id)),
        "driver": Sort("driver", lambda r: (r.network.driver, r.name.lower())),
        "containers": Sort("attached", lambda r: (-len(r.attached), r.name.lower()), descending_first=True),
    }
    STATUS_COLUMN = "attached"
    SEARCHED = (
        lambda r: r.id,
        lambda r: r.network.driver,
        lambda r: " ".join(a.name for a in r.attached),
        subnets_text,
    )
