"""What every swarm view shares: a status line, the "no swarm here" notice, settling re-checks.

A host that is no swarm manager lists nothing and the notice says why, per host (how to
init a swarm, "not a manager", "Podman has no swarm"). A service converging (tasks starting
or stopping) reaches its final count on the manager without an event on this engine when
its tasks run elsewhere, or a moment after the container event here; while anything shown
is still converging the view re-lists every :data:`SETTLE_SECONDS` (events only otherwise).
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from dtui.live.changes import Listed
from dtui.live.swarm_kinds import SwarmNotes, role_text
from dtui.ui.safe_text import safe_line
from dtui.ui.views.screen import ResourceScreen
from dtui.ui.views.live import post_to
from dtui.ui.views.status_line import StatusLine
from dtui.ui.views.table import ResourceTable, split_row_key

T = TypeVar("T")

SETTLE_SECONDS = 2.0
"""How often a converging view re-lists (see the module docstring)."""
SETTLE_ROUNDS = 60
"""Re-lists in a row at most (a service that never converges stops being re-checked)."""


class SwarmScreen(ResourceScreen[T]):
    """A swarm view pushed on top of another (Esc goes back).

    Subclasses give :meth:`make_table`, :meth:`heading`, :meth:`figures` and :meth:`settling`.
    """

    CSS_PATH: ClassVar[str] = "swarm.tcss"
    CLOSES_ON_ESCAPE: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__()
        self.notes = SwarmNotes()
        self._settle_timer: Timer | None = None
        self._settle_rounds = 0

    def make_table(self) -> ResourceTable[T]:
        """The view's table."""
        raise NotImplementedError

    def heading(self) -> Text:
        """The view's name, first on the status line."""
        return Text(self.HELP_TITLE.split(":")[0], style="bold")

    def figures(self) -> Text:
        """What the status line counts after the name (and READ-ONLY)."""
        return Text()

    def status_title(self) -> Text:
        return self.heading()

    def status_figures(self) -> Text:
        return self.figures()

    def settling(self, item: T) -> bool:
        """True while ``item`` is still converging (the view re-lists until none is)."""
        return False

    def compose(self) -> ComposeResult:
        yield StatusLine(self.heading(), id="swarm-title")
        yield Static("", id="swarm-notice")
        yield self.make_table()
        yield Input(placeholder="quick filter (Esc clears)", id="quick-filter")
        yield Footer()

    def shown_hosts(self) -> list[str]:
        """The hosts the view lists (every host of the app unless told)."""
        return self.view_host.hosts

    def on_mount(self) -> None:
        self.table.focus()
        self.table.set_hosts({host: _label(self, host) for host in self.shown_hosts()})

    def follow(self) -> None:
        """(Re)start following the view's kind on its hosts."""
        kind = self.kind()
        live = self.view_host.live
        if self._unsubscribe is None or kind.name != self._kind_name:
            if self._unsubscribe is not None:
                self._unsubscribe()
            self._unsubscribe = live.subscribe(kind.name, post_to(self))
            self._kind_name = kind.name
        live.follow(kind, self.shown_hosts())

    # -- live --------------------------------------------------------------------------

    def live_listed(self, change: Listed) -> None:
        """Apply the listing, say which hosts have no swarm, re-check while converging."""
        super().live_listed(change)
        self.show_notice()
        self._settle_later()

    def show_notice(self) -> None:
        """One line per host that is not a swarm manager (hidden when every host is one)."""
        lines: list[Text] = []
        several = len(self.shown_hosts()) > 1
        for host in self.shown_hosts():
            role = self.notes.role(host)
            if role is None or role == "manager":
                continue
            line = Text()
            if several:
                line.append_text(safe_line(_label(self, host), max_length=40, style="bold"))
                line.append(": ")
            else:
                line.append("This engine is ")
            line.append(role_text(role))
            lines.append(line)
        notice = self.query_one("#swarm-notice", Static)
        notice.update(Text("\n").join(lines))
        notice.set_class(bool(lines), "-shown")

    def _settle_later(self) -> None:
        converging = any(self.settling(item) for item in self.table.objects.values())
        if not converging:
            self._settle_rounds = 0
            return
        if self._settle_timer is not None or self._settle_rounds >= SETTLE_ROUNDS:
            return
        self._settle_rounds += 1
        self._settle_timer = self.set_timer(SETTLE_SECONDS, self._settle)

    def _settle(self) -> None:
        self._settle_timer = None
        hosts = {split_row_key(key)[0] for key, item in self.table.objects.items() if self.settling(item)}
        for host in hosts:
            self.touch(host, "")


def plural(count: int, noun: str) -> str:
    """``1 node``, ``3 nodes``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _label(screen: Any, host: str) -> str:
    """The host's short name (as the container view's Host column shows it)."""
    connection = getattr(screen.app, "connections", {}).get(host)
    return str(connection.label) if connection is not None else host
