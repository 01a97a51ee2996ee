"""Which shell or command to run in a container (``E`` and ``ctrl+e``)."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from dtui.engine.exec import SHELL_CANDIDATES
from dtui.ui.safe_text import safe_line
from dtui.ui.type_ahead import OrdersKeys


@dataclass(frozen=True, slots=True)
class ShellChoice:
    """What to run.

    Attributes:
        command: The command's words; empty for the first shell that exists in the container.
    """

    command: tuple[str, ...] = ()


class ShellPrompt(ModalScreen[ShellChoice | None]):
    """Ask for a command; Enter on an empty line takes the first shell found.

    Args:
        container: The container's name (untrusted; shown sanitized).
        where: How it will run, for the question ("in a pane", "full screen").
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="shell_prompt.cancel"),
    ]

    def __init__(self, container: str, where: str) -> None:
        super().__init__()
        self.container = container
        self.where = where
        self.release_keys: Callable[[], None] = _nothing

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            question = Text("Run in ")
            question.append_text(safe_line(self.container, max_length=60, style="bold"))
            question.append(f" ({self.where}):")
            yield Static(question)
            shells = ", else ".join(SHELL_CANDIDATES)
            yield Input(placeholder=f"empty: {shells}; or a command", id="command")
            yield Static("", id="error", classes="error")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            words = shlex.split(event.value)
        except ValueError as error:
            self.query_one("#error", Static).update(Text(f"cannot split the command: {error}", style="red"))
            return
        # The keys typed right behind Enter are for the shell: held until it has the focus.
        self.release_keys = self.app.hold_keys() if isinstance(self.app, OrdersKeys) else _nothing
        self.dismiss(ShellChoice(tuple(words)))

    def action_cancel(self) -> None:
        """Run nothing."""
        self.dismiss(None)


def _nothing() -> None:
    """No keys held."""
