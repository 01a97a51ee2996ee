"""CPU time and memory of process trees, read from /proc (Linux only).

CPU figures are "percent of one core": CPU seconds used in a window divided by the window's
wall time, times 100.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name, or None if it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name may hold spaces and parentheses: split after the last ')'.
    return text[text.rfind(")") + 2:].split()


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds of one process (all its threads), None if gone."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def all_pids() -> list[int]:
    """Every process id currently in /proc."""
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def parent_map() -> dict[int, int]:
    """pid -> parent pid for every live process."""
    parents: dict[int, int] = {}
    for pid in all_pids():
        fields = _stat_fields(pid)
        if fields is not None:
            parents[pid] = int(fields[1])
    return parents


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants that are alive now."""
    children: dict[int, list[int]] = {}
    for pid, parent in parent_map().items():
        children.setdefault(parent, []).append(pid)
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        if (PROC / str(pid)).exists():
            tree.append(pid)
            pending.extend(children.get(pid, []))
    return tree


def rss_bytes(pids: Iterable[int]) -> int:
    """Sum of VmRSS over ``pids`` (gone processes count 0)."""
    total = 0
    for pid in pids:
        try:
            status = (PROC / str(pid) / "status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def command_line(pid: int) -> list[str]:
    """The argv of a process (empty when gone or a kernel thread)."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def engine_processes(host: str) -> list[int]:
    """dockerd serving ``host`` (found by its command line) and the containerd it started.

    Container shims are left out: they belong to the containers, not the engine. Returns an
    empty list when the engine is not local or its dockerd cannot be identified.
    """
    if not host.startswith("unix://"):
        return []
    socket_path = host[len("unix://"):]
    for pid in all_pids():
        argv = command_line(pid)
        if argv and os.path.basename(argv[0]) == "dockerd" and _names_socket(argv[1:], host, socket_path):
            children = [child for child, parent in parent_map().items() if parent == pid]
            containerd = [child for child in children if _comm(child) == "containerd"]
            return [pid, *containerd]
    return []


def _names_socket(arguments: list[str], host: str, socket_path: str) -> bool:
    return any(arg in (host, socket_path) or arg.endswith(("=" + host, "=" + socket_path)) for arg in arguments)


def _comm(pid: int) -> str:
    try:
        return (PROC / str(pid) / "comm").read_text().strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (user, nice, system, irq, softirq, steal)."""
    fields = (PROC / "stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


@dataclass(frozen=True)
class CpuWindow:
    """CPU used by some processes, and by the whole machine, over one wall-clock window.

    Attributes:
        seconds: Wall time of the window.
        watched: Percent of a core used by the watched processes.
        machine: Percent of a core used by everything on the machine.
    """

    seconds: float
    watched: float
    machine: float


class CpuMeter:
    """Measures CPU of a changing set of processes between ``start()`` and ``stop()``.

    Processes that appear during the window count from zero; processes gone at the end lose
    their share (the trees measured here live through the window).
    """

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self._pids = pids
        self._start: dict[int, float] = {}
        self._started_at = 0.0
        self._machine_start = 0.0

    def start(self) -> None:
        """Take the opening readings."""
        self._start = {pid: seconds for pid in self._pids() if (seconds := cpu_seconds(pid)) is not None}
        self._machine_start = machine_busy_seconds()
        self._started_at = time.monotonic()

    def stop(self) -> CpuWindow:
        """Take the closing readings and return the window."""
        used = 0.0
        for pid in self._pids():
            seconds = cpu_seconds(pid)
            if seconds is not None:
                used += seconds - self._start.get(pid, 0.0)
        wall = time.monotonic() - self._started_at
        machine = machine_busy_seconds() - self._machine_start
        return CpuWindow(wall, 100 * used / wall, 100 * machine / wall)


def measure_cpu(pids: Callable[[], list[int]], seconds: float) -> CpuWindow:
    """Sleep ``seconds`` and return the CPU the processes used meanwhile."""
    meter = CpuMeter(pids)
    meter.start()
    time.sleep(seconds)
    return meter.stop()


def machine_description() -> str:
    """CPU model, core count, memory and kernel, on one line."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in (PROC / "cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " ".join(line.split(":", 1)[1].split())
                break
        memory_kib = int((PROC / "meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        memory_kib = 0
    memory = f", {memory_kib / 1024 / 1024:.1f} GiB" if memory_kib else ""
    return f"{model}, {os.cpu_count()} cores{memory}, Linux {platform.release()}"


def load_average() -> str:
    """The 1-minute load average as text."""
    return (PROC / "loadavg").read_text().split()[0]
