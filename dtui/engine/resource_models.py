"""Frozen dataclasses for images, volumes, networks and disk usage, built by ``from_api()``.

Like :mod:`dtui.engine.models`, every collection in an answer may be ``null`` and sizes of
``-1`` mean "not computed": the builders treat both as absent. Everything here is text the
engine or a container author controls (names, labels, history commands): untrusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from dtui.engine.models import (
    ContainerSummary,
    ImageSummary,
    Json,
    _int,
    _labels,
    _list,
    _map,
    _size_or_none,
    _str,
    parse_time,
)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(_str(item) for item in _list(value))


def _epoch(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) and value > 0 else None


@dataclass(frozen=True, slots=True)
class ImageDetail:
    """``GET /images/{name}/json``: the parts dtui shows, plus the whole answer in ``raw``."""

    id: str
    repo_tags: tuple[str, ...]
    repo_digests: tuple[str, ...]
    created: datetime | None
    size: int
    architecture: str
    os: str
    author: str
    cmd: tuple[str, ...]
    entrypoint: tuple[str, ...]
    env: tuple[str, ...]
    labels: Mapping[str, str]
    exposed_ports: tuple[str, ...]
    working_dir: str
    user: str
    raw: Mapping[str, Any]

    @classmethod
    def from_api(cls, data: Json) -> ImageDetail:
        config = _map(data.get("Config"))
        return cls(
            id=_str(data.get("Id")),
            repo_tags=_strings(data.get("RepoTags")),
            repo_digests=_strings(data.get("RepoDigests")),
            created=parse_time(data.get("Created")),
            size=_int(data.get("Size")),
            architecture=_str(data.get("Architecture")),
            os=_str(data.get("Os")),
            author=_str(data.get("Author")),
            cmd=_strings(config.get("Cmd")),
            entrypoint=_strings(config.get("Entrypoint")),
            env=_strings(config.get("Env")),
            labels=_labels(config.get("Labels")),
            exposed_ports=tuple(str(port) for port in _map(config.get("ExposedPorts"))),
            working_dir=_str(config.get("WorkingDir")),
            user=_str(config.get("User")),
            raw=MappingProxyType(dict(data)),
        )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One layer of ``GET /images/{name}/history`` (newest first, as the engine sends).

    Attributes:
        id: The layer's image id, or ``<missing>`` for layers built elsewhere.
        created_by: The build instruction (container-author text: untrusted).
    """

    id: str
    created: datetime | None
    created_by: str
    tags: tuple[str, ...]
    size: int
    comment: str

    @classmethod
    def from_api(cls, data: Json) -> HistoryEntry:
        return cls(
            id=_str(data.get("Id")),
            created=_epoch(data.get("Created")),
            created_by=_str(data.get("CreatedBy")),
            tags=_strings(data.get("Tags")),
            size=_int(data.get("Size")),
            comment=_str(data.get("Comment")),
        )


@dataclass(frozen=True, slots=True)
class Removal:
    """What ``DELETE /images/{name}`` (or an image prune) untagged and deleted."""

    untagged: tuple[str, ...]
    deleted: tuple[str, ...]

    @classmethod
    def from_api(cls, data: Any) -> Removal:
        items = [_map(item) for item in _list(data)]
        return cls(
            untagged=tuple(_str(item.get("Untagged")) for item in items if item.get("Untagged")),
            deleted=tuple(_str(item.get("Deleted")) for item in items if item.get("Deleted")),
        )


@dataclass(frozen=True, slots=True)
class PruneReport:
    """The answer of ``POST /images|volumes|networks|containers/prune``.

    Attributes:
        deleted: Ids (images) or names (volumes, networks) the engine removed.
        untagged: References untagged on the way (images only).
        reclaimed: Bytes freed (networks free none: 0).
    """

    deleted: tuple[str, ...]
    untagged: tuple[str, ...]
    reclaimed: int

    @classmethod
    def from_api(cls, data: Json, deleted_key: str) -> PruneReport:
        """Build from a prune answer whose list of removed objects is under ``deleted_key``."""
        listed = data.get(deleted_key)
        if deleted_key == "ImagesDeleted":
            removal = Removal.from_api(listed)
            deleted, untagged = removal.deleted, removal.untagged
        else:
            deleted, untagged = _strings(listed), ()
        return cls(deleted=deleted, untagged=untagged, reclaimed=_int(data.get("SpaceReclaimed")))


