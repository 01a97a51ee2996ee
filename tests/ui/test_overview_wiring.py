"""The CPU%/MEM overview on the main screen: visible running rows only, paused under other screens."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual.pilot import Pilot

from dtui.config import Config, Defaults
from dtui.ui.app import DtuiApp
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.views.containers.overview import overview_cells
from dtui.core.overview import OverviewFigures
from dtui.ui.views.containers.table import ContainerTable, split_row_key
from dtui.ui.widgets.stats_panel import StatsView
from tests.ui.table_support import FakeDocker

SIZE = (80, 24)
INTERVAL = 0.2
FAST = Config(defaults=Defaults(stats_interval=INTERVAL))


def _app(docker: FakeDocker, **kwargs: Any) -> DtuiApp:
    return docker.app(**{"config": FAST, **kwargs})


def _table(app: DtuiApp) -> ContainerTable:
    return app.screen.query_one(ContainerTable)


def _cells(app: DtuiApp, name: str) -> tuple[str, str]:
    table = _table(app)
    key = next(k for k in table.visible_keys() if table.container(k).name == name)  # type: ignore[union-attr]
    cpu, mem = table.get_cell(key, "cpu"), table.get_cell(key, "mem")
    assert isinstance(cpu, Text) and isinstance(mem, Text)
    return cpu.plain, mem.plain


def _ids_in_view(app: DtuiApp) -> set[str]:
    return {split_row_key(key)[1] for key in _table(app).keys_in_view()}


async def _rounds(pilot: Pilot[Any], count: float) -> None:
    """Wait about ``count`` sampling rounds (the first two are FIRST_INTERVAL-capped: INTERVAL)."""
    await pilot.pause(INTERVAL * count + 0.1)


async def test_running_rows_show_cpu_and_memory_after_two_rounds_exited_stay_empty() -> None:
    docker = FakeDocker(serve_stats=True)
    web = docker.add("web")
    docker.add("db")
    old = docker.add("old", state="exited", status="Exited (0) 1 hour ago")
    app = _app(docker, show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        # (CPU% needing two samples is proven on the sampler in test_detail_overview.py;
        # asserting the blank first round here would depend on the machine's speed.)
        await _rounds(pilot, 3)
        assert _cells(app, "web") == ("50.0%", "20.0MiB")
        assert _cells(app, "db") == ("50.0%", "20.0MiB")
        assert _cells(app, "old") == ("—", "—")
        assert old["Id"] not in docker.stats_calls
        assert docker.stats_calls.count(web["Id"]) >= 2
        request = next(r for r in docker.engine.requests if r.url.path.endswith("/stats"))
        assert request.url.params["stream"] == "0"
        assert request.url.params["one-shot"] == "1"


async def test_cpu_sort_uses_sampled_values() -> None:
    docker = FakeDocker(serve_stats=True)
    docker.add("a")
    docker.add("b", state="exited", status="Exited (0)")
    docker.add("c")
    app = _app(docker, show_all=True, config=Config(defaults=Defaults(stats_interval=INTERVAL, sort="cpu")))
    async with app.run_test(size=SIZE) as pilot:
        await _rounds(pilot, 3)
        table = _table(app)
        names = [table.container(k).name for k in table.visible_keys()]  # type: ignore[union-attr]
        assert names == ["a", "c", "b"]  # sampled rows first, unknown CPU last


async def test_a_container_that_stops_goes_back_to_dashes() -> None:
    docker = FakeDocker(serve_stats=True)
    web = docker.add("web")
    app = _app(docker, show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _rounds(pilot, 3)
        assert _cells(app, "web") == ("50.0%", "20.0MiB")
        web["State"], web["Status"] = "exited", "Exited (137) 1 second ago"
        docker.emit("die", web["Id"])
        await pilot.pause(0.3)
        assert _cells(app, "web") == ("—", "—")
        calls = len(docker.stats_calls)
        await _rounds(pilot, 2)
        assert len(docker.stats_calls) == calls


async def test_only_rows_in_view_are_sampled_and_scrolling_moves_the_set() -> None:
    docker = FakeDocker(serve_stats=True)
    for index in range(60):
        docker.add(f"c{index:02}")
    app = _app(docker)
    async with app.run_test(size=SIZE) as pilot:
        await _rounds(pilot, 3)  # the stats columns widen once filled (the columns that fit may change)
        docker.stats_calls.clear()
        await _rounds(pilot, 2)
        top = _ids_in_view(app)
        assert 15 <= len(top) <= 21  # the columns fit the width: no horizontal scrollbar
        assert set(docker.stats_calls) == top
        table = _table(app)
        assert table.container(table.keys_in_view()[0]).name == "c00"  # type: ignore[union-attr]
        await pilot.press("ctrl+end")
        await pilot.pause(0.1)
        bottom = _ids_in_view(app)
        assert table.container(table.keys_in_view()[-1]).name == "c59"  # type: ignore[union-attr]
        assert not bottom & top
        docker.stats_calls.clear()
        await _rounds(pilot, 2)
        assert set(docker.stats_calls) == bottom


async def test_quick_filter_narrows_the_sampled_set() -> None:
    docker = FakeDocker(serve_stats=True)
    wanted = docker.add("wanted")
    for index in range(5):
        docker.add(f"other{index}")
    app = _app(docker)
    async with app.run_test(size=SIZE) as pilot:
        await _rounds(pilot, 1)
        await pilot.press("slash", *"wanted", "enter")
        docker.stats_calls.clear()
        await _rounds(pilot, 2)
        assert set(docker.stats_calls) == {wanted["Id"]}


async def test_sampling_pauses_under_another_screen_and_stops_when_the_app_closes() -> None:
    docker = FakeDocker(serve_stats=True)
    docker.add("web")
    app = _app(docker)
    async with app.run_test(size=SIZE) as pilot:
        await _rounds(pilot, 2)
        assert docker.stats_calls
        await pilot.press("question_mark")
        await pilot.pause(0.05)
        assert not isinstance(app.screen, MainScreen)
        calls = len(docker.stats_calls)
        await _rounds(pilot, 3)
        assert len(docker.stats_calls) == calls
        await pilot.press("escape")
        await _rounds(pilot, 2)
        assert isinstance(app.screen, MainScreen)
        assert len(docker.stats_calls) > calls
    calls = len(docker.stats_calls)
    await asyncio.sleep(INTERVAL * 3)
    assert len(docker.stats_calls) == calls


async def test_detail_stats_stream_stops_under_another_screen_and_comes_back() -> None:
    docker = FakeDocker(serve_stats=True)
    docker.add("web")
    app = _app(docker)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        await pilot.press("enter", "tab", "4")
        await pilot.pause(0.1)
        view = app.screen.query_one(StatsView)
        assert view.streaming
        await pilot.press("question_mark")
        await pilot.pause(0.05)
        assert not view.streaming
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert view.streaming


def test_overview_cells_format_and_sort_values() -> None:
    figures = OverviewFigures("c1", 49.7153, 2, 1536, 8 << 30, 0.1)
    assert overview_cells(figures).cpu_text == "49.7%"
    assert overview_cells(figures).mem_text == "1.5KiB"
    assert overview_cells(figures).cpu == 49.7153
    assert overview_cells(figures).memory == 1536.0
    empty = overview_cells(OverviewFigures("c1", None, 1, None, None, None))
    assert (empty.cpu_text, empty.mem_text, empty.cpu, empty.memory) == ("—", "—", None, None)
