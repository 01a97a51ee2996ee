"""The Changes tab: filesystem changes (``docker diff``), coloured, lettered, filterable."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from dtui.engine.errors import EngineError, NotFound
from dtui.engine.models import Change
from dtui.ui.safe_text import safe_line
from dtui.ui.widgets.detail_common import ContainerGone, engine_client
from dtui.ui.worker_errors import ReportsWorkerErrors, report_error

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


class ChangesView(ReportsWorkerErrors, Vertical):
    """Filter box over the list of changes; reloaded each time the tab is shown."""

    DEFAULT_CSS = """
    ChangesView #changes-filter { border: none; height: 1; padding: 0 1; }
    ChangesView ChangesList { height: 1fr; }
    ChangesView #changes-list-text { width: 1fr; }
    """

    class Loaded(Message):
        """The changes arrived (sorted by path)."""

        def __init__(self, container_id: str, changes: list[Change]) -> None:
            super().__init__()
            self.container_id = container_id
            self.changes = changes

    class Failed(Message):
        """``/changes`` failed (NotFound: removed)."""

        def __init__(self, container_id: str, error: EngineError) -> None:
            super().__init__()
            self.container_id = container_id
            self.error = error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.container_id = ""
        self.changes: list[Change] = []
        self.total: int | None = None
        self._shown = False

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

    def set_container(self, container_id: str) -> None:
        """Show another container's changes (loading at once when visible)."""
        self.container_id = container_id
        self.changes, self.total = [], None
        self.workers.cancel_group(self, "detail-changes")
        self._render_list(Text("loading…"))
        if self._shown:
            self.activate()

    def activate(self) -> None:
        """Load the changes (every time the tab is shown: they change as the container runs)."""
        if self.container_id:
            self.load(self.container_id)

    def stop(self) -> None:
        """Cancel a pending load."""
        self.workers.cancel_group(self, "detail-changes")

    def on_show(self) -> None:
        self._shown = True
        self.activate()

    def on_hide(self) -> None:
        self._shown = False

    @work(exclusive=True, group="detail-changes", exit_on_error=False)
    async def load(self, container_id: str) -> None:
        """Fetch the changes (latest request wins)."""
        try:
            changes = await engine_client(self).containers.changes(container_id)
        except EngineError as error:
            self.post_message(self.Failed(container_id, error))
            return
        self.post_message(self.Loaded(container_id, changes))

    def on_changes_view_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.container_id != self.container_id:
            return
        self.total = len(message.changes)
        self.changes = sorted(message.changes, key=lambda c: c.path)[:MAX_KEPT]
        self._refilter()

    def on_changes_view_failed(self, message: Failed) -> None:
        message.stop()
        if message.container_id != self.container_id:
            return
        if isinstance(message.error, NotFound):
            self._render_list(Text("container removed", style="italic"))
            self.post_message(ContainerGone(message.container_id))
            return
        self._render_list(safe_line(f"changes failed: {message.error.message}", max_length=300))
        report_error(self, message.error, "listing changes")

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