@dataclass(frozen=True, slots=True)
class Volume:
    """One volume (``GET /volumes`` item or ``GET /volumes/{name}``).

    Attributes:
        size: Bytes used, only known from ``/system/df`` (None otherwise).
        ref_count: Containers using it, only known from ``/system/df`` (None otherwise).
    """

    name: str
    driver: str
    mountpoint: str
    created: datetime | None
    scope: str
    labels: Mapping[str, str]
    options: Mapping[str, str]
    size: int | None
    ref_count: int | None
    raw: Mapping[str, Any]

    @classmethod
    def from_api(cls, data: Json) -> Volume:
        usage = _map(data.get("UsageData"))
        return cls(
            name=_str(data.get("Name")),
            driver=_str(data.get("Driver")),
            mountpoint=_str(data.get("Mountpoint")),
            created=parse_time(data.get("CreatedAt")),
            scope=_str(data.get("Scope")),
            labels=_labels(data.get("Labels")),
            options=_labels(data.get("Options")),
            size=_size_or_none(usage.get("Size")),
            ref_count=_size_or_none(usage.get("RefCount")),
            raw=MappingProxyType(dict(data)),
        )

    @property
    def id(self) -> str:
        """Volumes are known by name: the name is the id."""
        return self.name


@dataclass(frozen=True, slots=True)
class NetworkEndpoint:
    """One container attached to a network (``GET /networks/{id}`` ``Containers``)."""

    container_id: str
    name: str
    ipv4: str
    ipv6: str
    mac: str


@dataclass(frozen=True, slots=True)
class Subnet:
    """One IPAM config of a network."""

    subnet: str
    gateway: str


@dataclass(frozen=True, slots=True)
class Network:
    """One network (``GET /networks`` item or ``GET /networks/{id}``).

    Attributes:
        containers: Attached containers; the listing leaves this empty (API >= 1.28), only
            inspect fills it.
    """

    id: str
    name: str
    driver: str
    scope: str
    created: datetime | None
    internal: bool
    attachable: bool
    ipv6: bool
    labels: Mapping[str, str]
    subnets: tuple[Subnet, ...]
    containers: tuple[NetworkEndpoint, ...]
    raw: Mapping[str, Any]

    @classmethod
    def from_api(cls, data: Json) -> Network:
        ipam = _map(data.get("IPAM"))
        subnets = tuple(
            Subnet(_str(_map(c).get("Subnet")), _str(_map(c).get("Gateway"))) for c in _list(ipam.get("Config"))
        )
        return cls(
            id=_str(data.get("Id")),
            name=_str(data.get("Name")),
            driver=_str(data.get("Driver")),
            scope=_str(data.get("Scope")),
            created=parse_time(data.get("Created")),
            internal=bool(data.get("Internal")),
            attachable=bool(data.get("Attachable")),
            ipv6=bool(data.get("EnableIPv6")),
            labels=_labels(data.get("Labels")),
            subnets=subnets,
            containers=_endpoints(data.get("Containers")),
            raw=MappingProxyType(dict(data)),
        )

    @property
    def short_id(self) -> str:
        """The first 12 characters of the id."""
        return self.id[:12]

    @property
    def builtin(self) -> bool:
        """The engine's own networks (``bridge``, ``host``, ``none``) cannot be removed."""
        return self.name in {"bridge", "host", "none"}


def _endpoints(value: Any) -> tuple[NetworkEndpoint, ...]:
    endpoints = []
    for container_id, raw in _map(value).items():
        entry = _map(raw)
        endpoints.append(
            NetworkEndpoint(
                container_id=str(container_id),
                name=_str(entry.get("Name")),
                ipv4=_str(entry.get("IPv4Address")),
                ipv6=_str(entry.get("IPv6Address")),
                mac=_str(entry.get("MacAddress")),
            )
        )
    return tuple(sorted(endpoints, key=lambda e: e.name))


