"""Frozen dataclasses for Engine API answers, each built by ``from_api()``.

Every collection in an API answer may be ``null`` (``Config.Env`` is null for an imported
image, ``changes`` is null when empty): the builders treat each one as optional. Properties
only derive values; they never do I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

Json = Mapping[str, Any]
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else _EMPTY


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _labels(value: Any) -> Mapping[str, str]:
    return MappingProxyType({str(k): _str(v) for k, v in _map(value).items()})


def parse_time(value: Any) -> datetime | None:
    """Parse an RFC 3339 engine timestamp (nanoseconds allowed); zero time -> None."""
    text = _str(value)
    if not text or text.startswith("0001-01-01"):
        return None
    text = text.replace("Z", "+00:00")
    head, sep, rest = text.partition(".")
    if sep:
        count = len(rest) - len(rest.lstrip("0123456789"))
        digits, zone = rest[:count], rest[count:]
        text = f"{head}.{digits[:6]:0<6}{zone}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Ping:
    """What ``/_ping`` tells in its headers."""

    api_version: str
    os_type: str
    server: str

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Ping:
        return cls(
            api_version=headers.get("Api-Version", ""),
            os_type=headers.get("Ostype", ""),
            server=headers.get("Server", ""),
        )


@dataclass(frozen=True, slots=True)
class EngineVersion:
    """``GET /version``."""

    version: str
    api_version: str
    min_api_version: str
    os: str
    arch: str
    kernel_version: str
    product: str = "Docker"

    @classmethod
    def from_api(cls, data: Json) -> EngineVersion:
        components = data.get("Components")
        names = [_str(part.get("Name")) for part in components or () if isinstance(part, dict)]
        return cls(
            product="Podman" if "Podman Engine" in names else "Docker",
            version=_str(data.get("Version")),
            api_version=_str(data.get("ApiVersion")),
            min_api_version=_str(data.get("MinAPIVersion")),
            os=_str(data.get("Os")),
            arch=_str(data.get("Arch")),
            kernel_version=_str(data.get("KernelVersion")),
        )


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """The parts of ``GET /info`` dtui shows."""

    name: str
    containers: int
    running: int
    paused: int
    stopped: int
    images: int
    ncpu: int
    mem_total: int
    cgroup_version: str

    @classmethod
    def from_api(cls, data: Json) -> EngineInfo:
        return cls(
            name=_str(data.get("Name")),
            containers=_int(data.get("Containers")),
            running=_int(data.get("ContainersRunning")),
            paused=_int(data.get("ContainersPaused")),
            stopped=_int(data.get("ContainersStopped")),
            images=_int(data.get("Images")),
            ncpu=_int(data.get("NCPU")),
            mem_total=_int(data.get("MemTotal")),
            cgroup_version=_str(data.get("CgroupVersion")),
        )


@dataclass(frozen=True, slots=True)
class Port:
    """One port of a container listing."""

    private_port: int
    type: str
    ip: str = ""
    public_port: int | None = None

    @classmethod
    def from_api(cls, data: Json) -> Port:
        public = data.get("PublicPort")
        return cls(
            private_port=_int(data.get("PrivatePort")),
            type=_str(data.get("Type")) or "tcp",
            ip=_str(data.get("IP")),
            public_port=public if isinstance(public, int) else None,
        )

    def __str__(self) -> str:
        if self.public_port is None:
            return f"{self.private_port}/{self.type}"
        ip = f"[{self.ip}]" if ":" in self.ip else self.ip
        prefix = f"{ip}:" if ip else ""
        return f"{prefix}{self.public_port}->{self.private_port}/{self.type}"


@dataclass(frozen=True, slots=True)
class MountPoint:
    """One mount of a container listing (``Mounts`` item).

    Attributes:
        type: ``volume``, ``bind``, ``tmpfs``, ``npipe``...
        name: The volume's name (volumes only, else "").
        source: The host path.
        destination: The path in the container.
    """

    type: str
    name: str
    source: str
    destination: str

    @classmethod
    def from_api(cls, data: Json) -> MountPoint:
        return cls(
            type=_str(data.get("Type")),
            name=_str(data.get("Name")),
            source=_str(data.get("Source")),
            destination=_str(data.get("Destination")),
        )


@dataclass(frozen=True, slots=True)
class ContainerSummary:
    """One row of ``GET /containers/json``.

    Attributes:
        id: Full container id.
        name: First name without the leading ``/``.
        state: ``created``, ``running``, ``paused``, ``restarting``, ``exited``, ``dead``...
        status: The daemon's human text ("Up 9 seconds"); shown, never parsed.
    """

    id: str
    name: str
    names: tuple[str, ...]
    image: str
    image_id: str
    command: str
    created: datetime | None
    state: str
    status: str
    ports: tuple[Port, ...]
    labels: Mapping[str, str]
    size_rw: int | None = None
    size_root_fs: int | None = None
    networks: tuple[str, ...] = field(default_factory=tuple)
    mounts: tuple[MountPoint, ...] = ()
    network_ids: tuple[str, ...] = ()
    """Ids of the networks it is connected to now (a container never started has none)."""

    @classmethod
    def from_api(cls, data: Json) -> ContainerSummary:
        names = tuple(_str(n).lstrip("/") for n in _list(data.get("Names")))
        created = data.get("Created")
        networks = _map(_map(data.get("NetworkSettings")).get("Networks"))
        size_rw = data.get("SizeRw")
        size_root = data.get("SizeRootFs")
        return cls(
            id=_str(data.get("Id")),
            name=names[0] if names else "",
            names=names,
            image=_str(data.get("Image")),
            image_id=_str(data.get("ImageID")),
            command=_str(data.get("Command")),
            created=datetime.fromtimestamp(created, timezone.utc) if isinstance(created, int) else None,
            state=_str(data.get("State")),
            status=_str(data.get("Status")),
            ports=tuple(sorted((Port.from_api(_map(p)) for p in _list(data.get("Ports"))), key=_port_key)),
            labels=_labels(data.get("Labels")),
            size_rw=size_rw if isinstance(size_rw, int) else None,
            size_root_fs=size_root if isinstance(size_root, int) else None,
            networks=tuple(networks),
            mounts=tuple(MountPoint.from_api(_map(m)) for m in _list(data.get("Mounts"))),
            network_ids=tuple(i for n in networks.values() if (i := _str(_map(n).get("NetworkID")))),
        )

    @property
    def volume_names(self) -> tuple[str, ...]:
        """Names of the volumes it mounts."""
        return tuple(mount.name for mount in self.mounts if mount.type == "volume" and mount.name)

    @property
    def short_id(self) -> str:
        """The first 12 characters of the id, as the CLI shows."""
        return self.id[:12]

    @property
    def is_running(self) -> bool:
        """True for running (including paused and restarting) containers."""
        return self.state in {"running", "paused", "restarting"}


def _port_key(port: Port) -> tuple[int, int, str, str]:
    return (port.public_port or 0, port.private_port, port.type, port.ip)


@dataclass(frozen=True, slots=True)
class ContainerDetail:
    """``GET /containers/{id}/json``: the parts dtui reads, plus the whole answer.

    Attributes:
        raw: The complete inspect document (for the JSON tree view).
        volumes: Container paths declared as volumes (``Config.Volumes``).
        nano_cpus: CPU cap in billionths of a CPU; 0 when uncapped.
    """

    id: str
    name: str
    image: str
    image_id: str
    created: datetime | None
    state: str
    running: bool
    paused: bool
    exit_code: int
    started_at: datetime | None
    finished_at: datetime | None
    health: str
    tty: bool
    cmd: tuple[str, ...]
    entrypoint: tuple[str, ...]
    env: tuple[str, ...]
    labels: Mapping[str, str]
    working_dir: str
    restart_policy: str
    binds: tuple[str, ...]
    port_bindings: Mapping[str, tuple[tuple[str, str], ...]]
    exposed_ports: tuple[str, ...]
    networks: Mapping[str, str]
    raw: Mapping[str, Any]
    volumes: tuple[str, ...] = ()
    restart_max_retries: int = 0
    nano_cpus: int = 0

    @classmethod
    def from_api(cls, data: Json) -> ContainerDetail:
        config = _map(data.get("Config"))
        state = _map(data.get("State"))
        host = _map(data.get("HostConfig"))
        networks = _map(_map(data.get("NetworkSettings")).get("Networks"))
        bindings = {
            str(port): tuple((_str(_map(b).get("HostIp")), _str(_map(b).get("HostPort"))) for b in _list(value))
            for port, value in _map(host.get("PortBindings")).items()
        }
        return cls(
            id=_str(data.get("Id")),
            name=_str(data.get("Name")).lstrip("/"),
            image=_str(config.get("Image")),
            image_id=_str(data.get("Image")),
            created=parse_time(data.get("Created")),
            state=_str(state.get("Status")),
            running=bool(state.get("Running")),
            paused=bool(state.get("Paused")),
            exit_code=_int(state.get("ExitCode")),
            started_at=parse_time(state.get("StartedAt")),
            finished_at=parse_time(state.get("FinishedAt")),
            health=_str(_map(state.get("Health")).get("Status")),
            tty=bool(config.get("Tty")),
            cmd=tuple(_str(c) for c in _list(config.get("Cmd"))),
            entrypoint=tuple(_str(c) for c in _list(config.get("Entrypoint"))),
            env=tuple(_str(e) for e in _list(config.get("Env"))),
            labels=_labels(config.get("Labels")),
            working_dir=_str(config.get("WorkingDir")),
            restart_policy=_str(_map(host.get("RestartPolicy")).get("Name")),
            binds=tuple(_str(b) for b in _list(host.get("Binds"))),
            port_bindings=MappingProxyType(bindings),
            exposed_ports=tuple(str(p) for p in _map(config.get("ExposedPorts"))),
            networks=MappingProxyType({str(k): _str(_map(v).get("IPAddress")) for k, v in networks.items()}),
            raw=MappingProxyType(dict(data)),
            volumes=tuple(str(path) for path in _map(config.get("Volumes"))),
            restart_max_retries=_int(_map(host.get("RestartPolicy")).get("MaximumRetryCount")),
            nano_cpus=_int(host.get("NanoCpus")),
        )


NONE_TAG = "<none>:<none>"


def _size_or_none(value: Any) -> int | None:
    """An engine size where -1 (or absence) means "not computed"."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


