"""Inspect an engine object from a resource view: fetch its document, then show it read-only.

:func:`open_inspect` is the one seam the volumes and networks views use: a worker fetches
the document (a GET), then :class:`JsonScreen` shows it as indented JSON, sanitized (every
key and value is text the engine or a container author controls).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from dtui.engine.errors import EngineError
from dtui.ui.resources_css import RESOURCES_CSS
from dtui.ui.safe_text import safe_line, safe_text
from dtui.ui.views.screen import ResourceScreen

Fetch = Callable[[Any], Awaitable[Mapping[str, Any]]]
"""Reads one object's inspect document: gets its host's client."""
MAX_DOCUMENT_CHARS = 200_000
"""A bigger document is cut (memory and paint stay bounded)."""


@dataclass
class Inspected(Message):
    """An inspect document arrived (or failed)."""

    title: str
    document: Mapping[str, Any] | None
    error: EngineError | None = None


def document_text(document: Mapping[str, Any]) -> Text:
    """The document as indented JSON, sanitized and bounded."""
    dumped = json.dumps(_plain(document), indent=2, ensure_ascii=False, sort_keys=True)
    if len(dumped) > MAX_DOCUMENT_CHARS:
        dumped = dumped[:MAX_DOCUMENT_CHARS] + "\n… (cut)"
    return safe_text(dumped, keep_sgr=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


class JsonScreen(ModalScreen[None]):
    """An inspect document, scrollable; Esc or q closes.

    Args:
        title: What it is (untrusted: sanitized here).
        document: The inspect answer.
    """

    CSS_PATH: ClassVar[str] = RESOURCES_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="inspect.close"),
    ]

    def __init__(self, title: str, document: Mapping[str, Any]) -> None:
        super().__init__()
        self.title_text = title
        self.document = document

    def compose(self) -> ComposeResult:
        with Vertical(id="json-panel", classes="panel"):
            yield Static(safe_line(self.title_text, max_length=70, style="bold"), classes="panel-title")
            with VerticalScroll(id="json-body"):
                yield Static(document_text(self.document), id="json-text")
            yield Static(Text("↑ ↓ PgUp PgDn scroll, Esc closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#json-body").focus()

    def action_close(self) -> None:
        """Back to the view."""
        self.dismiss(None)


def open_inspect(screen: ResourceScreen[Any], host: str, title: str, fetch: Fetch) -> None:
    """Fetch an object's inspect document in a worker, then show it (errors are told)."""

    async def load() -> None:
        try:
            document = await fetch(screen.view_host.client_for(host))
        except EngineError as error:
            screen.post_message(Inspected(title, None, error))
            return
        screen.post_message(Inspected(title, document))

    screen.run_worker(load(), group="inspect", exclusive=True, exit_on_error=False)


def show_inspected(screen: ResourceScreen[Any], message: Inspected) -> None:
    """Show an arrived document, or the engine's error."""
    if message.error is not None or message.document is None:
        if message.error is not None:
            screen.view_host.show_error(message.error, f"inspecting {message.title}")
        return
    screen.app.push_screen(JsonScreen(message.title, message.document))
