"""The container table screen against a fake engine: deterministic events, keys and dialogs."""

from __future__ import annotations

import asyncio

import httpx
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input

from dtui.ui.app import DtuiApp
from dtui.ui.logs.screen import LogScreen
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.screens.modals import ConfirmScreen, FilterPrompt, RemoveScreen, RenamePrompt, SignalPicker
from dtui.ui.views.containers.table import ContainerTable, row_key
from dtui.ui.widgets.detail_pane import DetailPane
from dtui.ui.widgets.status_bar import StatusBar
from tests.ui.compose_support import add_member
from tests.ui.table_support import HOST, FakeDocker

SIZE = (80, 24)


def _table(app: DtuiApp) -> ContainerTable:
    return app.screen.query_one(ContainerTable)


def _names(app: DtuiApp) -> list[str]:
    table = _table(app)
    return [table.container(key).name for key in table.visible_keys()]  # type: ignore[union-attr]


def _cell(app: DtuiApp, name: str, column: str) -> str:
    table = _table(app)
    key = next(k for k in table.visible_keys() if table.container(k).name == name)  # type: ignore[union-attr]
    value = table.get_cell(key, column)
    assert isinstance(value, Text)
    return value.plain


def _cursor_name(app: DtuiApp) -> str:
    table = _table(app)
    return table.container(table.cursor_key).name  # type: ignore[arg-type,union-attr]


async def _settle(pilot: Pilot[int], seconds: float = 0.3) -> None:
    await pilot.pause(seconds)


def _fleet(count: int = 3) -> FakeDocker:
    docker = FakeDocker()
    for index in range(count):
        docker.add(f"c{index}", created=1_780_000_000 + index)
    return docker


async def test_rows_show_every_column_sanitized() -> None:
    docker = FakeDocker()
    docker.add(
        "web", image="nginx:1.27", status="Up 9 seconds",
        ports=[{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 9001, "Type": "tcp"}],
    )
    docker.add("[@click=app.quit]\x1b]0;owned\x07x", image="[/]")
    app = docker.app()
    async with app.run_test(size=(200, 50)) as pilot:  # wide enough for every column
        await _settle(pilot)
        assert sorted(_names(app)) == ["[@click=app.quit]\x1b]0;owned\x07x", "web"]
        assert _cell(app, "web", "name") == "web"
        assert len(_cell(app, "web", "id")) == 12
        assert _cell(app, "web", "ports") == "9001->80/tcp"
        assert _cell(app, "web", "state") == "running"
        assert _cell(app, "web", "cpu") == "—" and _cell(app, "web", "mem") == "—"
        assert _cell(app, "web", "created").endswith("ago")
        hostile = _table(app).visible_keys()[0]
        assert "\x1b" not in _table(app).get_cell(hostile, "name").plain
        assert app.is_running  # the markup in the name ran nothing


async def test_subscribes_to_events_before_listing() -> None:
    docker = _fleet()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        paths = [p for p in docker.engine.paths("GET") if p in {"/events", "/containers/json"}]
        assert paths[:2] == ["/events", "/containers/json"]
        events_request = next(r for r in docker.engine.requests if r.url.path.endswith("/events"))
        assert events_request.url.params["filters"] == '{"type":["container"]}'


async def test_event_adds_row_after_debounce_and_cursor_stays() -> None:
    docker = _fleet()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("down")
        assert _cursor_name(app) == "c1"
        new = docker.add("a-first")  # sorts before the cursor row
        docker.emit("create", new["Id"], name="a-first")
        docker.emit("start", new["Id"], name="a-first")
        await pilot.pause(0.05)
        assert "a-first" not in _names(app)  # still inside the debounce window
        await _settle(pilot)
        assert _names(app) == ["a-first", "c0", "c1", "c2"]
        assert _cursor_name(app) == "c1"
        refreshes = [c for c in docker.list_calls if "id" in c["filters"]]
        assert len(refreshes) == 1  # two events, one refresh
        assert refreshes[0]["filters"]["id"] == [new["Id"]]


