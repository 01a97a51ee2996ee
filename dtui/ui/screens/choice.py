"""A small modal asking the user to pick one of a few answers (confirmations)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

ChoiceT = TypeVar("ChoiceT")


class ChoiceScreen(ModalScreen[ChoiceT | None], Generic[ChoiceT]):
    """Ask a question; the result is the value of the pressed button, None on Esc.

    Args:
        title: Trusted heading (dtui's own words).
        body: The question; untrusted parts must already be sanitized Text.
        choices: ``(label, value, variant)`` per button, the first one focused.
    """

    CSS_PATH = "../forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="choice.cancel"),
        Binding("left", "app.focus_previous", "Previous", show=False, id="choice.previous"),
        Binding("right", "app.focus_next", "Next", show=False, id="choice.next"),
    ]

    def __init__(self, title: str, body: Text, choices: Sequence[tuple[str, ChoiceT, str]]) -> None:
        super().__init__()
        self._title = title
        self._body = body
        self._choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-panel", classes="panel"):
            yield Static(Text(self._title, style="bold"), classes="panel-title")
            with VerticalScroll(id="choice-body"):
                yield Static(self._body)
            with Horizontal(classes="buttons"):
                for index, (label, _value, variant) in enumerate(self._choices):
                    yield Button(Text(label), variant=variant, id=f"choice-{index}")  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one("#choice-0", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        index = int((event.button.id or "choice-0").removeprefix("choice-"))
        self.dismiss(self._choices[index][1])

    def action_cancel(self) -> None:
        """Answer None."""
        self.dismiss(None)


class InternalErrorScreen(ChoiceScreen[None]):
    """Says a background task crashed on something that is not an engine error (OK closes)."""
