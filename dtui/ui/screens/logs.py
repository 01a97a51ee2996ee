"""The log screen (stub: the log viewer issue builds it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from dtui.engine.models import ContainerSummary
from dtui.ui.safe_text import safe_line


class LogScreen(Screen[None]):
    """Live logs of one container.

    Args:
        container: The container whose logs to show.
    """

    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self, container: ContainerSummary) -> None:
        super().__init__()
        self.container = container

    def compose(self) -> ComposeResult:
        yield Static(safe_line(f"logs of {self.container.name}: coming"))