async def test_state_change_updates_cells_in_place() -> None:
    docker = _fleet()
    app = docker.app(show_all=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        table = _table(app)
        row_objects = dict(table.rows)
        target = docker.containers[next(iter(docker.containers))]
        target["State"], target["Status"] = "exited", "Exited (0) 1 second ago"
        docker.emit("die", target["Id"])
        await _settle(pilot)
        assert _cell(app, "c0", "state") == "exited (0)"
        assert _cell(app, "c0", "status") == "Exited (0) 1 second ago"
        assert dict(table.rows) == row_objects  # same rows: updated, not rebuilt


async def test_stopped_container_leaves_running_view_and_destroy_removes() -> None:
    docker = _fleet()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        ids = list(docker.containers)
        docker.containers[ids[0]]["State"] = "exited"
        docker.emit("die", ids[0])
        del docker.containers[ids[1]]
        docker.emit("destroy", ids[1])
        await _settle(pilot)
        assert _names(app) == ["c2"]
        assert app.screen.query_one(StatusBar).total == 1


async def test_toggle_all_relists_with_all() -> None:
    docker = _fleet()
    docker.add("stopped", state="exited")
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert "stopped" not in _names(app)
        await pilot.press("a")
        await _settle(pilot)
        assert "stopped" in _names(app)
        assert docker.list_calls[-1]["all"] == "1"
        assert len(docker.subscriptions) == 2  # re-subscribed, then re-listed


async def test_sort_cycles_and_reverses() -> None:
    docker = FakeDocker()
    docker.add("b", created=3, state="exited")
    docker.add("a", created=1)
    docker.add("c", created=2, state="paused")
    app = docker.app(show_all=True)
    async with app.run_test(size=(200, 50)) as pilot:  # the Created column shows
        await _settle(pilot)
        assert _names(app) == ["a", "b", "c"]
        await pilot.press("O")
        assert _names(app) == ["c", "b", "a"]
        await pilot.press("o")  # state, natural order
        assert _names(app) == ["a", "c", "b"]
        await pilot.press("o")  # created, newest first
        assert _names(app) == ["b", "c", "a"]
        assert _table(app).columns[next(k for k in _table(app).columns if k.value == "created")].label.plain == "Created ▼"
        table = _table(app)
        keys = {table.container(k).name: k for k in table.visible_keys()}  # type: ignore[union-attr]
        await pilot.press("o")  # cpu
        table.set_stats(keys["a"], "50.0%", "1MB", cpu=50.0, memory=1e6)
        table.set_stats(keys["c"], "5.0%", "9MB", cpu=5.0, memory=9e6)
        assert _names(app) == ["a", "c", "b"]
        assert _cell(app, "a", "cpu") == "50.0%"
        await pilot.press("o")  # memory
        assert _names(app) == ["c", "a", "b"]


async def test_quick_filter_narrows_and_escape_clears() -> None:
    docker = FakeDocker()
    for name in ("web", "db", "worker"):
        docker.add(name, image=f"img-{name}")
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("slash")
        box = app.screen.query_one("#quick-filter")
        assert box.has_focus and box.value == ""  # the "/" itself did not land in the box
        await pilot.press("w", "r")  # fuzzy: w..r matches "worker" only
        assert _names(app) == ["worker"]
        await pilot.press("enter")
        assert isinstance(app.focused, ContainerTable)
        assert _names(app) == ["worker"]
        await pilot.press("slash", "backspace", "backspace", *"img-d")
        assert _names(app) == ["db"]
        await pilot.press("escape")
        assert _names(app) == ["db", "web", "worker"]
        assert not box.display and isinstance(app.focused, ContainerTable)


async def test_marks_and_bulk_stop_with_one_confirmation() -> None:
    docker = _fleet(4)
    app = docker.app(stop_timeout=1)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("space", "down", "space")  # c0 and c2
        assert app.screen.query_one(StatusBar).marked == 2
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Stop 2 containers (c0, c2)?" in app.screen.question.plain
        await pilot.press("n")
        await _settle(pilot)
        assert docker.mutations() == []
        await pilot.press("x", "y")
        await _settle(pilot)
        stopped = sorted(docker.mutations())
        ids = list(docker.containers)
        assert stopped == sorted([("POST", f"/v1.41/containers/{ids[i]}/stop?t=1") for i in (0, 2)])


async def test_single_stop_enter_confirms_escape_cancels() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("x", "escape")
        await _settle(pilot, 0.1)
        assert docker.mutations() == [] and isinstance(app.screen, MainScreen)
        await pilot.press("r", "enter")
        await _settle(pilot)
        assert [m for m, _ in docker.mutations()] == ["POST"]
        assert "/restart" in docker.mutations()[0][1]


async def test_pending_state_shows_while_action_runs() -> None:
    docker = _fleet(1)
    release = asyncio.Event()

    async def slow_start(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(204)

    docker.engine.route("POST", "/containers/[^/]+/start", handler=slow_start)  # type: ignore[arg-type]
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot, 0.1)
        assert _cell(app, "c0", "state") == "starting…"
        await pilot.press("s")  # a second action is not refused nor cancels the first
        await _settle(pilot, 0.1)
        release.set()
        await _settle(pilot)
        assert _cell(app, "c0", "state") == "running"
        assert len([p for m, p in docker.mutations() if p.endswith("/start?")]) == 2


async def test_kill_with_picked_and_typed_signal() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("K")
        assert isinstance(app.screen, SignalPicker)
        await pilot.press("down", "enter")  # TERM -> KILL
        await _settle(pilot)
        await pilot.press("K", "tab", *"usr1", "enter")
        await _settle(pilot)
        queries = [p.split("?")[1] for _, p in docker.mutations()]
        assert queries == ["signal=KILL", "signal=USR1"]


async def test_pause_or_unpause_by_state() -> None:
    docker = FakeDocker()
    docker.add("a")
    docker.add("b", state="paused")
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("p", "down", "p")
        await _settle(pilot)
        actions = sorted(p.split("?")[0].rsplit("/", 1)[1] for _, p in docker.mutations())
        assert actions == ["pause", "unpause"]


async def test_rename_validates_inline_then_sends() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, RenamePrompt)
        await pilot.press("end", *["backspace"] * 2, "x", "!", "enter")
        assert isinstance(app.screen, RenamePrompt)  # "x!" refused inline
        assert "letter or digit" in str(app.screen.query_one("#error").render())
        await pilot.press("backspace", *"-new", "enter")
        await _settle(pilot)
        assert docker.mutations()[0][1].endswith("/rename?name=x-new")
        docker.engine.route("POST", "/containers/[^/]+/rename", status=409, json={"message": "name in use"})
        await pilot.press("n", "end", "2", "enter")
        await _settle(pilot)
        said = [n.message for n in app._notifications]
        assert "c0: rename to c02: name in use" in said, said  # who, what, then the engine's words


