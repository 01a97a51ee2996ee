"""Swarm calls of the Engine API: services, tasks, nodes and service logs.

Reached as ``client.swarm``. On an engine outside a swarm every call but :meth:`Swarm.state`
raises :class:`~dtui.engine.errors.NotInSwarm`; on a worker node,
:class:`~dtui.engine.errors.NotSwarmManager` (both 503, told apart in the one error path).

Updates (scale, force redeploy, rollback, node availability) send the whole spec back with
the version it was read at. When something else changed the object meanwhile the engine
answers ``update out of sequence``: the object is read again and the change re-applied, up
to :data:`UPDATE_TRIES` times in all, then the engine's error is raised.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any, TypeVar

from dtui.engine.containers import EngineRequests
from dtui.engine.params import Filters, filters_param, quote_path
from dtui.engine.errors import EngineError, UpdateOutOfSequence
from dtui.engine.models import Event
from dtui.engine.streams import LogLine, iter_log_batches
from dtui.engine.swarm_models import (
    NODE_AVAILABILITIES,
    CreatedService,
    NewService,
    Node,
    Service,
    ServiceLogLine,
    SwarmState,
    Task,
    UpdateResult,
    split_log_details,
    thaw,
)

UPDATE_TRIES = 5
"""Attempts of one update in all, the first included."""

SWARM_EVENT_TYPES = ("service", "node", "container")
"""``/events`` types a swarm view follows (containers only when they carry swarm labels)."""

TASK_ID_DETAIL = "com.docker.swarm.task.id"
SERVICE_ID_LABEL = "com.docker.swarm.service.id"

Spec = dict[str, Any]
_Item = TypeVar("_Item", Service, Node)


class NotScalable(EngineError):
    """The service has no replica count (global or job mode)."""

    title = "Cannot scale"


def is_swarm_event(event: Event) -> bool:
    """True for events that change what the swarm views show.

    Service and node events, and container events of swarm tasks (their attributes carry
    the ``com.docker.swarm.service.id`` label).
    """
    if event.type in {"service", "node"}:
        return True
    return event.type == "container" and SERVICE_ID_LABEL in event.attributes


def _set_replicas(replicas: int) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        spec.setdefault("Mode", {}).setdefault("Replicated", {})["Replicas"] = replicas

    return change


def _bump_force_update(spec: Spec) -> None:
    template = spec.setdefault("TaskTemplate", {})
    force = template.get("ForceUpdate")
    template["ForceUpdate"] = (force if isinstance(force, int) else 0) + 1


def _keep_spec(spec: Spec) -> None:
    """A rollback sends the current spec unchanged (the engine restores PreviousSpec)."""


def _set_availability(availability: str) -> Callable[[Spec], None]:
    def change(spec: Spec) -> None:
        spec["Availability"] = availability

    return change


class Swarm:
    """The ``/services``, ``/tasks`` and ``/nodes`` calls for one client."""

    def __init__(self, client: EngineRequests) -> None:
        self._client = client

    # ------------------------------------------------------------------------ reading

    async def state(self) -> SwarmState:
        """``GET /info``: is this engine in a swarm, and a manager?"""
        return SwarmState.from_info(await self._client._json("GET", "/info") or {})

    async def services(self, *, filters: Filters | None = None, status: bool = True) -> list[Service]:
        """``GET /services?status=true``: with running/desired counts (API 1.41+)."""
        params = {"status": status or None, "filters": filters_param(filters)}
        data = await self._client._json("GET", "/services", params=params)
        return [Service.from_api(item) for item in data or []]

    async def service(self, service: str) -> Service:
        """One service by id (with its running/desired counts) or name.

        ``GET /services/{id}`` carries no ``ServiceStatus``, so an id is looked up in the
        list with ``status=true`` first; a name (or a vanished id) falls back to inspect,
        which raises NotFound for an unknown one.
        """
        for listed in await self.services(filters={"id": [service]}):
            if listed.id == service:
                return listed
        return Service.from_api(await self._client._json("GET", f"/services/{quote_path(service)}") or {})

    async def tasks(self, service: str | None = None, *, filters: Filters | None = None) -> list[Task]:
        """``GET /tasks``, of one service (id or name) when given, by slot then newest first."""
        merged: dict[str, list[str]] = {key: list(values) for key, values in (filters or {}).items()}
        if service:
            merged["service"] = [service]
        data = await self._client._json("GET", "/tasks", params={"filters": filters_param(merged)})
        tasks = [Task.from_api(item) for item in data or []]
        tasks.sort(key=lambda task: task.created.timestamp() if task.created else 0.0, reverse=True)
        tasks.sort(key=lambda task: (task.slot, task.node_id))
        return tasks

    async def nodes(self) -> list[Node]:
        """``GET /nodes``, managers first, then by hostname."""
        data = await self._client._json("GET", "/nodes")
        nodes = [Node.from_api(item) for item in data or []]
        return sorted(nodes, key=lambda node: (node.role != "manager", node.hostname, node.id))

    async def node(self, node: str) -> Node:
        """``GET /nodes/{id}``."""
        return Node.from_api(await self._client._json("GET", f"/nodes/{quote_path(node)}") or {})

    # ----------------------------------------------------------------------- changing

    async def create_service(self, new: NewService) -> CreatedService:
        """``POST /services/create``.

        The image is used as named: with no registry auth header the engine does not
        pin it to a registry digest, so a local-only image works on a single node.
        """
        data = await self._client._json("POST", "/services/create", json_body=new.to_api())
        return CreatedService.from_api(data or {})

    async def remove_service(self, service: str) -> None:
        """``DELETE /services/{id}``: its tasks' containers go too."""
        await self._client._request("DELETE", f"/services/{quote_path(service)}")

    async def scale(self, service: Service | str, replicas: int) -> UpdateResult:
        """Set a replicated service's replica count.

        Args:
            service: The service as read (its version is tried first) or its id.
            replicas: The new count, 0 or more.

        Raises:
            NotScalable: For a global or job service (checked on the freshest read).
            ValueError: For a negative count.
        """
        if replicas < 0:
            raise ValueError("replicas must not be negative")
        return await self._update_service(service, _set_replicas(replicas), check=_must_be_scalable)

    async def force_update(self, service: Service | str) -> UpdateResult:
        """Redeploy every task (``TaskTemplate.ForceUpdate`` + 1), as ``--force`` does."""
        return await self._update_service(service, _bump_force_update)

    async def rollback(self, service: Service | str) -> UpdateResult:
        """Go back to the previous spec (``rollback=previous``)."""
        return await self._update_service(service, _keep_spec, rollback=True)

    async def set_node_availability(self, node: Node | str, availability: str) -> UpdateResult:
        """``active``, ``pause`` (no new tasks) or ``drain`` (tasks move away).

        Raises:
            ValueError: For another value.
        """
        if availability not in NODE_AVAILABILITIES:
            raise ValueError(f"availability must be one of {', '.join(NODE_AVAILABILITIES)}")

        async def send(current: Node, spec: Spec) -> tuple[str, ...]:
            path = f"/nodes/{quote_path(current.id)}/update"
            await self._client._request("POST", path, params={"version": current.version}, json_body=spec)
            return ()

        return await _retrying(node, self.node, _set_availability(availability), send)

    async def _update_service(
        self,
        service: Service | str,
        change: Callable[[Spec], None],
        *,
        rollback: bool = False,
        check: Callable[[Service], None] | None = None,
    ) -> UpdateResult:
        async def send(current: Service, spec: Spec) -> tuple[str, ...]:
            if check is not None:
                check(current)
            params = {"version": current.version, "rollback": "previous" if rollback else None}
            path = f"/services/{quote_path(current.id)}/update"
            data = await self._client._json("POST", path, params=params, json_body=spec)
            warnings = (data or {}).get("Warnings") if isinstance(data, dict) else None
            return tuple(str(w) for w in warnings or [])

        return await _retrying(service, self.service, change, send)

    # --------------------------------------------------------------------------- logs

    async def service_logs(
        self,
        service: Service,
        *,
        follow: bool = False,
        tail: int | str | None = None,
        timestamps: bool = False,
        since: str | None = None,
    ) -> AsyncIterator[list[ServiceLogLine]]:
        """Stream ``GET /services/{id}/logs`` in batches, each line named by its task.

        Lines are asked for with ``details=1``, which prefixes each with the task id; the
        names (``web.2``) come from the service's tasks, listed again once for each id not
        seen before (tasks started after the listing, e.g. by scaling up).

        Yields:
            Non-empty lists of lines in the order the engine sent them.
        """
        params = {
            "stdout": True, "stderr": True, "details": True, "follow": follow or None,
            "tail": tail, "timestamps": timestamps or None, "since": since,
        }
        names = _TaskNames(self, service)
        await names.refresh()
        path = f"/services/{quote_path(service.id)}/logs"
        async with self._client._stream_body("GET", path, params=params) as chunks:
            batches = iter_log_batches(chunks, tty=service.tty, timestamps=timestamps)
            async with aclosing(batches):
                async for batch in batches:
                    yield [await names.line(line) for line in batch]


