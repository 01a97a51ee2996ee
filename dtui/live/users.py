"""Who uses what: the container listing, grouped by the images, volumes or networks it uses.

The engine's listings of images, volumes and networks do not say which containers use each
(dockerd 20.10 even answers ``Containers: -1``); the container listing does. So each of
those kinds lists its objects and every container side by side, then joins them here.
Headless: no Textual, no Rich.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from dtui.engine.models import ContainerSummary

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

T = TypeVar("T")
V = TypeVar("V")


def container_label(container: ContainerSummary) -> str:
    """How a user is named: the container's name, else its short id."""
    return container.name or container.short_id


def group_users(
    containers: Iterable[ContainerSummary],
    keys_of: Callable[[ContainerSummary], Iterable[str]],
    item_of: Callable[[ContainerSummary], V],
) -> dict[str, list[V]]:
    """``item_of(container)`` for every container, under each key it uses (in listing order).

    Args:
        containers: The container listing.
        keys_of: What a container uses (image id, volume names, network ids).
        item_of: What to record for it (its label, or more).
    """
    users: dict[str, list[V]] = {}
    for container in containers:
        for key in keys_of(container):
            users.setdefault(key, []).append(item_of(container))
    return users


async def with_containers(
    client: EngineClient, listing: Awaitable[Sequence[T]]
) -> tuple[Sequence[T], Sequence[ContainerSummary]]:
    """``listing`` and every container (any state), asked side by side."""
    return await asyncio.gather(listing, client.containers.list(all=True))
