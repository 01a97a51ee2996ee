"""The view of tests/ui/widgets_view.py: lists, filters, marks, bulk action, read-only, live."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from dtui.ui.screens.modals import ConfirmScreen, HelpScreen
from dtui.ui.views.table import row_key
from tests.fakes import FakeWidgets
from tests.support.wait import wait_until
from tests.ui.screen_host import type_text
from dtui.ui.views.actions import open_screen
from tests.ui.widgets_view import PushedWidgetScreen, WidgetScreen, WidgetTable

HOST = "unix:///fake/docker.sock"
SIZE = (100, 30)


def _app(fake: FakeWidgets, **kwargs: Any) -> DtuiApp:
    return DtuiApp(endpoint=parse_host(HOST), client=fake.engine.client(HOST), first_screen=WidgetScreen, **kwargs)


def _table(app: DtuiApp) -> WidgetTable:
    return app.screen.query_one(WidgetTable)


def _names(app: DtuiApp) -> list[str]:
    table = _table(app)
    return [widget.name for key in table.visible_keys() if (widget := table.get(key)) is not None]


def _until(pilot: Any, condition: Callable[[], bool]) -> Any:
    return wait_until(pilot, condition, timeout=10)


async def test_lists_filters_marks_and_pokes_the_marked_with_one_confirmation() -> None:
    fake = FakeWidgets("alpha", "beta", "gamma")
    app = _app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: _names(app) == ["alpha", "beta", "gamma"])
        await pilot.press("slash")
        await type_text(pilot, "gm\n")  # fuzzy: g..m in "gamma"
        assert _names(app) == ["gamma"]
        await pilot.press("escape")
        assert _names(app) == ["alpha", "beta", "gamma"]
        await pilot.press("space", "up", "up", "space")  # the cursor stayed on gamma: marks gamma, alpha
        assert _table(app).marks == {row_key(HOST, "w-alpha"), row_key(HOST, "w-gamma")}
        await pilot.press("P")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await _until(pilot, lambda: sorted(fake.pokes) == ["w-alpha", "w-gamma"])
        assert not isinstance(app.screen, ConfirmScreen), "one question for both"
        await _until(pilot, lambda: _table(app).get_cell(row_key(HOST, "w-gamma"), "pokes").plain == "1")


async def test_read_only_refuses_the_mutating_action_and_hides_it() -> None:
    fake = FakeWidgets("alpha")
    app = _app(fake, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: _names(app) == ["alpha"])
        await pilot.press("P")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and fake.pokes == []
        screen = app.screen
        assert isinstance(screen, WidgetScreen)
        screen.run_on(screen.targets(), "poke", "poking", lambda client, object_id: client.ping())
        await _until(pilot, lambda: any("read-only" in str(n.message) for n in app._notifications))
        assert {r.method for r in fake.engine.requests} <= {"GET", "HEAD"}
        titles = {command.title for command in app.get_system_commands(screen)}
        assert "Re-list the widgets" in titles and "Poke the selected or marked widgets" not in titles


async def test_help_lists_the_declared_actions() -> None:
    app = _app(FakeWidgets("alpha"))
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: _names(app) == ["alpha"])
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("P", "Poke the selected or marked widgets") in app.screen.rows
        assert ("", "Widgets") in app.screen.rows


async def test_updates_live_from_events() -> None:
    fake = FakeWidgets("alpha")
    app = _app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: _names(app) == ["alpha"] and fake.subscribed())
        fake.add("delta", colour="red")
        fake.emit("create", "w-delta")
        await _until(pilot, lambda: _names(app) == ["alpha", "delta"])
        del fake.widgets["w-alpha"]
        fake.emit("destroy", "w-alpha")
        await _until(pilot, lambda: _names(app) == ["delta"])
        assert set(app.live.objects("widgets")) == {(HOST, "w-delta")}


async def test_a_view_opened_on_top_goes_back_on_escape_and_the_one_below_stays_live() -> None:
    fake = FakeWidgets("alpha")
    app = _app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: _names(app) == ["alpha"])
        below = app.screen
        open_screen("tests.ui.widgets_view:PushedWidgetScreen")(below)
        await _until(pilot, lambda: isinstance(app.screen, PushedWidgetScreen) and app.screen.is_mounted)
        await _until(pilot, lambda: _names(app) == ["alpha"])
        await pilot.press("escape")
        await _until(pilot, lambda: app.screen is below)
        await _until(pilot, fake.subscribed)
        fake.add("delta")
        fake.emit("create", "w-delta")
        await _until(pilot, lambda: _names(app) == ["alpha", "delta"])
