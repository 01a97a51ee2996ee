"""The Top tab: the container's processes (``/top``), refreshed every 2 s while visible."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Static

from dtui.engine.errors import Conflict, EngineError, EngineUnreachable, NotFound
from dtui.engine.models import ProcessTable
from dtui.ui.safe_text import safe_line
from dtui.ui.widgets.detail_common import ContainerGone, engine_client
from dtui.ui.worker_errors import ReportsWorkerErrors, report_error

DEFAULT_PS_ARGS = "-ef"
REFRESH_SECONDS = 2.0
MAX_CELL_CHARS = 200


class ProcessGrid(DataTable[Text]):
    """The process table; Left/Right are left to the pane (they switch tabs)."""

    def action_cursor_left(self) -> None:
        raise SkipAction()

    def action_cursor_right(self) -> None:
        raise SkipAction()


class TopView(ReportsWorkerErrors, Vertical):
    """Process list of the shown container.

    Args:
        ps_args: Arguments for ``ps`` inside the container (``-ef`` by default).
        refresh_seconds: Refresh cadence while visible.
    """

    DEFAULT_CSS = """
    TopView #top-message { height: auto; padding: 0 1; }
    TopView ProcessGrid { height: 1fr; }
    """

    class Loaded(Message):
        """A process table arrived."""

        def __init__(self, container_id: str, table: ProcessTable) -> None:
            super().__init__()
            self.container_id = container_id
            self.table = table

    class Failed(Message):
        """``/top`` failed: 409 means not running, 404 removed."""

        def __init__(self, container_id: str, error: EngineError) -> None:
            super().__init__()
            self.container_id = container_id
            self.error = error

    def __init__(
        self,
        *,
        ps_args: str = DEFAULT_PS_ARGS,
        refresh_seconds: float = REFRESH_SECONDS,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.ps_args = ps_args
        self.refresh_seconds = refresh_seconds
        self.container_id = ""
        self._gone = False
        self._shown = False
        self._reported = False
        self._titles: tuple[str, ...] | None = None
        self._timer: Timer | None = None
        self._running = False

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…"), id="top-message")
        yield ProcessGrid(id="top-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._timer = self.set_interval(self.refresh_seconds, self._tick, pause=True)

    @property
    def focus_target(self) -> ProcessGrid:
        """What the pane focuses when entering this tab."""
        return self.query_one(ProcessGrid)

    @property
    def refreshing(self) -> bool:
        """True while the refresh timer runs."""
        return self._running

    def set_container(self, container_id: str) -> None:
        """Show another container's processes (loading at once when visible)."""
        self.stop()
        self.container_id = container_id
        self._gone = False
        self._reported = False
        self._titles = None
        self.query_one(ProcessGrid).clear(columns=True)
        self._message(Text("loading…"))
        if self._shown:
            self.activate()

    def activate(self) -> None:
        """Load now and every ``refresh_seconds`` until stopped."""
        if not self.container_id or self._gone:
            return
        self.load(self.container_id)
        if self._timer is not None and not self._running:
            self._timer.reset()
            self._timer.resume()
            self._running = True

    def stop(self) -> None:
        """Stop refreshing (tab left, pane hidden, container changed or gone)."""
        if self._timer is not None:
            self._timer.pause()
        self._running = False
        self.workers.cancel_group(self, "detail-top")

    def on_show(self) -> None:
        self._shown = True
        self.activate()

    def on_hide(self) -> None:
        self._shown = False
        self.stop()

    def _tick(self) -> None:
        if self.container_id and not self._gone:
            self.load(self.container_id)

    @work(exclusive=True, group="detail-top", exit_on_error=False)
    async def load(self, container_id: str) -> None:
        """Fetch the process table (latest request wins)."""
        try:
            table = await engine_client(self).containers.top(container_id, self.ps_args)
        except EngineError as error:
            self.post_message(self.Failed(container_id, error))
            return
        self.post_message(self.Loaded(container_id, table))

    def _message(self, text: Text | None) -> None:
        message = self.query_one("#top-message", Static)
        message.display = text is not None
        message.update(text or Text(""))
        self.query_one(ProcessGrid).display = text is None

    def on_top_view_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.container_id != self.container_id:
            return
        self._reported = False
        self._message(None)
        self._fill(message.table)

    def _fill(self, table: ProcessTable) -> None:
        grid = self.query_one(ProcessGrid)
        row = grid.cursor_row
        if table.titles != self._titles:
            grid.clear(columns=True)
            for title in table.titles:
                grid.add_column(safe_line(title, max_length=40))
            self._titles = table.titles
        else:
            grid.clear()
        width = len(table.titles)
        for process in table.processes:
            cells = [safe_line(cell, max_length=MAX_CELL_CHARS) for cell in process[:width]]
            cells.extend(Text("") for _ in range(width - len(cells)))
            grid.add_row(*cells)
        if table.processes:
            grid.move_cursor(row=min(row, len(table.processes) - 1), scroll=False)

    def on_top_view_failed(self, message: Failed) -> None:
        message.stop()
        if message.container_id != self.container_id:
            return
        error = message.error
        if isinstance(error, Conflict):
            self._message(Text("not running", style="italic"))
            return
        if isinstance(error, NotFound):
            self._gone = True
            self.stop()
            self._message(Text("container removed", style="italic"))
            self.post_message(ContainerGone(message.container_id))
            return
        if isinstance(error, EngineUnreachable):  # the status line says so; retried each refresh
            self._message(Text("engine unreachable: disconnected - retrying", style="italic"))
            return
        self._message(safe_line(f"top failed: {error.message}", max_length=300))
        if not self._reported:  # once per outage, not every refresh
            self._reported = True
            report_error(self, error, "listing processes")
