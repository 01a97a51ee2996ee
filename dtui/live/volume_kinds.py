"""The volumes kind: each volume with the containers using it (headless: no Textual, no Rich).

``GET /volumes`` does not say who uses a volume; the container listing's ``Mounts`` do, so
one listing of each is joined. Volume events name the volume (the actor id is its name);
a container created or removed changes who uses one, so those two container events re-list
too. Every event re-lists everything (volumes are few and the join needs both listings).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dtui.engine.models import ContainerSummary, Event
from dtui.engine.resource_models import Volume
from dtui.live.kind import Kind
from dtui.live.users import container_label, group_users, with_containers

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

VOLUMES = "volumes"
USER_EVENTS = frozenset({"create", "destroy", "remove"})
"""Volume events that change the listing, and container events that change who uses one.

Podman says ``remove`` where Docker says ``destroy`` (for containers and volumes)."""


@dataclass(frozen=True, slots=True)
class VolumeRow:
    """One volume as the volumes view shows it.

    Attributes:
        volume: The volume as listed.
        users: Names of the containers (running or not) that mount it, sorted.
    """

    volume: Volume
    users: tuple[str, ...]

    @property
    def id(self) -> str:
        """Volumes are known by name."""
        return self.volume.name

    @property
    def name(self) -> str:
        """The volume's name."""
        return self.volume.name


def join_users(volumes: Iterable[Volume], containers: Iterable[ContainerSummary]) -> list[VolumeRow]:
    """Each volume with the names of the containers mounting it."""
    users = group_users(containers, lambda container: container.volume_names, container_label)
    return [VolumeRow(volume, tuple(sorted(users.get(volume.name, ())))) for volume in volumes]


async def list_volumes(client: EngineClient) -> Sequence[VolumeRow]:
    """Every volume of one engine, joined with every container's mounts."""
    return join_users(*await with_containers(client, client.volumes.list()))


def _actor(event: Event) -> str:
    if event.type == "container" and event.base_action not in USER_EVENTS:
        return ""
    return event.actor_id


def volumes_kind() -> Kind[VolumeRow]:
    """Volumes with their users, re-listed on volume and container create/destroy events."""
    return Kind(
        name=VOLUMES,
        event_types=frozenset({"volume", "container"}),
        list_all=list_volumes,
        id_of=lambda row: row.id,
        refresh=None,
        event_filters={"event": sorted(USER_EVENTS)},
        gone_actions=frozenset(),  # a container's destroy is no volume's: re-list instead
        actor_of=_actor,
    )