async def test_remove_dialog_preselects_force_for_running() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("D")
        assert isinstance(app.screen, RemoveScreen) and app.screen.force and not app.screen.volumes
        await pilot.press("v", "y")
        await _settle(pilot)
        method, path = docker.mutations()[0]
        assert method == "DELETE" and path.endswith("?force=1&v=1")


async def test_action_error_shows_daemon_reason_and_app_stays_usable() -> None:
    docker = _fleet(1)
    docker.engine.route("POST", "/containers/[^/]+/kill", status=409,
                        json={"message": "Container abc is not running"})
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("K", "enter")
        await _settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("is not running" in m for m in messages)
        assert _cell(app, "c0", "state") == "running"
        await pilot.press("a")  # still answering keys
        await _settle(pilot)
        assert app.screen.query_one(StatusBar).show_all


async def test_engine_filter_prompt_sends_filters_and_reverts_on_400() -> None:
    docker = _fleet(2)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FilterPrompt)
        await pilot.press(*"status=exited label=env=prod limit=5", "enter")
        await _settle(pilot)
        call = docker.list_calls[-1]
        assert call["filters"] == {"status": ["exited"], "label": ["env=prod"]}
        assert call["limit"] == "5"
        assert app.screen.query_one(StatusBar).engine_filter == "status=exited label=env=prod limit=5"
        docker.engine.route("GET", "/containers/json", status=400, json={"message": "Invalid filter 'bogus'"})
        await pilot.press("f", "end", " ", *"bogus=1", "enter")
        await _settle(pilot, 0.5)
        assert any("Invalid filter 'bogus'" in str(n.message) for n in app._notifications)
        assert app.screen.query_one(StatusBar).engine_filter == "status=exited label=env=prod limit=5"


