"""The images view (``I``) and disk usage screen (``U``) on the fake image endpoints."""

from __future__ import annotations

import json
from urllib.parse import unquote
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from dtui.ui.app import DtuiApp
from dtui.ui.forms.create import CreateScreen
from dtui.ui.screens.modals import ConfirmScreen
from dtui.ui.views.images.dialogs import ImageRemoveScreen, PruneScreen, TagPrompt, split_reference
from dtui.ui.views.images.disk_usage import DiskUsageScreen
from dtui.ui.views.images.screen import ImagesScreen
from dtui.ui.views.table import row_key
from tests.support.wait import wait_until
from tests.ui.host_support import HOST_A, HOST_B, FakeHost, app_of
from tests.ui.images_support import BUSYBOX, DANGLING, NGINX, FakeImages
from tests.ui.screen_host import type_text
from tests.ui.table_support import HOST

SIZE = (120, 36)


def _until(pilot: Pilot[Any], condition: Callable[[], object], what: str = "condition") -> Any:
    return wait_until(pilot, condition, timeout=10, what=what)


def _names(screen: ImagesScreen) -> list[str]:
    return [row.name for key in screen.table.visible_keys() if (row := screen.table.get(key)) is not None]


def _notified(app: DtuiApp, text: str) -> bool:
    return any(text in str(notification.message) for notification in app._notifications)


async def _images(pilot: Pilot[Any], app: DtuiApp) -> ImagesScreen:
    await pilot.pause(0.1)
    await pilot.press("I")
    await _until(pilot, lambda: isinstance(app.screen, ImagesScreen), "images screen")
    screen = app.screen
    assert isinstance(screen, ImagesScreen)
    await _until(pilot, lambda: screen.table.row_count >= 5, "the rows")
    return screen


def _cursor_to(screen: ImagesScreen, key: str) -> None:
    screen.table.move_cursor(row=screen.table.get_row_index(key))


async def test_one_row_per_tag_with_users_sanitised_sorted_and_live() -> None:
    fake = FakeImages(hostile=True)
    app = fake.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _images(pilot, app)
        await _until(pilot, lambda: len(_names(screen)) == 6)
        names = [screen.table.get_cell(key, "name").plain for key in screen.table.visible_keys()]
        assert names[:4] == ["busybox:latest", "evil/red:[b]x[/b]", "nginx:1.25", "nginx:latest"]
        assert names[-1] == "<none>", "dangling last, by name"
        nginx = row_key(HOST, f"{NGINX} nginx:1.25")
        assert screen.table.get_cell(nginx, "used").plain == "2"
        assert screen.table.get_cell(row_key(HOST, f"{BUSYBOX} busybox:latest"), "used").plain == "-"
        await pilot.press("o", "o")  # name -> created -> size
        assert screen.table.sort_field == "size" and _names(screen)[0] == "postgres:16"
        await pilot.press("slash")
        await type_text(pilot, "web02\n")  # the containers using it are searched too
        assert _names(screen) == ["nginx:1.25", "nginx:latest"]
        await pilot.press("escape")
        fake.images.pop(DANGLING)
        event = {"Type": "image", "Action": "delete", "Actor": {"ID": DANGLING, "Attributes": {}}, "time": 1}
        fake.docker.subscriptions[-1].put_nowait(json.dumps(event).encode() + b"\n")
        await _until(pilot, lambda: "<none>" not in _names(screen), "the delete event re-listed")


async def test_remove_refused_with_the_engines_text_then_forced_and_bulk_asks_once() -> None:
    fake = FakeImages()
    app = fake.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _images(pilot, app)
        nginx = row_key(HOST, f"{NGINX} nginx:1.25")
        _cursor_to(screen, nginx)
        await pilot.press("D")
        assert isinstance(app.screen, ImageRemoveScreen)
        await pilot.press("y")
        await _until(pilot, lambda: _notified(app, "is using its referenced image"), "the refusal")
        assert fake.removed == [("nginx:1.25", False)]
        assert screen.table.get(nginx) is not None
        await pilot.press("D", "f", "y")
        await _until(pilot, lambda: screen.table.get(nginx) is None, "the tag gone")
        assert fake.removed[-1] == ("nginx:1.25", True)
        assert screen.table.get(row_key(HOST, f"{NGINX} nginx:latest")) is not None, "the other tag stays"
        _cursor_to(screen, row_key(HOST, f"{BUSYBOX} busybox:latest"))
        await pilot.press("space")
        _cursor_to(screen, row_key(HOST, DANGLING))
        await pilot.press("space", "D")
        assert isinstance(app.screen, ImageRemoveScreen)
        assert "2 images" in app.screen.question.plain
        await pilot.press("y")
        await _until(pilot, lambda: len(fake.removed) == 4, "both removed")
        assert {name for name, _ in fake.removed[2:]} == {"busybox:latest", DANGLING}, "dangling goes by id"


