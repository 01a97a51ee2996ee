"""A detail pane for any resource view: tabs declared as data, each loaded in a worker.

A view declares its tabs once::

    IMAGE_TABS = (
        inspect_tab(lambda client, image: client.images.inspect(image.id), summary=image_summary),
        DetailTab("history", "History", load=load_history),   # returns Rows
    )

and its screen derives from :class:`DetailScreen` (``DETAIL_TABS = IMAGE_TABS``), adds
:func:`detail_actions` to its action table and composes ``self.detail_pane()`` after its
table. Enter opens the pane on the row under the cursor (it follows the cursor), ``z`` zooms
it full screen, Esc closes it. A tab's ``load`` gets the row's host client and the object and
returns a :class:`Document` (a searchable JSON tree, secret env values masked, as the
container Inspect tab shows), :class:`Rows` (a table) or plain ``str``. Only the shown tab
loads, in one exclusive worker per pane (the latest request wins); every text is sanitized.
The tabs and their content are :mod:`dtui.ui.views.detail_tabs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs

from dtui.core.hosts import client_for
from dtui.engine.errors import EngineError, NotFound
from dtui.ui.safe_text import safe_line
from dtui.ui.views.actions import Action
from dtui.ui.views.detail_tabs import Content, DetailTab, Document, TabBody
from dtui.ui.views.screen import ResourceScreen
from dtui.ui.views.table import split_row_key
from dtui.ui.widgets.detail_common import copy_and_report
from dtui.ui.worker_errors import ReportsWorkerErrors, report_error

T = TypeVar("T")

PANE_FOLLOW_SECONDS = 0.15
"""The pane follows the table cursor after it rests this long (no load per key repeat)."""
MAX_TABS = 5
"""Keys ``1``-``5`` show a tab; a pane declares at most this many."""


def detail_actions(noun: str) -> tuple[Action, ...]:
    """The keys a :class:`DetailScreen` adds to its action table (Enter, z)."""
    return (
        Action("details", "enter", "Details", f"Show the details of the selected {noun.rstrip('s')}"),
        Action("zoom_pane", "z", "Zoom pane", "Toggle the detail pane full screen"),
    )


@dataclass
class DetailLoaded(Message):
    """A tab's content arrived for the object of ``key``."""

    key: str
    tab: str
    content: Content


@dataclass
class DetailFailed(Message):
    """Loading a tab failed (NotFound: the object is gone)."""

    key: str
    tab: str
    error: EngineError