@dataclass(frozen=True, slots=True)
class ImageSummary:
    """One image of ``GET /images/json`` (one image may carry several tags).

    Attributes:
        repo_tags: ``repo:tag`` references, without the engine's ``<none>:<none>`` filler.
        repo_digests: ``repo@sha256:...`` references (``digests=1``).
        shared_size: Bytes shared with other images; None unless ``shared-size=1`` asked.
        containers: How many containers use it; None when the engine did not count (-1).
    """

    id: str
    repo_tags: tuple[str, ...]
    created: datetime | None
    size: int
    repo_digests: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    parent_id: str = ""
    shared_size: int | None = None
    containers: int | None = None

    @classmethod
    def from_api(cls, data: Json) -> ImageSummary:
        created = data.get("Created")
        return cls(
            id=_str(data.get("Id")),
            repo_tags=tuple(_str(t) for t in _list(data.get("RepoTags")) if t != NONE_TAG),
            created=datetime.fromtimestamp(created, timezone.utc) if isinstance(created, int) else None,
            size=_int(data.get("Size")),
            repo_digests=tuple(_str(d) for d in _list(data.get("RepoDigests")) if d != "<none>@<none>"),
            labels=_labels(data.get("Labels")),
            parent_id=_str(data.get("ParentId")),
            shared_size=_size_or_none(data.get("SharedSize")),
            containers=_size_or_none(data.get("Containers")),
        )

    @property
    def short_id(self) -> str:
        """The id without ``sha256:``, cut to 12 characters as the CLI shows."""
        return self.id.removeprefix("sha256:")[:12]

    @property
    def dangling(self) -> bool:
        """True when no tag points at the image (it lists as ``<none>:<none>``)."""
        return not self.repo_tags

    @property
    def unique_size(self) -> int | None:
        """Bytes only this image holds (size minus shared), when the engine computed sharing."""
        return None if self.shared_size is None else max(self.size - self.shared_size, 0)


