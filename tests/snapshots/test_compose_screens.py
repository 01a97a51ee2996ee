"""Snapshots of the table grouped by compose project (``g``) at 80x24 and 160x45, from a fake engine.

Same frozen clock and "no usage data" stats as ``test_screens.py``; the containers are
``tests.ui.compose_support.compose_fleet``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.snapshots.test_screens import NO_STATS, SIZES, app_of, frozen_clock, keys
from tests.ui.compose_support import compose_fleet

__all__ = ["frozen_clock"]  # the clock fixture, used by every test here


def _fleet() -> Any:
    docker = compose_fleet()
    docker.engine.route("GET", "/containers/[^/]+/stats", json=NO_STATS)
    return docker


@pytest.mark.parametrize("size", SIZES)
def test_grouped_table(snap_compare: Any, size: tuple[int, int]) -> None:
    """Grouped (`g`, then ctrl+Home and Enter to fold blog), the status line saying "sort: name ▲
    by project": "▸ blog 0/1 running 1 service" folded
    with the cursor on it; "▾ shop 3/3 running 2 services" with, indented, shop-db-1,
    shop-web-2, shop-web-10 (service, then replica number) and at 160 wide the status
    "config changed: web"; "▾ (no project) 1/2 running" with adhoc and cron."""
    assert snap_compare(app_of(_fleet()), terminal_size=size, run_before=keys("g", "ctrl+home", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_project_stop_question(snap_compare: Any, size: tuple[int, int]) -> None:
    """`x` on the shop row: "Stop project shop: 3 containers (shop-db-1, shop-web-2, shop-web-10)? [y/N]"
    over the grouped table."""
    assert snap_compare(app_of(_fleet()), terminal_size=size, run_before=keys("g", "ctrl+home", "down", "down", "x"))