class ResourceDetail(ReportsWorkerErrors, Vertical):
    """The detail pane of a resource view: a title line and the declared tabs.

    Args:
        tabs: The tabs, in ``1``-``5`` key order.
        noun: What the objects are called ("image"), in notices.
        copy_id: What ``y`` copies when no value is focused (default: the row's object id).
    """

    HELP_GROUP: str
    """Help's heading of the pane's keys: "Image detail", "Volume detail"... (from ``noun``)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"show_tab_number({n})", f"Tab {n}", show=False, id=f"resource_detail.tab_{n}")
          for n in range(1, MAX_TABS + 1)),
        Binding("left", "cycle_tab(-1)", "Previous tab", show=False, id="resource_detail.previous_tab"),
        Binding("right", "cycle_tab(1)", "Next tab", show=False, id="resource_detail.next_tab"),
        Binding("slash", "search", "Search", id="resource_detail.search"),
        Binding("f3,ctrl+n", "next_match", "Next match", id="resource_detail.next_match"),
        Binding("v", "reveal", "Reveal env", id="resource_detail.reveal"),
        Binding("y", "copy", "Copy", id="resource_detail.copy"),
        Binding("escape", "close_search", "Close search", id="resource_detail.close_search"),
    ]

    DEFAULT_CSS = """
    ResourceDetail { height: 1fr; border-top: solid $primary; }
    ResourceDetail:focus-within { border-top: solid $accent; }
    ResourceDetail #resource-detail-title { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    ResourceDetail #resource-detail-notice { height: auto; padding: 0 1; background: $warning-muted; display: none; }
    ResourceDetail TabbedContent { height: 1fr; }
    ResourceDetail TabPane { padding: 0; height: 1fr; }
    """

    def __init__(
        self,
        tabs: Sequence[DetailTab],
        *,
        noun: str = "object",
        copy_id: Callable[[Any], str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.copy_id = copy_id
        if not 0 < len(tabs) <= MAX_TABS or len({tab.id for tab in tabs}) != len(tabs):
            raise ValueError(f"a detail pane needs 1 to {MAX_TABS} tabs with distinct ids")
        self.tabs = tuple(tabs)
        self.noun = noun
        self.HELP_GROUP = f"{noun[:1].upper()}{noun[1:]} detail"
        self.key: str | None = None
        self.item: Any = None
        self.engine_host: str | None = None
        self.tabs_mounted = False
        self._mounting = False

    def compose(self) -> ComposeResult:
        yield Static(Text(f"no {self.noun} selected"), id="resource-detail-title")
        yield Static(Text(""), id="resource-detail-notice")
        # The tabs are mounted when the pane first shows an object: a view's first paint
        # stays light (most visits never open the pane).

    async def _mount_tabs(self) -> None:
        tabbed = TabbedContent(initial=self.tabs[0].id)
        for number, tab in enumerate(self.tabs, 1):
            tabbed.compose_add_child(TabPane(f"{number} {tab.title}", TabBody(tab, id=f"body-{tab.id}"), id=tab.id))
        await self.mount(tabbed)
        self.tabs_mounted = True
        self._show_current()
        if self.has_focus_within or self.screen.has_class("-pane-full"):
            self.call_after_refresh(self.focus_content)

    # -- the screen's API --------------------------------------------------------------

    def show_object(self, key: str, item: Any, title: Text) -> None:
        """Show the object of row ``key`` (the same key again only updates the title)."""
        self.query_one("#resource-detail-title", Static).update(title)
        self.item = item
        if key == self.key:
            return
        self.key = key
        self.engine_host = split_row_key(key)[0]
        self.query_one("#resource-detail-notice").display = False
        if self.tabs_mounted:
            self._show_current()
        elif not self._mounting:
            self._mounting = True
            self.call_later(self._mount_tabs)

    def _show_current(self) -> None:
        for body in self.query(TabBody):
            body.reset()
        self.load_active()

    @property
    def active_tab(self) -> str:
        """The id of the shown tab (the first until the tabs are mounted)."""
        return self.query_one(TabbedContent).active if self.tabs_mounted else self.tabs[0].id

    def body(self, tab: str) -> TabBody:
        """The body of a tab."""
        return self.query_one(f"#body-{tab}", TabBody)

    def load_active(self, *, again: bool = False) -> None:
        """Load the shown tab unless it already shows the current object."""
        if not self.tabs_mounted:
            return
        body = self.body(self.active_tab)
        if self.key is None or (body.loaded_for == self.key and not again):
            return
        body.loaded_for = self.key  # asked: a tab switch back does not ask twice
        self._load(self.key, body.tab, self.item)

    @work(exclusive=True, group="resource-detail", exit_on_error=False)
    async def _load(self, key: str, tab: DetailTab, item: Any) -> None:
        """Load one tab (exclusive: the latest object or tab wins)."""
        client = client_for(self.app, split_row_key(key)[0])
        try:
            content = await tab.load(client, item)
        except EngineError as error:
            self.post_message(DetailFailed(key, tab.id, error))
            return
        self.post_message(DetailLoaded(key, tab.id, content))

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        message.stop()
        if message.key == self.key:
            self.body(message.tab).show_content(message.key, message.content)
            if message.tab == self.active_tab and isinstance(self.screen.focused, Tabs) and self.has_focus_within:
                self.call_after_refresh(self.focus_content)  # focus follows into the tab once it has content

    def on_detail_failed(self, message: DetailFailed) -> None:
        message.stop()
        if message.key != self.key:
            return
        body = self.body(message.tab)
        body.loaded_for = None  # try again when shown next time
        if isinstance(message.error, NotFound):
            body.say(f"this {self.noun} no longer exists")
            notice = self.query_one("#resource-detail-notice", Static)
            notice.update(Text(f"This {self.noun} no longer exists (removed).", style="bold"))
            notice.display = True
            return
        body.say(f"{message.tab} failed")
        report_error(self, message.error, f"loading the {self.noun}'s {message.tab}")

    def focus_content(self) -> None:
        """Focus the shown tab's content (its tab bar when it has none)."""
        if not self.tabs_mounted:
            return
        target = self.body(self.active_tab).focus_target
        (target or self.query_one(TabbedContent).query_one(Tabs)).focus()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.refresh_bindings()
        self.load_active()
        if self.has_focus_within:
            self.call_after_refresh(self.focus_content)

    # -- keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing in the shown tab are hidden (Esc bubbles up without a search)."""
        if not self.tabs_mounted:
            return action not in ("close_search", "search", "next_match", "reveal", "show_tab_number")
        body = self.body(self.active_tab)
        if action == "close_search":
            return body.search_open
        if action in ("search", "next_match", "reveal"):
            return isinstance(body.content, Document)
        if action == "show_tab_number":
            return bool(parameters) and isinstance(parameters[0], int) and parameters[0] <= len(self.tabs)
        return True

    def action_show_tab(self, tab: str) -> None:
        """Show a tab by id."""
        if not self.tabs_mounted:
            return
        if self.has_focus_within:
            self.screen.set_focus(self.query_one(TabbedContent).query_one(Tabs))
        self.query_one(TabbedContent).active = tab

    def action_show_tab_number(self, number: int) -> None:
        """Show the n-th tab."""
        if 1 <= number <= len(self.tabs):
            self.action_show_tab(self.tabs[number - 1].id)

    def action_cycle_tab(self, step: int) -> None:
        """Show the previous (-1) or next (1) tab, wrapping round."""
        ids = [tab.id for tab in self.tabs]
        self.action_show_tab(ids[(ids.index(self.active_tab) + step) % len(ids)])

    def action_search(self) -> None:
        """Open the search of a document tab."""
        self.body(self.active_tab).open_search()
        self.refresh_bindings()

    def action_next_match(self) -> None:
        """Jump to the next search match."""
        self.body(self.active_tab).next_match()

    def action_close_search(self) -> None:
        """Close the open search."""
        self.body(self.active_tab).close_search()
        self.refresh_bindings()

    def action_reveal(self) -> None:
        """Reveal (or mask again) secret env values."""
        revealed = self.body(self.active_tab).toggle_reveal()
        self.app.notify("Secret env values revealed" if revealed else "Secret env values masked", markup=False)

    def action_copy(self) -> None:
        """Copy the focused value, else the object's id (OSC 52)."""
        if self.key is None:
            return
        value = self.body(self.active_tab).copy_text() if self.tabs_mounted else None
        what = "value"
        if value is None:
            value = self.copy_id(self.item) if self.copy_id is not None else split_row_key(self.key)[1]
            what = "id"
        copy_and_report(self, value, what)


