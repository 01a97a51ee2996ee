"""Snapshots of the swarm views (issue 21) at 80x24 and 160x45, from a fake swarm manager.

Deterministic like tests/snapshots/test_screens.py: the fake swarm of tests/ui/swarm_support.py
and the same frozen clock (every service was updated 1h before it).
"""

from __future__ import annotations

from typing import Any

import pytest

from textual.pilot import Pilot

from tests.snapshots.test_screens import ENGINE_VERSION, SIZES, RunBefore, frozen_clock, settle
from tests.ui.swarm_support import FakeSwarm

__all__ = ["frozen_clock"]  # the autouse fixture, imported so it applies here too


def _swarm() -> FakeSwarm:
    """Three services: api converging (2/4, updating), agent global, web replicated 3 on a port."""
    swarm = FakeSwarm()
    api = swarm.add("api", replicas=4, running=2, image="registry.example/api:2.1", update_state="updating")
    for task in list(swarm.tasks.values())[2:]:
        task["Status"]["State"] = "starting"
    swarm.add_task(api, 3, state="failed", desired="shutdown",
                   error="task: non-zero exit (1): \x1b[31mconnection refused\x1b[0m")
    swarm.add("agent", replicas=None, image="busybox:latest")
    swarm.add("web", replicas=3, image="nginx:1.25", ports=(8080,))
    return swarm


def keys(*groups: tuple[str, ...]) -> RunBefore:
    """Settle, then press each group of keys and settle after it (a screen lists first)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for group in groups:
            await pilot.press(*group)
            await settle(pilot)

    return run_before


def _app(swarm: FakeSwarm) -> Any:
    app = swarm.docker.app(engine_version=ENGINE_VERSION)
    app.animation_level = "none"
    return app


@pytest.mark.parametrize("size", SIZES)
def test_services(snap_compare: Any, size: tuple[int, int]) -> None:
    """`W`: "Swarm services  3 services, 6/8 tasks running"; rows agent (global, 1/1), api
    (replicated 4, 2/4 in yellow, updating), web (replicated 3, 3/3, *:8080->80/tcp), each
    updated "2h ago"; the footer shows Logs, +1, -1, Nodes."""
    assert snap_compare(_app(_swarm()), terminal_size=size, run_before=keys(("W",)))


@pytest.mark.parametrize("size", SIZES)
def test_tasks(snap_compare: Any, size: tuple[int, int]) -> None:
    """Enter on api: "Tasks of api"; api.1 and api.2 running, api.3 starting and a failed api.3
    (desired shutdown) whose error reads "task: non-zero exit (1): connection refused" with no
    escape codes, api.4 starting; node swarm-01, container ids."""
    assert snap_compare(_app(_swarm()), terminal_size=size, run_before=keys(("W",), ("down", "enter")))


@pytest.mark.parametrize("size", SIZES)
def test_nodes(snap_compare: Any, size: tuple[int, int]) -> None:
    """`N` from the services: "Swarm nodes  1 node (1 manager), 1 ready"; swarm-01, manager,
    active (green), ready, leader, engine 27.3.1, its id, 127.0.0.1."""
    assert snap_compare(_app(_swarm()), terminal_size=size, run_before=keys(("W",), ("N",)))


@pytest.mark.parametrize("size", SIZES)
def test_services_outside_a_swarm(snap_compare: Any, size: tuple[int, int]) -> None:
    """`W` on an engine in no swarm: an empty table under the notice "This engine is not in a
    swarm. To start one: docker swarm init --advertise-addr <this host's IP> (then ctrl+r)"."""
    assert snap_compare(_app(FakeSwarm(role="inactive")), terminal_size=size, run_before=keys(("W",)))
