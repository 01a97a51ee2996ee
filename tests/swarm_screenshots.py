"""Generate the README's swarm pictures from a real swarm: ``python -m tests.swarm_screenshots``.

Starts the private single-node swarm the swarm tests use (its own dockerd, never the shared
one; or ``DTUI_TEST_SWARM_HOST``), creates three demo services of the test image (web with 3
replicas on a published port, api with 2, a global agent), drives dtui with Textual's Pilot at
120x36, saves ``screenshots/swarm-services.svg``, ``swarm-tasks.svg`` and ``swarm-logs.svg``,
then removes the services and stops the daemon.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.engine.spec import PortSpec
from dtui.engine.swarm_models import NewService
from dtui.ui.app import DtuiApp
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.view import LogView
from dtui.ui.views.swarm.services import ServicesScreen
from dtui.ui.views.swarm.tasks import TasksScreen
from tests.support import swarm as swarm_support
from tests.support.engine import TEST_IMAGE

OUT_DIR = Path(__file__).resolve().parents[1] / "screenshots"
SIZE = (120, 36)
PREFIX = "demo-"
SERVE = "i=0; while true; do i=$((i+1)); echo \"GET /health 200 ($i)\"; sleep 1; done"


def _demo() -> list[NewService]:
    port = PortSpec.parse(f"{swarm_support._free_port()}:80")
    return [
        NewService(image=TEST_IMAGE, name=f"{PREFIX}web", cmd=("sh", "-c", SERVE), ports=(port,), replicas=3,
                   labels={"tier": "web"}),
        NewService(image=TEST_IMAGE, name=f"{PREFIX}api", cmd=("sh", "-c", SERVE), replicas=2),
        NewService(image=TEST_IMAGE, name=f"{PREFIX}agent", cmd=("sleep", "3600"), global_mode=True),
    ]


async def _until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the screen did not get ready in time")
        await pilot.pause(0.2)


def _converged(app: DtuiApp) -> bool:
    screen = app.screen
    if not isinstance(screen, ServicesScreen):
        return False
    services = list(screen.table.objects.values())
    return len(services) == 3 and all(s.running == s.desired > 0 for s in services)


async def _shoot(host: str) -> None:
    app = DtuiApp(endpoint=parse_host(host))
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        await pilot.press("W")
        await _until(pilot, lambda: _converged(app))
        await pilot.pause(3.0)  # a few log lines
        print(app.save_screenshot("swarm-services.svg", path=str(OUT_DIR)))
        await pilot.press("down", "down", "enter")  # demo-web
        await _until(pilot, lambda: isinstance(app.screen, TasksScreen) and len(app.screen.table.objects) == 3)
        await pilot.pause(0.5)
        print(app.save_screenshot("swarm-tasks.svg", path=str(OUT_DIR)))
        await pilot.press("L")
        await _until(pilot, lambda: isinstance(app.screen, LogScreen)
                     and app.screen.query_one(LogView).line_count >= 12)
        await pilot.pause(0.5)
        print(app.save_screenshot("swarm-logs.svg", path=str(OUT_DIR)))


async def main() -> None:
    swarm = swarm_support.start_swarm()
    try:
        client = EngineClient(parse_host(swarm.host))
        await client.connect()
        try:
            for new in _demo():
                await client.swarm.create_service(new)
            await _shoot(swarm.host)
        finally:
            await client.aclose()
    finally:
        swarm_support.remove_services(swarm.host, PREFIX)
        swarm.stop()


if __name__ == "__main__":
    asyncio.run(main())
