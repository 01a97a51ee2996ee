"""The shells pane: one tab per terminal, each labelled ``host/container`` and tied to it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TabbedContent, TabPane

from dtui.ui.safe_text import safe_line_content

if TYPE_CHECKING:  # the terminal modules (pyte, the exec layer) load with the first shell
    from dtui.ui.terminal.sources import TerminalSource
    from dtui.ui.terminal.view import TerminalView

LABEL_LENGTH = 40
_numbers = itertools.count(1)


class ShellPane(Vertical):
    """Tabs of terminals. Closing the last tab posts :class:`Emptied`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+w", "close_shell", "Close shell", id="shells.close"),
    ]

    @dataclass
    class Emptied(Message):
        """The last terminal tab was closed."""

    @dataclass
    class FocusLeft(Message):
        """The user left a terminal (``ctrl+]``): the screen takes the focus back."""

    def compose(self) -> ComposeResult:
        yield TabbedContent(id="shell-tabs")

    @property
    def tabs(self) -> TabbedContent:
        """The tabs."""
        return self.query_one(TabbedContent)

    @property
    def views(self) -> list[TerminalView]:
        """Every terminal, in tab order."""
        return list(self.query(_terminal_view()))

    @property
    def active_view(self) -> TerminalView | None:
        """The terminal of the shown tab."""
        pane = self.tabs.active_pane
        return None if pane is None else pane.query_one(_terminal_view())

    async def open_terminal(self, source: TerminalSource, label: str) -> TerminalView:
        """Add a tab running ``source``, show it and focus it.

        Args:
            source: What to run.
            label: The tab's label (untrusted: it holds a container name; sanitized here).
        """
        number = next(_numbers)
        view = _terminal_view()(source, id=f"terminal-{number}")
        pane = TabPane(safe_line_content(label, max_length=LABEL_LENGTH), view, id=f"shell-{number}")
        await self.tabs.add_pane(pane)
        self.tabs.active = pane.id or ""
        view.focus()
        return view

    def focus_terminal(self) -> None:
        """Focus the shown terminal."""
        view = self.active_view
        if view is not None:
            view.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``ctrl+w`` belongs to a running shell while its terminal has the focus."""
        if action == "close_shell" and getattr(self.screen.focused, "takes_every_key", False):
            return False
        return True

    def on_terminal_view_ended(self, message: TerminalView.Ended) -> None:
        self.screen.refresh_bindings()  # the footer: ctrl+w closes now, the screen's keys are back

    def on_terminal_view_left(self, message: TerminalView.Left) -> None:
        message.stop()
        self.post_message(self.FocusLeft())

    async def action_close_shell(self) -> None:
        """Close the shown tab (its session ends: the shell gets a hangup)."""
        pane = self.tabs.active_pane
        if pane is None or pane.id is None:
            return
        await self.tabs.remove_pane(pane.id)
        if self.tabs.tab_count == 0:
            self.post_message(self.Emptied())
        else:
            self.focus_terminal()


def _terminal_view() -> type[TerminalView]:
    from dtui.ui.terminal.view import TerminalView

    return TerminalView
