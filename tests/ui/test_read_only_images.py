"""``--read-only`` on the wire for the images screen, its detail pane and the disk usage screen.

Uses the key driver of ``test_read_only_keys.py``: every key bound on those screens (taken
from their BINDINGS, so a new key is covered without editing this test) is pressed with a
mark set, whatever dialog it opens is accepted, and the engine must see only GET/HEAD; the
counterpart without ``--read-only`` shows the same keys do remove and prune.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen

from dtui.ui.app import DtuiApp
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.views.detail import ResourceDetail
from dtui.ui.views.images.disk_usage import DiskUsageScreen
from dtui.ui.views.images.screen import ImagesScreen
from tests.ui.images_support import NGINX, FakeImages
from tests.ui.test_read_only_keys import SIZE, _back_to, _keys, _leave_input, _settle, _unsafe_requests


async def _press_screen_keys(pilot: Pilot[Any], app: DtuiApp, base: type[Screen[Any]], skip: set[str]) -> None:
    for key in _keys(list(base.BINDINGS), skip=skip):
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, base)
        await _leave_input(pilot, app)
        assert isinstance(app.screen, base), f"{key} left {base.__name__}"


async def _press_resource_pane_keys(pilot: Pilot[Any], app: DtuiApp) -> None:
    for key in _keys(ResourceDetail.BINDINGS, skip=set()):
        if not app.screen.has_class("-pane-open"):
            await pilot.press("enter")
            await _settle(pilot)
        pane = app.screen.query_one(ResourceDetail)
        if not pane.has_focus_within:
            await pilot.press("tab")
            await _settle(pilot)
        await pilot.press(key)
        await _settle(pilot)
        await _back_to(pilot, app, ImagesScreen)
        await _leave_input(pilot, app)


async def _drive_image_screens(pilot: Pilot[Any], app: DtuiApp) -> None:
    """Every key of the images screen (then with a mark), its detail pane, and the disk usage screen."""
    await _settle(pilot)
    await pilot.press("I")
    await _settle(pilot)
    assert isinstance(app.screen, ImagesScreen)
    await pilot.press("space")  # with a mark set: the bulk actions act on it
    await _press_screen_keys(pilot, app, ImagesScreen, skip={"escape", "space"})
    await _press_resource_pane_keys(pilot, app)
    await pilot.press("escape", "escape", "escape")
    await _settle(pilot)
    assert isinstance(app.screen, MainScreen)
    await pilot.press("U")
    await _settle(pilot)
    assert isinstance(app.screen, DiskUsageScreen)
    await _press_screen_keys(pilot, app, DiskUsageScreen, skip={"escape"})


async def test_every_key_of_the_image_screens_sends_only_get_or_head() -> None:
    fake = FakeImages()
    app = fake.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _drive_image_screens(pilot, app)
    paths = fake.docker.engine.paths("GET")
    for expected in ("/images/json", f"/images/{NGINX}/json", f"/images/{NGINX}/history", "/system/df"):
        assert expected in paths, expected
    assert _unsafe_requests(fake.docker) == []


async def test_the_image_screen_keys_do_mutate_without_read_only() -> None:
    """The mutating keys of the same screens, without --read-only, do send (the check above can fail)."""
    fake = FakeImages()
    app = fake.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        for keys in (("I",), ("D", "enter"), ("p", "enter"), ("escape",), ("U",), ("c", "enter"), ("v", "enter"),
                     ("b", "enter"), ("i", "enter")):
            await pilot.press(*keys)
            await _settle(pilot)
    sent = {(r.method, path) for r, path in zip(fake.docker.engine.requests, fake.docker.engine.paths())}
    for method, path in (("DELETE", "/images/"), ("POST", "/images/prune"), ("POST", "/containers/prune"),
                         ("POST", "/volumes/prune"), ("POST", "/build/prune")):
        assert any(m == method and p.startswith(path) for m, p in sent), (method, path, sent)
