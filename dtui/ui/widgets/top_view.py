"""The Top tab: the container's processes (``/top``), refreshed every 2 s while visible."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from dtui.engine.errors import Conflict, EngineError
from dtui.engine.models import ProcessTable
from dtui.ui.safe_text import safe_line
from dtui.ui.widgets.detail_common import ContainerTab

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

DEFAULT_PS_ARGS = "-ef"
REFRESH_SECONDS = 2.0
MAX_CELL_CHARS = 200


class ProcessGrid(DataTable[Text]):
    """The process table; Left/Right are left to the pane (they switch tabs)."""

    def action_cursor_left(self) -> None:
        raise SkipAction()

    def action_cursor_right(self) -> None:
        raise SkipAction()


class TopView(ContainerTab):
    """Process list of the shown container, refreshed while visible.

    Args:
        ps_args: Arguments for ``ps`` inside the container (``-ef`` by default).
        refresh_seconds: Refresh cadence while visible.
    """

    DEFAULT_CSS = """
    TopView #top-message { height: auto; padding: 0 1; }
    TopView ProcessGrid { height: 1fr; }
    """
    GROUP = "detail-top"
    DOING = "listing processes"
    REFRESH_SECONDS = REFRESH_SECONDS

    def __init__(
        self,
        *,
        ps_args: str = DEFAULT_PS_ARGS,
        refresh_seconds: float = REFRESH_SECONDS,
        id: str | None = None,
    ) -> None:
        super().__init__(refresh_seconds=refresh_seconds, id=id)
        self.ps_args = ps_args
        self._titles: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…"), id="top-message")
        yield ProcessGrid(id="top-table", cursor_type="row", zebra_stripes=True)

    @property
    def focus_target(self) -> ProcessGrid:
        """What the pane focuses when entering this tab."""
        return self.query_one(ProcessGrid)

    @property
    def refreshing(self) -> bool:
        """True while the refresh timer runs."""
        return self.live

    async def fetch(self, client: EngineClient, container_id: str) -> ProcessTable:
        """The process table."""
        return await client.containers.top(container_id, self.ps_args)

    def reset(self) -> None:
        self._titles = None
        self.query_one(ProcessGrid).clear(columns=True)

    def failure_text(self, error: EngineError) -> Text | None:
        return Text("not running", style="italic") if isinstance(error, Conflict) else None

    def show_text(self, text: Text) -> None:
        message = self.query_one("#top-message", Static)
        message.display = True
        message.update(text)
        self.query_one(ProcessGrid).display = False

    def show_result(self, result: object) -> None:
        assert isinstance(result, ProcessTable)
        self.query_one("#top-message", Static).display = False
        self.query_one(ProcessGrid).display = True
        self._fill(result)

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
