"""The Textual application: owns the engine client, the global keys and the error handler."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import Monochrome, NoColor
from textual.screen import Screen

from dtui.config import Config, check_keymap
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
        config: The loaded config file (keys, theme, confirmations, defaults).
        theme_file: Where a theme picked in the palette is remembered (None: not kept).
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
        config: Config | None = None,
        theme_file: Path | None = None,
    ) -> None:
        super().__init__()
        if self.no_color:
            # Textual's NO_COLOR filter still paints in greys; NO_COLOR means no colour codes.
            self._filters = [f for f in self._filters if not isinstance(f, Monochrome)] + [NoColor()]
        self.config = config or Config()
        self.theme_file = theme_file
        self.endpoint = endpoint
        self.client = client or EngineClient(endpoint, api_version=api_version)
        self.engine_version = engine_version
        self.read_only = read_only
        self.show_all = show_all
        self.initial_filter = filters
        self.stop_timeout = stop_timeout

    def on_mount(self) -> None:
        from dtui.ui.screens.main import MainScreen

        problems = list(self.config.problems)
        problems += self._apply_theme()
        problems += self._apply_keymap()
        self.push_screen(MainScreen())
        for problem in problems:
            self.notify(safe_line(problem, max_length=300), title="Config", severity="warning", markup=False, timeout=15)

    def _apply_theme(self) -> list[str]:
        wanted = self.config.theme or self._remembered_theme()
        if wanted and wanted not in self.available_themes:
            return [f"unknown theme {wanted!r}; known: {', '.join(sorted(self.available_themes))}"]
        if wanted:
            self.theme = wanted
        if self.theme_file is not None:
            self.theme_changed_signal.subscribe(self, self._remember_theme)
        return []

    def _remembered_theme(self) -> str | None:
        if self.theme_file is None or not self.theme_file.is_file():
            return None
        return self.theme_file.read_text(encoding="utf-8").strip() or None

    def _remember_theme(self, theme: object) -> None:
        if self.theme_file is None:
            return
        try:
            self.theme_file.parent.mkdir(parents=True, exist_ok=True)
            self.theme_file.write_text(self.theme + "\n", encoding="utf-8")
        except OSError:
            pass

    def _apply_keymap(self) -> list[str]:
        if not self.config.keys:
            return []
        keymap, problems = check_keymap(self.config.keys, binding_scopes())
        self.set_keymap(keymap)
        return problems

    def client_for(self, host: str | None = None) -> EngineClient:
        """The engine client of ``host`` (a row key's host part); None: the current host.

        Every screen that acts on a container asks here, so actions, logs and stats reach
        the engine the container lives on.
        """
        return self.client

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


def binding_scopes() -> dict[str, list[tuple[str, str]]]:
    """Every remappable binding, per screen, with the app's own keys in each scope."""
    from dtui.ui.screens.logs import LogScreen
    from dtui.ui.screens.main import MainScreen
    from dtui.ui.screens.merged_logs import MergedLogScreen
    from dtui.ui.widgets.detail_pane import DetailPane

    def pairs(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
        return [(b.id, b.key) for b in bindings if isinstance(b, Binding) and b.id]

    app_keys = pairs(DtuiApp.BINDINGS)
    return {
        "the main screen": app_keys + pairs(MainScreen.BINDINGS),
        "the detail pane": app_keys + pairs(DetailPane.BINDINGS),
        "the log screen": app_keys + pairs(LogScreen.BINDINGS),
        "the merged log screen": app_keys + pairs(MergedLogScreen.BINDINGS),
    }
