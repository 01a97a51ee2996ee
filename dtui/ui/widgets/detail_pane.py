"""The detail pane: Inspect, Top, Changes and Stats of one container, in tabs.

The main screen mounts it on the first Enter (a pane never opened costs nothing at start-up),
calls `DetailPane.show_container` on each Enter and hides it on Esc. The tab views are mounted
on the first container shown. Each tab loads when it becomes visible and stops its timer or
stream when hidden (Textual's Show/Hide events), so a hidden pane costs nothing. Keys bound
here act only while focus is inside the pane; Esc first closes an open search, otherwise it
bubbles up to the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane, Tabs

from dtui.engine.models import ContainerSummary
from dtui.ui.safe_text import safe_line
from dtui.ui.widgets.detail_common import ContainerGone, ContainerTab, copy_and_report
from dtui.ui.widgets.stats_panel import StatsView
from dtui.ui.widgets.top_view import DEFAULT_PS_ARGS, TopView

if TYPE_CHECKING:  # loaded with the tab views, on the first container shown
    from dtui.ui.widgets.changes_view import ChangesView
    from dtui.ui.widgets.inspect_view import InspectView



@dataclass(frozen=True, slots=True)
class TabSpec:
    """One tab of the pane, declared once (its widget, title, key and what it offers).

    Attributes:
        id: The tab's id (``show_tab('<id>')``, binding id ``detail.tab_<id>``).
        title: Its title; the tab bar shows it after its number key.
        make: Builds the tab's widget for the pane (called when the pane first shows a container).
        searchable: ``/`` searches it.
        reveals: ``v`` and ``F3`` apply (masked env values, next match).
    """

    id: str
    title: str
    make: Callable[[DetailPane], ContainerTab]
    searchable: bool = False
    reveals: bool = False


def _make_inspect(pane: DetailPane) -> ContainerTab:
    return _inspect_view()(id="inspect-view")


def _make_changes(pane: DetailPane) -> ContainerTab:
    return _changes_view()(id="changes-view")


TAB_SPECS = (
    TabSpec("inspect", "Inspect", _make_inspect, searchable=True, reveals=True),
    TabSpec("top", "Top", lambda pane: TopView(ps_args=pane.ps_args, id="top-view")),
    TabSpec("changes", "Changes", _make_changes, searchable=True),
    TabSpec("stats", "Stats", lambda pane: StatsView(id="stats-view")),
)
TABS = tuple(spec.id for spec in TAB_SPECS)
"""Tab ids, in the order of the ``1``-``4`` keys."""
_SPEC = {spec.id: spec for spec in TAB_SPECS}


class DetailPane(Vertical):
    """Inspect / top / changes / stats of the selected container.

    Args:
        ps_args: ``ps`` arguments for the Top tab.
    """

    HELP_GROUP: ClassVar[str] = "Container detail"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(number), f"show_tab('{spec.id}')", spec.title, show=False, id=f"detail.tab_{spec.id}")
          for number, spec in enumerate(TAB_SPECS, start=1)),
        Binding("left", "cycle_tab(-1)", "Previous tab", show=False, id="detail.previous_tab"),
        Binding("right", "cycle_tab(1)", "Next tab", show=False, id="detail.next_tab"),
        Binding("slash", "search", "Search", id="detail.search"),
        Binding("f3,ctrl+n", "next_match", "Next match", id="detail.next_match"),
        Binding("v", "reveal", "Reveal env", id="detail.reveal"),
        Binding("y", "copy", "Copy", id="detail.copy"),
        Binding("escape", "close_search", "Close search", id="detail.close_search"),
    ]

    def __init__(
        self,
        *,
        ps_args: str = DEFAULT_PS_ARGS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.ps_args: str = ps_args
        self.container: ContainerSummary | None = None
        self.engine_host: str | None = None  # the tabs ask this host's engine (None: the current one)
        self._reachable = True
        self._tabs_ready = False  # the tabs are mounted (built on the first container shown)
        self._tabs_building = False
        self._focus_when_ready = False  # focus_content() was asked for before the views were up
        self._composed = False  # the title and tabs exist (the screen mounts the pane on first use)
        self._shown_early: tuple[ContainerSummary, str | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("no container selected"), id="detail-title")
        yield Static(Text(""), id="detail-notice")
        # The tab views (some 50 widgets) are mounted when the first container is shown:
        # a pane not opened yet costs next to nothing at start-up.
        with TabbedContent(id="detail-tabs", initial=TABS[0]):
            for number, spec in enumerate(TAB_SPECS, start=1):
                yield TabPane(f"{number} {spec.title}", id=spec.id)

    def _build_tabs(self) -> None:
        """Mount the tab views; once they are up they load the container shown by then."""
        if self._tabs_building:
            return
        self._tabs_building = True
        mounted = [self.query_one(f"#{spec.id}", TabPane).mount(spec.make(self)) for spec in TAB_SPECS]

        async def ready() -> None:
            for each in mounted:
                await each
            if not self.app.is_running:
                return  # the app is quitting: the views may already be half removed
            self._tabs_ready = True
            if self.container is not None:
                for view in self._views():
                    view.set_container(self.container.id)
            if self._focus_when_ready:
                self.focus_content()
            self.refresh_bindings()

        self.call_later(ready)

    def on_mount(self) -> None:
        self.query_one("#detail-notice").display = False
        self.call_after_refresh(self._show_early)  # once the tab panes are composed too

    def _show_early(self) -> None:
        self._composed = True
        if self._shown_early is not None:
            container, host = self._shown_early
            self._shown_early = None
            self.show_container(container, host=host)

    # -- the main screen's API -----------------------------------------------------------

    @property
    def host(self) -> str | None:
        """The host of the shown container (None: the current host)."""
        return self._shown_early[1] if self._shown_early is not None else self.engine_host

    def show_container(self, container: ContainerSummary, *, host: str | None = None) -> None:
        """Load the pane for this container of ``host`` (replacing any previous one).

        The same container again only refreshes the title: the tree, the process list and
        the stats history are kept (the screen calls this as the table cursor moves).
        """
        if not self._composed:  # just mounted: shown once its widgets are up
            self._shown_early = (container, host)
            return
        same = self.container is not None and self.container.id == container.id and host == self.engine_host
        if host != self.engine_host:
            self._reachable = True
        self.container = container
        self.engine_host = host
        self._show_title(container.state)
        if same:
            return
        self.query_one("#detail-notice").display = False
        if not self._tabs_ready:
            self._build_tabs()  # the views load this container once mounted
            return
        for view in self._views():
            view.set_container(container.id)

    def _show_title(self, state: str) -> None:
        """``▶ name  short-id  state`` of the container shown (sanitized)."""
        container = self.container
        if container is None:
            return
        title = Text("▶ ", style="bold")
        title.append_text(safe_line(container.name or container.short_id, style="bold", max_length=60))
        title.append(f"  {container.short_id}  ", style="dim")
        title.append_text(safe_line(state, max_length=20))
        self.query_one("#detail-title", Static).update(title)

    def host_reachable(self, host: str, reachable: bool) -> None:
        """``host``'s engine went away or came back: pause the live tabs, or resume them."""
        if host != self.engine_host or reachable == self._reachable or not self._composed:
            return
        self._reachable = reachable
        notice_widget = self.query_one("#detail-notice", Static)
        if reachable:
            notice_widget.display = False
            self.resume()
            return
        for view in self._views():
            if view.live:
                view.stop()
        notice_widget.update(Text("Engine unreachable: disconnected - retrying; figures resume when it returns.",
                                  style="bold"))
        notice_widget.display = True

    def resume(self) -> None:
        """Restart the active tab's refresh or stream (back on screen, or the engine returned)."""
        if not self._reachable or self.container is None or not self._tabs_ready:
            return
        view = self._active_view()
        if view.refresh_seconds is not None or view.STREAMS:
            view.activate()

    def focus_content(self) -> None:
        """Focus the active tab's main widget (its tab bar when it has none)."""
        if not self._tabs_ready:
            self._focus_when_ready = True
            self._tab_bar().focus()  # meanwhile: focus must not stay on a widget being hidden
            return
        target = self._active_view().focus_target
        if target is not None:
            target.focus()
        else:
            self._tab_bar().focus()

    @property
    def active_tab(self) -> str:
        """Id of the shown tab (``inspect``, ``top``, ``changes`` or ``stats``)."""
        return self.query_one(TabbedContent).active

    # -- internals -----------------------------------------------------------------------

    def _tab_bar(self) -> Tabs:
        return self.query_one(TabbedContent).query_one(Tabs)

    def _views(self) -> list[ContainerTab]:
        if not self._tabs_ready:
            return []
        return list(self.query_one(TabbedContent).query(ContainerTab))

    def _active_view(self) -> ContainerTab:
        return self._views()[TABS.index(self.active_tab)]

    def on_container_gone(self, message: ContainerGone) -> None:
        message.stop()
        self.container_removed(message.container_id)

    def container_removed(self, container_id: str) -> None:
        """The engine destroyed ``container_id``: if it is the one shown, stop the tabs and say so."""
        if self.container is None or container_id != self.container.id:
            return
        for view in self._views():
            view.stop()
        self._show_title("removed")
        notice = Text("This container no longer exists (removed).", style="bold")
        notice_widget = self.query_one("#detail-notice", Static)
        notice_widget.update(notice)
        notice_widget.display = True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        self.refresh_bindings()  # which keys apply depends on the tab
        if self.has_focus_within:
            self.call_after_refresh(self.focus_content)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that do nothing in the current tab (and let Esc bubble up)."""
        tab = self.active_tab if self.is_mounted else "inspect"
        if action == "close_search":
            view = self._active_view() if self._tabs_ready else None
            return bool(view is not None and view.search_open)
        if action in ("reveal", "next_match"):
            return _SPEC[tab].reveals
        if action == "search":
            return _SPEC[tab].searchable
        return True

    # -- actions -------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        """Show a tab by id; focus follows into the new tab."""
        if self.has_focus_within:
            # Park focus on the tab bar first: when a focused widget is hidden, Textual
            # refocuses a neighbour in the same (hidden) pane, which would switch back.
            self.screen.set_focus(self._tab_bar())
        self.query_one(TabbedContent).active = tab

    def action_cycle_tab(self, step: int) -> None:
        """Show the previous (-1) or next (1) tab, wrapping around."""
        index = (TABS.index(self.active_tab) + step) % len(TABS)
        self.action_show_tab(TABS[index])

    def action_search(self) -> None:
        """Open the inspect search or focus the changes filter."""
        if self._tabs_ready:
            self._active_view().open_search()
        self.refresh_bindings()

    def action_next_match(self) -> None:
        """Jump to the next inspect search match."""
        self.query_one("#inspect-view", _inspect_view()).next_match()

    def action_reveal(self) -> None:
        """Reveal (or mask again) secret env values."""
        revealed = self.query_one("#inspect-view", _inspect_view()).toggle_reveal()
        self.app.notify("Secret env values revealed" if revealed else "Secret env values masked", markup=False)

    def action_close_search(self) -> None:
        """Close the open search (the binding is disabled when none is open)."""
        if self._tabs_ready:
            self._active_view().close_search()
        self.refresh_bindings()

    def action_copy(self) -> None:
        """Copy the selected inspect value, else the container id (OSC 52)."""
        if self.container is None:
            return
        value: str | None = None
        what = "container id"
        if self.active_tab == "inspect":
            inspect = self.query_one("#inspect-view", _inspect_view())
            if inspect.json_tree.has_focus:
                value, what = inspect.copy_text(), "value"
                if value is None and inspect.json_tree.cursor_node is not None:
                    self.app.notify("Reveal secret values with v before copying them", markup=False)
                    return
        if value is None:
            value, what = self.container.id, "container id"
        copy_and_report(self, value, what)


def _inspect_view() -> type[InspectView]:
    from dtui.ui.widgets.inspect_view import InspectView

    return InspectView


def _changes_view() -> type[ChangesView]:
    from dtui.ui.widgets.changes_view import ChangesView

    return ChangesView
