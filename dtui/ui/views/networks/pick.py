"""Pick one container from a list, typing to narrow it (connect or disconnect a network)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dtui.ui.resources_css import RESOURCES_CSS
from dtui.ui.safe_text import safe_line, strip_controls


class PickScreen(ModalScreen[str | None]):
    """A question, a filter box and a list: Enter picks the highlighted entry's id, Esc nothing.

    Typing narrows the list to the entries containing every typed word; ↓ moves into it,
    Enter in the box picks the first entry shown.

    Args:
        question: What is asked (untrusted parts already sanitized).
        choices: ``(id, label)`` pairs; labels are untrusted (sanitized here).
    """

    CSS_PATH: ClassVar[str] = RESOURCES_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
        Binding("down", "into_list", "List", show=False, id="pick.list"),
    ]

    def __init__(self, question: Text, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-panel", classes="panel"):
            yield Static(self.question, classes="panel-title")
            yield Input(placeholder="type to narrow the list", id="pick-filter", compact=True)
            yield OptionList(*self._options(""), id="pick-list")
            yield Static(Text("Enter picks, ↓ into the list, Esc cancels", style="dim"))

    def _options(self, query: str) -> list[Option]:
        words = query.lower().split()
        return [
            Option(safe_line(label, max_length=66), id=choice_id)
            for choice_id, label in self.choices
            if all(word in strip_controls(label).lower() for word in words)
        ]

    def on_mount(self) -> None:
        self.query_one("#pick-filter", Input).focus()

    @on(Input.Changed, "#pick-filter")
    def _narrow(self, event: Input.Changed) -> None:
        shown = self.query_one(OptionList)
        shown.clear_options()
        shown.add_options(self._options(event.value))
        if shown.option_count:
            shown.highlighted = 0

    @on(Input.Submitted, "#pick-filter")
    def _first(self, event: Input.Submitted) -> None:
        shown = self.query_one(OptionList)
        if shown.option_count:
            self.dismiss(shown.get_option_at_index(shown.highlighted or 0).id)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_into_list(self) -> None:
        """Move from the filter box into the list."""
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        """Pick nothing."""
        self.dismiss(None)