@dataclass(frozen=True, slots=True)
class ProcessTable:
    """``GET /containers/{id}/top``."""

    titles: tuple[str, ...]
    processes: tuple[tuple[str, ...], ...]

    @classmethod
    def from_api(cls, data: Json) -> ProcessTable:
        titles = tuple(_str(t) for t in _list(data.get("Titles")))
        processes = tuple(tuple(_str(c) for c in _list(row)) for row in _list(data.get("Processes")))
        if len(titles) == 1 and len(titles[0].split()) > 1:
            return cls._split_columns(titles[0], processes)
        return cls(titles=titles, processes=processes)

    @classmethod
    def _split_columns(cls, title: str, processes: tuple[tuple[str, ...], ...]) -> ProcessTable:
        """Podman 4.3 answers ``top`` with ps's header and each row as one unsplit string."""
        titles = tuple(title.split())
        rows = tuple(
            tuple(" ".join(row).split(None, len(titles) - 1)) for row in processes
        )
        return cls(titles=titles, processes=rows)


CHANGE_KINDS = {0: "C", 1: "A", 2: "D"}


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of ``GET /containers/{id}/changes``.

    Attributes:
        kind: ``C`` (modified), ``A`` (added) or ``D`` (deleted), as ``docker diff`` prints.
    """

    path: str
    kind: str

    @classmethod
    def from_api(cls, data: Json) -> Change:
        return cls(path=_str(data.get("Path")), kind=CHANGE_KINDS.get(_int(data.get("Kind")), "?"))


@dataclass(frozen=True, slots=True)
class Event:
    """One ``/events`` record. Attributes are container-controlled text: untrusted."""

    type: str
    action: str
    actor_id: str
    attributes: Mapping[str, str]
    time_nano: int

    @classmethod
    def from_api(cls, data: Json) -> Event:
        actor = _map(data.get("Actor"))
        nano = data.get("timeNano")
        seconds = data.get("time")
        return cls(
            type=_str(data.get("Type")),
            action=_str(data.get("Action")),
            actor_id=_str(actor.get("ID")) or _str(data.get("id")),
            attributes=_labels(actor.get("Attributes")),
            time_nano=nano if isinstance(nano, int) else _int(seconds) * 1_000_000_000,
        )

    @property
    def base_action(self) -> str:
        """The action without its detail (``health_status: healthy`` -> ``health_status``)."""
        return self.action.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class CreatedContainer:
    """``POST /containers/create`` answer."""

    id: str
    warnings: tuple[str, ...]

    @classmethod
    def from_api(cls, data: Json) -> CreatedContainer:
        return cls(id=_str(data.get("Id")), warnings=tuple(_str(w) for w in _list(data.get("Warnings"))))
