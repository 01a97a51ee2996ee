"""What a view needs of the app, as a protocol (views never import the app module)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from dtui.config import Config
    from dtui.engine.client import EngineClient
    from dtui.engine.errors import EngineError
    from dtui.live.state import LiveState


class ViewHost(Protocol):
    """The app as views see it (``DtuiApp`` is one)."""

    config: Config
    read_only: bool
    stop_timeout: int | None
    live: LiveState

    @property
    def hosts(self) -> list[str]:
        """The hosts shown, the current one first."""

    def client_for(self, host: str | None = None) -> EngineClient:
        """The engine client of a host."""

    def show_error(self, error: EngineError, context: str) -> None:
        """Tell the user an engine error, with what was being done."""
