"""The generic detail pane (dtui/ui/views/detail.py) on the fake "widgets" view."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
from textual.app import ComposeResult
from textual.widgets import DataTable, Footer, Input

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.live.kind import Kind
from dtui.ui.app import DtuiApp
from dtui.ui.screens.modals import HelpScreen
from dtui.ui.views.actions import ActionTable
from dtui.ui.views.detail import DetailScreen, ResourceDetail, detail_actions
from dtui.ui.views.detail_tabs import Content, DetailTab, Rows, inspect_tab
from dtui.ui.views.table import row_key
from dtui.ui.widgets.json_tree import JsonTree
from tests.fakes import FakeWidgets
from tests.support.wait import wait_until
from tests.ui.screen_host import type_text
from tests.ui.widgets_view import WIDGET_ACTIONS, WIDGETS, Widget, WidgetTable

HOST = "unix:///fake/docker.sock"
HOSTILE = "evil\x1b[31m\x1b]0;pwned\x07[bold]x[/bold]"
GATES: dict[str, asyncio.Event] = {}
LOADS: list[str] = []


async def _inspect(client: EngineClient, widget: Widget) -> Any:
    LOADS.append(widget.id)
    gate = GATES.get(widget.id)
    if gate is not None:
        await gate.wait()
    return await client._json("GET", f"/widgets/{widget.id}/json")


async def _history(client: EngineClient, widget: Widget) -> Content:
    return Rows(("Step", "Command"), (("1", f"poke {widget.name}"), ("2", HOSTILE)))


class DetailWidgetScreen(DetailScreen[Widget]):
    ACTIONS: ClassVar[ActionTable] = WIDGET_ACTIONS.plus(*detail_actions("widgets"), before="help")
    NOUN: ClassVar[str] = "widgets"
    DETAIL_TABS: ClassVar[tuple[DetailTab, ...]] = (
        inspect_tab(_inspect, summary=lambda raw: [("Name", str(raw.get("Name"))), ("Colour", HOSTILE)]),
        DetailTab("history", "History", _history),
    )

    def compose(self) -> ComposeResult:
        yield WidgetTable()
        yield self.detail_pane()
        yield Input(placeholder="quick filter", id="quick-filter")
        yield Footer()

    def kind(self) -> Kind[Widget]:
        return WIDGETS


def _app() -> tuple[FakeWidgets, DtuiApp]:
    fake = FakeWidgets("alpha", "beta")

    def inspect(request: httpx.Request) -> httpx.Response:
        widget_id = request.url.path.split("/")[-2]
        if widget_id not in fake.widgets:
            return httpx.Response(404, json={"message": f"no such widget: {widget_id}"})
        return httpx.Response(200, json={**fake.widgets[widget_id], "Config": {"Env": ["API_TOKEN=s3cret", "A=1"]},
                                         "Note": HOSTILE})

    fake.engine.route("GET", "/widgets/[^/]+/json", handler=inspect)
    app = DtuiApp(endpoint=parse_host(HOST), client=fake.engine.client(HOST), first_screen=DetailWidgetScreen)
    return fake, app


def _until(pilot: Any, condition: Callable[[], object]) -> Any:
    return wait_until(pilot, condition, timeout=10)


def _labels(app: DtuiApp) -> list[str]:
    tree = app.screen.query_one("#body-inspect").query_one(JsonTree)
    return [node.data.key + "=" + tree.label_for(node.data).plain for node in tree.walk() if node.data]


async def test_enter_opens_the_tabs_searches_zooms_and_escape_closes() -> None:
    LOADS.clear()
    _, app = _app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, DetailWidgetScreen)
        await _until(pilot, lambda: screen.table.row_count == 2)
        pane = screen.query_one(ResourceDetail)
        assert not pane.display or not screen.pane_open
        await pilot.press("enter")
        await _until(pilot, lambda: pane.body("inspect").loaded_for and pane.body("inspect").content is not None)
        labels = _labels(app)
        assert any(label.startswith("Name=Name: alpha") for label in labels)
        assert not any("\x1b" in label or "\x07" in label for label in labels), "controls stripped"
        assert not any("s3cret" in label for label in labels), "secret env masked"
        summary = pane.body("inspect").query_one(".-summary").render()
        assert "\x1b" not in str(summary) and "[bold]x[/bold]" in str(summary), "markup shown as text"
        await pilot.press("tab")  # focus into the pane
        await _until(pilot, lambda: pane.has_focus_within)
        await pilot.press("slash")
        await type_text(pilot, "colour\n")
        assert pane.body("inspect").search.matches
        await pilot.press("escape")  # closes the search, not the pane
        assert not pane.body("inspect").search_open and screen.pane_open
        await pilot.press("2")
        history = pane.body("history")
        await _until(pilot, lambda: history.content is not None)
        table = history.query_one(DataTable)
        assert table.row_count == 2 and "\x1b" not in table.get_row_at(1)[1].plain
        await pilot.press("z")
        assert screen.has_class("-pane-full") and not screen.table.display
        await pilot.press("z")
        assert not screen.has_class("-pane-full")
        assert LOADS == ["w-alpha"], "each tab loads once per object"
        screen.table.focus()
        await pilot.press("escape")
        assert not screen.pane_open


async def test_the_pane_follows_the_cursor_and_the_latest_request_wins() -> None:
    LOADS.clear()
    GATES.clear()
    GATES["w-alpha"] = asyncio.Event()  # alpha's inspect hangs until released
    _, app = _app()
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            screen = app.screen
            assert isinstance(screen, DetailWidgetScreen)
            await _until(pilot, lambda: screen.table.row_count == 2)
            await pilot.press("enter")
            await _until(pilot, lambda: LOADS == ["w-alpha"])
            await pilot.press("down")
            body = screen.detail.body("inspect")
            await _until(pilot, lambda: body.content is not None)
            assert body.loaded_for == row_key(HOST, "w-beta")
            assert any(label.startswith("Name=Name: beta") for label in _labels(app))
            GATES["w-alpha"].set()  # the cancelled load never comes back
            await pilot.pause(0.2)
            assert body.loaded_for == row_key(HOST, "w-beta")
    finally:
        GATES.clear()


async def test_a_removed_object_says_so() -> None:
    fake, app = _app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, DetailWidgetScreen)
        await _until(pilot, lambda: screen.table.row_count == 2)
        del fake.widgets["w-alpha"]
        await pilot.press("enter")
        notice = screen.query_one("#resource-detail-notice")
        await _until(pilot, lambda: notice.display)
        assert "no longer exists" in str(notice.render())


async def test_help_lists_the_keys_of_the_focused_pane_grouped() -> None:
    _, app = _app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, DetailWidgetScreen)
        await _until(pilot, lambda: screen.table.row_count == 2)
        await pilot.press("enter")
        pane = screen.query_one(ResourceDetail)
        await _until(pilot, lambda: pane.body("inspect").content is not None)
        await pilot.press("tab")
        await _until(pilot, lambda: pane.has_focus_within)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = help_screen.rows
        headings = [description for key, description in rows if not key]
        assert headings[0] == "Resource detail (focused)"
        pane_rows = rows[1:rows.index(("", headings[1]))]
        assert ("/", "Search") in pane_rows and ("y", "Copy") in pane_rows and ("v", "Reveal env") in pane_rows
        assert ("1-2", "Show the tab of that number") in pane_rows  # two tabs: 3-9 do nothing here
        assert not any(key == "/" for key, _ in rows[len(pane_rows) + 1:]), "the pane's / is not the quick filter"
        assert any(description.startswith("Show the details") for _, description in rows)  # the screen's keys too
        await pilot.press("escape")
        screen.table.focus()
        await pilot.press("question_mark")
        rows = app.screen.rows  # type: ignore[attr-defined]
        assert ("/", "Quick filter") in rows or any(key == "/" for key, _ in rows)
        assert ("home", "First row") in rows and ("end", "Last row") in rows
        assert not any(description == "Search" for _, description in rows), "the pane's keys only when it has focus"
