"""Pick one container from a short list (connect or disconnect a network)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dtui.ui.resources_css import RESOURCES_CSS
from dtui.ui.safe_text import safe_line


class PickScreen(ModalScreen[str | None]):
    """A question and a list; Enter picks the highlighted entry's id, Esc picks nothing.

    Args:
        question: What is asked (untrusted parts already sanitized).
        choices: ``(id, label)`` pairs; labels are untrusted (sanitized here).
    """

    CSS_PATH: ClassVar[str] = RESOURCES_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
    ]

    def __init__(self, question: Text, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-panel", classes="panel"):
            yield Static(self.question, classes="panel-title")
            yield OptionList(
                *(Option(safe_line(label, max_length=66), id=choice_id) for choice_id, label in self.choices),
                id="pick-list",
            )
            yield Static(Text("Enter picks, Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Pick nothing."""
        self.dismiss(None)
