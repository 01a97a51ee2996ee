"""Snapshot pictures must not depend on when they are taken: input cursors do not blink here."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input


@pytest.fixture(autouse=True)
def steady_input_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Input shows a steady cursor (a blink half a second after focus made pictures flaky)."""
    mount = Input._on_mount

    def steady(self: Input, event: Any) -> None:
        mount(self, event)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "_on_mount", steady)
