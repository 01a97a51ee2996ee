"""More full-app snapshots (80x24 and 160x45): log search and filter, log help, scale form,
rename prompt and remove dialog. Same fakes, frozen clock and rules as ``test_screens``:
each docstring says what the picture must show."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.snapshots.test_screens import (
    SIZES,
    RunBefore,
    _log_frames,
    _wait_for_lines,
    app_of,
    fleet,
    frozen_clock,  # noqa: F401  (autouse fixture: the table's ages against a fixed now)
    keys,
    settle,
    web01_id,
)
from tests.ui.detail_support import inspect_document
from tests.ui.table_support import FakeDocker


def logs_of_web01() -> FakeDocker:
    """The fleet with web01's inspect and six canned log lines (two on stderr)."""
    docker = fleet()
    document = {**inspect_document(), "Id": web01_id(docker), "Name": "/web01"}
    docker.engine.route("GET", "/containers/[^/]+/json", json=document)
    docker.engine.route("GET", "/containers/[^/]+/logs", chunks=_log_frames(), hang=True)
    return docker


def in_log_screen(*pressed: str) -> RunBefore:
    """Open web01's logs (third row), wait for its six lines, then press the keys."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "l")
        await _wait_for_lines(pilot, 6)
        await pilot.press(*pressed)
        await settle(pilot)
        await pilot.pause(0.2)  # the search scan runs in chunks

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_log_search(snap_compare: Any, size: tuple[int, int]) -> None:
    """`/GET` Enter then `n` in web01's logs: the three "GET ..." lines have "GET" highlighted,
    the first one (the current match) in another colour; the marker reads
    "live · 6 lines · /GET 1/3" (all lines fit, so nothing scrolled)."""
    run_before = in_log_screen("slash", *"GET", "enter", "n")
    assert snap_compare(app_of(logs_of_web01()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_log_filter_mode(snap_compare: Any, size: tuple[int, int]) -> None:
    """`/error` Enter then `&`: filter mode shows only "error: connection refused to db:5432"
    (with its stderr "E" gutter) and the marker says "/error -/1 · filter" (no current
    match until `n`)."""
    run_before = in_log_screen("slash", *"error", "enter", "ampersand")
    assert snap_compare(app_of(logs_of_web01()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_log_timestamps_and_search_prompt(snap_compare: Any, size: tuple[int, int]) -> None:
    """`T` then `/`: the header says "ts on", each line starts with its timestamp
    (2026-05-01T11:59:00.000000Z ... 11:59:05), and the "search (text)" prompt is open at the
    bottom with its placeholder and a footer of only Back / Search / Save."""
    run_before = in_log_screen("T", "slash")
    assert snap_compare(app_of(logs_of_web01()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_log_help(snap_compare: Any, size: tuple[int, int]) -> None:
    """`?` in the log screen: "Logs: keys" listing follow, tail, since, timestamps, stream,
    wrap, search, next/previous match, filter, save, top/live end and back."""
    run_before = in_log_screen("question_mark")
    assert snap_compare(app_of(logs_of_web01()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_scale_form(snap_compare: Any, size: tuple[int, int]) -> None:
    """`S` on web01: "Scale web01" with N 1 (the group as it is), Pattern "{base}{n:02d}",
    the plan "Keep: web01 / Create: none / Remove: none", Apply / Close buttons and the
    footer "^s Apply  esc Close"."""
    docker = fleet()
    document = {**inspect_document(), "Id": web01_id(docker), "Name": "/web01"}
    docker.engine.route("GET", "/containers/[^/]+/json", json=document)
    assert snap_compare(app_of(docker), terminal_size=size, run_before=keys("down", "down", "S"))


@pytest.mark.parametrize("size", SIZES)
def test_rename_prompt(snap_compare: Any, size: tuple[int, int]) -> None:
    """`n` on db: "Rename db to:" over the table, the input pre-filled with "db"."""
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=keys("n"))


@pytest.mark.parametrize("size", SIZES)
def test_remove_dialog(snap_compare: Any, size: tuple[int, int]) -> None:
    """`D` on db (running): "Remove db? [y/N]" with "[x] f  force" preselected (it runs) and
    "[ ] v  remove its anonymous volumes"."""
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=keys("D"))
