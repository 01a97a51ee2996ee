"""The networks kind: each network with the containers attached (headless: no Textual, no Rich).

``GET /networks`` leaves ``Containers`` empty; the container listing says which networks
each container is connected to (``NetworkSettings.Networks[].NetworkID``), so one listing
of each is joined instead of inspecting every network. Network events carry the network's
id; ``connect`` and ``disconnect`` (the container is an attribute) change who is attached.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dtui.engine.models import ContainerSummary
from dtui.engine.resource_models import Network
from dtui.live.kind import Kind
from dtui.live.users import container_label, group_users, with_containers

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

NETWORKS = "networks"


@dataclass(frozen=True, slots=True)
class Attached:
    """One container connected to a network."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class NetworkRow:
    """One network as the networks view shows it.

    Attributes:
        network: The network as listed.
        attached: The containers connected to it now, by name.
    """

    network: Network
    attached: tuple[Attached, ...]

    @property
    def id(self) -> str:
        """The network's id."""
        return self.network.id

    @property
    def name(self) -> str:
        """The network's name."""
        return self.network.name


def join_attached(networks: Iterable[Network], containers: Iterable[ContainerSummary]) -> list[NetworkRow]:
    """Each network with the containers connected to it.

    Podman's container list gives the network's name as its ``NetworkID``: a network matches
    by id, else by name.
    """
    attached = group_users(containers, lambda c: c.network_ids, lambda c: Attached(c.id, container_label(c)))
    return [
        NetworkRow(network, tuple(sorted(_attached_to(attached, network), key=lambda a: a.name))) for network in networks
    ]


def _attached_to(attached: dict[str, list[Attached]], network: Network) -> list[Attached]:
    return attached.get(network.id) or attached.get(network.name) or []


async def list_networks(client: EngineClient) -> Sequence[NetworkRow]:
    """Every network of one engine, joined with the containers connected to each."""
    return join_attached(*await with_containers(client, client.networks.list()))


def networks_kind() -> Kind[NetworkRow]:
    """Networks with their containers, re-listed on every network event (connect included)."""
    return Kind(
        name=NETWORKS,
        event_types=frozenset({"network"}),
        list_all=list_networks,
        id_of=lambda row: row.id,
        refresh=None,
    )
