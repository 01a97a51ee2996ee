"""The status line: host, engine and API version, counts, filters, connection state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from dtui.ui.safe_text import safe_line


class StatusBar(Widget):
    """One line naming the host and the engine (a second one for security warnings).

    Attributes:
        host: The engine address shown.
        engine: The engine's version string.
        api_version: The API version in use.
        running: Running containers listed.
        total: Listed containers.
        marked: Marked containers.
        engine_filter: The engine filter text in use ("" for none).
        quick_filter: The quick filter text in use ("" for none).
        show_all: True when stopped containers are listed too.
        sort_label: The sort order, e.g. ``"name ▲"``.
        read_only: Show that mutating actions are off.
        connected: False shows a "disconnected" marker.
        warnings: Security warnings about the endpoint, always visible.
    """

    DEFAULT_CSS = """
    StatusBar { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    host: reactive[str] = reactive("")
    engine: reactive[str] = reactive("")
    api_version: reactive[str] = reactive("")
    running: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)
    marked: reactive[int] = reactive(0)
    engine_filter: reactive[str] = reactive("")
    quick_filter: reactive[str] = reactive("")
    show_all: reactive[bool] = reactive(False)
    sort_label: reactive[str] = reactive("")
    read_only: reactive[bool] = reactive(False)
    connected: reactive[bool] = reactive(True)
    warnings: reactive[tuple[str, ...]] = reactive((), layout=True)

    def render(self) -> Text:
        line = Text(" ")
        if not self.connected:
            line.append("DISCONNECTED", style="bold reverse red")
            line.append(" ctrl+r re-lists  ")
        if self.read_only:
            line.append("READ-ONLY", style="bold yellow")
            line.append("  ")
        scope = "all" if self.show_all else "running only"
        line.append(f"{self.running}/{self.total} running ({scope})")
        if self.marked:
            line.append(f"  {self.marked} marked", style="bold cyan")
        if self.engine_filter:
            line.append("  f: ", style="bold")
            line.append_text(safe_line(self.engine_filter, max_length=60))
        if self.quick_filter:
            line.append("  /: ", style="bold")
            line.append_text(safe_line(self.quick_filter, max_length=30))
        if self.sort_label:
            line.append(f"  sort: {self.sort_label}")
        line.append("  ")
        line.append_text(safe_line(self.host, max_length=48))
        line.append(f"  Docker {self.engine or '?'} · API {self.api_version or '?'}")
        for warning in self.warnings:
            line.append("\n ")
            line.append_text(safe_line(f"⚠ {warning}", style="bold red", max_length=200))
        return line
