"""The status line: host, engine and API version, counts, connection state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from dtui.ui.safe_text import safe_line


class StatusBar(Widget):
    """One line naming the host and the engine.

    Attributes:
        host: The engine address shown.
        engine: The engine's version string.
        api_version: The API version in use.
        running: Running containers.
        total: Listed containers.
        connected: False shows a "disconnected" marker.
    """

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    host: reactive[str] = reactive("")
    engine: reactive[str] = reactive("")
    api_version: reactive[str] = reactive("")
    running: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)
    connected: reactive[bool] = reactive(True)

    def render(self) -> Text:
        line = Text(" ")
        line.append_text(safe_line(self.host, max_length=60))
        line.append(f"  Docker {self.engine or '?'} · API {self.api_version or '?'}")
        line.append(f"  {self.running} running / {self.total}")
        if not self.connected:
            line.append("  DISCONNECTED (ctrl+r re-lists)", style="bold reverse")
        return line
