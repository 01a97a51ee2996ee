"""The tabs of the volumes view's detail pane: the inspect document and who uses the volume."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dtui.engine.resource_models import Volume
from dtui.live.volume_kinds import VolumeRow
from dtui.ui.views.detail_tabs import Content, DetailTab, Rows, inspect_tab
from dtui.ui.views.table import NO_VALUE

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


def volume_summary(volume: Volume) -> Sequence[tuple[str, str]]:
    """The lines above the inspect tree."""
    labels = ", ".join(f"{key}={value}" for key, value in sorted(volume.labels.items()))
    return (
        ("Driver", volume.driver),
        ("Scope", volume.scope),
        ("Mountpoint", volume.mountpoint),
        ("Created", volume.created.isoformat() if volume.created else NO_VALUE),
        ("Labels", labels or NO_VALUE),
    )


async def _users(client: EngineClient, row: VolumeRow) -> Content:
    """The containers mounting it, as the listing joined them (no engine call)."""
    if not row.users:
        return "No container uses this volume."
    return Rows(("Container",), tuple((name,) for name in row.users))


async def _inspect(client: EngineClient, row: VolumeRow) -> Volume:
    return await client.volumes.inspect(row.name)


VOLUME_TABS = (
    inspect_tab(_inspect, summary=volume_summary),
    DetailTab("users", "Used by", _users),
)
