"""The tabs of the networks view's detail pane: the inspect document and the attached endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from dtui.engine.resource_models import Network
from dtui.live.network_kinds import NetworkRow
from dtui.ui.views.detail_tabs import Content, DetailTab, Rows, inspect_tab
from dtui.ui.views.networks.table import subnets_text
from dtui.ui.views.table import NO_VALUE

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


def network_summary(network: Network) -> Sequence[tuple[str, str]]:
    """The lines above the inspect tree."""
    flags = [name for name, on in (("internal", network.internal), ("attachable", network.attachable),
                                   ("IPv6", network.ipv6)) if on]
    return (
        ("Driver", network.driver),
        ("Scope", network.scope),
        ("Subnets", subnets_text(NetworkRow(network, ()))),
        ("Options", ", ".join(flags) or NO_VALUE),
    )


async def _inspect(client: EngineClient, row: NetworkRow) -> Network:
    return await client.networks.inspect(row.id)


async def _endpoints(client: EngineClient, row: NetworkRow) -> Content:
    """Every endpoint of the network, as the engine's inspect lists them (addresses included)."""
    network = await client.networks.inspect(row.id)
    if not network.containers:
        return "No container is attached."
    return Rows(
        ("Container", "IPv4", "IPv6", "MAC", "ID"),
        tuple((e.name, e.ipv4, e.ipv6, e.mac, e.container_id[:12]) for e in network.containers),
    )


NETWORK_TABS = (
    inspect_tab(_inspect, summary=network_summary),
    DetailTab("containers", "Containers", _endpoints),
)