async def test_engine_filter_syntax_error_stays_in_prompt() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("f", *"nonsense", "enter")
        assert isinstance(app.screen, FilterPrompt)
        assert "not key=value" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_initial_filter_and_size_column() -> None:
    docker = _fleet(1)
    app = docker.app(filters="label=a=b size=1")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert docker.list_calls[0]["filters"] == {"label": ["a=b"]} and docker.list_calls[0]["size"] == "1"
        assert "size" in [k.value for k in _table(app).columns]
        events_request = next(r for r in docker.engine.requests if r.url.path.endswith("/events"))
        assert events_request.url.params["filters"] == '{"type":["container"],"label":["a=b"]}'


async def test_read_only_hides_refuses_and_sends_nothing() -> None:
    docker = _fleet(2)
    app = docker.app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("space", "s", "x", "r", "K", "p", "n", "D")
        await _settle(pilot)
        assert isinstance(app.screen, MainScreen)
        for action in ("start", "stop", "restart", "kill", "pause", "rename", "remove"):
            await app.screen.run_action(action)
        await _settle(pilot)
        assert docker.mutations() == []
        assert [r.method for r in docker.engine.requests if r.method not in {"GET", "HEAD"}] == []
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not shown & {"start", "stop", "restart", "kill", "pause", "rename", "remove"}
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert not any(t.startswith(("Stop", "Start", "Remove", "Kill")) for t in titles)


async def test_palette_lists_every_action_and_runs_it() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        for title in ("Start the selected or marked containers", "Stop the selected or marked containers",
                      "Restart the selected or marked containers", "Rename the selected container",
                      "Kill the selected or marked containers with a signal", "Re-list the containers",
                      "Pause or unpause the selected or marked containers",
                      "Remove the selected or marked containers", "Show the logs of the selected container"):
            assert title in commands
        await pilot.press("ctrl+p")
        await pilot.press(*"Start the sel")
        await _settle(pilot, 0.5)
        await pilot.press("enter")
        await _settle(pilot)
        assert [p.rsplit("/", 1)[1] for _, p in docker.mutations()] == ["start?"]


async def test_events_stream_end_resubscribes_and_relists_by_itself_and_ctrl_r_relists() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        docker.add("late")
        docker.end_events()  # the engine closed the stream: dtui subscribes again, then re-lists
        for _ in range(100):
            if "late" in _names(app):
                break
            await pilot.pause(0.05)
        status = app.screen.query_one(StatusBar)
        assert status.connected and "late" in _names(app)
        assert len(docker.subscriptions) == 2
        docker.add("later")
        await pilot.press("ctrl+r")
        await _settle(pilot)
        assert status.connected and "later" in _names(app)


