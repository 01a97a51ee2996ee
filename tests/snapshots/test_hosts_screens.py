"""Snapshots of several hosts in one table, a host gone away, and the host switcher (issue 11).

Deterministic like tests/snapshots/test_screens.py: fake engines, a frozen clock, and the retry
countdown held at "3s" (the wait between retries is replaced by one that never ends).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from dtui.engine.contexts import context_key
from dtui.engine.errors import EngineError
from dtui.live.feed import Feed
from tests.snapshots.test_screens import ENGINE_VERSION, NOW_STAMP, SIZES, fleet, frozen_clock, settle
from tests.ui.host_support import HOST_B, FakeHost, app_of

__all__ = ["frozen_clock"]  # the autouse fixture, imported so it applies here too

HOST_A = "unix:///fake/docker.sock"


@pytest.fixture(autouse=True)
def held_countdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """A host that goes down shows "retrying in 3s" and stays so (no timing in the picture)."""

    async def hold(self: Feed[Any], error: EngineError | None, delay: float) -> None:
        self.report_down(error, 3)
        await __import__("asyncio").Event().wait()

    monkeypatch.setattr(Feed, "_wait_to_retry", hold)


@pytest.fixture(autouse=True)
def no_docker_contexts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A docker config directory of our own with one context, "staging" (never the user's)."""
    meta = tmp_path / "docker" / "contexts" / "meta" / context_key("staging")
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({
        "Name": "staging", "Metadata": {}, "Endpoints": {"docker": {"Host": "tcp://10.0.0.7:2376"}},
    }))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))
    return tmp_path


def two_hosts() -> tuple[FakeHost, FakeHost]:
    """The five-container fleet on the first host, two more containers on a second one."""
    first = FakeHost(HOST_A, docker=fleet())
    second = FakeHost(HOST_B)
    second.docker.add("cache", image="redis:7", created=NOW_STAMP - 600, status="Up 10 minutes")
    second.docker.add("backup", image="busybox:latest", state="exited", created=NOW_STAMP - 86400,
                      status="Exited (0) 20 hours ago")
    second.docker.engine.route("GET", "/containers/[^/]+/stats", json={"read": "0001-01-01T00:00:00Z"})
    return first, second


def _app(*hosts: FakeHost, **kwargs: Any) -> Any:
    app = app_of(*hosts, show_all=True, engine_version=ENGINE_VERSION, **kwargs)
    app.animation_level = "none"
    return app


@pytest.mark.parametrize("size", SIZES)
def test_two_hosts_in_one_table(snap_compare: Any, size: tuple[int, int]) -> None:
    """Seven rows from two hosts sorted by name (backup, cache, db, nightly-job, web01, web02,
    worker) with a Host column (/fake/docker.sock or /fake/b.sock); the status line ends with
    "2 hosts" (no single engine version), at 160 wide "2 hosts: /fake/docker.sock, /fake/b.sock"."""
    assert snap_compare(_app(*two_hosts()), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_one_of_two_hosts_down(snap_compare: Any, size: tuple[int, int]) -> None:
    """The second host stopped: the status line starts with "/fake/b.sock disconnected -
    retrying in 3s" and says "2 hosts (1 down)"; backup and cache show their state with a
    "?" (dimmed), the other five rows are unchanged."""
    first, second = two_hosts()

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        second.transport.go_down()
        await settle(pilot)

    assert snap_compare(_app(first, second), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_host_switcher(snap_compare: Any, size: tuple[int, int]) -> None:
    """`H` over the two-host table: the "Hosts" dialog with its key line, [x] /fake/docker.sock
    and [x] /fake/b.sock (connected, up), [ ] staging (context, tcp://10.0.0.7:2376) and the
    address input with its placeholder."""
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("H")
        await settle(pilot)

    assert snap_compare(_app(*two_hosts()), terminal_size=size, run_before=run_before)
