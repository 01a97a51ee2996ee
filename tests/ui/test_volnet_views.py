"""The volumes and networks views on a fake engine: what a real engine cannot show on demand.

Deterministic data (tests/ui/volnet_support.py): join of users and attachments, sizes from
df, bulk remove with one question, create forms and their checks, prune reports, connect via
the picker, refusals in the engine's words, hostile names, several hosts, inspect.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from textual.pilot import Pilot

from dtui.config import Config
from dtui.ui.app import DtuiApp
from dtui.ui.forms.resource_create import NetworkForm, VolumeForm
from dtui.ui.screens.choice import ChoiceScreen
from dtui.ui.screens.modals import ConfirmScreen, HelpScreen
from dtui.ui.views.detail_tabs import Document, Rows
from dtui.ui.views.networks.pick import PickScreen
from dtui.ui.views.networks.screen import NetworksScreen
from dtui.ui.views.table import row_key
from dtui.ui.views.volumes.screen import VolumesScreen
from tests.support.wait import wait_until
from tests.ui.host_support import HOST_B, FakeHost, app_of
from tests.ui.screen_host import type_text
from tests.ui.table_support import HOST
from tests.ui.volnet_support import FakeResources, network_id, resource_fleet

SIZE = (120, 30)


def _names(app: DtuiApp) -> list[str]:
    table = app.screen.table  # type: ignore[attr-defined]
    return [table.name_of(table.get(key)) for key in table.visible_keys()]


def _cell(app: DtuiApp, object_id: str, column: str, host: str = HOST) -> str:
    return str(app.screen.table.get_cell(row_key(host, object_id), column).plain)  # type: ignore[attr-defined]


def _notified(app: DtuiApp, words: str) -> bool:
    return any(words in str(note.message) for note in app._notifications)


def _posted(docker: FakeResources, path: str) -> list[dict[str, Any]]:
    return [json.loads(r.content or b"{}") for r in docker.engine.requests
            if r.method in {"POST", "DELETE"} and r.url.path.endswith(path)]


async def _open(pilot: Pilot[Any], app: DtuiApp, key: str, rows: int) -> None:
    await wait_until(pilot, lambda: len(app.screen.query("#containers")) == 1)
    await pilot.press(key)
    await wait_until(pilot, lambda: hasattr(app.screen, "table") and len(_names(app)) == rows, what=f"{rows} rows")


async def test_volumes_join_users_sizes_sort_filter_and_bulk_remove_with_one_question() -> None:
    docker = resource_fleet()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "V", 4)
        assert isinstance(app.screen, VolumesScreen)
        assert _cell(app, "webcache", "users") == "job, web" and _cell(app, "pgdata", "users") == "db"
        await wait_until(pilot, lambda: _cell(app, "pgdata", "size") == "512.0MB", what="df sizes")
        assert _cell(app, "f3a9" + "0" * 60, "size") == "—"  # df could not measure it
        await pilot.press("o")  # users, most first
        await pilot.press("o")  # size, biggest first
        assert _names(app)[:3] == ["pgdata", "webcache", "scratch"]
        await pilot.press("slash")
        await type_text(pilot, "job\n")  # a user's name finds its volume
        assert _names(app) == ["webcache"]
        await pilot.press("escape")
        app.screen.table.move_cursor(row=0)
        await pilot.press("space", "space", "space")  # pgdata and webcache (in use), scratch
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen) and "3 volumes" in app.screen.question.plain
        await pilot.press("y")
        await wait_until(pilot, lambda: "scratch" not in _names(app), what="scratch removed")
        await wait_until(pilot, lambda: _notified(app, "volume is in use"), what="refusal in the engine's words")
        assert sorted(docker.volumes) == ["f3a9" + "0" * 60, "pgdata", "webcache"]


async def test_volume_create_form_and_prune_report() -> None:
    docker = resource_fleet()
    docker.sizes["scratch"] = 2_000
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "V", 4)
        await pilot.press("c")
        assert isinstance(app.screen, VolumeForm)
        await type_text(pilot, "cache2\t\tteam=a bad\n")
        assert isinstance(app.screen, VolumeForm), "a label without = is refused"
        assert "expected key=value" in str(app.screen.query_one("#form-problem").render())
        await pilot.press(*["backspace"] * 4)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "cache2" in _names(app), what="created and listed from the event")
        assert _posted(docker, "/volumes/create") == [
            {"Name": "cache2", "Driver": "local", "Labels": {"team": "a"}, "DriverOpts": {}}]
        await pilot.press("P")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: _notified(app, "Pruned 3 volumes"), what="the prune report")
        assert _notified(app, "reclaimed 2.0kB")
        await wait_until(pilot, lambda: sorted(_names(app)) == ["pgdata", "webcache"])


async def test_networks_join_connect_via_picker_create_and_refusals() -> None:
    docker = resource_fleet()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "N", 5)
        assert isinstance(app.screen, NetworksScreen)
        assert _cell(app, network_id("backend"), "attached") == "db, web"
        assert _cell(app, network_id("frontend"), "subnet") == "10.10.0.0/24 via 10.10.0.1"
        app.screen.table.move_cursor(row=app.screen.table.get_row_index(row_key(HOST, network_id("frontend"))))
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        assert [label for _, label in app.screen.choices] == ["db", "job"]
        await pilot.press("enter")  # db
        await wait_until(pilot, lambda: _cell(app, network_id("frontend"), "attached") == "db, web")
        assert _posted(docker, "/connect") == [{"Container": docker._container("db")["Id"]}]
        app.screen.table.move_cursor(row=app.screen.table.get_row_index(row_key(HOST, network_id("bridge"))))
        await pilot.press("D", "y")
        await wait_until(pilot, lambda: _notified(app, "bridge is a pre-defined network and cannot be removed"))
        await pilot.press("c")
        assert isinstance(app.screen, NetworkForm)
        await type_text(pilot, "apps\t\t10.30.0.0/24\t10.31.0.1\n")
        assert "is not in 10.30.0.0/24" in str(app.screen.query_one("#form-problem").render())
        await pilot.press(*["backspace"] * 9)
        await type_text(pilot, "10.30.0.1\n")
        await wait_until(pilot, lambda: "apps" in _names(app))
        assert _posted(docker, "/networks/create")[0]["IPAM"]["Config"] == [{"Subnet": "10.30.0.0/24", "Gateway": "10.30.0.1"}]
        await pilot.press("P", "y")
        await wait_until(pilot, lambda: _notified(app, "Pruned 1 network (apps)"))


async def test_enter_opens_the_detail_pane_with_inspect_and_endpoints_and_help_lists_the_keys() -> None:
    docker = resource_fleet()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "N", 5)
        await pilot.press("enter")  # backend, first by name
        screen = app.screen
        assert isinstance(screen, NetworksScreen)
        inspect = screen.detail.body("inspect")
        await wait_until(pilot, lambda: isinstance(inspect.content, Document))
        assert isinstance(inspect.content, Document) and inspect.content.raw["Name"] == "backend"
        assert inspect.loaded_for == row_key(HOST, network_id("backend"))
        await pilot.press("tab", "2")  # into the pane, then its second tab
        endpoints = screen.detail.body("containers")
        await wait_until(pilot, lambda: isinstance(endpoints.content, Rows))
        assert isinstance(endpoints.content, Rows)
        assert [row[0] for row in endpoints.content.rows] == ["db", "web"]
        await pilot.press("escape")
        assert not screen.pane_open
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("C", "Connect a container to the selected network") in app.screen.rows


async def test_hostile_names_are_shown_inert() -> None:
    docker = resource_fleet()
    docker.add_volume("evil\x1b]0;pwned\x07\x1b[2J[b]x[/b]")
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "V", 5)
        shown = [name for name in _names(app) if name.startswith("evil")]
        cell = _cell(app, shown[0], "name")
        assert "\x1b" not in cell and "\x07" not in cell and "[b]x[/b]" in cell


async def test_two_hosts_show_the_host_column_and_create_goes_to_the_cursor_host() -> None:
    first, second = FakeHost(HOST, docker=resource_fleet()), FakeHost(HOST_B, docker=FakeResources())
    second.docker.add_volume("remote-data")
    assert isinstance(first.docker, FakeResources) and isinstance(second.docker, FakeResources)
    app = app_of(first, second)
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "V", 5)
        table = app.screen.table
        assert "host" in [column.key for column in table.columns_shown]
        table.move_cursor(row=table.get_row_index(row_key(HOST_B, "remote-data")))
        await pilot.press("c")
        await type_text(pilot, "made-there\n\n\n")
        await wait_until(pilot, lambda: "made-there" in second.docker.volumes)
        assert "made-there" not in first.docker.volumes


async def test_the_palette_opens_the_views_and_their_keys_can_be_remapped() -> None:
    docker = resource_fleet()
    app = docker.app(config=Config(keys={"volumes.create": "n", "main.networks": "ctrl+n"}))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(app.screen.query("#containers")) == 1)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Show the volumes of every host", "Show the networks of every host"} <= titles
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, NetworksScreen))
        await pilot.press("escape")
        await _open(pilot, app, "V", 4)
        await pilot.press("n")
        assert isinstance(app.screen, VolumeForm)


@pytest.mark.parametrize(("choice", "left"), [
    ("Anonymous only", ["pgdata", "scratch", "webcache"]),
    ("Named too", ["pgdata", "webcache"]),
])
async def test_on_api_1_42_prune_asks_whether_named_volumes_go_too(choice: str, left: list[str]) -> None:
    docker = resource_fleet(api_version="1.43")
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _open(pilot, app, "V", 4)
        await pilot.press("P")
        assert isinstance(app.screen, ChoiceScreen)
        index = [label for label, _, _ in app.screen._choices].index(choice)
        await pilot.click(f"#choice-{index}")
        await wait_until(pilot, lambda: sorted(_names(app)) == left, what=choice)
