"""The merged view's containers: what each one is doing, and the picker of those shown.

`MergedSource` is one container of a merged view; `source_status` draws it in the status
line (``1 web`` in its colour, ``(1 web)`` dimmed when hidden, its state when not live);
`SourcePicker` chooses the containers shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from dtui.engine.models import ContainerSummary


@dataclass(slots=True)
class MergedSource:
    """One container of the merged view.

    Attributes:
        host: The engine it lives on (a row key's host part).
        container: The container as the table listed it.
        label: Its display name (`name_label`).
        colour: Its SGR colour (`name_colour`).
        shown: Whether its lines are shown.
        state: What its stream is doing ("connecting", "following", "stopped", ...).
        prefix: The name column written before each of its lines (SGR + padded label).
    """

    host: str
    container: ContainerSummary
    label: str
    colour: int
    shown: bool = True
    state: str = "connecting"
    prefix: str = ""



def source_status(number: int, source: MergedSource) -> Text:
    """``1 web`` in the container's colour; hidden: ``(1 web)`` dimmed; a state if not live."""
    text = Text()
    if source.shown:
        text.append(f"{number} ", style="bold")
        text.append_text(name_text(source))
    else:
        text.append(f"({number} {source.label})", style="dim")
    return text + state_text(source)


def name_text(source: MergedSource) -> Text:
    """The container's (sanitised) label in its colour."""
    ansi = source.colour - 30 if source.colour < 90 else source.colour - 82
    return Text(source.label, style=f"color({ansi})")


def state_text(source: MergedSource) -> Text:
    """`` exited 0``, `` removed``...: nothing while the stream is (being) followed."""
    if source.state in {"following", "connecting"}:
        return Text()
    return Text(f" {source.state}", style="italic")


class SourcePicker(ModalScreen[frozenset[int] | None]):
    """Choose the containers the merged view shows: space toggles, enter applies, Esc cancels.

    Each row reads ``[x]`` (shown) or ``[ ]`` (hidden), so the choice is visible without
    colour.

    Args:
        sources: The merged view's containers, with what is shown now.
    """

    CSS_PATH = "merged_logs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_row", "Show/hide", id="merged.picker_toggle"),
        Binding("enter", "apply", "Apply", id="merged.picker_apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="merged.picker_cancel"),
    ]

    def __init__(self, sources: Sequence[MergedSource]) -> None:
        super().__init__()
        self.sources = list(sources)
        self.shown = {index for index, source in enumerate(self.sources) if source.shown}

    def compose(self) -> ComposeResult:
        rows = [self._row(index) for index in range(len(self.sources))]
        with Vertical(classes="dialog merged-picker"):
            yield Static(Text("Containers shown", style="bold"))
            yield OptionList(*rows, id="merged-picker-list")
            yield Static(Text("space: show/hide · enter: apply · Esc: cancel", style="dim"))

    def _row(self, index: int) -> Text:
        source = self.sources[index]
        mark = "[x]" if index in self.shown else "[ ]"
        return Text(f"{mark} {index + 1:>2} ") + name_text(source) + state_text(source)

    def action_toggle_row(self) -> None:
        """Show or hide the highlighted container."""
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        self.shown ^= {index}
        options.replace_option_prompt_at_index(index, self._row(index))

    def action_apply(self) -> None:
        """Close with the containers checked."""
        self.dismiss(frozenset(self.shown))

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
