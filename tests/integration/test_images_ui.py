"""The images view and the disk usage screen driven by keys against the real engine.

The engine is shared: everything made here is tagged into the session repository or carries
the session label, and the prune the test runs through the view is limited to that label.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from dtui.ui.views.images.dialogs import ImageRemoveScreen, PruneScreen
from dtui.ui.views.images.disk_usage import DiskUsageScreen
from dtui.ui.views.images.screen import ImagesScreen
from dtui.ui.views.containers.table import human_size
from dtui.ui.views.table import row_key
from tests.support import engine as support
from tests.support.wait import wait_until

SIZE = (120, 40)
SESSION_LABEL = f"{support.TEST_LABEL}={support.SESSION_ID}"
IN_USE = "is in use by a container" if support.on_podman() else "is using its referenced image"
"""The engine's own words refusing to remove an image a container uses."""


def _reference(name: str) -> str:
    return f"{support.session_repository()}:{name}"


def _app(host: str) -> DtuiApp:
    # The container table shows only this session's containers: it is not what is tested.
    return DtuiApp(endpoint=parse_host(host), filters=f"label={SESSION_LABEL}", show_all=True)


def _names(screen: ImagesScreen) -> list[str]:
    """The names shown, without the registry Podman adds (``docker.io/``)."""
    table = screen.table
    return [support.short_image(row.name) for key in table.visible_keys() if (row := table.get(key)) is not None]


def _engine_reference(reference: str) -> str:
    """The reference as the engine lists it (Podman names the registry)."""
    return f"docker.io/{reference}" if support.on_podman() else reference


def _listed_id(image_id: str) -> str:
    """An image id as the listing gives it (Podman's commit answers it without ``sha256:``)."""
    return image_id if ":" in image_id else f"sha256:{image_id}"


def _notified(app: DtuiApp, text: str) -> bool:
    return any(text in str(notification.message) for notification in app._notifications)


async def _until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    await wait_until(pilot, condition, timeout=20, what=what)


async def test_images_view_lists_tags_refuses_a_used_image_and_prunes_the_dangling_one(
    engine_host: str, make_container: Callable[..., str]
) -> None:
    with support.sync_client(engine_host) as client:
        client.post(f"/images/{support.TEST_IMAGE}/tag",
                    params={"repo": support.session_repository(), "tag": "ui-listed"}).raise_for_status()
    source = make_container(["true"], start=False)
    used_id = _listed_id(support.commit_image(engine_host, source, _reference("ui-used")))
    user = make_container(["true"], start=False, Image=_reference("ui-used"))
    dangling_id = _listed_id(support.commit_image(engine_host, source))
    app = _app(engine_host)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("I")
        await _until(pilot, lambda: isinstance(app.screen, ImagesScreen), "images screen")
        screen = app.screen
        assert isinstance(screen, ImagesScreen)
        screen.prune_filters = {"label": [SESSION_LABEL]}
        await _until(pilot, lambda: _reference("ui-listed") in _names(screen), "the tag made in the test")
        assert support.TEST_IMAGE in _names(screen), "the same image shows once per tag"
        used_key = row_key(engine_host, f"{used_id} {_engine_reference(_reference('ui-used'))}")
        assert screen.table.get_cell(used_key, "used").plain == "1", "joined from the container list"
        assert screen.table.get(row_key(engine_host, dangling_id)) is not None
        assert screen.table.get_cell(row_key(engine_host, dangling_id), "name").plain == "<none>"

        screen.table.move_cursor(row=screen.table.get_row_index(used_key))
        await pilot.pause()
        await pilot.press("D")
        assert isinstance(app.screen, ImageRemoveScreen)
        await pilot.press("y")
        await _until(pilot, lambda: _notified(app, IN_USE), "the engine's refusal")
        assert _notified(app, user[:12]), "the engine's own text names the container"
        assert app.screen is screen and screen.table.get(used_key) is not None

        await pilot.press("p")
        assert isinstance(app.screen, PruneScreen)
        await pilot.press("d")
        await _until(pilot, lambda: _notified(app, "Pruned 1 images"), "what the prune reclaimed")
        await _until(pilot, lambda: screen.table.get(row_key(engine_host, dangling_id)) is None, "dangling gone")
        assert screen.table.get(used_key) is not None


async def test_disk_usage_screen_shows_the_engines_counts(engine_host: str) -> None:
    app = _app(engine_host)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("U")
        await _until(pilot, lambda: isinstance(app.screen, DiskUsageScreen), "disk usage screen")
        screen = app.screen
        assert isinstance(screen, DiskUsageScreen)
        for _attempt in range(5):  # the shared engine may change between the two readings
            await _until(pilot, lambda: screen.table.row_count == 4, "four lines")
            rows = [screen.table.get_row_at(i) for i in range(4)]
            shown = {row[0].plain: row[1].plain for row in rows}
            shown["images size"] = rows[0][3].plain
            with support.sync_client(engine_host) as client:
                raw = client.get("/system/df").json()
            counts = {"Images": len(raw["Images"] or []), "Containers": len(raw["Containers"] or []),
                      "Local Volumes": len(raw["Volumes"] or []), "Build Cache": len(raw.get("BuildCache") or [])}
            wanted = {kind: str(count) for kind, count in counts.items()}
            wanted["images size"] = human_size(raw["LayersSize"])
            if shown == wanted:
                break
            screen.usage.clear()
            await pilot.press("ctrl+r")
            await pilot.pause(0.5)
        assert shown == wanted
