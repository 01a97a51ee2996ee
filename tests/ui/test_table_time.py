"""The container table's first minute: live relative times, kept stopped rows, columns that fit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from rich.text import Text

from textual.widgets.data_table import ColumnKey

from dtui.config import Config
from dtui.ui.app import DtuiApp
from dtui.ui.views import table_time
from dtui.ui.views.containers.kept import HIDDEN_HINT
from dtui.ui.views.containers.table import ContainerTable
from dtui.ui.widgets.status_bar import StatusBar
from tests.ui.table_support import FakeDocker

START = datetime(2026, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
STAMP = int(START.timestamp())


class _Clock(datetime):
    """``datetime`` whose ``now()`` is ``START`` plus what the test advanced."""

    offset = timedelta()

    @classmethod
    def now(cls, tz: Any = None) -> _Clock:  # type: ignore[override]
        moment = START + cls.offset
        return cls.fromtimestamp(moment.timestamp(), tz)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> type[_Clock]:
    _Clock.offset = timedelta()
    monkeypatch.setattr(table_time, "datetime", _Clock)
    return _Clock


def _table(app: DtuiApp) -> ContainerTable:
    return app.screen.query_one(ContainerTable)


def _cells(app: DtuiApp, name: str, *columns: str) -> list[str]:
    table = _table(app)
    key = next(k for k in table.visible_keys() if table.container(k).name == name)  # type: ignore[union-attr]
    values = [table.get_cell(key, column) for column in columns]
    assert all(isinstance(value, Text) for value in values)
    return [value.plain for value in values]


async def test_status_and_created_stay_true_without_an_engine_call(clock: type[_Clock]) -> None:
    docker = FakeDocker()
    docker.add("young", created=STAMP - 3, status="Up 3 seconds")
    docker.add("done", state="exited", created=STAMP - 3600, status="Exited (3) 5 minutes ago")
    docker.add("odd", state="exited", created=STAMP - 60, status="Removal In Progress")
    app = docker.app(show_all=True)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause(0.3)
        assert _cells(app, "young", "status", "created") == ["Up 3 seconds", "3s ago"]
        assert _cells(app, "done", "state", "status") == ["exited (3)", "Exited (3) 5 minutes ago"]
        requests = len(docker.engine.requests)
        clock.offset = timedelta(seconds=57)
        await pilot.pause(1.2)  # the table's own timer, no key, no event
        assert _cells(app, "young", "status", "created") == ["Up About a minute", "1m ago"]
        assert _cells(app, "done", "status") == ["Exited (3) 5 minutes ago"]  # 5 min 57 s
        clock.offset = timedelta(minutes=10)
        _table(app).tick()
        assert _cells(app, "young", "status") == ["Up 10 minutes"]
        assert _cells(app, "done", "status") == ["Exited (3) 15 minutes ago"]
        assert _cells(app, "odd", "status") == ["Removal In Progress"]  # not a clock: left as sent
        asked = [r.url.path for r in docker.engine.requests[requests:] if not r.url.path.endswith("/stats")]
        assert asked == []  # nothing asked of the engine (but the CPU/MEM samples)

        updates: list[tuple[object, ...]] = []
        real_update = _table(app).update_cell
        _table(app).update_cell = lambda *args, **kwargs: updates.append(args) or real_update(*args, **kwargs)  # type: ignore[method-assign]
        clock.offset += timedelta(seconds=20)  # still "10 minutes", still "10m ago"
        _table(app).tick()
        assert updates == []
        clock.offset += timedelta(seconds=40)
        _table(app).tick()
        assert {args[1] for args in updates} == {"status", "created"}


async def test_a_relisting_keeps_the_precise_anchor(clock: type[_Clock]) -> None:
    docker = FakeDocker()
    web = docker.add("web", status="Up 3 seconds")
    app = docker.app()
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause(0.3)
        clock.offset = timedelta(minutes=30, seconds=50)
        web["Status"] = "Up 30 minutes"  # the daemon's words at the re-list: coarser
        docker.emit("rename", web["Id"])
        await pilot.pause(0.3)
        clock.offset = timedelta(minutes=31, seconds=5)  # 31 min 8 s since the start
        _table(app).tick()
        assert _cells(app, "web", "status") == ["Up 31 minutes"]


async def test_a_container_stopped_here_stays_until_the_cursor_leaves(clock: type[_Clock]) -> None:
    docker = FakeDocker()
    docker.add("alpha")
    beta = docker.add("beta")
    app = docker.app(config=Config(confirm={"stop": False}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("down")
        beta["State"], beta["Status"] = "exited", "Exited (0) Less than a second ago"
        await pilot.press("x")
        await pilot.pause(0.4)
        table = _table(app)
        assert [table.container(k).name for k in table.visible_keys()] == ["alpha", "beta"]  # type: ignore[union-attr]
        assert _cells(app, "beta", "state") == ["exited (0)"]
        key = table.cursor_key
        assert key is not None and table.held_keys() == {key}
        assert "dim" in str(table.get_cell(key, "state").spans)
        status = app.screen.query_one(StatusBar)
        assert status.hint == HIDDEN_HINT and (status.running, status.total) == (1, 2)
        assert any(call.get("all") == "1" and call["filters"] == {"id": [beta["Id"]]} for call in docker.list_calls)
        await pilot.press("up")
        await pilot.pause(0.1)
        assert [table.container(k).name for k in table.visible_keys()] == ["alpha"]  # type: ignore[union-attr]
        assert status.hint == "" and (status.running, status.total) == (1, 1)


async def test_marked_containers_stopped_here_stay_until_the_cursor_moves(clock: type[_Clock]) -> None:
    """The cursor was never on them: a repaint that leaves it where it is must not let them go."""
    docker = FakeDocker()
    alpha, beta = docker.add("alpha"), docker.add("beta")
    docker.add("gamma")
    app = docker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("space", "space")  # alpha and beta marked, the cursor on gamma
        for item in (alpha, beta):
            item["State"], item["Status"] = "exited", "Exited (0) Less than a second ago"
        await pilot.press("x", "y")
        await pilot.pause(0.5)
        table = _table(app)
        names = [table.container(k).name for k in table.visible_keys()]  # type: ignore[union-attr]
        assert names == ["alpha", "beta", "gamma"] and len(table.held_keys()) == 2
        assert _cells(app, "alpha", "state") == _cells(app, "beta", "state") == ["exited (0)"]
        assert len(table.marks) == 2  # so `s` starts them again
        await pilot.press("up")
        await pilot.pause(0.1)
        names = [table.container(k).name for k in table.visible_keys()]  # type: ignore[union-attr]
        assert names == ["beta", "gamma"]  # the cursor is on beta: it stays until the cursor leaves it


async def test_80_columns_show_name_state_usage_and_ports_and_the_config_picks(clock: type[_Clock]) -> None:
    docker = FakeDocker()
    port = {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}
    docker.add("web-frontend-1", image="nginx:1.27", status="Up 2 hours (healthy)", ports=[port, {**port, "IP": "::"}])
    app = docker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        shown = [column.key for column in _table(app).columns_shown]
        assert shown[:6] == ["mark", "name", "state", "cpu", "mem", "ports"]
        assert "id" not in shown and "created" not in shown
        assert _cells(app, "web-frontend-1", "ports") == ["8080->80/tcp"]
        await pilot.resize_terminal(200, 50)
        await pilot.pause(0.2)
        assert [column.key for column in _table(app).columns_shown] == [
            "mark", "name", "id", "image", "state", "cpu", "mem", "status", "ports", "created"]
    picked = docker.app(config=Config(columns={"containers": ("status", "name")}))
    async with picked.run_test(size=(200, 50)) as pilot:
        await pilot.pause(0.3)
        assert [column.key for column in _table(picked).columns_shown] == ["mark", "status", "name"]


async def test_only_rows_in_view_are_told_again(clock: type[_Clock]) -> None:
    docker = FakeDocker()
    for index in range(60):
        docker.add(f"c{index:02}", created=STAMP - 3, status="Up 3 seconds")
    app = docker.app()
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause(0.3)
        table = _table(app)
        updated: list[str] = []
        real_update = table.update_cell
        table.update_cell = lambda row, column, *a, **k: updated.append(row) or real_update(row, column, *a, **k)  # type: ignore[method-assign]
        clock.offset = timedelta(seconds=10)
        table.tick()
        in_view = table.keys_in_view()
        assert 20 <= len(in_view) < 60
        assert sorted(updated) == sorted(in_view * 2)  # status and created of the rows in view only


async def test_columns_narrow_again_when_the_widest_cell_leaves(clock: type[_Clock]) -> None:
    docker = FakeDocker()
    port = {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}
    docker.add("web", image="nginx:1.27", ports=[port])
    long_one = docker.add("a-very-long-container-name-indeed-x", image="nginx:1.27", ports=[port])
    app = docker.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        table = _table(app)
        name_width = table.columns[ColumnKey("name")].content_width
        assert name_width == 28  # the long name, cut at the column's 28
        assert table.max_scroll_x == 0
        long_one["Names"] = ["/web-2"]  # a rename: the one cell that made the column wide shrinks
        docker.emit("rename", long_one["Id"])
        await pilot.pause(0.3)
        assert table.columns[ColumnKey("name")].content_width == len("Name ▲")
        long_one["Names"] = ["/a-very-long-container-name-indeed-x"]
        docker.emit("rename", long_one["Id"])
        await pilot.pause(0.3)
        assert table.columns[ColumnKey("name")].content_width == 28
        narrow = [column.key for column in table.columns_shown]
        del docker.containers[long_one["Id"]]  # the row itself goes
        docker.emit("destroy", long_one["Id"])
        await pilot.pause(0.3)
        assert table.columns[ColumnKey("name")].content_width == len("Name ▲")
        assert table.max_scroll_x == 0 and table.virtual_size.width <= 80
        shown = [column.key for column in table.columns_shown]
        assert len(shown) > len(narrow)  # the room the long name took shows another column again
        total = sum(column.get_render_width(table) for column in table.columns.values())
        assert total == table.virtual_size.width
