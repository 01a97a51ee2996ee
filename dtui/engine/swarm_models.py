"""Frozen dataclasses for swarm answers (``/info`` Swarm, services, tasks, nodes).

Everything here except ids and counts is set by whoever created the service: names, images,
labels, task errors and messages are untrusted text for the UI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

from dtui.engine.models import Json, _int, _labels, _list, _map, _str, parse_time
from dtui.engine.spec import PortSpec, SpecError

NODE_AVAILABILITIES = ("active", "pause", "drain")
"""The values ``Spec.Availability`` of a node takes."""


def _frozen(value: Any) -> Mapping[str, Any]:
    return MappingProxyType(dict(_map(value)))


def thaw(value: Mapping[str, Any]) -> dict[str, Any]:
    """A deep, mutable copy of a JSON mapping kept in a model (to send a spec back)."""
    copy: dict[str, Any] = json.loads(json.dumps(value, default=dict))
    return copy


@dataclass(frozen=True, slots=True)
class SwarmState:
    """The ``Swarm`` part of ``GET /info``.

    Attributes:
        local_state: ``inactive``, ``pending``, ``active``, ``error`` or ``locked``.
        control_available: True on a manager node.
        error: The engine's text when ``local_state`` is ``error``.
    """

    node_id: str
    node_addr: str
    local_state: str
    control_available: bool
    error: str
    nodes: int
    managers: int

    @classmethod
    def from_info(cls, info: Json) -> SwarmState:
        """Build from a whole ``/info`` answer (an engine without ``Swarm`` is inactive)."""
        data = _map(info.get("Swarm"))
        return cls(
            node_id=_str(data.get("NodeID")),
            node_addr=_str(data.get("NodeAddr")),
            local_state=_str(data.get("LocalNodeState")) or "inactive",
            control_available=bool(data.get("ControlAvailable")),
            error=_str(data.get("Error")),
            nodes=_int(data.get("Nodes")),
            managers=_int(data.get("Managers")),
        )

    @property
    def active(self) -> bool:
        """This engine is a member of a swarm."""
        return self.local_state == "active"

    @property
    def is_manager(self) -> bool:
        """This engine can list and change services and nodes."""
        return self.active and self.control_available


@dataclass(frozen=True, slots=True)
class ServicePort:
    """One published port of a service (``Endpoint.Ports``)."""

    target: int
    published: int
    protocol: str
    mode: str

    @classmethod
    def from_api(cls, data: Json) -> ServicePort:
        return cls(
            target=_int(data.get("TargetPort")),
            published=_int(data.get("PublishedPort")),
            protocol=_str(data.get("Protocol")) or "tcp",
            mode=_str(data.get("PublishMode")) or "ingress",
        )

    def __str__(self) -> str:
        text = f"*:{self.published}->{self.target}/{self.protocol}" if self.published else f"{self.target}/{self.protocol}"
        return text if self.mode == "ingress" else f"{text} ({self.mode})"


def _service_mode(mode: Mapping[str, Any]) -> tuple[str, int | None]:
    if "Replicated" in mode:
        return "replicated", _int(_map(mode["Replicated"]).get("Replicas"))
    if "Global" in mode:
        return "global", None
    if "ReplicatedJob" in mode:
        return "replicated-job", _int(_map(mode["ReplicatedJob"]).get("TotalCompletions")) or None
    if "GlobalJob" in mode:
        return "global-job", None
    return "", None


@dataclass(frozen=True, slots=True)
class Service:
    """One service (``GET /services?status=true`` or ``GET /services/{id}``).

    Attributes:
        version: ``Version.Index``: an update must name it (a stale one is refused).
        mode: ``replicated``, ``global``, ``replicated-job`` or ``global-job``.
        replicas: The replica count of a replicated service, else None.
        running: Running tasks (``ServiceStatus``; 0 when the engine did not count).
        desired: Desired tasks (``ServiceStatus``).
        update_state: ``UpdateStatus.State`` (``updating``, ``completed``,
            ``rollback_completed``, ``paused``...), empty when never updated.
        spec: The whole ``Spec``, sent back (changed) by updates.
        has_previous: A previous spec exists, so a rollback can run.
    """

    id: str
    version: int
    name: str
    image: str
    mode: str
    replicas: int | None
    running: int
    desired: int
    ports: tuple[ServicePort, ...]
    created: datetime | None
    updated: datetime | None
    update_state: str
    update_message: str
    labels: Mapping[str, str]
    tty: bool
    force_update: int
    spec: Mapping[str, Any] = field(repr=False)
    has_previous: bool = False

    @classmethod
    def from_api(cls, data: Json) -> Service:
        spec = _map(data.get("Spec"))
        template = _map(spec.get("TaskTemplate"))
        container = _map(template.get("ContainerSpec"))
        status = _map(data.get("ServiceStatus"))
        update = _map(data.get("UpdateStatus"))
        mode, replicas = _service_mode(_map(spec.get("Mode")))
        ports = _list(_map(data.get("Endpoint")).get("Ports")) or _list(_map(spec.get("EndpointSpec")).get("Ports"))
        return cls(
            id=_str(data.get("ID")),
            version=_int(_map(data.get("Version")).get("Index")),
            name=_str(spec.get("Name")),
            image=_str(container.get("Image")),
            mode=mode,
            replicas=replicas,
            running=_int(status.get("RunningTasks")),
            desired=_int(status.get("DesiredTasks")),
            ports=tuple(ServicePort.from_api(_map(port)) for port in ports),
            created=parse_time(data.get("CreatedAt")),
            updated=parse_time(data.get("UpdatedAt")),
            update_state=_str(update.get("State")),
            update_message=_str(update.get("Message")),
            labels=_labels(spec.get("Labels")),
            tty=bool(container.get("TTY")),
            force_update=_int(template.get("ForceUpdate")),
            spec=_frozen(spec),
            has_previous=bool(data.get("PreviousSpec")),
        )

    @property
    def short_id(self) -> str:
        """The first 12 characters of the id."""
        return self.id[:12]

    @property
    def image_name(self) -> str:
        """The image without the ``@sha256:...`` pin the CLI adds."""
        return self.image.split("@", 1)[0]

    @property
    def scalable(self) -> bool:
        """Only a replicated service has a replica count to change."""
        return self.mode == "replicated"

    @property
    def mode_text(self) -> str:
        """``replicated 3`` or ``global``, as ``docker service ls`` shows the mode."""
        return f"{self.mode} {self.replicas}" if self.replicas is not None else self.mode


def task_name(service_name: str, slot: int, node_id: str) -> str:
    """The name docker gives a task: ``web.2`` (replicated) or ``web.<node id>`` (global)."""
    return f"{service_name}.{slot}" if slot else f"{service_name}.{node_id}"


@dataclass(frozen=True, slots=True)
class Task:
    """One task of a service (``GET /tasks``).

    Attributes:
        slot: The replica slot (0 for a global service's task).
        state: ``Status.State``: ``new`` ... ``running``, ``complete``, ``failed``, ``shutdown``...
        desired_state: What the orchestrator wants: ``running``, ``shutdown``...
        error: ``Status.Err`` (why it failed), untrusted.
        container_id: The container running the task, empty before it was created.
    """

    id: str
    service_id: str
    slot: int
    node_id: str
    state: str
    desired_state: str
    message: str
    error: str
    container_id: str
    exit_code: int
    timestamp: datetime | None
    created: datetime | None

    @classmethod
    def from_api(cls, data: Json) -> Task:
        status = _map(data.get("Status"))
        container = _map(status.get("ContainerStatus"))
        return cls(
            id=_str(data.get("ID")),
            service_id=_str(data.get("ServiceID")),
            slot=_int(data.get("Slot")),
            node_id=_str(data.get("NodeID")),
            state=_str(status.get("State")),
            desired_state=_str(data.get("DesiredState")),
            message=_str(status.get("Message")),
            error=_str(status.get("Err")),
            container_id=_str(container.get("ContainerID")),
            exit_code=_int(container.get("ExitCode")),
            timestamp=parse_time(status.get("Timestamp")),
            created=parse_time(data.get("CreatedAt")),
        )

    @property
    def is_running(self) -> bool:
        """The task's container runs."""
        return self.state == "running"

    def name(self, service_name: str) -> str:
        """This task's name under its service's name (``web.2``)."""
        return task_name(service_name, self.slot, self.node_id)


@dataclass(frozen=True, slots=True)
class Node:
    """One swarm node (``GET /nodes``).

    Attributes:
        version: ``Version.Index``, named by an availability update.
        role: ``manager`` or ``worker``.
        availability: ``active``, ``pause`` or ``drain``.
        state: ``Status.State``: ``ready``, ``down``, ``disconnected``, ``unknown``.
        reachability: ``ManagerStatus.Reachability`` (``reachable``...), empty for a worker.
        spec: The whole ``Spec``, sent back (changed) by an update.
    """

    id: str
    version: int
    hostname: str
    role: str
    availability: str
    state: str
    addr: str
    leader: bool
    reachability: str
    engine_version: str
    labels: Mapping[str, str]
    spec: Mapping[str, Any] = field(repr=False)

    @classmethod
    def from_api(cls, data: Json) -> Node:
        spec = _map(data.get("Spec"))
        description = _map(data.get("Description"))
        status = _map(data.get("Status"))
        manager = _map(data.get("ManagerStatus"))
        return cls(
            id=_str(data.get("ID")),
            version=_int(_map(data.get("Version")).get("Index")),
            hostname=_str(description.get("Hostname")),
            role=_str(spec.get("Role")),
            availability=_str(spec.get("Availability")),
            state=_str(status.get("State")),
            addr=_str(status.get("Addr")),
            leader=bool(manager.get("Leader")),
            reachability=_str(manager.get("Reachability")),
            engine_version=_str(_map(description.get("Engine")).get("EngineVersion")),
            labels=_labels(spec.get("Labels")),
            spec=_frozen(spec),
        )

    @property
    def short_id(self) -> str:
        """The first 12 characters of the id."""
        return self.id[:12]

    @property
    def manager_status(self) -> str:
        """``Leader``, ``reachable``/``unreachable`` for a manager, empty for a worker."""
        if self.leader:
            return "leader"
        return self.reachability


def split_log_details(text: str) -> tuple[dict[str, str], str]:
    """Split the ``details=1`` prefix off a service log line.

    The engine puts ``key=value,key=value`` (query-escaped) and one space before the
    message; ``com.docker.swarm.task.id`` names the task the line came from. A line
    without such a prefix comes back unchanged with no details.

    Returns:
        The details and the message.
    """
    head, sep, rest = text.partition(" ")
    if not sep or "=" not in head:
        return {}, text
    details: dict[str, str] = {}
    for pair in head.split(","):
        key, equals, value = pair.partition("=")
        if not equals:
            return {}, text
        details[unquote(key)] = unquote(value)
    return details, rest


@dataclass(frozen=True, slots=True)
class ServiceLogLine:
    """One line of ``GET /services/{id}/logs``.

    Attributes:
        task: The task's name (``web.2``), or its id when the task is unknown.
        task_id: The task id from the line's details (empty if none).
        text: The message, untrusted.
        stream: ``stdout`` or ``stderr``.
        timestamp: When the engine received it (with ``timestamps``).
    """

    task: str
    task_id: str
    text: str
    stream: str
    timestamp: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewService:
    """What ``POST /services/create`` should make (the swarm side of the create form).

    Attributes:
        cmd: Arguments after the image, as ``docker service create IMAGE CMD...``: they
            replace the image's ``CMD`` and keep its entrypoint (``ContainerSpec.Args``).
        ports: Published in ingress mode (the routing mesh); a port without a host port
            gets one the engine picks. A host IP cannot be given (SpecError).
        replicas: Replica count of a replicated service; ignored for a global one.
    """

    image: str
    name: str = ""
    cmd: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    ports: tuple[PortSpec, ...] = ()
    replicas: int = 1
    global_mode: bool = False

    def __post_init__(self) -> None:
        if not self.image.strip():
            raise SpecError("a service needs an image")
        if self.replicas < 0:
            raise SpecError("replicas must not be negative")
        for port in self.ports:
            if port.host_ip:
                raise SpecError(f"a service port cannot bind a host IP ({port.host_ip}): ingress publishes on every node")

    def to_api(self) -> dict[str, Any]:
        """The JSON body of ``POST /services/create``."""
        container: dict[str, Any] = {"Image": self.image}
        if self.cmd:
            container["Args"] = list(self.cmd)
        if self.env:
            container["Env"] = list(self.env)
        mode: dict[str, Any] = {"Global": {}} if self.global_mode else {"Replicated": {"Replicas": self.replicas}}
        body: dict[str, Any] = {
            "Labels": dict(self.labels),
            "TaskTemplate": {"ContainerSpec": container},
            "Mode": mode,
        }
        if self.name:
            body["Name"] = self.name
        if self.ports:
            body["EndpointSpec"] = {"Ports": [_ingress_port(port) for port in self.ports]}
        return body


def _ingress_port(port: PortSpec) -> dict[str, Any]:
    published: dict[str, Any] = {"Protocol": port.protocol, "TargetPort": port.container_port, "PublishMode": "ingress"}
    if port.host_port:
        published["PublishedPort"] = int(port.host_port)
    return published


@dataclass(frozen=True, slots=True)
class CreatedService:
    """``POST /services/create`` answer."""

    id: str
    warnings: tuple[str, ...]

    @classmethod
    def from_api(cls, data: Json) -> CreatedService:
        return cls(id=_str(data.get("ID")), warnings=tuple(_str(w) for w in _list(data.get("Warnings"))))


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """How an update went.

    Attributes:
        attempts: Requests sent (more than 1 when a stale version was retried).
        warnings: The engine's warnings (e.g. an image it could not resolve).
    """

    attempts: int
    warnings: tuple[str, ...] = ()
