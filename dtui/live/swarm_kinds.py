"""The swarm kinds: services, one service's tasks, and nodes (headless: no Textual or Rich).

A swarm listing is asked only of a manager. An engine outside a swarm, a worker node and
Podman are not errors: the listing is empty and :class:`SwarmNotes` says why for that host,
so a view can tell the user how to get a swarm (``docker swarm init``) instead of retrying.

Services change without a ``service`` event when their tasks start or stop, so the kinds
also follow container events, keeping only those of swarm tasks (their attributes carry
``com.docker.swarm.service.id``), and node events (a drained node moves tasks). Every
touching event re-lists the whole kind (a swarm lists in one call).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from dtui.engine.errors import NotFound, NotInSwarm, NotSwarmManager
from dtui.engine.models import Event
from dtui.engine.swarm import SERVICE_ID_LABEL, SWARM_EVENT_TYPES
from dtui.engine.swarm_models import Node, Service, Task
from dtui.live.kind import Kind, T

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

SERVICES = "swarm-services"
NODES = "swarm-nodes"
TASKS = "swarm-tasks"

SwarmRole = Literal["manager", "inactive", "worker", "podman", "unsupported"]
"""What a host is to swarm views: a manager, outside a swarm, a worker, Podman, no swarm API."""

INIT_HINT = "docker swarm init --advertise-addr <this host's IP>"
"""What makes an engine a single-node swarm manager."""


def role_text(role: SwarmRole) -> str:
    """Why a host lists nothing, in words (empty for a manager)."""
    texts: dict[SwarmRole, str] = {
        "manager": "",
        "inactive": f"not in a swarm. To start one: {INIT_HINT} (then ctrl+r)",
        "worker": "a worker node, not a manager: point dtui at a manager to see the swarm",
        "podman": "Podman has no swarm",
        "unsupported": "this engine has no swarm API (Podman has no swarm)",
    }
    return texts[role]


class SwarmNotes:
    """What each host is to the swarm views, as the last listing there found.

    Attributes:
        roles: Host (``endpoint.host``, the first half of row keys) -> its role.
        node_ids: Host -> the swarm node id of that engine (a manager's own node).
    """

    def __init__(self) -> None:
        self.roles: dict[str, SwarmRole] = {}
        self.node_ids: dict[str, str] = {}

    def role(self, host: str) -> SwarmRole | None:
        """The host's role, None before its first listing."""
        return self.roles.get(host)

    async def on_manager(
        self, client: EngineClient, fetch: Callable[[EngineClient], Awaitable[Sequence[T]]]
    ) -> Sequence[T]:
        """``fetch(client)`` on a manager; an empty listing (and the role noted) anywhere else."""
        host = client.endpoint.host
        if client.is_podman:
            self.roles[host] = "podman"
            return []
        try:
            found = await fetch(client)
        except NotSwarmManager:
            self.roles[host] = "worker"
            return []
        except NotInSwarm:
            self.roles[host] = "inactive"
            return []
        except NotFound:
            self.roles[host] = "unsupported"  # Podman answers /services and /nodes with a bare 404
            return []
        if self.roles.get(host) != "manager" or host not in self.node_ids:
            self.node_ids[host] = (await client.swarm.state()).node_id
        self.roles[host] = "manager"
        return found


def swarm_actor(event: Event) -> str:
    """The id a swarm-relevant event touches ("" for containers that are no swarm task)."""
    if event.type == "container":
        return event.attributes.get(SERVICE_ID_LABEL, "")
    return event.actor_id if event.type in {"service", "node"} else ""


@asynccontextmanager
async def _silent() -> AsyncIterator[AsyncIterator[Event]]:
    async def nothing() -> AsyncIterator[Event]:
        await asyncio.Event().wait()
        yield  # type: ignore[misc]  # pragma: no cover

    yield nothing()


def _subscribe(client: EngineClient, filters: dict[str, list[str]]) -> AbstractAsyncContextManager[AsyncIterator[Event]]:
    """The event stream; none on Podman (it knows no service or node events)."""
    return _silent() if client.is_podman else client.open_events(filters)


def _swarm_kind(name: str, notes: SwarmNotes, fetch: Callable[[EngineClient], Awaitable[Sequence[T]]],
                id_of: Callable[[T], str], actor_of: Callable[[Event], str] = swarm_actor) -> Kind[T]:
    async def list_all(client: EngineClient) -> Sequence[T]:
        return await notes.on_manager(client, fetch)

    return Kind(
        name=name,
        event_types=frozenset(SWARM_EVENT_TYPES),
        list_all=list_all,
        id_of=id_of,
        refresh=None,
        gone_actions=frozenset(),  # a destroyed task container does not remove a service: re-list
        quiet_actions=frozenset({"exec_create", "exec_start", "exec_die", "attach", "resize", "top"}),
        actor_of=actor_of,
        subscribe=_subscribe,
    )


async def _services(client: EngineClient) -> Sequence[Service]:
    return await client.swarm.services()


async def _nodes(client: EngineClient) -> Sequence[Node]:
    return await client.swarm.nodes()


def services_kind(notes: SwarmNotes) -> Kind[Service]:
    """Every service (with running/desired counts) of every manager host."""
    return _swarm_kind(SERVICES, notes, _services, lambda service: service.id)


def nodes_kind(notes: SwarmNotes) -> Kind[Node]:
    """Every node of the swarm, as each manager host sees it."""
    return _swarm_kind(NODES, notes, _nodes, lambda node: node.id)


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One task with what its row shows beside it.

    Attributes:
        task: The task.
        name: Its name under its service (``web.2``).
        node: The hostname of its node (its short id while unknown).
    """

    task: Task
    name: str
    node: str

    @property
    def id(self) -> str:
        """The task's id (the row key)."""
        return self.task.id


def tasks_kind(notes: SwarmNotes, service: Service) -> Kind[TaskRow]:
    """The tasks of one service, newest per slot first, each with its node's hostname."""

    async def fetch(client: EngineClient) -> Sequence[TaskRow]:
        tasks = await client.swarm.tasks(service.id)
        hostnames = {node.id: node.hostname for node in await client.swarm.nodes()}
        return [
            TaskRow(task, task.name(service.name), hostnames.get(task.node_id) or task.node_id[:12])
            for task in tasks
        ]

    def actor_of(event: Event) -> str:
        if event.type == "service" and event.actor_id != service.id:
            return ""
        if event.type == "container" and event.attributes.get(SERVICE_ID_LABEL) != service.id:
            return ""
        return swarm_actor(event)

    return _swarm_kind(f"{TASKS} {service.id}", notes, fetch, lambda row: row.id, actor_of)
