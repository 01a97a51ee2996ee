"""Generate the README screenshots (SVG) from a real engine: ``python -m tests.screenshots``.

Creates a few labelled demo containers (web01, web02 serving HTTP on ephemeral host ports, db,
and a worker logging to stdout and stderr) on ``DTUI_TEST_DOCKER_HOST`` (default: the dev
daemon at unix:///tmp/x/docker.sock), drives dtui with Textual's Pilot at 120x36, saves one
SVG per main screen into ``screenshots/`` and removes the containers again.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from dtui.ui.forms.create import CreateScreen
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.view import LogView
from tests.support import engine as support
from tests.support.wait import wait_until

DEFAULT_HOST = "unix:///tmp/x/docker.sock"
OUT_DIR = Path(__file__).resolve().parents[1] / "screenshots"
SIZE = (120, 36)
DEMO_LABEL = "demo"

WORKER_SCRIPT = (
    "i=0; while true; do i=$((i+1)); echo \"job $i: processed 42 items\"; "
    "if [ $((i % 3)) -eq 0 ]; then echo \"job $i: retrying upstream (timeout)\" >&2; fi; sleep 0.3; done"
)
DB_SCRIPT = "echo 'db: ready to accept connections'; while true; do sleep 1; done"


def _http_server(port: int) -> dict[str, Any]:
    """Config for a busybox httpd published on an ephemeral loopback port."""
    return {
        "ExposedPorts": {f"{port}/tcp": {}},
        "HostConfig": {"PortBindings": {f"{port}/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}},
    }


DEMO = [
    ("web01", ["httpd", "-f", "-p", "80"], {"tier": "web"}, _http_server(80)),
    ("web02", ["httpd", "-f", "-p", "80"], {"tier": "web"}, _http_server(80)),
    ("db", ["sh", "-c", DB_SCRIPT], {"tier": "db"}, _http_server(5432)),
    ("worker", ["sh", "-c", WORKER_SCRIPT], {"tier": "jobs"}, {}),
]


def create_demo(host: str) -> list[str]:
    """Create and start the demo containers; returns their ids."""
    made = []
    for name, cmd, labels, config in DEMO:
        made.append(support.run_container(host, cmd, name=_free_name(host, name),
                                          labels={DEMO_LABEL: "dtui", **labels}, **config))
    return made


def _free_name(host: str, name: str) -> str:
    """``name``, or ``name-<session>`` when a container of that name already exists."""
    with support.sync_client(host) as client:
        taken = client.get(f"/containers/{name}/json").status_code == 200
    return f"{name}-{support.SESSION_ID[:4]}" if taken else name


def remove_demo(host: str, container_ids: list[str]) -> None:
    with support.sync_client(host) as client:
        for container_id in container_ids:
            client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})


def _rows(app: DtuiApp) -> int:
    from dtui.ui.views.containers.table import ContainerTable

    return len(app.screen.query_one(ContainerTable).containers)


Shot = Callable[[Pilot[Any], DtuiApp], Awaitable[None]]


async def table(pilot: Pilot[Any], app: DtuiApp) -> None:
    await pilot.pause(6.5)  # let two usage rounds fill CPU% and MEM


async def detail_inspect(pilot: Pilot[Any], app: DtuiApp) -> None:
    await pilot.press("down", "enter")
    await pilot.pause(1.5)


async def detail_stats(pilot: Pilot[Any], app: DtuiApp) -> None:
    await pilot.press("down", "enter")
    await pilot.pause(0.5)
    await pilot.press("tab", "4")
    await pilot.pause(4.0)


async def logs(pilot: Pilot[Any], app: DtuiApp) -> None:
    await pilot.press("down", "down", "down", "l")
    await wait_until(pilot, lambda: isinstance(app.screen, LogScreen)
                 and app.screen.query_one(LogView).line_count >= 12, timeout=15.0)
    await pilot.pause(0.5)


async def create_form(pilot: Pilot[Any], app: DtuiApp) -> None:
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, CreateScreen), timeout=15.0)
    await pilot.pause(1.0)


SHOTS: dict[str, Shot] = {
    "table": table,
    "detail-inspect": detail_inspect,
    "detail-stats": detail_stats,
    "logs": logs,
    "create": create_form,
}


async def take(host: str, name: str, shot: Shot) -> Path:
    """Start dtui on ``host`` showing only the demo containers, run ``shot``, save the SVG."""
    endpoint = parse_host(host)
    probe = EngineClient(endpoint)
    try:
        await probe.connect()
        engine_version = await probe.version()
    finally:
        await probe.aclose()
    app = DtuiApp(endpoint=endpoint, engine_version=engine_version, filters=f"label={DEMO_LABEL}")
    app.animation_level = "none"
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: _rows(app) == len(DEMO), timeout=15.0)
        await shot(pilot, app)
        await pilot.pause()
        return Path(app.save_screenshot(f"{name}.svg", path=str(OUT_DIR)))


async def main() -> None:
    host = os.environ.get("DTUI_TEST_DOCKER_HOST", DEFAULT_HOST)
    support.wait_for_engine(host, time.monotonic() + 10)
    support.ensure_test_image(host)
    OUT_DIR.mkdir(exist_ok=True)
    made = create_demo(host)
    try:
        await asyncio.sleep(1.5)  # some worker log lines
        for name, shot in SHOTS.items():
            print(await take(host, name, shot))
    finally:
        remove_demo(host, made)


if __name__ == "__main__":
    asyncio.run(main())
