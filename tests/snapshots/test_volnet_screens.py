"""Snapshots of the volumes and networks views (issue 22) at 80x24 and 160x45, from a fake engine.

The data is tests/ui/volnet_support.py's fleet (no clock-dependent column). Each docstring
says what the picture must show.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from dtui.ui.app import DtuiApp
from tests.snapshots.test_screens import ENGINE_VERSION, SIZES, settle
from tests.support.wait import wait_until
from tests.ui.volnet_support import resource_fleet


def _app() -> DtuiApp:
    app = resource_fleet().app(show_all=True, engine_version=ENGINE_VERSION)
    app.animation_level = "none"
    return app


def _open(key: str, *more: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(key)
        await wait_until(pilot, lambda: len(pilot.app.screen.table.visible_keys()) >= 4)  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: not pilot.app.screen.workers or all(w.is_finished for w in pilot.app.screen.workers))
        await settle(pilot)
        if more:
            await pilot.press(*more)
            await settle(pilot)
            for box in pilot.app.screen.query(Input):
                box.cursor_blink = False  # a blinking cursor would make the picture depend on timing
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_volumes_view(snap_compare: Any, size: tuple[int, int]) -> None:
    """The volumes view: status line "Volumes  4 of 4  sort name ▲"; rows f3a9… (anonymous, cut,
    size —), pgdata (in use by db, 512.0MB), scratch (—, 0B), webcache (job, web, 1.2MB); the
    mountpoints (cut at 80 wide); the footer with c Create and D Remove."""
    assert snap_compare(_app(), terminal_size=size, run_before=_open("V"))


@pytest.mark.parametrize("size", SIZES)
def test_networks_view(snap_compare: Any, size: tuple[int, int]) -> None:
    """The networks view: backend (db, web; 10.20.0.0/24 via 10.20.0.1), bridge, frontend (web),
    host, none (the engine's own dimmed), ids, drivers, scope local; footer with C Connect."""
    assert snap_compare(_app(), terminal_size=size, run_before=_open("N"))


def test_network_create_form(snap_compare: Any) -> None:
    """The network form at 80x24: Name, Driver "bridge", Subnet and Gateway placeholders, Create
    and Cancel buttons, centred over the networks view."""
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_open("N", "c"))
