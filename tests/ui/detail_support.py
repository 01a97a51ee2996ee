"""Deterministic fake data and a tiny app composing only the DetailPane (for Pilot/snapshots)."""

from __future__ import annotations

import json
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Footer

from dtui.engine.client import EngineClient
from dtui.engine.errors import EngineError
from dtui.engine.models import ContainerSummary
from dtui.ui.widgets.detail_pane import DetailPane
from tests.fakes import FakeEngine, container_json

CID = "c0ffee" + "0" * 58
HOSTILE_LABEL = "[@click=app.quit]x[/]"
HOSTILE_VALUE = "[/]"

DETAIL_CSS = str(__import__("pathlib").Path(__file__).parents[2] / "dtui" / "ui" / "detail.tcss")


def inspect_document(*, running: bool = True, env: list[str] | None = None) -> dict[str, Any]:
    """An inspect answer with hostile labels and env (as a container could set them)."""
    return {
        "Id": CID,
        "Name": "/web",
        "Created": "2026-05-01T10:20:30.123456789Z",
        "Path": "sh",
        "Args": ["-c", "sleep 600"],
        "State": {
            "Status": "running" if running else "exited",
            "Running": running,
            "Paused": False,
            "ExitCode": 0,
            "StartedAt": "2026-05-01T10:20:31Z",
            "Health": {"Status": "healthy"},
        },
        "Image": "sha256:" + "1" * 64,
        "HostConfig": {"RestartPolicy": {"Name": "unless-stopped"}, "Binds": None},
        "Mounts": [{"Type": "volume", "Name": "data", "Destination": "/data", "RW": True}],
        "Config": {
            "Image": "busybox:latest",
            "Cmd": ["sh", "-c", "sleep 600"],
            "Entrypoint": None,
            "Env": env if env is not None else [
                "PATH=/usr/bin:/bin",
                "DB_PASSWORD=hunter2",
                "api_token=t0k3n",
                f"HOSTILE={HOSTILE_VALUE}",
            ],
            "Labels": {HOSTILE_LABEL: HOSTILE_VALUE, "tier": "web"},
        },
        "NetworkSettings": {
            "Ports": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "32768"}]},
            "Networks": {"bridge": {"IPAddress": "172.17.0.2"}},
        },
    }


TOP_ANSWER = {
    "Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"],
    "Processes": [
        ["root", "4242", "4222", "0", "10:20", "?", "00:00:00", "sleep 600"],
        ["root", "4300", "4242", "0", "10:21", "?", "00:00:00", f"sh -c echo {HOSTILE_LABEL}"],
    ],
}

CHANGES_ANSWER = [
    {"Path": "/tmp", "Kind": 0},
    {"Path": "/tmp/new.txt", "Kind": 1},
    {"Path": "/etc/old.conf", "Kind": 2},
    {"Path": f"/tmp/{HOSTILE_LABEL}", "Kind": 1},
]


def stats_record(second: int, *, cpu_total: int, system: int, pre_cpu: int, pre_system: int,
                 rx: int = 0, pids: int = 3) -> dict[str, Any]:
    """One streamed stats record (cgroup v2 shape) at 10:00:<second>."""
    return {
        "read": f"2026-05-01T10:00:{second:02d}.000000000Z",
        "id": CID,
        "name": "/web",
        "pids_stats": {"current": pids},
        "cpu_stats": {"cpu_usage": {"total_usage": cpu_total}, "system_cpu_usage": system, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": pre_cpu}, "system_cpu_usage": pre_system},
        "memory_stats": {"usage": 64 * 1024 * 1024, "stats": {"inactive_file": 0}, "limit": 256 * 1024 * 1024},
        "networks": {"eth0": {"rx_bytes": rx, "tx_bytes": rx // 2}},
        "blkio_stats": {"io_service_bytes_recursive": None},
    }


def stats_stream(count: int = 12) -> list[bytes]:
    """``count`` records one second apart: CPU 50% of 200% (half a core), rx +2048 B/s."""
    records = []
    for index in range(count):
        cpu, system = index * 500_000_000, 1_000_000_000_000 + index * 2_000_000_000
        pre_cpu = (index - 1) * 500_000_000 if index else 0
        pre_system = system - 2_000_000_000 if index else 0
        records.append(stats_record(index, cpu_total=cpu, system=system, pre_cpu=pre_cpu,
                                    pre_system=pre_system, rx=index * 2048, pids=3 + index % 2))
    return [json.dumps(r).encode() + b"\n" for r in records]


def fake_engine(*, running: bool = True) -> FakeEngine:
    """A FakeEngine answering every detail call for `CID`."""
    engine = FakeEngine()
    engine.route("GET", f"/containers/{CID}/json", json=inspect_document(running=running))
    if running:
        engine.route("GET", f"/containers/{CID}/top", json=TOP_ANSWER)
    else:
        engine.route("GET", f"/containers/{CID}/top", status=409,
                     json={"message": f"Container {CID} is not running"})
    engine.route("GET", f"/containers/{CID}/changes", json=CHANGES_ANSWER)
    engine.route("GET", f"/containers/{CID}/stats", chunks=stats_stream(), hang=True)
    return engine


def summary(state: str = "running") -> ContainerSummary:
    """The table row the main screen would hand to the pane."""
    return ContainerSummary.from_api(container_json("web", id=CID, state=state))


class PaneApp(App[None]):
    """Just the pane (and a footer), bound to a fake engine."""

    CSS_PATH = DETAIL_CSS

    def __init__(self, client: EngineClient, container: ContainerSummary | None = None) -> None:
        super().__init__()
        self.client = client
        self.container = container or summary()
        self.errors: list[tuple[EngineError, str]] = []
        self.animation_level = "none"  # the tab underline would slow every key press down

    def compose(self) -> ComposeResult:
        yield DetailPane(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        pane = self.query_one(DetailPane)
        pane.show_container(self.container)
        pane.focus_content()

    def show_error(self, error: EngineError, context: str) -> None:
        """Record instead of notifying (tests assert on it)."""
        self.errors.append((error, context))
