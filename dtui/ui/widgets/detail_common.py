"""What the detail pane's tabs share: the engine client and the "container gone" message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widget import Widget

from dtui.core.hosts import client_for

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


class ContainerGone(Message):
    """A tab found the shown container removed (404); the pane shows a notice."""

    def __init__(self, container_id: str) -> None:
        super().__init__()
        self.container_id = container_id


def engine_client(widget: Widget) -> EngineClient:
    """The engine client of the pane's container: ``DtuiApp.client_for`` its host.

    The host is the nearest ancestor's ``engine_host`` (the detail pane's); test apps
    without ``client_for`` give their ``client``.
    """
    host: str | None = None
    for node in widget.ancestors_with_self:
        if hasattr(node, "engine_host"):
            host = node.engine_host
            break
    return client_for(widget.app, host)


