"""The disk usage screen (``U``): ``docker system df`` per host, with prune actions.

One row per kind (images, containers, local volumes, build cache) and host: how many, how
many in use, their size and what a prune could reclaim. ``/system/df`` walks every layer, so
it is asked on open, on ``ctrl+r`` and after each prune, never on a timer. Each prune asks
first and then says what it reclaimed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.engine.resource_models import DiskUsage, PruneReport, UsageLine
from dtui.ui.safe_text import safe_line
from dtui.ui.screens.modals import HelpScreen, confirm_then, current_keys
from dtui.ui.views.actions import Action, ActionTable
from dtui.ui.views.containers.table import human_size
from dtui.ui.views.host import ViewHost
from dtui.ui.views.images.dialogs import PruneScreen
from dtui.ui.views.help_keys import focused_groups, without_keys
from dtui.ui.views.images.screen import host_labels
from dtui.ui.views.row_table import RowTable
from dtui.ui.views.status_line import StatusLine, status_text
from dtui.ui.views.table import row_key, split_row_key
from dtui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

PRUNE = "Prune"
TITLE = Text("Disk usage", style="bold")
VIEW = "View"

DISK_USAGE_ACTIONS = ActionTable("disk_usage", (
    Action("prune_images", "i", "Images", "Prune dangling or every unused image", PRUNE, mutating=True, show=True),
    Action("prune_containers", "c", "Containers", "Prune every stopped container", PRUNE, mutating=True, show=True),
    Action("prune_volumes", "v", "Volumes", "Prune the local volumes no container uses", PRUNE, mutating=True,
           show=True),
    Action("prune_build_cache", "b", "Build cache", "Prune the build cache", PRUNE, mutating=True, show=True),
    Action("reload", "ctrl+r", "Reload", "Measure the disk usage again", show=True),
    Action("escape", "escape", "Back", "Back to the previous screen"),
    Action("help", "question_mark", "Help", "Show the keys of this screen", show=True),
), groups=(PRUNE, VIEW))

PruneCall = Callable[["EngineClient"], Awaitable[PruneReport]]

_PRUNES: dict[str, tuple[str, str, PruneCall]] = {
    "prune_containers": ("containers", "every stopped container", lambda c: c.system.prune_containers()),
    "prune_volumes": ("volumes", "the local volumes no container uses", lambda c: c.volumes.prune()),
    "prune_build_cache": ("build cache", "the build cache no build uses", lambda c: c.system.prune_build_cache()),
}
"""Action id -> (what, the question's words, the call)."""

COLUMNS = (("kind", "Type", 13), ("total", "Total", 6), ("active", "Active", 6), ("size", "Size", 8),
           ("reclaimable", "Reclaimable", 15))
"""Key, header and width: fixed widths, since a DataTable that widens its columns once the rows
arrive repaints the rows but not the header (the header stayed at the width of its labels)."""


def usage_cells(line: UsageLine) -> tuple[Text, ...]:
    """A summary line as ``docker system df`` prints it (reclaimable with its percentage)."""
    reclaimable = f"{human_size(line.reclaimable)} ({line.reclaimable_percent}%)"
    return (Text(line.kind, style="bold"), Text(str(line.total), justify="right"),
            Text(str(line.active), justify="right"), Text(human_size(line.size), justify="right"),
            Text(reclaimable, justify="right"))


def prune_text(what: str, report: PruneReport) -> str:
    """``Pruned 3 containers, reclaimed 1.2MB``."""
    return f"Pruned {len(report.deleted)} {what}, reclaimed {human_size(report.reclaimed)}"


@dataclass
class UsageMeasured(Message):
    """``/system/df`` answered for one host (or failed)."""

    host: str
    usage: DiskUsage | None
    error: EngineError | None = None


class DiskUsageScreen(ReportsWorkerErrors, Screen[None]):
    """Images, containers, volumes and build cache of every host shown: size and reclaimable."""

    ACTIONS: ClassVar[ActionTable] = DISK_USAGE_ACTIONS
    BINDINGS: ClassVar[list[BindingType]] = list(DISK_USAGE_ACTIONS.bindings())
    HELP_TITLE: ClassVar[str] = "Disk usage: keys"

    def __init__(self) -> None:
        super().__init__()
        self.usage: dict[str, DiskUsage] = {}
        self._unreachable: set[str] = set()

    @property
    def view_host(self) -> ViewHost:
        """The app, as a view sees it."""
        return cast(ViewHost, self.app)

    @property
    def table(self) -> DataTable[Text]:
        """The summary table."""
        return self.query_one("#disk-usage", DataTable)

    def compose(self) -> ComposeResult:
        yield StatusLine(TITLE, id="disk-usage-title")
        yield RowTable(id="disk-usage")
        yield Static(Text("measuring…", style="italic"), id="disk-usage-status")
        yield Footer()

    def on_mount(self) -> None:
        hosts = self.view_host.hosts
        if len(hosts) > 1:
            self.table.add_column(Text("Host", style="bold"), key="host", width=24)
        for key, label, width in COLUMNS:
            self.table.add_column(Text(label, style="bold"), key=key, width=width)
        self.table.focus()
        self._show_status_line()
        self.measure()

    # -- measuring ---------------------------------------------------------------------

    @work(exclusive=True, group="disk-usage", exit_on_error=False)
    async def measure(self) -> None:
        """Ask ``/system/df`` of every host shown, side by side (the latest request wins)."""
        hosts = list(self.view_host.hosts)

        async def one(host: str) -> None:
            try:
                usage = await self.view_host.client_for(host).system.df()
            except EngineError as error:
                self.post_message(UsageMeasured(host, None, error))
                return
            self.post_message(UsageMeasured(host, usage))

        await asyncio.gather(*(one(host) for host in hosts))

    def on_usage_measured(self, message: UsageMeasured) -> None:
        if isinstance(message.error, EngineUnreachable):
            self._unreachable.add(message.host)
        else:
            self._unreachable.discard(message.host)
        self._show_status_line()
        if message.usage is None:
            if message.error is not None:
                self.view_host.show_error(message.error, "measuring disk usage")
            self._status(Text("measuring failed (ctrl+r tries again)", style="italic"))
            return
        self.usage[message.host] = message.usage
        self._show_rows()
        self._status(Text(""))

    def _show_rows(self) -> None:
        table = self.table
        cursor = table.cursor_row
        table.clear()
        several = len(self.view_host.hosts) > 1
        labels = host_labels(self.app, self.view_host.hosts)
        for host in self.view_host.hosts:
            usage = self.usage.get(host)
            for line in usage.summary() if usage is not None else ():
                host_cell = (safe_line(labels[host], max_length=24),) if several else ()
                table.add_row(*host_cell, *usage_cells(line), key=row_key(host, line.kind))
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def _show_status_line(self) -> None:
        """The title line with the other views' parts: an unreachable host, READ-ONLY, the host count."""
        hosts = self.view_host.hosts
        self.query_one(StatusLine).show(status_text(
            TITLE, Text(), hosts=hosts, down=self._unreachable, labels=host_labels(self.app, hosts),
            read_only=self.view_host.read_only))

    def _status(self, text: Text) -> None:
        self.query_one("#disk-usage-status", Static).update(text)

    def _cursor_host(self) -> str:
        if self.table.row_count:
            key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value
            if key:
                return split_row_key(key)[0]
        return self.view_host.hosts[0]

    # -- keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide and refuse the prunes in read-only mode."""
        if action in self.ACTIONS.mutating and self.view_host.read_only:
            return False
        return True

    def action_reload(self) -> None:
        """Measure again."""
        self._status(Text("measuring…", style="italic"))
        self.measure()

    def action_escape(self) -> None:
        """Back to the screen below."""
        self.dismiss()

    def _where(self, host: str) -> str:
        return f" on {host_labels(self.app, [host])[host]}" if len(self.view_host.hosts) > 1 else ""

    def action_prune_images(self) -> None:
        """Prune images: dangling only or every unused one (asked)."""
        host = self._cursor_host()
        where = Text("")
        if len(self.view_host.hosts) > 1:
            where.append_text(safe_line(self._where(host), max_length=44))

        def chosen(unused: bool | None) -> None:
            if unused is not None:
                self._prune(host, "images", lambda c: c.images.prune(dangling_only=not unused))

        self.app.push_screen(PruneScreen(where), chosen)

    def _ask_prune(self, action: str) -> None:
        what, words, call = _PRUNES[action]
        host = self._cursor_host()
        question = Text(f"Prune {words}")
        question.append_text(safe_line(self._where(host), max_length=44))
        question.append("?")
        confirm_then(self.app, question, lambda: self._prune(host, what, call))

    def action_prune_containers(self) -> None:
        """Prune every stopped container (asked)."""
        self._ask_prune("prune_containers")

    def action_prune_volumes(self) -> None:
        """Prune the unused local volumes (asked)."""
        self._ask_prune("prune_volumes")

    def action_prune_build_cache(self) -> None:
        """Prune the build cache (asked)."""
        self._ask_prune("prune_build_cache")

    @work(group="actions", exit_on_error=False)
    async def _prune(self, host: str, what: str, call: PruneCall) -> None:
        """Run one prune (never exclusive), say what it reclaimed, measure again."""
        if self.view_host.read_only:
            return
        self._status(Text(f"pruning {what}…", style="italic"))
        try:
            report = await call(self.view_host.client_for(host))
        except EngineError as error:
            self.view_host.show_error(error, f"pruning {what}")
            self._status(Text(""))
            return
        text = prune_text(what, report)
        self.notify(text, title="Disk usage", markup=False, timeout=8)
        self._status(Text(text))
        self.measure()

    # -- help and palette --------------------------------------------------------------

    def _binding(self, action: Action) -> Binding:
        return Binding(action.key, action.id, action.label, id=f"{self.ACTIONS.scope}.{action.id}")

    def _allowed(self, action_id: str) -> bool:
        return self.check_action(action_id, ()) is not False

    def action_help(self) -> None:
        """List this screen's keys."""
        rows = self.ACTIONS.help_rows(lambda a: current_keys(self, self._binding(a)), self._allowed)
        focused = focused_groups(self)
        self.app.push_screen(HelpScreen(self.HELP_TITLE, [*without_keys(rows, focused), *focused]))

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The palette entries of this screen."""
        for action in self.ACTIONS.titled(self._allowed):
            key = current_keys(self, self._binding(action))
            yield SystemCommand(action.described, f"key: {key}", self._palette_callback(action.id))

    def _palette_callback(self, action: str) -> Callable[[], Awaitable[object]]:
        async def run() -> None:
            await self.run_action(action)

        return run

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on a row does nothing more
