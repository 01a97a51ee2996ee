"""Several hosts in one table, engines that go away and come back, and the host switcher (issue 11).

Fake engines only (tests/ui/host_support.py): a host "goes down" by ending its event streams and
refusing connections, as a stopped daemon does. Waits poll with a deadline; nothing asserts time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

import dtui.ui
from dtui.engine.contexts import DockerContext
from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.ui.app import DtuiApp
from dtui.core.hosts import DOWN, UP, HostStatus, load_recent, remember_recent
from dtui.ui.screens.hosts import CONNECTED, HostChoice, HostEntry, HostSwitcher, address_problem
from dtui.ui.logs.screen import LogScreen
from dtui.live import feed as live_feed
from dtui.live.feed import Feed
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.views.containers.table import ContainerTable, row_key
from dtui.ui.widgets.detail_pane import DetailPane
from dtui.ui.widgets.stats_panel import StatsView
from dtui.ui.widgets.status_bar import StatusBar, connection_notice, hosts_summary
from tests.ui import detail_support
from tests.ui.host_support import HOST_A, HOST_B, FakeHost, app_of
from tests.support.wait import wait_until

SIZE = (100, 24)


def _table(app: DtuiApp) -> ContainerTable:
    return app.screen.query_one(ContainerTable)


def _status(app: DtuiApp) -> str:
    return app.screen.query_one(StatusBar).render().plain


def _state_cell(app: DtuiApp, key: str) -> str:
    cell = _table(app).get_cell(key, "state")
    assert isinstance(cell, Text)
    return cell.plain


def _rows(app: DtuiApp) -> set[str]:
    return set(_table(app).visible_keys())


def _messages(app: DtuiApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


# -- status texts --------------------------------------------------------------------------


def test_status_texts_for_one_and_several_hosts() -> None:
    up_a = HostStatus(HOST_A, "/fake/a.sock", UP)
    down_b = HostStatus(HOST_B, "/fake/b.sock", DOWN, retry_in=3)
    assert connection_notice([up_a]) is None
    assert connection_notice([HostStatus(HOST_A, "a", DOWN, 2)]).plain == "disconnected - retrying in 2s"  # type: ignore[union-attr]
    assert connection_notice([HostStatus(HOST_A, "a", DOWN, 0)]).plain == "disconnected - retrying now"  # type: ignore[union-attr]
    assert connection_notice([up_a, down_b]).plain == "/fake/b.sock disconnected - retrying in 3s"  # type: ignore[union-attr]
    both_down = [HostStatus(HOST_A, "a", DOWN, 1), down_b]
    assert connection_notice(both_down).plain == "a disconnected - retrying in 1s +1 down"  # type: ignore[union-attr]
    assert hosts_summary([up_a]).plain == HOST_A
    assert hosts_summary([up_a, down_b]).plain == "2 hosts (1 down)"
    assert hosts_summary([up_a, HostStatus(HOST_B, "b", UP)]).plain == "2 hosts"
    assert hosts_summary([up_a, down_b], names=True).plain == "2 hosts (1 down): /fake/a.sock, /fake/b.sock"
    assert hosts_summary([], "unix:///x.sock").plain == "unix:///x.sock"


# -- two hosts in one table ----------------------------------------------------------------


async def test_one_table_shows_both_hosts_with_a_host_column() -> None:
    a, b = FakeHost(HOST_A, "web"), FakeHost(HOST_B, "db")
    app = app_of(a, b)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 2, timeout=10.0, what="both hosts listed")
        table = _table(app)
        assert _rows(app) == {row_key(HOST_A, a.container_id("web")), row_key(HOST_B, b.container_id("db"))}
        assert table.show_host and "host" in [c.key for c in table.columns_shown]
        assert table.get_cell(row_key(HOST_B, b.container_id("db")), "host").plain == "/fake/b.sock"
        assert "2 hosts" in _status(app) and "1 down" not in _status(app)


async def test_one_host_has_no_host_column() -> None:
    a = FakeHost(HOST_A, "web")
    app = app_of(a)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 1, timeout=10.0, what="listed")
        assert not _table(app).show_host
        assert HOST_A in _status(app)


async def test_actions_reach_the_rows_own_engine() -> None:
    a, b = FakeHost(HOST_A, "web"), FakeHost(HOST_B, "db")
    app = app_of(a, b)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 2, timeout=10.0, what="both hosts listed")
        table = _table(app)
        table.move_cursor(row=table.get_row_index(row_key(HOST_B, b.container_id("db"))))
        await pilot.press("s")  # start: no confirmation
        await wait_until(pilot, lambda: bool(b.docker.mutations()), timeout=10.0, what="the start reached host B")
        assert [path.rsplit("/", 1)[1] for _, path in b.docker.mutations()] == ["start?"]
        assert a.docker.mutations() == []
        assert b.container_id("db") in b.docker.mutations()[0][1]


async def test_events_of_each_host_refresh_that_hosts_rows() -> None:
    a, b = FakeHost(HOST_A, "web"), FakeHost(HOST_B, "db")
    app = app_of(a, b)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 2, timeout=10.0, what="both hosts listed")
        late = b.docker.add("late")
        b.docker.emit("create", late["Id"])
        await wait_until(pilot, lambda: row_key(HOST_B, late["Id"]) in _rows(app), timeout=10.0, what="B's new container shown")
        assert row_key(HOST_A, late["Id"]) not in _rows(app)
        b.docker.emit("destroy", b.container_id("db"))
        await wait_until(pilot, lambda: row_key(HOST_B, b.container_id("db")) not in _rows(app), timeout=10.0, what="B's row removed")
        assert row_key(HOST_A, a.container_id("web")) in _rows(app)


async def test_logs_detail_and_forms_get_the_rows_host(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = FakeHost(HOST_A, "web"), FakeHost(HOST_B, "db")
    app = app_of(a, b)
    pushed: list[Any] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 2, timeout=10.0, what="both hosts listed")
        monkeypatch.setattr(DtuiApp, "push_screen", lambda self, screen, *args, **kwargs: pushed.append(screen))
        table = _table(app)
        table.move_cursor(row=table.get_row_index(row_key(HOST_B, b.container_id("db"))))
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for action in ("logs", "duplicate", "scale", "export", "create"):
            await screen.run_action(action)
        assert [getattr(s, "host", None) for s in pushed] == [HOST_B, HOST_B, HOST_B, HOST_B, HOST_A]
        assert isinstance(pushed[0], LogScreen) and pushed[0].container.name == "db"
        screen.action_details()
        pane = screen.query_one(DetailPane)
        assert pane.host == HOST_B
        assert app.client_for(HOST_B) is not app.client_for(HOST_A)


def test_client_for_routes_by_host_and_refuses_strangers() -> None:
    a, b = FakeHost(HOST_A), FakeHost(HOST_B)
    app = app_of(a, b)
    assert app.client_for(None) is app.client is app.client_for(HOST_A)
    assert app.client_for(HOST_B).endpoint.host == HOST_B
    with pytest.raises(EngineUnreachable, match="not connected to unix:///elsewhere.sock"):
        app.client_for("unix:///elsewhere.sock")


# -- engines going away --------------------------------------------------------------------


async def test_a_host_going_down_marks_its_rows_only_and_recovers_by_itself() -> None:
    a, b = FakeHost(HOST_A, "web"), FakeHost(HOST_B, "db")
    app = app_of(a, b)
    web, db = row_key(HOST_A, a.container_id("web")), row_key(HOST_B, b.container_id("db"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 2, timeout=10.0, what="both hosts listed")
        b.transport.go_down()
        await wait_until(pilot, lambda: "1 down" in _status(app), timeout=10.0, what="B shown down")
        assert "/fake/b.sock disconnected - retrying" in _status(app)
        assert _state_cell(app, db) == "running?" and _table(app).is_stale(db)
        assert _state_cell(app, web) == "running" and not _table(app).is_stale(web)
        # host A stays live meanwhile
        late = a.docker.add("late")
        a.docker.emit("create", late["Id"])
        await wait_until(pilot, lambda: row_key(HOST_A, late["Id"]) in _rows(app), timeout=10.0, what="A still live")
        # one notification for the outage, whatever the number of retries
        await wait_until(pilot, lambda: b.transport.refused >= 2, timeout=10.0, what="B retried twice")
        assert len([m for m in _messages(app) if "b.sock" in m]) == 1
        # B returns with a container gone and one new: re-subscribed, then re-listed
        del b.docker.containers[b.container_id("db")]
        fresh = b.docker.add("fresh")
        b.transport.come_back()
        await wait_until(pilot, lambda: row_key(HOST_B, fresh["Id"]) in _rows(app), timeout=10, what="B re-listed")
        assert db not in _rows(app)
        assert "down" not in _status(app) and app.screen.query_one(StatusBar).connected
        assert not _table(app).is_stale(row_key(HOST_B, fresh["Id"]))
        assert b.docker.engine.paths("GET").count("/events") >= 2


async def test_a_link_dropping_silently_is_noticed_by_the_ping(monkeypatch: pytest.MonkeyPatch) -> None:
    """The event stream stays open but the engine no longer answers (a partition): the ping tells."""
    monkeypatch.setattr(live_feed, "PING_SECONDS", 0.05)
    a = FakeHost(HOST_A, "web")
    app = app_of(a)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 1, timeout=10.0, what="listed")
        pings = a.docker.engine.paths("HEAD").count("/_ping")
        await wait_until(pilot, lambda: a.docker.engine.paths("HEAD").count("/_ping") > pings + 1, timeout=10.0, what="pinged meanwhile")
        assert app.screen.query_one(StatusBar).connected
        a.transport.down = True  # no stream end: only the ping can find out
        await wait_until(pilot, lambda: "disconnected - retrying" in _status(app), timeout=10.0, what="noticed")
        a.transport.come_back()
        await wait_until(pilot, lambda: app.screen.query_one(StatusBar).connected, timeout=10.0, what="back")


async def test_an_unexpected_failure_while_watching_is_retried_not_fatal() -> None:
    a = FakeHost(HOST_A, "web")
    app = app_of(a)
    client = app.client_for(HOST_A)
    real_open = client.containers.open_events
    calls: list[int] = []

    def flaky_open(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("garbled stream")
        return real_open(*args, **kwargs)

    client.containers.open_events = flaky_open  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 1, timeout=10.0, what="listed on the second try")
        assert len(calls) == 2 and app.screen.query_one(StatusBar).connected
        assert any("RuntimeError: garbled stream" in m for m in _messages(app))


async def test_retries_follow_the_backoff_schedule_and_reset_on_success(monkeypatch: pytest.MonkeyPatch) -> None:
    delays: list[float] = []
    original = Feed._wait_to_retry

    async def quick(self: Feed[Any], error: EngineError | None, delay: float) -> None:
        delays.append(delay)
        await original(self, error, 0.01)

    monkeypatch.setattr(Feed, "_wait_to_retry", quick)
    a = FakeHost(HOST_A, "web")
    app = app_of(a)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 1, timeout=10.0, what="listed")
        a.transport.go_down()
        await wait_until(pilot, lambda: len(delays) >= 7, timeout=10.0, what="seven retries")
        assert delays[:7] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]
        a.transport.come_back()
        await wait_until(pilot, lambda: app.screen.query_one(StatusBar).connected, timeout=10.0, what="back")
        before = len(delays)
        a.transport.go_down()
        await wait_until(pilot, lambda: len(delays) >= before + 2, timeout=10.0, what="retrying again")
        assert delays[before:before + 2] == [0.5, 1.0]


async def test_single_host_status_counts_down_and_rows_dim() -> None:
    a = FakeHost(HOST_A, "web")
    app = app_of(a)
    key = row_key(HOST_A, a.container_id("web"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 1, timeout=10.0, what="listed")
        a.transport.go_down()
        await wait_until(pilot, lambda: "disconnected - retrying in" in _status(app), timeout=10.0, what="countdown shown")
        assert _status(app).startswith(" disconnected - retrying")
        cell = _table(app).get_cell(key, "state")
        assert "dim" in str(cell.style) and cell.plain == "running?"
        assert app.is_running and isinstance(app.screen, MainScreen)
        await pilot.press("a")  # still answers keys
        a.transport.come_back()
        await wait_until(pilot, lambda: "disconnected" not in _status(app), timeout=10.0, what="recovered")
        assert _state_cell(app, key) == "running"


async def test_overview_skips_a_down_host_and_resumes_on_return() -> None:
    a = FakeHost(HOST_A, "web")
    a.docker.engine.route("GET", "/containers/[^/]+/stats", handler=a.docker._stats)
    app = app_of(a)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(a.docker.stats_calls) >= 2, timeout=10.0, what="sampled")
        a.transport.go_down()
        await wait_until(pilot, lambda: not app.screen.query_one(StatusBar).connected, timeout=10.0, what="down")
        await pilot.pause(1.2)  # longer than the first sampling interval: nothing may be reported
        assert not any("stats" in m.lower() for m in _messages(app))
        sampled = len(a.docker.stats_calls)
        a.transport.come_back()
        await wait_until(pilot, lambda: len(a.docker.stats_calls) > sampled, timeout=10.0, what="sampling resumed")


async def test_detail_pane_stats_pause_quietly_while_down_and_resume_on_return() -> None:
    a, b = FakeHost(HOST_A, "other"), FakeHost(HOST_B, "web", id=detail_support.CID)
    for route in reversed(detail_support.fake_engine().routes[:4]):  # inspect, top, changes, stats
        b.docker.engine.routes.insert(0, route)
    app = app_of(a, b)
    key = row_key(HOST_B, detail_support.CID)
    stats_path = f"/containers/{detail_support.CID}/stats"
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: key in _rows(app), timeout=10.0, what="B listed")
        table = _table(app)
        table.move_cursor(row=table.get_row_index(key))
        await pilot.press("enter")
        pane = app.screen.query_one(DetailPane)
        pane.action_show_tab("stats")
        await wait_until(pilot, lambda: stats_path in b.docker.engine.paths("GET"), timeout=10.0, what="stats streamed from B")
        assert stats_path not in a.docker.engine.paths("GET")
        opened = b.docker.engine.paths("GET").count(stats_path)
        b.transport.go_down()
        await wait_until(pilot, lambda: "1 down" in _status(app), timeout=10.0, what="B down")
        await wait_until(pilot, lambda: not pane.query_one(StatsView).streaming, timeout=10.0, what="stats stream closed")
        assert pane.query_one("#detail-notice").display
        assert "disconnected - retrying" in str(pane.query_one("#detail-notice", Static).render())
        await wait_until(pilot, lambda: b.transport.refused >= 2, timeout=10.0, what="B retried")
        assert not any("stats" in m for m in _messages(app))
        b.transport.come_back()
        await wait_until(pilot, lambda: b.docker.engine.paths("GET").count(stats_path) > opened, timeout=10.0, what="stats resumed")
        assert not pane.query_one("#detail-notice").display and pane.query_one(StatsView).streaming


# -- the host switcher ----------------------------------------------------------------------


def _switcher(**kwargs: Any) -> HostSwitcher:
    connected = [HostEntry("unix:///fake/a.sock", "/fake/a.sock", CONNECTED, UP)]
    contexts = [DockerContext("prod", "tcp://10.0.0.5:2376", False, Path("/nonexistent"))]
    recent = ["ssh://me@box", "unix:///fake/a.sock", "context:prod"]
    return HostSwitcher(connected, recent, contexts, **kwargs)


class _SwitcherApp(App[None]):
    CSS_PATH = str(Path(dtui.ui.__file__).parent / "dtui.tcss")

    def __init__(self) -> None:
        super().__init__()
        self.results: list[HostChoice | None] = []

    def on_mount(self) -> None:
        self.push_screen(_switcher(), self.results.append)


async def _open_switcher(pilot: Pilot[Any]) -> HostSwitcher:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HostSwitcher), timeout=10.0, what="switcher open")
    screen = pilot.app.screen
    assert isinstance(screen, HostSwitcher)
    return screen


def test_switcher_lists_connected_then_contexts_then_recent_once_each() -> None:
    entries = _switcher().entries
    assert [(e.target, e.kind) for e in entries] == [
        ("unix:///fake/a.sock", "connected"), ("context:prod", "context"), ("ssh://me@box", "recent"),
    ]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["enter"], HostChoice(("unix:///fake/a.sock",))),
        (["down", "enter"], HostChoice(("context:prod",))),
        (["down", "space", "ctrl+s"], HostChoice(("unix:///fake/a.sock", "context:prod"))),
        (["space", "down", "down", "space", "ctrl+s"], HostChoice(("ssh://me@box",))),
        (["escape"], None),
    ],
)
async def test_switcher_answers(keys: list[str], expected: HostChoice | None) -> None:
    app = _SwitcherApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_switcher(pilot)
        await pilot.press(*keys)
        await wait_until(pilot, lambda: bool(app.results), timeout=10.0, what="answered")
        assert app.results == [expected]


async def test_switcher_takes_a_typed_address_and_refuses_a_bad_one() -> None:
    app = _SwitcherApp()
    async with app.run_test(size=(80, 24)) as pilot:
        switcher = await _open_switcher(pilot)
        switcher.query_one("#address", Input).focus()
        await pilot.press(*"ftp://x", "enter")
        await pilot.pause()
        assert app.results == [] and "unsupported" in str(switcher.query_one("#error").render())
        switcher.query_one("#address", Input).value = ""
        await pilot.press(*"tcp://10.1.1.1:2375", "enter")
        await wait_until(pilot, lambda: bool(app.results), timeout=10.0, what="answered")
        assert app.results == [HostChoice(("tcp://10.1.1.1:2375",))]


def test_address_problems() -> None:
    assert address_problem("unix:///run/docker.sock") == ""
    assert address_problem("ssh://me@box") == ""
    assert address_problem("context:prod") == ""
    assert address_problem("") and address_problem("ftp://x") and address_problem("context:")


async def test_H_switches_to_one_host_then_shows_two_together(tmp_path: Path) -> None:
    a, b = FakeHost(HOST_A, "web"), FakeHost(HOST_B, "db")
    state = tmp_path / "state" / "dtui" / "hosts"
    app = app_of(a, hosts_file=state, connector=lambda endpoint: b.client())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 1, timeout=10.0, what="A listed")
        await pilot.press("H")
        switcher = await _open_switcher(pilot)
        switcher.query_one("#address", Input).focus()
        await pilot.press(*HOST_B, "enter")
        await wait_until(pilot, lambda: _rows(app) == {row_key(HOST_B, b.container_id("db"))}, timeout=10.0, what="B alone")
        assert app.hosts == [HOST_B] and app.client_for(None).endpoint.host == HOST_B
        assert HOST_B in _status(app) and not _table(app).show_host
        assert load_recent(state) == [HOST_B, HOST_A]
        # H again: A is listed as recent; check it and show both
        await pilot.press("H")
        switcher = await _open_switcher(pilot)
        assert [e.target for e in switcher.entries] == [HOST_B, HOST_A]
        await pilot.press("down", "space", "ctrl+s")
        await wait_until(pilot, lambda: len(_rows(app)) == 2, timeout=10.0, what="both shown")
        assert app.hosts == [HOST_B, HOST_A] and _table(app).show_host and "2 hosts" in _status(app)


async def test_a_failed_switch_keeps_the_hosts_and_says_why() -> None:
    a = FakeHost(HOST_A, "web")
    gone = FakeHost(HOST_B)
    gone.transport.down = True
    app = app_of(a, connector=lambda endpoint: gone.client())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: len(_rows(app)) == 1, timeout=10.0, what="A listed")
        await pilot.press("H")
        switcher = await _open_switcher(pilot)
        switcher.query_one("#address", Input).focus()
        await pilot.press(*HOST_B, "enter")
        await wait_until(pilot, lambda: any("connecting to unix:///fake/b.sock" in m and "refused" in m
                                        for m in _messages(app)), timeout=10.0, what="the failure shown")
        assert app.hosts == [HOST_A] and _rows(app) == {row_key(HOST_A, a.container_id("web"))}
        assert app.screen.query_one(StatusBar).connected


async def test_hosts_key_is_in_the_palette_and_help() -> None:
    app = app_of(FakeHost(HOST_A))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Switch hosts, or show several hosts together" in titles
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert ("H", "Switch hosts, or show several hosts together") in list(screen.key_rows())


# -- the recent hosts file -----------------------------------------------------------------


def test_recent_hosts_are_kept_most_recent_first_and_capped(tmp_path: Path) -> None:
    path = tmp_path / "dtui" / "hosts"
    assert load_recent(path) == []
    for index in range(12):
        remember_recent(path, [f"tcp://h{index}:2375"])
    remember_recent(path, ["tcp://h5:2375"])
    recent = load_recent(path)
    assert len(recent) == 10 and recent[0] == "tcp://h5:2375" and recent[1] == "tcp://h11:2375"
    assert recent.count("tcp://h5:2375") == 1


def test_recent_hosts_survive_an_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert remember_recent(blocker / "dtui" / "hosts", ["tcp://a:1"]) == ["tcp://a:1"]
    assert remember_recent(None, ["tcp://a:1"]) == ["tcp://a:1"]

