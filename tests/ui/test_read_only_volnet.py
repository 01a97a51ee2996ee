"""``--read-only`` on the wire for the volumes and networks views (issue 22).

Uses the key driver of ``test_read_only_keys.py``: every key bound on each view (taken from
its BINDINGS, so a new key is covered without editing this test) is pressed without and then
with a mark set, whatever dialog it opens is accepted (Enter: the most dangerous answer), and
the engine must see only GET/HEAD; the counterpart without ``--read-only`` shows the same keys
do remove, prune, connect and disconnect.
"""

from __future__ import annotations

import re
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from dtui.ui.app import DtuiApp
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.views.networks.screen import NetworksScreen
from dtui.ui.views.volumes.screen import VolumesScreen
from tests.ui.test_read_only_keys import SIZE, _back_to, _keys, _leave_input, _settle, _unsafe_requests
from tests.ui.volnet_support import FakeResources


def _docker() -> FakeResources:
    docker = FakeResources()
    docker.add("web")
    docker.add("db", state="exited", status="Exited (0) 1 hour ago")
    docker.add_volume("data")
    docker.add_volume("spare")
    docker.mount("web", "data")
    docker.add_network("appnet", subnet="10.9.0.0/24")
    docker.attach("web", "appnet")
    return docker


async def _press_view_keys(
    pilot: Pilot[Any], app: DtuiApp, key: str, view: type[Screen[Any]], passes: tuple[bool, ...] = (False, True)
) -> None:
    """Open a view from the table, press each of its keys (without, then with a mark), go back."""
    await pilot.press(key)
    await _settle(pilot)
    assert isinstance(app.screen, view)
    for marked in passes:
        if marked:
            await pilot.press("space")
        for bound in _keys(view.BINDINGS, skip={"escape"}):
            await pilot.press(bound)
            await _settle(pilot)
            await _back_to(pilot, app, view)
            await _leave_input(pilot, app)
            assert isinstance(app.screen, view), f"{bound} left {view.__name__}"
    for _ in range(3):
        if isinstance(app.screen, MainScreen):
            break
        await pilot.press("escape")
        await _settle(pilot)
    assert isinstance(app.screen, MainScreen)


async def test_every_key_of_the_volume_and_network_views_sends_only_get_or_head() -> None:
    docker = _docker()
    app = docker.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _press_view_keys(pilot, app, "V", VolumesScreen)
        await _press_view_keys(pilot, app, "N", NetworksScreen)
        assert app.is_running
    paths = docker.engine.paths("GET")
    for expected in ("/volumes", "/system/df", "/networks"):
        assert expected in paths, expected
    for inspected in ("/volumes/", "/networks/"):  # the pane's inspect of whichever row had the cursor
        assert any(path.startswith(inspected) for path in paths), inspected
    assert _unsafe_requests(docker) == []


async def test_the_same_keys_do_mutate_without_read_only() -> None:
    """The volumes and networks keys, driven the same way, do remove, prune and connect."""
    docker = _docker()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await _press_view_keys(pilot, app, "V", VolumesScreen, passes=(False,))
        await _press_view_keys(pilot, app, "N", NetworksScreen, passes=(False,))
    sent = {re.sub(r"/v[0-9.]+/", "/", request) for request in _unsafe_requests(docker)}
    assert {"POST /volumes/prune", "POST /networks/prune"} <= sent, sent
    assert any(r.startswith("DELETE /volumes/") for r in sent), sent
    assert any(r.endswith("/connect") for r in sent) and any(r.endswith("/disconnect") for r in sent), sent
