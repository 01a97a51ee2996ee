"""The Changes tab: filesystem changes (``docker diff``), coloured, lettered, filterable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from dtui.engine.models import Change
from dtui.ui.safe_text import safe_line
from dtui.ui.widgets.detail_common import ContainerTab

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

KIND_STYLES = {"A": "green", "C": "yellow", "D": "red"}
"""Added, changed, deleted: the letter is always shown too (colour is not the only cue)."""

MAX_KEPT = 20_000
"""Changes kept in memory (a package install can touch many more files)."""

MAX_SHOWN = 2_000
"""Lines rendered at once; the filter narrows the rest."""


def changes_text(changes: list[Change], needle: str, total: int) -> Text:
    """Render the changes whose path contains ``needle`` (case-insensitive).

    Args:
        changes: Changes sorted by path.
        needle: The filter text ("" for all).
        total: How many changes the engine reported (may exceed ``len(changes)``).

    Returns:
        One line per change: the letter and the path in the kind's colour.
    """
    if total == 0:
        return Text("no changes", style="italic")
    wanted = needle.lower()
    shown = [c for c in changes if wanted in c.path.lower()] if wanted else changes
    if not shown:
        return Text("no match", style="italic")
    lines = []
    for change in shown[:MAX_SHOWN]:
        style = KIND_STYLES.get(change.kind, "")
        line = Text(f"{change.kind} ", style=f"bold {style}".strip())
        line.append_text(safe_line(change.path, style=style, keep_sgr=False))
        lines.append(line)
    hidden = len(shown) - MAX_SHOWN + (total - len(changes))
    if hidden > 0:
        lines.append(Text(f"… {hidden} more: narrow with the filter", style="dim"))
    return Text("\n").join(lines)


class ChangesList(VerticalScroll):
    """Scrolls the change list; focusable so the keyboard can scroll it."""


class ChangesView(ContainerTab):
    """Filter box over the list of changes; reloaded each time the tab is shown."""

    DEFAULT_CSS = """
    ChangesView #changes-filter { border: none; height: 1; padding: 0 1; }
    ChangesView ChangesList { height: 1fr; }
    ChangesView #changes-list-text { width: 1fr; }
    """
    GROUP = "detail-changes"
    DOING = "listing changes"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.changes: list[Change] = []
        self.total: int | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter paths", id="changes-filter")
        with ChangesList(id="changes-list"):
            yield Static(Text("loading…"), id="changes-list-text")

    @property
    def focus_target(self) -> ChangesList:
        """What the pane focuses when entering this tab."""
        return self.query_one(ChangesList)

    @property
    def filter_input(self) -> Input:
        """The filter box."""
        return self.query_one("#changes-filter", Input)

    @property
    def search_open(self) -> bool:
        """True while the filter is focused or holds text (Esc clears it first)."""
        box = self.filter_input
        return box.has_focus or bool(box.value)

    async def fetch(self, client: EngineClient, container_id: str) -> list[Change]:
        """The changes (they change as the container runs: fetched on every show)."""
        return await client.containers.changes(container_id)

    def reset(self) -> None:
        self.changes, self.total = [], None

    def show_text(self, text: Text) -> None:
        self._render_list(text)

    def show_result(self, result: object) -> None:
        assert isinstance(result, list)
        self.total = len(result)
        self.changes = sorted(result, key=lambda change: change.path)[:MAX_KEPT]
        self._refilter()

    def _render_list(self, text: Text) -> None:
        self.query_one("#changes-list-text", Static).update(text)

    def _refilter(self) -> None:
        if self.total is not None:
            self._render_list(changes_text(self.changes, self.filter_input.value, self.total))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refilter()
        self.refresh_bindings()  # Esc's meaning depends on the filter text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_target.focus()

    def open_search(self) -> None:
        """Focus the filter box."""
        self.filter_input.focus()

    def close_search(self) -> bool:
        """Clear the filter and return to the list; False when there was nothing to clear."""
        if not self.search_open:
            return False
        self.filter_input.value = ""
        self.focus_target.focus()
        self._refilter()
        return True
