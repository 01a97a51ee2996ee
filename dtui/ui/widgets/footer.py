"""Textual's footer, recomposed only when the keys it shows changed.

Textual's ``Footer`` rebuilds all its key widgets after every bindings update (each focus
change, each ``refresh_bindings``), even when the same keys come out: at start-up the
container screen's footer was built five times, each time restyling every key. This one
remembers what it last showed and skips a rebuild that would show the same thing (less
start-up work, and no repaint on a slow link).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """A drop-in ``Footer`` that does not rebuild itself to show the same keys."""

    def __init__(self, *children: Widget, **kwargs: Any) -> None:
        super().__init__(*children, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def _what_to_show(self) -> tuple[object, ...]:
        """Everything ``compose`` reads from the screen's active bindings."""
        if not self._bindings_ready:
            return ()
        return tuple(
            (binding.key, binding.action, binding.description, binding.show, enabled, tooltip,
             binding.group.description if binding.group else None, self.app.get_key_display(binding))
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
        )

    def compose(self) -> ComposeResult:
        self._shown = self._what_to_show()
        children: Iterator[Widget] = iter(super().compose())
        yield from children

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._bindings_ready and screen is self.screen and self._what_to_show() == self._shown:
            return
        super().bindings_changed(screen)