def _must_be_scalable(service: Service) -> None:
    if not service.scalable:
        raise NotScalable(f"{service.name} is a {service.mode} service: it has no replica count to change")


async def _retrying(
    item: _Item | str,
    read: Callable[[str], Awaitable[_Item]],
    change: Callable[[Spec], None],
    send: Callable[[_Item, Spec], Awaitable[tuple[str, ...]]],
) -> UpdateResult:
    """Apply ``change`` to a fresh copy of the item's spec and send it; re-read when stale."""
    current = await read(item) if isinstance(item, str) else item
    for attempt in range(1, UPDATE_TRIES + 1):
        spec = thaw(current.spec)
        change(spec)
        try:
            warnings = await send(current, spec)
        except UpdateOutOfSequence:
            if attempt == UPDATE_TRIES:
                raise
            current = await read(current.id)
            continue
        return UpdateResult(attempt, warnings)
    raise AssertionError("unreachable")  # pragma: no cover


class _TaskNames:
    """Task id -> ``web.2`` for one service's log stream (bounded by its task count)."""

    def __init__(self, swarm: Swarm, service: Service) -> None:
        self._swarm = swarm
        self._service = service
        self._names: dict[str, str] = {}
        self._unknown: set[str] = set()

    async def refresh(self) -> None:
        tasks = await self._swarm.tasks(self._service.id)
        self._names = {task.id: task.name(self._service.name) for task in tasks}

    async def line(self, line: LogLine) -> ServiceLogLine:
        details, text = split_log_details(line.text)
        task_id = details.get(TASK_ID_DETAIL, "")
        return ServiceLogLine(await self._name(task_id), task_id, text, line.stream, line.timestamp)

    async def _name(self, task_id: str) -> str:
        if not task_id:
            return self._service.name
        name = self._names.get(task_id)
        if name is None and task_id not in self._unknown:
            await self.refresh()
            name = self._names.get(task_id)
            if name is None and len(self._unknown) < 1000:
                self._unknown.add(task_id)
        return name or f"{self._service.name}.{task_id[:12]}"
