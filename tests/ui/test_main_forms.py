"""The main screen opens the create, duplicate, scale and export screens from their keys."""

from __future__ import annotations

import pytest

from dtui.ui.forms.create import CreateScreen
from dtui.ui.forms.export import ExportScreen
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.forms.scale import ScaleScreen
from tests.ui.table_support import FakeDocker


def _docker() -> FakeDocker:
    docker = FakeDocker()
    item = docker.add("web01")
    docker.engine.route("GET", "/images/json", json=[{"Id": "sha256:1", "RepoTags": ["busybox:latest"]}])
    docker.engine.route("GET", f"/containers/{item['Id']}/json", json={
        "Id": item["Id"], "Name": "/web01", "Config": {"Image": "busybox:latest", "Cmd": ["sh"]},
        "HostConfig": {}, "State": {"Status": "running", "Running": True},
    })
    return docker


@pytest.mark.parametrize(("key", "screen"), [("c", CreateScreen), ("C", CreateScreen), ("S", ScaleScreen), ("e", ExportScreen)])
async def test_key_opens_its_screen(key: str, screen: type) -> None:
    app = _docker().app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press(key)
        await pilot.pause(0.3)
        assert isinstance(app.screen, screen)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.parametrize("key", ["c", "C", "S"])
async def test_read_only_refuses_create_duplicate_scale(key: str) -> None:
    docker = _docker()
    app = docker.app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press(key)
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)
    assert {r.method for r in docker.engine.requests} <= {"GET", "HEAD"}
