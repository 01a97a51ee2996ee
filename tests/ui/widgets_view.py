"""A resource view built exactly as README "Adding a view" says, for the fake "widgets".

A column list, an action list, a list call and an event type; nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Footer, Input

from dtui.engine.client import EngineClient
from dtui.live.kind import Kind
from dtui.ui.views.actions import Action, ActionContext, ActionTable
from dtui.ui.views.screen import ResourceScreen, standard_actions
from dtui.ui.views.table import Column, ResourceTable, Sort


@dataclass(frozen=True, slots=True)
class Widget:
    """One widget as ``GET /widgets/json`` lists it."""

    id: str
    name: str
    colour: str
    pokes: int

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Widget:
        return cls(str(data["Id"]), str(data["Name"]), str(data["Colour"]), int(data["Pokes"]))


# 1. The columns.
class WidgetTable(ResourceTable[Widget]):
    COLUMNS = (
        Column("name", "Name", 20, text=lambda w: w.name),
        Column("colour", "Colour", 10, text=lambda w: w.colour, style=lambda w: w.colour),
        Column("pokes", "Pokes", text=lambda w: str(w.pokes)),
    )
    SORTS = {"name": Sort("name", lambda w: (w.name,)), "pokes": Sort("pokes", lambda w: (-w.pokes, w.name))}
    STATUS_COLUMN = "pokes"
    SEARCHED = (lambda w: w.colour, lambda w: w.id)


# 2. The actions.
async def poke(client: EngineClient, widget: Widget, context: ActionContext) -> None:
    await client._request("POST", f"/widgets/{widget.id}/poke")


WIDGET_ACTIONS = ActionTable("widgets", (
    *standard_actions("widgets"),
    Action("poke", "P", "Poke", "Poke the selected or marked widgets", "Widgets", mutating=True, show=True,
           call=poke, pending="poking", confirm="poke"),
), groups=("View", "Widgets"))


# 3. The list call and 4. the event type.
async def list_widgets(client: EngineClient) -> Sequence[Widget]:
    return [Widget.from_api(item) for item in await client._json("GET", "/widgets/json")]


WIDGETS = Kind(name="widgets", event_types=frozenset({"widget"}), list_all=list_widgets, id_of=lambda w: w.id)


class WidgetScreen(ResourceScreen[Widget]):
    ACTIONS: ClassVar[ActionTable] = WIDGET_ACTIONS
    NOUN: ClassVar[str] = "widgets"
    HELP_TITLE: ClassVar[str] = "Widgets: keys"

    def compose(self) -> ComposeResult:
        yield WidgetTable()
        yield Input(placeholder="quick filter", id="quick-filter")
        yield Footer()

    def kind(self) -> Kind[Widget]:
        return WIDGETS


class PushedWidgetScreen(WidgetScreen):
    """The same view opened on top of another (Esc goes back)."""

    CLOSES_ON_ESCAPE = True