class DetailScreen(ResourceScreen[T], Generic[T]):
    """A resource screen with a :class:`ResourceDetail` pane under its table.

    Declare ``DETAIL_TABS``, put :func:`detail_actions` in ``ACTIONS`` and yield
    :meth:`detail_pane` after the table in ``compose``. Override :meth:`detail_title` for a
    richer title line.
    """

    DETAIL_TABS: ClassVar[tuple[DetailTab, ...]] = ()

    def __init__(self) -> None:
        super().__init__()
        self._pane_timer: Timer | None = None

    def detail_pane(self) -> ResourceDetail:
        """The pane to compose (id ``detail``)."""
        return ResourceDetail(self.DETAIL_TABS, noun=self.NOUN.rstrip("s"), copy_id=self.copy_id, id="detail")

    def copy_id(self, item: T) -> str:
        """What the pane's ``y`` copies when no value is focused (the object's id)."""
        return self.table.id_of(item)

    @property
    def detail(self) -> ResourceDetail:
        """The detail pane."""
        return self.query_one(ResourceDetail)

    @property
    def pane_open(self) -> bool:
        """True while the pane shows."""
        return self.has_class("-pane-open")

    def detail_title(self, item: T) -> Text:
        """The pane's title line for an object (sanitized)."""
        title = Text("▶ ", style="bold")
        title.append_text(safe_line(self.table.name_of(item), style="bold", max_length=80))
        return title

    def action_details(self) -> None:
        """Open the pane on the object under the cursor."""
        key = self.table.cursor_key
        item = self.table.get(key) if key else None
        if key is None or item is None:
            return
        self.add_class("-pane-open")
        self.detail.show_object(key, item, self.detail_title(item))

    def action_zoom_pane(self) -> None:
        """Toggle the pane full screen (opening it if needed)."""
        if not self.pane_open:
            self.action_details()
        if self.pane_open:
            self.toggle_class("-pane-full")
            if self.has_class("-pane-full"):
                self.detail.focus_content()
            else:
                self.table.focus()

    def escape_target(self) -> str | None:
        """The quick filter, else the pane, else the marks, else back."""
        target = super().escape_target()
        if target != "quick_filter" and self.pane_open:
            return "pane"
        return target

    def action_escape(self) -> None:
        """Close the quick filter, else the pane, else clear marks, else go back."""
        if self.escape_target() == "pane":
            self.remove_class("-pane-open", "-pane-full")
            self.table.focus()
            return
        super().action_escape()

    @on(DataTable.RowSelected)
    def _detail_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table is self.table:
            event.stop()
            self.action_details()

    @on(DataTable.RowHighlighted)
    def _detail_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is not self.table or not self.pane_open:
            return
        if self._pane_timer is not None:
            self._pane_timer.stop()
        self._pane_timer = self.set_timer(PANE_FOLLOW_SECONDS, self._pane_follow)

    def _pane_follow(self) -> None:
        self._pane_timer = None
        if self.pane_open:
            self.action_details()
