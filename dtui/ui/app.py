"""The Textual application: owns the engine client, the global keys and the error handler."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

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
        filters: The engine filter to start with, as typed at the `f` prompt
            (e.g. ``"label=env=prod status=running"``).
        stop_timeout: Seconds the engine waits before killing on stop/restart (None: its
            default, 10).
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
        filters: str = "",
        stop_timeout: int | None = None,
    ) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.client = client or EngineClient(endpoint, api_version=api_version)
        self.engine_version = engine_version
        self.read_only = read_only
        self.show_all = show_all
        self.initial_filter = filters
        self.stop_timeout = stop_timeout

    def on_mount(self) -> None:
        from dtui.ui.screens.main import MainScreen

        self.push_screen(MainScreen())

    async def on_unmount(self) -> None:
        await self.client.aclose()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: Textual's commands plus every action of the current screen."""
        yield from super().get_system_commands(screen)
        palette_commands = getattr(screen, "palette_commands", None)
        if palette_commands is not None:
            yield from palette_commands()

    def show_error(self, error: EngineError, context: str) -> None:
        """The one place engine errors reach the user: a notification with the daemon's text."""
        severity = "information" if error.status == 304 else "error"
        message = safe_line(f"{context}: {error.message}", max_length=500)
        self.notify(message, title=error.title, severity=severity, markup=False)
