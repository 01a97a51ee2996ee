"""Containers this dtui stopped stay on the running-only table, dimmed, so `s` can start them again.

Stop (`x`) and kill (`K`) keep their rows (:meth:`ResourceTable.keep`): the listing that no
longer shows them leaves them on screen, dimmed. When the action ends, one listing of those
containers with ``all=1`` tells their new state (``exited (0)``, "Exited (0) 1 second ago").
They go when the cursor leaves them, or the view is filtered again (``/``, ``f``, ``a``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widgets import DataTable

from dtui.engine.errors import EngineError
from dtui.engine.models import ContainerSummary
from dtui.ui.messages import ActionFinished
from dtui.ui.views.containers.hosts import HostsMixin
from dtui.ui.views.screen import Call, Target
from dtui.ui.views.table import split_row_key
from dtui.ui.widgets.status_bar import StatusBar

KEEPING_VERBS = ("stop", "kill")
"""Actions after which a container leaves the running-only view: their rows are kept."""
HIDDEN_HINT = "stopped containers hidden: a shows all"


@dataclass
class KeptListed(Message):
    """The containers kept on screen were listed again (with stopped ones)."""

    host: str
    containers: Sequence[ContainerSummary]


class KeptMixin(HostsMixin):
    """Keeps the rows of containers stopped or killed here (mixed into :class:`~.screen.MainScreen`)."""

    _hint_told = False
    _held_seen = 0  # kept rows the status line last counted

    def _keeps(self, verb: str) -> bool:
        return not self.dtui.show_all and verb.split(" ", 1)[0] in KEEPING_VERBS

    def run_on(self, targets: list[Target], verb: str, pending: str, call: Call) -> None:
        """Like the base; a stop or kill from the running-only view keeps its rows first."""
        if self._keeps(verb):
            for key, _ in targets:
                self.table.keep(key)
        super().run_on(targets, verb, pending, call)

    def on_action_finished(self, message: ActionFinished) -> None:
        """A kept container's action ended: list it once with the stopped ones to show its state."""
        if message.error is None and self._keeps(message.verb):
            self._list_kept(*split_row_key(message.key))

    @work(group="kept", exit_on_error=False)
    async def _list_kept(self, host: str, container_id: str) -> None:
        try:
            found = await self.dtui.client_for(host).containers.list(all=True, filters={"id": [container_id]})
        except EngineError:
            return  # the row keeps what it showed; the next listing or the cursor settles it
        self.post_message(KeptListed(host, found))

    def on_kept_listed(self, message: KeptListed) -> None:
        self.table.update_kept(message.host, message.containers)
        self.view_changed()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if len(self.table.held_keys()) != self._held_seen:
            self.view_changed()  # the cursor let kept rows go: the counts change

    def tell_hidden(self) -> None:
        """Say once, while a stopped row is kept, that stopped containers are hidden here."""
        self._held_seen = len(self.table.held_keys())
        held = bool(self._held_seen) and not self.dtui.show_all
        status = self.query_one(StatusBar)
        if held and not self._hint_told:
            status.hint = HIDDEN_HINT
            self._hint_told = True
        elif not held and status.hint == HIDDEN_HINT:
            status.hint = ""

    def release_kept(self) -> None:
        """The view is filtered again: kept rows go."""
        self.table.release_kept()
        self.tell_hidden()