async def test_tag_prune_and_create_from_the_image() -> None:
    fake = FakeImages()
    app = fake.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _images(pilot, app)
        _cursor_to(screen, row_key(HOST, f"{BUSYBOX} busybox:latest"))
        await pilot.press("t")
        assert isinstance(app.screen, TagPrompt)
        await type_text(pilot, "Bad Name\n")
        assert isinstance(app.screen, TagPrompt), "refused as typed"
        app.screen.query_one(Input).value = "registry.local:5000/team/box:v2"
        await pilot.press("enter")
        await _until(pilot, lambda: "registry.local:5000/team/box:v2" in _names(screen), "the new tag listed")
        assert fake.tagged == [(BUSYBOX, "registry.local:5000/team/box", "v2")]

        await pilot.press("p")
        assert isinstance(app.screen, PruneScreen)
        await pilot.press("d")
        await _until(pilot, lambda: _notified(app, "Pruned 1 images, reclaimed 12.5MB"), "what it reclaimed")
        await _until(pilot, lambda: "<none>" not in _names(screen))
        assert '"dangling":["true"]' in unquote(fake.pruned[0]).replace(" ", "")

        _cursor_to(screen, row_key(HOST, f"{NGINX} nginx:latest"))
        await pilot.press("c")
        await _until(pilot, lambda: isinstance(app.screen, CreateScreen), "the create form")
        assert app.screen.query_one("#image", Input).value == "nginx:latest"


async def test_the_detail_pane_has_inspect_and_history() -> None:
    fake = FakeImages()
    app = fake.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _images(pilot, app)
        _cursor_to(screen, row_key(HOST, f"{NGINX} nginx:1.25"))
        await pilot.press("enter")
        inspect = screen.detail.body("inspect")
        await _until(pilot, lambda: inspect.content is not None, "inspect loaded")
        summary = str(inspect.query_one(".-summary").render())
        assert "web01, web02" in summary and "nginx -g 'daemon off;'" in summary
        await pilot.press("tab", "2")
        history = screen.detail.body("history")
        await _until(pilot, lambda: history.content is not None, "history loaded")
        table = history.query_one(DataTable)
        assert table.row_count == 2
        assert "\x1b" not in table.get_row_at(1)[2].plain and "apt-get install" in table.get_row_at(1)[2].plain
        assert not any("hunter2" in str(node.label) for node in inspect.query_one("JsonTree").walk())
        await _until(pilot, lambda: table.has_focus, "focus in the history table")
        await pilot.press("y")
        assert app.clipboard.startswith("a1a1a1a1a1a1\t"), "the history row under the cursor"
        screen.detail.query_one("Tabs").focus()
        await pilot.press("y")
        assert app.clipboard == NGINX, "else the image id, not the row id"


async def test_disk_usage_summary_and_prunes() -> None:
    fake = FakeImages()
    app = fake.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        await pilot.press("U")
        await _until(pilot, lambda: isinstance(app.screen, DiskUsageScreen), "disk usage")
        screen = app.screen
        assert isinstance(screen, DiskUsageScreen)
        await _until(pilot, lambda: screen.table.row_count == 4, "four lines")
        rows = [[cell.plain for cell in screen.table.get_row_at(i)] for i in range(4)]
        assert rows[0] == ["Images", "4", "2", "635.4MB", "16.8MB (2%)"]
        assert rows[2] == ["Local Volumes", "2", "1", "60.0MB", "8.0MB (13%)"]
        assert rows[3] == ["Build Cache", "1", "0", "30.0MB", "30.0MB (100%)"]
        await pilot.press("c")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await _until(pilot, lambda: _notified(app, "Pruned 1 containers, reclaimed 1.0kB"), "containers pruned")
        await pilot.press("b", "y")
        await _until(pilot, lambda: _notified(app, "Pruned 1 build cache, reclaimed 3.0kB"), "cache pruned")
        await pilot.press("i")
        assert isinstance(app.screen, PruneScreen)
        await pilot.press("a")
        await _until(pilot, lambda: _notified(app, "Pruned 2 images"), "unused images pruned")
        assert fake.docker.engine.paths("GET").count("/system/df") >= 3, "measured again after each prune"


def test_split_reference() -> None:
    assert split_reference("app") == ("app", "latest")
    assert split_reference("app:2") == ("app", "2")
    assert split_reference("host:5000/app") == ("host:5000/app", "latest")
    assert split_reference("host:5000/app:v1") == ("host:5000/app", "v1")


async def test_two_hosts_share_the_table_and_each_action_goes_to_its_host() -> None:
    first, second = FakeImages(), FakeImages()
    second.images.pop(NGINX)
    app = app_of(FakeHost(HOST_A, docker=first.docker), FakeHost(HOST_B, docker=second.docker))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        await pilot.press("I")
        await _until(pilot, lambda: isinstance(app.screen, ImagesScreen), "images screen")
        screen = app.screen
        assert isinstance(screen, ImagesScreen)
        await _until(pilot, lambda: screen.table.row_count == 5 + 3, "both hosts listed")
        assert screen.table.show_host
        busybox_b = row_key(HOST_B, f"{BUSYBOX} busybox:latest")
        assert screen.table.get_cell(busybox_b, "host").plain == "/fake/b.sock"
        _cursor_to(screen, busybox_b)
        await pilot.press("D", "y")
        await _until(pilot, lambda: screen.table.get(busybox_b) is None, "removed on b")
        assert second.removed == [("busybox:latest", False)] and first.removed == []
        assert screen.table.get(row_key(HOST_A, f"{BUSYBOX} busybox:latest")) is not None
