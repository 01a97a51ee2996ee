"""Snapshots of each detail tab at 80x24 with deterministic fake data."""

from __future__ import annotations

from typing import Any

from tests.ui.detail_support import PaneApp, fake_engine, summary


async def _settle(pilot: Any) -> None:
    await pilot.pause(0.3)
    await pilot.pause()


def _after(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press(*keys)
        await _settle(pilot)

    return run_before


def _app(running: bool = True) -> PaneApp:
    engine = fake_engine(running=running)
    return PaneApp(engine.client(), summary("running" if running else "exited"))


def test_inspect_tab(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_settle)


def test_inspect_tab_search(snap_compare: Any) -> None:
    run_before = _after("slash", *"pass", "enter")
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_top_tab(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_after("2"))


def test_top_tab_not_running(snap_compare: Any) -> None:
    assert snap_compare(_app(running=False), terminal_size=(80, 24), run_before=_after("2"))


def test_changes_tab(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_after("3"))


def test_stats_tab(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_after("4"))
