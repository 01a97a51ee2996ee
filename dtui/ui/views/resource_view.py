"""What the volumes and networks views share: create on a host, prune every host.

:class:`EngineObjectScreen` is a :class:`DetailScreen` (the resource detail pane under the
table, Enter opens it) that yields the base's status line (see
:mod:`dtui.ui.views.status_line`) and has two helpers: :meth:`EngineObjectScreen.create_on` runs a create
through the base's one action path (pending, notification, re-list), and
:meth:`EngineObjectScreen.prune_hosts` asks once, prunes every host shown side by side and
tells what each one reclaimed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import work
from textual.message import Message

from dtui.core.hosts import host_label
from dtui.engine.errors import EngineError
from dtui.engine.resource_models import PruneReport
from dtui.ui.resources_css import RESOURCES_CSS
from dtui.ui.safe_text import safe_plain
from dtui.ui.screens.modals import ConfirmScreen
from dtui.ui.views.containers.table import human_size
from dtui.ui.views.detail import DetailScreen
from dtui.ui.views.table import row_key

T = TypeVar("T")

PruneCall = Callable[[Any], Awaitable[PruneReport]]
"""Prunes one engine: gets its client."""


@dataclass
class Pruned(Message):
    """A prune on one host ended.

    Attributes:
        host: The host pruned.
        report: What the engine removed and reclaimed (None when it failed).
        error: Why it failed.
    """

    host: str
    report: PruneReport | None
    error: EngineError | None = None


def pruned_text(noun: str, host: str, report: PruneReport, *, several_hosts: bool) -> str:
    """``Pruned 2 volumes (a, b), reclaimed 1.2MB`` (plain, sanitized, one line)."""
    where = f" on {host}" if several_hosts else ""
    if not report.deleted:
        return safe_plain(f"Nothing to prune{where}: no unused {noun}", max_length=300)
    names = ", ".join(report.deleted[:5]) + (", …" if len(report.deleted) > 5 else "")
    reclaimed = f", reclaimed {human_size(report.reclaimed)}" if report.reclaimed else ""
    counted = f"{len(report.deleted)} {noun if len(report.deleted) > 1 else noun.rstrip('s')}"
    return safe_plain(f"Pruned {counted}{where} ({names}){reclaimed}", max_length=300)


class EngineObjectScreen(DetailScreen[T]):
    """A pushed resource view with a status line (:meth:`status_line`), create and prune (volumes, networks)."""

    CSS_PATH: ClassVar[str] = RESOURCES_CSS
    CLOSES_ON_ESCAPE = True

    def on_mount(self) -> None:
        hosts = self.view_host.hosts
        self.table.set_hosts({host: host_label(self.view_host.client_for(host).endpoint) for host in hosts})
        self.view_changed()

    # -- create ------------------------------------------------------------------------

    def target_host(self) -> str:
        """Where a new object goes: the host of the row under the cursor, else the first host."""
        target = self.cursor_target()
        return target[0] if target is not None else self.view_host.hosts[0]

    def host_shown(self, host: str) -> str:
        """The host in a title when several are shown, else ""."""
        return host if len(self.view_host.hosts) > 1 else ""

    def create_on(self, host: str, name: str, call: Callable[[Any, str], Awaitable[object]]) -> None:
        """Run a create on ``host`` through the one action path (notification, re-list)."""
        self._act(row_key(host, name), name or "(unnamed)", "create", call)

    # -- prune -------------------------------------------------------------------------

    def prune_hosts(self, call: PruneCall) -> None:
        """Ask once, then prune every host shown side by side; each host's result is told."""
        hosts = self.view_host.hosts
        where = f"on {len(hosts)} hosts" if len(hosts) > 1 else "on this engine"
        question = Text(f"Remove every {self.NOUN.rstrip('s')} no container uses, {where}?")

        def answered(yes: bool | None) -> None:
            if yes:
                self.prune_every_host(call)

        self.app.push_screen(ConfirmScreen(question), answered)

    def prune_every_host(self, call: PruneCall) -> None:
        """Prune every host shown side by side (already confirmed)."""
        for host in self.view_host.hosts:
            self._prune(host, call)

    @work(group="actions", exit_on_error=False)
    async def _prune(self, host: str, call: PruneCall) -> None:
        if self.view_host.read_only:
            self.post_message(Pruned(host, None, EngineError("dtui runs read-only")))
            return
        try:
            report = await call(self.view_host.client_for(host))
        except EngineError as error:
            self.post_message(Pruned(host, None, error))
            return
        self.post_message(Pruned(host, report))

    def on_pruned(self, message: Pruned) -> None:
        if message.error is not None or message.report is None:
            if message.error is not None:
                self.view_host.show_error(message.error, f"pruning {self.NOUN}")
            return
        several = len(self.view_host.hosts) > 1
        self.notify(pruned_text(self.NOUN, message.host, message.report, several_hosts=several), markup=False)
        self.touch(message.host, "")
        self.pruned(message.host)

    def pruned(self, host: str) -> None:
        """A prune on ``host`` succeeded (a view may measure again)."""