async def test_enter_opens_detail_pane_escape_hides_l_opens_logs(monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(DetailPane, "show_container", lambda self, container, **_: shown.append(container.name))
    docker = _fleet(2)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert not app.screen.query(DetailPane)  # mounted on the first Enter only
        await pilot.press("enter")
        pane = app.screen.query_one(DetailPane)
        assert pane.display and shown == ["c0"]
        await pilot.press("z")
        assert not _table(app).display
        await pilot.press("z")
        await pilot.press("escape")
        assert not pane.display
        await pilot.press("slash", "c", "enter", "enter", "z")  # a quick filter is shown: focus stays off it
        assert not _table(app).display and app.focused is not None and pane in app.focused.ancestors_with_self
        main = app.screen
        await pilot.press("question_mark")  # a key for the screen, not a letter typed into the filter
        assert app.screen is not main and main.query_one("#quick-filter", Input).value == "c"
        await pilot.press("escape", "z")
        assert _table(app).display and app.focused is _table(app)
        await pilot.press("escape", "escape", "escape")
        assert not pane.display
        await pilot.press("down", "l")
        assert isinstance(app.screen, LogScreen) and app.screen.container.name == "c1"


async def test_help_lists_keys_and_closes() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("question_mark")
        text = str(app.screen.query_one("Static").render())
        assert "Stop the selected or marked containers" in text and "ctrl+p" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_row_keys_are_host_and_id() -> None:
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert _table(app).visible_keys() == [row_key(HOST, next(iter(docker.containers)))]


async def test_home_and_end_go_to_the_first_and_last_row() -> None:
    docker = _fleet(40)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        table = _table(app)
        await pilot.press("down", "down")
        await pilot.press("end")
        await _settle(pilot, 0.1)
        assert table.cursor_row == 39 and _cursor_name(app) == _names(app)[-1]
        assert table.scroll_x == 0 and table.scroll_y == table.max_scroll_y > 0
        await pilot.press("home")
        await _settle(pilot, 0.1)
        assert table.cursor_row == 0 and table.scroll_y == 0 and table.scroll_x == 0


async def test_open_pane_says_when_its_container_is_destroyed_elsewhere() -> None:
    """A stream that just ends (stats of a `docker rm -f`) tells nothing: the destroy event does."""
    docker = _fleet(2)
    ids = list(docker.containers)
    docker.engine.route("GET", "/containers/[^/]+/json", json={"Id": ids[0], "Name": "/c0", "Config": {}})
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        pane = app.screen.query_one(DetailPane)
        notice = pane.query_one("#detail-notice")
        assert pane.container is not None and pane.container.id == ids[0] and not notice.display
        docker.emit("destroy", ids[1])  # another container: the pane stays as it is
        await _settle(pilot)
        assert not notice.display
        del docker.containers[ids[0]]
        docker.emit("destroy", ids[0])
        await _settle(pilot)
        assert notice.display and "no longer exists" in str(notice.render())
        assert str(pane.query_one("#detail-title").render()).endswith("  removed")  # not "running" still


async def test_a_cell_as_wide_as_before_repaints_only_its_row() -> None:
    """CPU, memory and ages change every few seconds: resending the whole table each time is no calm SSH link."""
    docker = _fleet(3)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        table = _table(app)
        regions: list[tuple[object, ...]] = []
        real_refresh = table.refresh
        table.refresh = lambda *args, **kwargs: regions.append(args) or real_refresh(*args, **kwargs)  # type: ignore[method-assign]
        key = table.visible_keys()[1]
        table.update_cell(key, "state", Text("paused "))  # the widths are the tally's (apply_widths)
        assert regions and all(regions), regions  # a region each time: that row, not the whole table
        await pilot.pause(0.1)
        assert "paused " in table.render_line(2).text and "running" in table.render_line(1).text


async def test_the_sort_arrow_moves_on_screen_when_no_row_changes() -> None:
    """The header's line cache must be let go with the labels, not only when some cell changes."""
    docker = _fleet(1)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        table = _table(app)
        assert "Name ▲" in table.render_line(0).text
        await pilot.press("o")
        await pilot.pause(0.1)
        header = table.render_line(0).text
        assert "State ▲" in header and "Name ▲" not in header, header


async def test_end_then_space_marks_the_last_row_shown_filtered_and_grouped() -> None:
    """The row the cursor is on after Home/End is the one highlighted and the one marked."""
    docker = FakeDocker()
    for index in range(6):
        docker.add(f"other-{index}", created=1_780_000_000 + index)
    add_member(docker, "walk-shop", "web", 1, created=1_780_000_100)
    add_member(docker, "walk-shop", "web", 2, created=1_780_000_101)
    docker.add("walk-web", created=1_780_000_050)
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        table = _table(app)
        await pilot.press("slash", *"walk-web")
        await _settle(pilot, 0.1)
        assert sorted(_names(app)) == ["walk-shop-web-1", "walk-shop-web-2", "walk-web"]
        for typed_into_box in (True, False):
            await pilot.press("end")  # in the box: its text cursor; on the table: the last row
            if typed_into_box:
                await pilot.press("enter")
                await pilot.press("end")
            await _settle(pilot, 0.1)
            last = table.visible_keys()[-1]
            assert table.cursor_key == last and table.cursor_row == table.row_count - 1
            await pilot.press("space")
            assert table.marks == {last}, typed_into_box
            await pilot.press("home", "space")
            assert table.marks == {last, table.visible_keys()[0]}
            table.clear_marks()
            assert app.focused is table
        await pilot.press("g")  # grouped: a project row and its members
        await _settle(pilot, 0.1)
        await pilot.press("end", "space")
        last = table.visible_keys()[-1]
        assert table.cursor_key == last or table.marks == {last}
        assert table.marks == {last} or table.marks == set(table.groups()[last].members)  # type: ignore[attr-defined]
