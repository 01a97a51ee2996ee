"""The main screen: status line, the container table, the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from dtui.engine.errors import EngineError
from dtui.ui.messages import ContainersListed, EngineFailed
from dtui.ui.widgets.container_table import ContainerTable
from dtui.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from dtui.ui.app import DtuiApp


class MainScreen(Screen[None]):
    """Where the operator lives: every container, live."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload", id="main.reload"),
    ]

    @property
    def dtui(self) -> DtuiApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield ContainerTable(id="containers")
        yield Footer()

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.host = self.dtui.endpoint.host
        version = self.dtui.engine_version
        status.engine = version.version if version else ""
        status.api_version = self.dtui.client.api_version or ""
        self.load_containers()

    def action_reload(self) -> None:
        """Re-list the containers."""
        self.load_containers()

    @work(exclusive=True, group="list", exit_on_error=False)
    async def load_containers(self) -> None:
        """List containers from the engine (latest request wins)."""
        client = self.dtui.client
        try:
            if client.api_version is None:
                await client.connect()
            containers = await client.containers.list(all=self.dtui.show_all)
        except EngineError as error:
            self.post_message(EngineFailed(error, "listing containers"))
            return
        self.post_message(ContainersListed(containers))

    def on_containers_listed(self, message: ContainersListed) -> None:
        self.query_one(ContainerTable).show(message.containers)
        status = self.query_one(StatusBar)
        status.api_version = self.dtui.client.api_version or ""
        status.running = sum(1 for c in message.containers if c.is_running)
        status.total = len(message.containers)
        status.connected = True

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.query_one(StatusBar).connected = False
        self.dtui.show_error(message.error, message.context)
