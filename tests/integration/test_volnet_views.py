"""The volumes and networks views driven by keys against the real engine (issue 22).

Each test quick-filters the view to the objects it made (other sessions share the daemon).
Prune is not driven here: on a shared daemon it would remove other sessions' unused
volumes and networks (tests/ui/test_volnet_views.py covers it on the fake engine).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.live.network_kinds import list_networks
from dtui.live.volume_kinds import list_volumes
from dtui.ui.app import DtuiApp
from dtui.ui.screens.modals import ConfirmScreen
from dtui.ui.views.networks.pick import PickScreen
from dtui.ui.views.networks.screen import NetworksScreen
from dtui.ui.views.table import NO_VALUE, row_key
from dtui.ui.views.volumes.screen import VolumesScreen
from tests.support import engine as support
from tests.support.wait import wait_until
from tests.ui.screen_host import type_text

SIZE = (120, 30)
OURS = {support.TEST_LABEL: support.SESSION_ID}
# The engines' own words for a volume or network still in use.
IN_USE = "is being used by" if support.on_podman() else "volume is in use"
HAS_ENDPOINTS = "has associated containers" if support.on_podman() else "active endpoints"


def _notified(app: DtuiApp, words: str) -> bool:
    return any(words in str(note.message) for note in app._notifications)


async def _open(pilot: Pilot[Any], app: DtuiApp, key: str, name: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: app.screen.is_mounted and hasattr(app.screen, "table"), what="the view")
    await pilot.press("slash")
    await type_text(pilot, f"{name}\n")


def _cell(app: DtuiApp, host: str, object_id: str, column: str) -> str:
    table = app.screen.table  # type: ignore[attr-defined]
    key = row_key(host, object_id)
    return table.get_cell(key, column).plain if table.get(key) is not None else ""


async def test_volume_in_use_refuses_removal_then_goes(
    engine: EngineClient, engine_host: str, make_container: Callable[..., str]
) -> None:
    name = f"dtui-test-vview-{support.SESSION_ID}"
    await engine.volumes.create(name, labels=OURS)
    user = make_container(["true"], start=False, name=f"vuser-{support.SESSION_ID}", HostConfig={"Binds": [f"{name}:/d"]})
    rows = {row.name: row for row in await list_volumes(engine)}
    assert rows[name].users == (f"vuser-{support.SESSION_ID}",)  # the join of the container list's Mounts
    app = DtuiApp(endpoint=parse_host(engine_host))
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "V", name)
        assert isinstance(app.screen, VolumesScreen)
        await wait_until(pilot, lambda: _cell(app, engine_host, name, "users") == f"vuser-{support.SESSION_ID}")
        await wait_until(pilot, lambda: _cell(app, engine_host, name, "size") not in {"", NO_VALUE}, what="df size")
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: _notified(app, IN_USE), what="the engine's refusal")
        with support.sync_client(engine_host) as client:
            client.delete(f"/containers/{user}", params={"force": "1"}).raise_for_status()
        # The container's destroy event re-lists: nobody uses it now.
        await wait_until(pilot, lambda: _cell(app, engine_host, name, "users") == NO_VALUE, what="users cleared")
        await pilot.press("D", "y")
        await wait_until(pilot, lambda: app.screen.table.get(row_key(engine_host, name)) is None, what="row gone")
    assert name not in [volume.name for volume in await engine.volumes.list()]


async def test_network_connect_disconnect_from_the_view_and_from_elsewhere_then_remove(
    engine: EngineClient, engine_host: str, make_container: Callable[..., str]
) -> None:
    name = f"dtui-test-nview-{support.SESSION_ID}"
    subnet, gateway = support.free_subnet("10.232")
    created = await engine.networks.create(name, labels=OURS, subnets=[(subnet, gateway)])
    container = make_container(["sleep", "60"], name=f"nuser-{support.SESSION_ID}")
    app = DtuiApp(endpoint=parse_host(engine_host))
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "N", name)
        assert isinstance(app.screen, NetworksScreen)
        await wait_until(pilot, lambda: _cell(app, engine_host, created.id, "subnet") == f"{subnet} via {gateway}")
        assert _cell(app, engine_host, created.id, "attached") == NO_VALUE
        await pilot.press("C")  # pick the container by typing its name
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await type_text(pilot, f"nuser-{support.SESSION_ID}\n")
        await wait_until(pilot, lambda: _cell(app, engine_host, created.id, "attached") == f"nuser-{support.SESSION_ID}")
        assert [e.container_id for e in (await engine.networks.inspect(created.id)).containers] == [container]
        await pilot.press("D", "y")  # attached: the engine refuses, in its words
        await wait_until(pilot, lambda: _notified(app, HAS_ENDPOINTS), what="the engine's refusal")
        await pilot.press("X")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("enter")
        await wait_until(pilot, lambda: _cell(app, engine_host, created.id, "attached") == NO_VALUE, what="disconnected")
        assert (await engine.networks.inspect(created.id)).containers == ()
        await engine.networks.connect(created.id, container)  # from elsewhere: the connect event shows it
        await wait_until(pilot, lambda: _cell(app, engine_host, created.id, "attached") == f"nuser-{support.SESSION_ID}")
        await engine.networks.disconnect(created.id, container)
        await wait_until(pilot, lambda: _cell(app, engine_host, created.id, "attached") == NO_VALUE)
        await pilot.press("D", "y")
        await wait_until(pilot, lambda: app.screen.table.get(row_key(engine_host, created.id)) is None, what="row gone")
    assert name not in [row.name for row in await list_networks(engine)]
