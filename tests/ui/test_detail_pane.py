"""The detail pane against a FakeEngine: each tab, keys, hostile text, masking, errors."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.widgets import DataTable, Input, Static, TabbedContent

from dtui.ui.widgets.changes_view import ChangesView
from dtui.ui.widgets.detail_pane import DetailPane
from dtui.ui.widgets.inspect_view import InspectView
from dtui.ui.widgets.json_tree import JsonTree
from dtui.ui.widgets.stats_panel import FixedSparkline, StatsView
from dtui.ui.widgets.top_view import TopView
from dtui.engine.models import ContainerSummary
from tests.fakes import FakeEngine, container_json
from tests.ui.detail_support import (
    CID,
    HOSTILE_LABEL,
    HOSTILE_VALUE,
    PaneApp,
    fake_engine,
    summary,
)


def _static_text(app: PaneApp, selector: str) -> str:
    content = app.query_one(selector, Static).visual
    return str(content)


def _tree_labels(app: PaneApp) -> list[Text]:
    tree = app.query_one(JsonTree)
    return [node.label for node in tree.walk()]


async def _settle(pilot, delay: float = 0.2) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(delay)
    await pilot.pause()


async def test_inspect_summary_and_tree_render_hostile_text_literally() -> None:
    app = PaneApp(fake_engine().client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        summary_text = _static_text(app, "#inspect-summary")
        assert f"Labels   {HOSTILE_LABEL}={HOSTILE_VALUE}, tier=web" in summary_text
        assert "Image    busybox:latest" in summary_text
        assert "Command  sh -c 'sleep 600'" in summary_text
        assert "State    running · health: healthy · restart: unless-stopped" in summary_text
        assert "Ports    127.0.0.1:32768->80/tcp" in summary_text
        assert "IPs      bridge 172.17.0.2" in summary_text
        plains = [label.plain for label in _tree_labels(app)]
        assert f"{HOSTILE_LABEL}: {HOSTILE_VALUE}" in plains
        assert f"[3]: HOSTILE={HOSTILE_VALUE}" in plains
        # The label is literal Text: no click action was parsed out of it, app still runs.
        hostile = next(label for label in _tree_labels(app) if label.plain.startswith(HOSTILE_LABEL))
        assert all("@click" not in str(span.style) for span in hostile.spans)
        assert app.is_running
        assert app.focused is app.query_one(JsonTree)


async def test_secret_env_masked_until_v_and_again_after() -> None:
    app = PaneApp(fake_engine().client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        plains = [label.plain for label in _tree_labels(app)]
        assert "[1]: DB_PASSWORD=••••••••" in plains
        assert "[2]: api_token=••••••••" in plains
        assert "[0]: PATH=/usr/bin:/bin" in plains
        assert not any("hunter2" in p or "t0k3n" in p for p in plains)
        await pilot.press("v")
        plains = [label.plain for label in _tree_labels(app)]
        assert "[1]: DB_PASSWORD=hunter2" in plains
        assert "[2]: api_token=t0k3n" in plains
        await pilot.press("v")
        assert not any("hunter2" in label.plain for label in _tree_labels(app))


async def test_search_finds_nodes_next_match_and_escape_closes_search_first() -> None:
    app = PaneApp(fake_engine().client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        inspect = app.query_one(InspectView)
        await pilot.press("slash")
        search = app.query_one("#inspect-search", Input)
        assert app.focused is search
        assert search.value == ""  # the "/" did not land in the box
        await pilot.press(*"web")
        await _settle(pilot, 0.05)
        tree = app.query_one(JsonTree)
        assert tree.cursor_node is not None and tree.cursor_node.label.plain == "Name: /web"
        assert _static_text(app, "#inspect-matches") == "1/2"
        await pilot.press("enter")
        await _settle(pilot, 0.05)
        assert app.focused is tree
        await pilot.press("f3")
        assert tree.cursor_node.label.plain == "tier: web"
        assert _static_text(app, "#inspect-matches") == "2/2"
        await pilot.press("ctrl+n")
        assert tree.cursor_node.label.plain == "Name: /web"
        # Masked values are not searchable.
        await pilot.press("slash", *"hunter")
        await _settle(pilot, 0.05)
        assert _static_text(app, "#inspect-matches") == "no match"
        await pilot.press("escape")
        await _settle(pilot, 0.05)
        assert not inspect.search_open
        assert search.value == ""
        # With no search open, Esc is not the pane's: its binding is disabled so it bubbles.
        pane = app.query_one(DetailPane)
        assert pane.check_action("close_search", ()) is False


async def test_copy_selected_value_and_container_id() -> None:
    app = PaneApp(fake_engine().client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("y")  # cursor on the first node: Id
        assert app.clipboard == CID
        tree = app.query_one(JsonTree)
        secret = next(n for n in tree.walk() if n.data is not None and n.data.secret)
        tree.reveal_node(secret)
        await pilot.press("y")
        assert app.clipboard == CID  # still masked: not copied
        await pilot.press("v", "y")
        assert app.clipboard == "DB_PASSWORD=hunter2"
        await pilot.press("2", "y")
        await _settle(pilot, 0.05)
        assert app.clipboard == CID


async def test_tabs_switch_with_digits_and_arrows_and_load_when_activated() -> None:
    engine = fake_engine()
    app = PaneApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        tabs = app.query_one(TabbedContent)
        assert tabs.active == "inspect"
        assert not any(p.endswith("/top") or p.endswith("/changes") for p in engine.paths())
        await pilot.press("3")
        await _settle(pilot)
        assert tabs.active == "changes"
        assert app.focused is app.query_one(ChangesView).focus_target
        assert engine.paths()[-1] == f"/containers/{CID}/changes"
        await pilot.press("right")
        await _settle(pilot)
        assert tabs.active == "stats"
        await pilot.press("right")
        await _settle(pilot)
        assert tabs.active == "inspect"
        await pilot.press("left")
        await _settle(pilot)
        assert tabs.active == "stats"
        await pilot.press("2")
        await _settle(pilot)
        assert tabs.active == "top"
        await pilot.press("left")  # the process table leaves Left/Right to the pane
        await _settle(pilot)
        assert tabs.active == "inspect"


async def test_top_lists_processes_refreshes_and_stops_when_hidden() -> None:
    engine = fake_engine()
    app = PaneApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        top = app.query_one(TopView)
        top.refresh_seconds = 2.0
        await pilot.press("2")
        await _settle(pilot)
        grid = app.query_one("#top-table", DataTable)
        assert [str(c.label) for c in grid.columns.values()][:2] == ["UID", "PID"]
        assert grid.row_count == 2
        assert grid.get_row_at(1)[-1].plain == f"sh -c echo {HOSTILE_LABEL}"
        assert top.refreshing
        await pilot.press("1")
        await _settle(pilot)
        assert not top.refreshing
        calls = engine.paths().count(f"/containers/{CID}/top")
        await asyncio.sleep(2.3)
        assert engine.paths().count(f"/containers/{CID}/top") == calls


async def test_top_refreshes_every_interval_while_visible() -> None:
    engine = fake_engine()
    app = PaneApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        app.query_one(TopView)._timer.stop()  # type: ignore[union-attr]
        app.query_one(TopView)._timer = app.query_one(TopView).set_interval(  # a fast cadence for the test
            0.2, app.query_one(TopView)._tick, pause=True
        )
        await pilot.press("2")
        await pilot.pause(0.75)
        assert engine.paths().count(f"/containers/{CID}/top") >= 3


async def test_stopped_container_top_says_not_running() -> None:
    app = PaneApp(fake_engine(running=False).client(), summary("exited"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await _settle(pilot)
        assert _static_text(app, "#top-message") == "not running"
        assert not app.query_one("#top-table", DataTable).display
        assert app.errors == []


async def test_changes_lettered_sorted_filterable() -> None:
    app = PaneApp(fake_engine().client())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await _settle(pilot)
        lines = _static_text(app, "#changes-list-text").splitlines()
        assert lines == ["D /etc/old.conf", "C /tmp", f"A /tmp/{HOSTILE_LABEL}", "A /tmp/new.txt"]
        await pilot.press("slash")
        assert app.focused is app.query_one("#changes-filter", Input)
        await pilot.press(*"NEW")
        await _settle(pilot, 0.05)
        assert _static_text(app, "#changes-list-text").splitlines() == ["A /tmp/new.txt"]
        await pilot.press("escape")
        await _settle(pilot, 0.05)
        assert app.query_one("#changes-filter", Input).value == ""
        assert len(_static_text(app, "#changes-list-text").splitlines()) == 4


async def test_changes_null_means_no_changes() -> None:
    engine = fake_engine()
    engine.route("GET", f"/containers/{CID}/changes", content=b"null", headers={"Content-Type": "application/json"})
    app = PaneApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await _settle(pilot)
        assert _static_text(app, "#changes-list-text") == "no changes"


async def test_stats_stream_fills_fixed_scale_sparklines_and_stops_when_left() -> None:
    engine = fake_engine()
    app = PaneApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await _settle(pilot, 0.4)
        stats = app.query_one(StatsView)
        assert stats.streaming
        assert _static_text(app, "#value-cpu") == "50.0% / 200%"
        assert _static_text(app, "#value-mem") == "64.0MiB / 256.0MiB 25.0%"
        assert _static_text(app, "#value-net-rx") == "2.0KiB/s"
        assert _static_text(app, "#value-pids") == "4"
        cpu = app.query_one("#spark-cpu", FixedSparkline)
        assert cpu.maximum == 200.0
        assert list(cpu.points)[:2] == [None, 50.0]
        assert len(cpu.points) == 12
        assert str(cpu.render()).rstrip().endswith("▂" * 11)
        await pilot.press("1")
        await _settle(pilot)
        assert not stats.streaming
        assert not any(w.group == "detail-stats" and w.is_running for w in app.workers)


async def test_removed_container_leaves_a_notice_not_an_error() -> None:
    engine = FakeEngine()
    for path in ("json", "top", "changes", "stats"):
        engine.route("GET", f"/containers/{CID}/{path}", status=404, json={"message": f"No such container: {CID}"})
    app = PaneApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        notice = app.query_one("#detail-notice", Static)
        assert notice.display
        assert "no longer exists" in str(notice.visual)
        await pilot.press("2")
        await _settle(pilot)
        assert _static_text(app, "#top-message") == "container removed"
        assert app.errors == []


async def test_show_container_switches_and_ignores_stale_answers() -> None:
    engine = fake_engine()
    other = "beef" + "0" * 60
    engine.route("GET", f"/containers/{other}/json", json={"Id": other, "Name": "/db", "Config": {"Env": None}})
    app = PaneApp(engine.client())
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        pane = app.query_one(DetailPane)
        pane.show_container(ContainerSummary.from_api(container_json("db", id=other)))
        await _settle(pilot)
        plains = [label.plain for label in _tree_labels(app)]
        assert plains[:2] == [f"Id: {other}", "Name: /db"]
        assert "▶ db" in _static_text(app, "#detail-title")
