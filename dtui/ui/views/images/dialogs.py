"""Dialogs of the images view: remove (force toggle), tag, prune; each returns a typed result."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from dtui.ui.screens.modals import OptionsConfirm, ValuePrompt, named_question, option_line

_REFERENCE = re.compile(
    r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]+)?"  # first component, maybe host:port
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"  # more path components
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$"  # the tag
)


def split_reference(reference: str) -> tuple[str, str]:
    """``repo[:tag]`` -> (repo, tag); the tag is ``latest`` when none is given.

    A colon before the last ``/`` belongs to a registry port (``host:5000/app``), not a tag.
    """
    repository, colon, tag = reference.rpartition(":")
    if not colon or "/" in tag:
        return reference, "latest"
    return repository, tag


def reference_problem(reference: str) -> str:
    """Why the engine would refuse ``repo[:tag]`` ("" when it looks acceptable)."""
    if not reference:
        return "type repository[:tag]"
    if not _REFERENCE.match(reference):
        return "lower-case repository (host[:port]/)path, then an optional :tag"
    return ""


class ImageRemoveScreen(OptionsConfirm[bool]):
    """Confirm removing images; `f` toggles force. Dismisses with the force choice, None to cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "confirm", "Remove", id="image_remove.yes"),
        Binding("n,escape", "cancel", "Cancel", id="image_remove.no"),
        Binding("f", "toggle_force", "Force", id="image_remove.force"),
    ]

    def __init__(self, question: Text) -> None:
        super().__init__(question)
        self.force = False

    def options_text(self) -> Text:
        """The force option."""
        return Text(option_line(self.force, "f", "force (also when a container uses it)"))

    def action_toggle_force(self) -> None:
        """Flip the force option."""
        self.force = not self.force
        self.show_options()

    def action_confirm(self) -> None:
        """Remove, with or without force."""
        self.dismiss(self.force)


class TagPrompt(ValuePrompt[str]):
    """Ask for a new ``repo[:tag]`` for an image, checked as you type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="image_tag.cancel"),
    ]
    CHECK_AS_TYPED = True

    def __init__(self, current: str) -> None:
        super().__init__(
            named_question("Tag ", current, " as (repository[:tag]):"), input_id="reference",
            placeholder="registry.example:5000/app:1.0",
        )
        self.current = current

    def parse(self, text: str) -> str:
        """The reference typed (stripped), refused when the engine would refuse it."""
        reference = text.strip()
        problem = reference_problem(reference)
        if problem:
            raise ValueError(problem)
        return reference


class PruneScreen(ModalScreen[bool | None]):
    """Ask what to prune: `d` dangling images only, `a` every unused image. True means all unused."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d,enter", "answer(False)", "Dangling", id="image_prune.dangling"),
        Binding("a", "answer(True)", "All unused", id="image_prune.unused"),
        Binding("n,escape", "cancel", "Cancel", id="image_prune.no"),
    ]

    def __init__(self, where: Text) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        text = Text("Prune images")
        text.append_text(self.where)
        text.append("?\n\n")
        text.append("d", style="bold")
        text.append("  dangling images only (untagged)\n")
        text.append("a", style="bold")
        text.append("  every image no container uses (tagged ones too)\n")
        text.append("Esc", style="bold")
        text.append("  cancel")
        with Vertical(classes="dialog"):
            yield Static(text, id="question")

    def action_answer(self, unused: bool) -> None:
        """Prune dangling (False) or every unused image (True)."""
        self.dismiss(unused)

    def action_cancel(self) -> None:
        """Do not prune."""
        self.dismiss(None)
