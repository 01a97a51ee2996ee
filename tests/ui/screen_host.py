"""A minimal app hosting one dtui screen, for Pilot tests of the form screens."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from dtui.engine.client import EngineClient

_KEY_NAMES = {"\n": "enter", " ": "space"}


class ScreenHost(App[None]):
    """An app with a ``client`` that pushes ``screen`` and keeps its result.

    Attributes:
        results: What the screen was dismissed with (one entry per dismissal).
    """

    def __init__(self, client: EngineClient, screen: Screen[Any]) -> None:
        super().__init__()
        self.client = client
        self._first_screen = screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self._first_screen, self.results.append)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text key by key (newline = enter)."""
    await pilot.press(*(_KEY_NAMES.get(char, char) for char in text))
