"""Full-app snapshots of the merged log screen (`L`) at 80x24 and 160x45.

Same fakes, frozen clock and rules as ``test_screens``: each docstring says what the picture
must show. Every container's log is a canned tail (its follow stream stays silent), so the
merged order depends only on the engine timestamps.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from textual.pilot import Pilot

from dtui.ui.logs.merged import MergedLogScreen
from dtui.ui.logs.view import LogView
from tests.fakes import ChunkStream, frame
from tests.snapshots.test_screens import (
    SIZES,
    RunBefore,
    app_of,
    fleet,
    frozen_clock,  # noqa: F401  (autouse fixture: the table's ages against a fixed now)
    settle,
)
from tests.ui.detail_support import inspect_document
from tests.ui.table_support import FakeDocker

# (second, container, stream, text): the engine's order across the four running containers.
LINES = [
    (1, "db", 1, "database system is ready to accept connections"),
    (2, "web01", 1, "GET / 200 0.4ms"),
    (3, "web02", 1, "GET /api/items 200 3.2ms"),
    (4, "worker", 1, "job 41 done in 12s"),
    (5, "web01", 2, "warning: upstream slow (1203 ms)"),
    (6, "db", 1, "checkpoint starting: time"),
    (7, "web02", 2, "error: connection refused to db:5432"),
    (8, "web01", 1, "[bold]not markup[/] stays literal"),
    (9, "db", 1, "checkpoint complete: wrote 42 buffers (0.3%)"),
    (10, "worker", 1, "job 42 started"),
]


def merged_fleet() -> FakeDocker:
    """The fleet, each running container answering its inspect and its share of `LINES`."""
    docker = fleet()
    for container_id, item in docker.containers.items():
        name = item["Names"][0][1:]
        document = {**inspect_document(), "Id": container_id, "Name": "/" + name}
        tail = [
            frame(stream, f"2026-05-01T11:59:{second:02d}.000000000Z {text}\n".encode())
            for second, owner, stream, text in LINES
            if owner == name
        ]
        docker.engine.route("GET", f"/containers/{container_id}/json", json=document)
        docker.engine.route("GET", f"/containers/{container_id}/logs", handler=_logs(tail))
    return docker


def _logs(tail: list[bytes]) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("follow") == "1":
            return httpx.Response(200, stream=ChunkStream([], hang_after=True))
        return httpx.Response(200, stream=ChunkStream(tail))

    return answer


def in_merged_view(*pressed: str) -> RunBefore:
    """Open the merged view of every running container, wait for all lines, press the keys."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("L")
        for _ in range(250):
            await pilot.pause(0.02)
            screen = pilot.app.screen
            if isinstance(screen, MergedLogScreen) and screen.query_one(LogView).line_count >= len(LINES):
                break
        else:
            raise AssertionError("the merged view did not show every line in time")
        await settle(pilot)
        if pressed:
            await pilot.press(*pressed)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_merged_logs(snap_compare: Any, size: tuple[int, int]) -> None:
    """`L` with nothing marked: the four running containers merged. Header "merged 4/4
    following 1 db 2 web01 3 web02 4 worker" (each name in its own colour); ten lines in
    timestamp order (db, web01, web02, worker, web01, db, web02, web01, db, worker), each
    starting with its container's coloured name padded to six cells so the texts line up;
    the two stderr lines (web01's warning, web02's error) carry the "E" gutter;
    "[bold]not markup[/] stays literal" literal; marker "live · 10 lines"; footer keys
    Back, Live, Search, Filter, Save, Containers, Help."""
    assert snap_compare(app_of(merged_fleet()), terminal_size=size, run_before=in_merged_view())


@pytest.mark.parametrize("size", SIZES)
def test_merged_logs_one_hidden_with_timestamps(snap_compare: Any, size: tuple[int, int]) -> None:
    """`1` hides db and `T` shows timestamps: header "merged 3/4" with "(1 db)" dimmed; seven
    lines (no db line), each "2026-05-01T11:59:SS.000000Z" then the name and text, in order
    web01 :02, web02 :03, worker :04, web01 :05, web02 :07, web01 :08, worker :10; marker
    "live · 7 lines"."""
    assert snap_compare(app_of(merged_fleet()), terminal_size=size, run_before=in_merged_view("1", "T"))


@pytest.mark.parametrize("size", SIZES)
def test_merged_logs_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    """`c` opens the picker over the merged view: "Containers shown", rows "[x]  1 db",
    "[x]  2 web01", "[x]  3 web02", "[x]  4 worker" (names coloured, the first row
    highlighted), then "space: show/hide · enter: apply · Esc: cancel"; after `down space`
    web01's row reads "[ ]  2 web01"."""
    assert snap_compare(app_of(merged_fleet()), terminal_size=size, run_before=in_merged_view("c", "down", "space"))
