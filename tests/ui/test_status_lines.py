"""Every pushed view has the same status line: title, an unreachable host, READ-ONLY, its figures."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.pilot import Pilot

from dtui.live.changes import HostDown, HostUp
from dtui.ui.app import DtuiApp
from dtui.ui.screens.modals import HelpScreen
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.views.images.disk_usage import DiskUsageScreen
from dtui.ui.views.images.screen import ImagesScreen
from dtui.ui.views.status_line import StatusLine, status_text
from dtui.ui.views.swarm.services import ServicesScreen
from dtui.ui.views.volumes.screen import VolumesScreen
from tests.support.wait import wait_until
from tests.ui.images_support import FakeImages
from tests.ui.swarm_support import FakeSwarm
from tests.ui.table_support import HOST


def _line(app: DtuiApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


async def _open(pilot: Pilot[Any], app: DtuiApp, key: str, screen: type[Any]) -> None:
    if not isinstance(app.screen, MainScreen):
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), timeout=10)
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, screen), timeout=10)
    await pilot.pause(0.3)


async def test_every_pushed_view_says_read_only_and_an_unreachable_host() -> None:
    images = FakeImages()
    swarm = FakeSwarm(docker=images.docker)
    swarm.add("web")
    images.docker.engine.route("GET", "/volumes", json={"Volumes": [], "Warnings": []})
    app = images.app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        await _open(pilot, app, "I", ImagesScreen)
        assert _line(app).startswith("Images  READ-ONLY  5 of 5  sort")
        screen = app.screen
        assert isinstance(screen, ImagesScreen)
        screen.live_host_down(HostDown("images", HOST, None, 3))
        assert _line(app).startswith("Images  disconnected  READ-ONLY  5 of 5")
        screen.live_host_up(HostUp("images", HOST))
        assert _line(app).startswith("Images  READ-ONLY  5 of 5")
        await _open(pilot, app, "U", DiskUsageScreen)
        assert _line(app) == "Disk usage  READ-ONLY"
        await pilot.press("question_mark")  # its table is a dtui table too: Home/End, listed under it
        assert isinstance(app.screen, HelpScreen) and ("home", "First row") in app.screen.rows
        await pilot.press("escape")
        await _open(pilot, app, "W", ServicesScreen)
        assert _line(app).startswith("Swarm services  READ-ONLY  1 service")
        await _open(pilot, app, "V", VolumesScreen)
        assert _line(app).startswith("Volumes  READ-ONLY  0 of 0")


def test_several_hosts_name_the_one_down_and_count_the_rest() -> None:
    text = status_text(Text("T"), Text(), hosts=["a", "b", "c"], down={"b", "c"}, labels={"b": "box-b"},
                       read_only=False)
    assert text.plain == "T  box-b disconnected +1 down  3 hosts"
