"""Container resource figures from ``/containers/{id}/stats`` records.

The maths follow the docker CLI (``cli/command/container/stats_helpers.go``, Linux
branch) so dtui shows the same numbers as ``docker stats``, with one difference: where
the CLI would divide by a missing baseline (the first streamed record, or a one-shot
record with empty ``precpu_stats``) and show a lifetime average, dtui reports None
("no CPU figure yet").

Every collection in a record may be null or missing (stopped containers, cgroup v1/v2,
Podman's empty ``memory_stats.stats``): the builders never raise on shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from dtui.engine.streams import parse_rfc3339

RateField = Literal["net_rx", "net_tx", "block_read", "block_write"]


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _opt_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return None


def _int(value: Any) -> int:
    return _opt_int(value) or 0


def _read_time(value: Any) -> datetime | None:
    """The sample time; None for Go's zero time (a stopped container's records)."""
    stamp = parse_rfc3339(value) if isinstance(value, str) else None
    return None if stamp is None or stamp.year <= 1 else stamp


def _online_cpus(cpu_stats: Mapping[str, Any]) -> int:
    online = _int(cpu_stats.get("online_cpus"))
    if online > 0:
        return online
    return len(_list(_map(cpu_stats.get("cpu_usage")).get("percpu_usage"))) or 1


def _cpu_percent(cpu: Mapping[str, Any], pre: Mapping[str, Any], online: int) -> float | None:
    """CPU% from two cumulative readings; None when either lacks the system counter."""
    system = _int(cpu.get("system_cpu_usage"))
    pre_system = _int(pre.get("system_cpu_usage"))
    if system <= 0 or pre_system <= 0:
        return None
    total = _int(_map(cpu.get("cpu_usage")).get("total_usage"))
    pre_total = _int(_map(pre.get("cpu_usage")).get("total_usage"))
    cpu_delta = total - pre_total
    system_delta = system - pre_system
    if cpu_delta <= 0 or system_delta <= 0:
        return 0.0
    return cpu_delta / system_delta * online * 100.0


MIN_CPU_WINDOW_SECONDS = 0.5
"""A baseline taken less than this before the record gives noise, not a CPU figure."""


def _too_short_window(raw: Mapping[str, Any]) -> bool:
    """True when ``precpu_stats`` was read only moments before the record.

    Podman's first streamed record carries a baseline a few milliseconds old (Docker's has
    none): a CPU% from that window is noise (0% or 35% for the same loop), so none is shown.
    """
    read, preread = _read_time(raw.get("read")), _read_time(raw.get("preread"))
    return read is not None and preread is not None and (read - preread).total_seconds() < MIN_CPU_WINDOW_SECONDS


def _is_podman(raw: Mapping[str, Any]) -> bool:
    """Podman's records name the container ``Id`` (Docker's say ``id``)."""
    return "Id" in raw and "id" not in raw


def _podman_cpu_percent(raw: Mapping[str, Any], previous: Mapping[str, Any] | None) -> float | None:
    """CPU% of a Podman record: container CPU time over the wall time between the readings.

    podman 4.3's ``system_cpu_usage`` grows slower than the wall clock times the CPUs, so
    Docker's formula overshoots there (a loop capped at half a CPU read 65-160%).
    """
    before = _map(raw.get("precpu_stats") if previous is None else previous.get("cpu_stats"))
    start = _read_time(raw.get("preread") if previous is None else previous.get("read"))
    end = _read_time(raw.get("read"))
    if start is None or end is None or (end - start).total_seconds() < MIN_CPU_WINDOW_SECONDS:
        return None
    if _opt_int(_map(before.get("cpu_usage")).get("total_usage")) is None:
        return None
    used = _int(_map(_map(raw.get("cpu_stats")).get("cpu_usage")).get("total_usage"))
    delta = used - _int(_map(before.get("cpu_usage")).get("total_usage"))
    return max(delta, 0) / ((end - start).total_seconds() * 1e9) * 100.0


def _memory_used(memory: Mapping[str, Any]) -> int | None:
    """Usage minus inactive page cache, as ``docker stats`` computes it."""
    usage = _opt_int(memory.get("usage"))
    if usage is None:
        return None
    detail = _map(memory.get("stats"))
    inactive = _opt_int(detail.get("total_inactive_file"))  # cgroup v1
    if inactive is not None and inactive < usage:
        return usage - inactive
    inactive = _opt_int(detail.get("inactive_file"))  # cgroup v2
    if inactive is not None and inactive < usage:
        return usage - inactive
    return usage


def _memory_percent(used: int | None, limit: int | None) -> float | None:
    if used is None or limit is None or limit <= 0:
        return None
    return used / limit * 100.0


def _network_totals(networks: Any) -> tuple[int, int]:
    rx = tx = 0
    for interface in _map(networks).values():
        counters = _map(interface)
        rx += _int(counters.get("rx_bytes"))
        tx += _int(counters.get("tx_bytes"))
    return rx, tx


def _block_totals(blkio: Any) -> tuple[int, int]:
    read = write = 0
    for entry in _list(_map(blkio).get("io_service_bytes_recursive")):
        op = _map(entry).get("op")
        first = op[:1].lower() if isinstance(op, str) else ""
        if first == "r":
            read += _int(_map(entry).get("value"))
        elif first == "w":
            write += _int(_map(entry).get("value"))
    return read, write


@dataclass(frozen=True, slots=True)
class StatsSample:
    """One stats record of one container, reduced to the figures dtui shows.

    Attributes:
        container_id: ``id`` (Docker) or ``Id`` (Podman); empty when absent.
        name: The container name without its leading ``/``.
        read: When the engine took the sample; None for a stopped container's records.
        cpu_percent: CPU use in percent of one CPU (up to ``online_cpus`` × 100), or None
            without a valid baseline.
        online_cpus: CPUs the percentage is scaled by (at least 1).
        memory_used: Bytes used without inactive page cache; None when unknown.
        memory_limit: The memory limit in bytes (the host's memory when unlimited).
        memory_percent: ``memory_used / memory_limit × 100``; None without a positive limit.
        net_rx: Bytes received, summed over every network (cumulative).
        net_tx: Bytes sent, summed over every network (cumulative).
        block_read: Bytes read from block devices (cumulative).
        block_write: Bytes written to block devices (cumulative).
        pids: Number of processes, or None when not reported.
    """

    container_id: str
    name: str
    read: datetime | None
    cpu_percent: float | None
    online_cpus: int
    memory_used: int | None
    memory_limit: int | None
    memory_percent: float | None
    net_rx: int
    net_tx: int
    block_read: int
    block_write: int
    pids: int | None

    @property
    def has_data(self) -> bool:
        """False for the empty records a stopped container keeps sending."""
        return self.read is not None

    @classmethod
    def from_api(
        cls, raw: Mapping[str, Any], previous: Mapping[str, Any] | None = None
    ) -> StatsSample:
        """Build a sample from one stats record.

        Args:
            raw: A record from ``GET /containers/{id}/stats``.
            previous: An earlier record of the same container (two one-shot samples).
                When given, its ``cpu_stats`` are the CPU baseline instead of the
                record's own ``precpu_stats``, which one-shot records leave empty.

        Returns:
            The sample; figures the record lacks are None or 0, never an exception.
        """
        cpu = _map(raw.get("cpu_stats"))
        baseline = raw.get("precpu_stats") if previous is None else previous.get("cpu_stats")
        pre = _map(baseline) if previous is not None or not _too_short_window(raw) else {}
        online = _online_cpus(cpu)
        memory = _map(raw.get("memory_stats"))
        used = _memory_used(memory)
        limit = _opt_int(memory.get("limit"))
        net_rx, net_tx = _network_totals(raw.get("networks"))
        block_read, block_write = _block_totals(raw.get("blkio_stats"))
        name = raw.get("name")
        return cls(
            container_id=str(raw.get("id") or raw.get("Id") or ""),
            name=name.lstrip("/") if isinstance(name, str) else "",
            read=_read_time(raw.get("read")),
            cpu_percent=_podman_cpu_percent(raw, previous) if _is_podman(raw) else _cpu_percent(cpu, pre, online),
            online_cpus=online,
            memory_used=used,
            memory_limit=limit,
            memory_percent=_memory_percent(used, limit),
            net_rx=net_rx,
            net_tx=net_tx,
            block_read=block_read,
            block_write=block_write,
            pids=_opt_int(_map(raw.get("pids_stats")).get("current")),
        )


def rate(prev: StatsSample, cur: StatsSample, field: RateField) -> float | None:
    """Bytes per second of a cumulative counter between two samples.

    Args:
        prev: The earlier sample.
        cur: The later sample of the same container.
        field: ``"net_rx"``, ``"net_tx"``, ``"block_read"`` or ``"block_write"``.

    Returns:
        The rate, or None when a sample has no data, the interval is not positive, or
        the counter went backwards (the container restarted).
    """
    if prev.read is None or cur.read is None:
        return None
    seconds = (cur.read - prev.read).total_seconds()
    delta: int = getattr(cur, field) - getattr(prev, field)
    if seconds <= 0 or delta < 0:
        return None
    return delta / seconds
