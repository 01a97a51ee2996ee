"""The kinds dtui follows, as data (one function per kind, taking the listing's parameters)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from dtui.engine.models import ContainerSummary
from dtui.live.kind import Kind

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

CONTAINERS = "containers"

CONTAINER_QUIET_EVENTS = frozenset(
    {"exec_create", "exec_start", "exec_detach", "exec_die", "attach", "detach", "resize", "top",
     "copy", "archive-path", "extract-to-dir", "export", "commit", "update"}
)
"""Container events that do not change what a row shows."""


def containers_kind(
    *,
    show_all: bool,
    filters: Mapping[str, Sequence[str]] | None = None,
    limit: int | None = None,
    size: bool = False,
    query: str = "",
) -> Kind[ContainerSummary]:
    """Containers, listed as ``docker ps`` with these parameters.

    Args:
        show_all: Stopped containers too.
        filters: Engine listing filters (``label`` ones also filter the event stream).
        limit: Only the newest N (then every change re-lists all).
        size: Ask the sizes.
        query: The filter as the user typed it (said when the engine refuses it).
    """
    wanted = {key: list(values) for key, values in (filters or {}).items()}

    async def list_all(client: EngineClient) -> Sequence[ContainerSummary]:
        return await client.containers.list(all=show_all, limit=limit, size=size, filters=wanted or None)

    async def refresh(client: EngineClient, ids: frozenset[str]) -> Sequence[ContainerSummary]:
        return await client.containers.list(
            all=show_all, limit=limit, size=size, filters={**wanted, "id": sorted(ids)}
        )

    # With a limit or an id filter, a refresh by id would answer wrongly: re-list all.
    full_only = limit is not None or "id" in wanted
    return Kind(
        name=CONTAINERS,
        event_types=frozenset({"container"}),
        list_all=list_all,
        id_of=lambda container: container.id,
        refresh=None if full_only else refresh,
        event_filters={"label": wanted.get("label", [])},
        quiet_actions=CONTAINER_QUIET_EVENTS,
        subscribe=lambda client, filters: client.containers.open_events(filters),
        query=query,
        signature=(show_all, tuple((key, tuple(values)) for key, values in sorted(wanted.items())), limit, size),
    )