@dataclass(frozen=True, slots=True)
class CreatedNetwork:
    """``POST /networks/create`` answer."""

    id: str
    warning: str

    @classmethod
    def from_api(cls, data: Json) -> CreatedNetwork:
        return cls(id=_str(data.get("Id")), warning=_str(data.get("Warning")))


@dataclass(frozen=True, slots=True)
class BuildCacheRecord:
    """One build cache record of ``/system/df``."""

    id: str
    type: str
    size: int
    in_use: bool
    shared: bool

    @classmethod
    def from_api(cls, data: Json) -> BuildCacheRecord:
        return cls(
            id=_str(data.get("ID")),
            type=_str(data.get("Type")),
            size=_int(data.get("Size")),
            in_use=bool(data.get("InUse")),
            shared=bool(data.get("Shared")),
        )


@dataclass(frozen=True, slots=True)
class UsageLine:
    """One line of a disk-usage summary, as ``docker system df`` prints.

    Attributes:
        kind: ``Images``, ``Containers``, ``Local Volumes`` or ``Build Cache``.
        total: How many objects.
        active: How many are in use.
        size: Bytes they take.
        reclaimable: Bytes a prune could free.
    """

    kind: str
    total: int
    active: int
    size: int
    reclaimable: int

    @property
    def reclaimable_percent(self) -> int:
        """Reclaimable bytes as a whole percentage of the size (0 for an empty kind)."""
        return int(self.reclaimable * 100 / self.size) if self.size > 0 else 0


ACTIVE_STATES = ("running", "paused", "restarting")


@dataclass(frozen=True, slots=True)
class DiskUsage:
    """``GET /system/df``: every image, container, volume and build cache record with sizes."""

    layers_size: int
    images: tuple[ImageSummary, ...]
    containers: tuple[ContainerSummary, ...]
    volumes: tuple[Volume, ...]
    build_cache: tuple[BuildCacheRecord, ...]

    @classmethod
    def from_api(cls, data: Json) -> DiskUsage:
        return cls(
            layers_size=_int(data.get("LayersSize")),
            images=tuple(ImageSummary.from_api(_map(i)) for i in _list(data.get("Images"))),
            containers=tuple(ContainerSummary.from_api(_map(c)) for c in _list(data.get("Containers"))),
            volumes=tuple(Volume.from_api(_map(v)) for v in _list(data.get("Volumes"))),
            build_cache=tuple(BuildCacheRecord.from_api(_map(b)) for b in _list(data.get("BuildCache"))),
        )

    def summary(self) -> tuple[UsageLine, ...]:
        """The four lines of ``docker system df``, computed the way the docker CLI does."""
        return (self._images_line(), self._containers_line(), self._volumes_line(), self._cache_line())

    def volume_sizes(self) -> Mapping[str, int]:
        """Bytes used per volume name, for the volumes it could measure."""
        return MappingProxyType({v.name: v.size for v in self.volumes if v.size is not None})

    def _images_line(self) -> UsageLine:
        used_images = [image for image in self.images if image.containers]
        in_use = sum(image.unique_size or 0 for image in used_images)
        reclaimable = max(self.layers_size - in_use, 0)
        return UsageLine("Images", len(self.images), len(used_images), self.layers_size, reclaimable)

    def _containers_line(self) -> UsageLine:
        active = [c for c in self.containers if any(s in c.state for s in ACTIVE_STATES)]
        size = sum(c.size_rw or 0 for c in self.containers)
        reclaimable = size - sum(c.size_rw or 0 for c in active)
        return UsageLine("Containers", len(self.containers), len(active), size, reclaimable)

    def _volumes_line(self) -> UsageLine:
        measured = [v for v in self.volumes if v.size is not None]
        size = sum(v.size or 0 for v in measured)
        reclaimable = sum(v.size or 0 for v in measured if not v.ref_count)
        active = sum(1 for v in self.volumes if v.ref_count)
        return UsageLine("Local Volumes", len(self.volumes), active, size, reclaimable)

    def _cache_line(self) -> UsageLine:
        own = [record for record in self.build_cache if not record.shared]
        size = sum(record.size for record in own)
        reclaimable = sum(record.size for record in own if not record.in_use)
        active = sum(1 for record in self.build_cache if record.in_use)
        return UsageLine("Build Cache", len(self.build_cache), active, size, reclaimable)
