"""Snapshots of the images view, its detail pane, and the disk usage screen (issue 22).

Deterministic like tests/snapshots/test_screens.py: the fake image endpoints of
tests/ui/images_support.py and a frozen clock (2026-05-01 12:00 UTC). Each docstring says
what the picture must show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from dtui.ui.views.images.disk_usage import DiskUsageScreen
from dtui.ui.views.images.screen import ImagesScreen
from tests.snapshots.test_screens import ENGINE_VERSION, SIZES, frozen_clock, settle
from tests.ui.host_support import HOST_A, HOST_B, FakeHost, app_of
from tests.support.wait import wait_until
from tests.ui.images_support import FakeImages

__all__ = ["frozen_clock"]  # the autouse fixture, imported so it applies here too


def _app(fake: FakeImages) -> Any:
    app = fake.app(engine_version=ENGINE_VERSION)
    app.animation_level = "none"
    return app


def _open(
    *keys: str, ready: Callable[[Any], object] = lambda app: True, after: tuple[str, ...] = ()
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Settle, press the keys (settling after each), wait until ``ready(app)`` holds, press ``after``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await wait_until(pilot, lambda: ready(pilot.app), timeout=20, what="the picture's data")
        await pilot.press(*after)
        await settle(pilot)

    return run_before


def _rows(count: int) -> Callable[[Any], object]:
    """The images screen holds ``count`` rows and every column is as wide as its widest cell."""
    return lambda app: (isinstance(app.screen, ImagesScreen) and app.screen.table.row_count == count
                        and _columns_fit_their_cells(app.screen.table))


def _columns_fit_their_cells(table: Any) -> bool:
    """No cell is cut: what the picture shows once the table has measured every row."""
    columns = list(table.ordered_columns)
    for index in range(table.row_count):
        for column, cell in zip(columns, table.get_row_at(index)):
            if getattr(cell, "cell_len", 0) > column.content_width:
                return False
    return True


@pytest.mark.parametrize("size", SIZES)
def test_images(snap_compare: Any, size: tuple[int, int]) -> None:
    """Images by name: busybox:latest and its second, hostile tag shown as "evil/red:[b]x[/b]"
    (no escape codes, the markup as text), nginx:1.25 and nginx:latest (same id a1a1..., used
    by 2), postgres:16 (used by 1), then the dangling <none> (dim italic); sizes 4.3MB /
    187.7MB / 431.0MB / 12.5MB; created 5w / 3d / 5h / 10m ago; footer with Remove and Run."""
    assert snap_compare(_app(FakeImages(hostile=True)), terminal_size=size,
                        run_before=_open("I", ready=_rows(6)))


@pytest.mark.parametrize("size", SIZES)
def test_images_detail_pane(snap_compare: Any, size: tuple[int, int]) -> None:
    """The pane under the table on nginx:1.25: title "▶ nginx:1.25  a1a1a1a1a1a1  187.7MB", tabs
    "1 Inspect" and "2 History", a summary (tags, id, created 2026-04-28, size, linux/amd64,
    command nginx -g 'daemon off;', used by web01, web02, labels) over the collapsed tree."""
    assert snap_compare(_app(FakeImages()), terminal_size=size,
                        run_before=_open(
        "I", "down", "enter", ready=lambda app: app.screen.detail.body("inspect").content is not None))


@pytest.mark.parametrize("size", SIZES)
def test_disk_usage(snap_compare: Any, size: tuple[int, int]) -> None:
    """Four lines: Images 4/2 635.4MB reclaimable 16.8MB (2%); Containers 3/3 3.6kB 0B (0%);
    Local Volumes 2/1 60.0MB 8.0MB (13%); Build Cache 1/0 30.0MB 30.0MB (100%); footer prune keys."""
    assert snap_compare(_app(FakeImages()), terminal_size=size, run_before=_open(
        "U", ready=lambda app: isinstance(app.screen, DiskUsageScreen) and app.screen.table.row_count == 4))


@pytest.mark.parametrize("size", SIZES)
def test_images_of_two_hosts(snap_compare: Any, size: tuple[int, int]) -> None:
    """Two hosts: a Host column after the name ("a.sock" and "b.sock" rows), the second host
    holding only redis:7 (used by nothing)."""
    second = FakeImages()
    second.images.clear()
    second.docker.containers.clear()
    second.add("sha256:" + "e5" * 32, ["redis:7"], 1_777_636_800 - 7200, 117_000_000)
    app = app_of(FakeHost(HOST_A, docker=FakeImages().docker), FakeHost(HOST_B, docker=second.docker),
                 engine_version=ENGINE_VERSION)
    app.animation_level = "none"
    # Home: the cursor stays on the row it was on, which depends on which host answered first.
    assert snap_compare(app, terminal_size=size, run_before=_open("I", ready=_rows(6), after=("home",)))
