"""The Textual application: owns the engine client and the global keys."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint
from dtui.engine.errors import EngineError
from dtui.engine.models import EngineVersion
from dtui.ui.safe_text import safe_line


class DtuiApp(App[int]):
    """dtui's application.

    Args:
        endpoint: The engine to talk to.
        api_version: The negotiated API version (the CLI already probed the engine).
        engine_version: What ``/version`` answered.
        read_only: Refuse every mutating action.
        show_all: Start with stopped containers listed.
        client: An already-built client (tests pass one bound to a fake transport).
    """

    CSS_PATH = ["dtui.tcss", "logs.tcss", "detail.tcss"]
    TITLE = "dtui"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        *,
        endpoint: Endpoint,
        api_version: str | None = None,
        engine_version: EngineVersion | None = None,
        read_only: bool = False,
        show_all: bool = False,
        client: EngineClient | None = None,
    ) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.client = client or EngineClient(endpoint, api_version=api_version)
        self.engine_version = engine_version
        self.read_only = read_only
        self.show_all = show_all

    def on_mount(self) -> None:
        from dtui.ui.screens.main import MainScreen

        self.push_screen(MainScreen())

    async def on_unmount(self) -> None:
        await self.client.aclose()

    def show_error(self, error: EngineError, context: str) -> None:
        """The one place engine errors reach the user: a notification with the daemon's text."""
        severity = "information" if error.status == 304 else "error"
        message = safe_line(f"{context}: {error.message}", max_length=500)
        self.notify(message, title=error.title, severity=severity, markup=False)
