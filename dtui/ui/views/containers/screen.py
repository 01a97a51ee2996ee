"""The container screen: status line, the live container table, the detail pane, the footer.

Data flow: the app's live state follows the ``containers`` kind on every host (subscribe,
THEN list, then debounced re-lists of what events touched; see :mod:`dtui.live`); this
screen applies each change to the table. Lifecycle actions run one worker per container
(never exclusive), show a pending state on the row, and end in one notification each.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import DataTable, Input
from textual.worker import Worker, WorkerState

from dtui.engine.errors import BadRequest
from dtui.engine.models import ContainerSummary
from dtui.live.changes import Listed, ListingRefused, Removed
from dtui.live.kind import Kind
from dtui.live.kinds import containers_kind
from dtui.core.engine_filter import EngineFilter, FilterSyntaxError, parse_engine_filter
from dtui.ui.messages import EngineFailed
from dtui.ui.safe_text import safe_plain
from dtui.ui.screens.modals import FilterPrompt
from dtui.core.overview import OverviewSampler
from dtui.ui.views.actions import ActionTable
from dtui.ui.views.containers.actions import CONTAINER_ACTIONS
from dtui.ui.views.containers.compose import GroupedContainerTable
from dtui.ui.views.containers.kept import KeptMixin
from dtui.ui.views.containers.projects import ProjectsMixin
from dtui.ui.views.containers.table import ContainerTable
from dtui.ui.terminal.shells import ShellsMixin
from dtui.ui.widgets.footer import Footer
from dtui.ui.widgets.status_bar import StatusBar

PANE_FOLLOW_SECONDS = 0.15


class MainScreen(ShellsMixin, KeptMixin, ProjectsMixin):
    """Where the operator lives: every container, live."""

    ACTIONS: ClassVar[ActionTable] = CONTAINER_ACTIONS
    NOUN: ClassVar[str] = "containers"
    HELP_TITLE: ClassVar[str] = "Containers: keys"

    def __init__(self) -> None:
        super().__init__()
        self._pane_timer: Timer | None = None
        self.engine_filter = EngineFilter()
        self._good_filter = EngineFilter()
        self._samplers: dict[str, OverviewSampler] = {}
        self._overview_workers: dict[str, Worker[None]] = {}
        self._sampling_soon: set[str] = set()
        self._overview_on = False
        self._started = False
        self._down_noticed: dict[str, float] = {}  # host -> when its outage was last notified
        self._outage_told: set[str] = set()  # hosts down whose outage was notified already

    @property
    def table(self) -> ContainerTable:
        """The container table."""
        return self.query_one(ContainerTable)

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield GroupedContainerTable(id="containers")
        # The detail pane (#detail) and the shells pane (#shells) are mounted on first use.
        yield Input(placeholder="quick filter: name, image or id (Esc clears)", id="quick-filter")
        yield Footer()

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.show_all = self.dtui.show_all
        status.warnings = tuple(self.dtui.endpoint.warnings)
        self.table.choose_columns(self.dtui.config.columns.get("containers"))
        self.table.set_sort(self.dtui.config.defaults.sort, False)
        status.sort_label = self.table.sort_label
        status.read_only = self.dtui.read_only
        self.show_hosts()
        try:
            self.engine_filter = self._good_filter = parse_engine_filter(self.dtui.initial_filter)
        except FilterSyntaxError as error:
            self.notify(safe_plain(str(error)), title="Engine filter", severity="error", markup=False)
        self._apply_filter_view()
        self.table.focus()
        self.start_overview()
        self._started = True
        self.watch(self.table, "scroll_y", self.overview_follow_view, init=False)
        # ResourceScreen.on_mount runs next and starts following the containers.

    # -- the view ----------------------------------------------------------------------

    def kind(self) -> Kind[ContainerSummary]:
        """Containers as the engine filter and `a` ask."""
        engine_filter = self.engine_filter
        return containers_kind(
            show_all=self.dtui.show_all, filters=engine_filter.filters, limit=engine_filter.limit,
            size=engine_filter.size, query=engine_filter.text,
        )

    def view_changed(self) -> None:
        """Status line counts, filter and sort; the overview follows what is in view."""
        containers = self.table.containers.values()
        status = self.query_one(StatusBar)
        status.running = sum(1 for c in containers if c.is_running)
        status.total = len(containers)
        status.marked = len(self.table.marks)
        status.quick_filter = self.table.quick_filter
        status.sort_label = self.table.sort_label
        self.tell_hidden()
        self.overview_follow_view()

    def live_listed(self, change: Listed) -> None:
        """Apply the listing; the filter it was listed with worked."""
        if change.host not in self.dtui.connections:
            return  # a listing of a host that left meanwhile
        super().live_listed(change)
        self._good_filter = self.engine_filter
        self.query_one(StatusBar).api_version = self.dtui.client.api_version or ""

    def live_removed(self, change: Removed) -> None:
        """Drop the destroyed rows; a pane showing one of them says so (a stream just ends)."""
        super().live_removed(change)
        pane = self.detail_pane
        if pane is not None and pane.container is not None and pane.container.id in change.ids and pane.host == change.host:
            pane.container_removed(pane.container.id)

    def live_refused(self, change: ListingRefused) -> None:
        """A bad engine filter: say why and go back to the last one that worked."""
        if isinstance(change.error, BadRequest) and self.engine_filter != self._good_filter:
            self.dtui.show_error(change.error, f"engine filter {change.query!r}")
            self.engine_filter = self._good_filter
            self._apply_filter_view()
            self.follow()
            return
        self.dtui.show_error(change.error, "listing containers")

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.dtui.show_error(message.error, message.context)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker crashed on something that is not an engine error: say so, stay usable."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.notify(
            safe_plain(f"{event.worker.name} failed: {type(error).__name__}: {error}", max_length=300),
            title="Internal error", severity="error", markup=False,
        )

    # -- view keys ---------------------------------------------------------------------

    def action_toggle_all(self) -> None:
        """Show all containers, or only running ones."""
        self.dtui.show_all = not self.dtui.show_all
        self.query_one(StatusBar).show_all = self.dtui.show_all
        self.release_kept()
        self.follow()

    def action_engine_filter(self) -> None:
        """Ask for the engine filter, then re-list with it."""

        def chosen(engine_filter: EngineFilter | None) -> None:
            if engine_filter is None:
                return
            self.engine_filter = engine_filter
            self._apply_filter_view()
            self.release_kept()
            self.follow()

        self.app.push_screen(FilterPrompt(self.engine_filter.text), chosen)

    def _apply_filter_view(self) -> None:
        self.query_one(StatusBar).engine_filter = self.engine_filter.text
        self.table.set_show_size(self.engine_filter.size)

    def escape_target(self) -> str | None:
        """The quick filter, else the detail pane, else the marks."""
        target = super().escape_target()
        if target != "quick_filter" and self.has_class("-pane-open"):
            return "pane"
        return target

    def action_escape(self) -> None:
        """Close the quick filter, else the detail pane, else clear the marks."""
        if self.escape_target() == "pane":
            self.remove_class("-pane-open", "-pane-full")
            self.table.focus()
            self.call_after_refresh(self.overview_follow_view)
            return
        super().action_escape()

    # -- detail pane -------------------------------------------------------------------

    @on(DataTable.RowSelected, "#containers")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_details()

    def action_details(self) -> None:
        """Open the detail pane on the selected container (on a project row: fold or unfold it)."""
        if not self.fold_group_under_cursor():
            self.show_details()

    def show_details(self) -> None:
        """Open the detail pane on the selected container."""
        target = self.cursor_target()
        if target is None:
            return
        host, container = target
        self.add_class("-pane-open")
        pane = self.detail_pane
        if pane is None:
            from dtui.ui.widgets.detail_pane import DetailPane

            pane = self._detail = DetailPane(id="detail", ps_args=self.dtui.config.defaults.ps_args)
            self.mount(pane, after=self.table)
        pane.show_container(container, host=host)
        self.call_after_refresh(self.overview_follow_view)

    @on(DataTable.RowHighlighted, "#containers")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.has_class("-pane-open"):
            return
        if self._pane_timer is not None:
            self._pane_timer.stop()
        self._pane_timer = self.set_timer(PANE_FOLLOW_SECONDS, self._pane_follow)

    def _pane_follow(self) -> None:
        self._pane_timer = None
        if self.has_class("-pane-open"):
            self.show_details()

    def action_zoom_pane(self) -> None:
        """Toggle the shells pane full screen when it is open, else the detail pane (opening it if needed)."""
        if self.shells_open:
            self.toggle_shells_full()
            return
        if not self.has_class("-pane-open"):
            self.show_details()
        self.toggle_class("-pane-full")
        # The hidden table would hand its focus on to the quick filter's Input, if shown.
        pane = self.detail_pane
        if self.has_class("-pane-full") and pane is not None:
            pane.focus_content()
        else:
            self.table.focus()
        self.call_after_refresh(self.overview_follow_view)
