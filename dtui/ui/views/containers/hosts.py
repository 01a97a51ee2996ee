"""The container screen's hosts: status line, stale rows, outage notices, the host switcher."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual import work
from textual.message import Message

from dtui.engine.errors import EngineError
from dtui.engine.models import ContainerSummary
from dtui.live.changes import HostDown, HostUp
from dtui.core.hosts import DOWN, UP, HostConnection, HostStatus
from dtui.ui.messages import EngineFailed
from dtui.ui.safe_text import safe_plain
from dtui.ui.views.screen import ResourceScreen
from dtui.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from dtui.ui.app import DtuiApp
    from dtui.ui.widgets.detail_pane import DetailPane

DOWN_NOTICE_SECONDS = 30.0
"""A host that keeps dropping is notified at most once in this many seconds (the status line says the rest)."""


@dataclass
class HostsConnected(Message):
    """Every host picked in the switcher answered: show exactly these."""

    connections: list[HostConnection]


class HostsMixin(ResourceScreen[ContainerSummary]):
    """Hosts of the container screen (mixed into :class:`~.screen.MainScreen`)."""

    _down_noticed: dict[str, float]
    _outage_told: set[str]
    _detail: DetailPane | None = None

    @property
    def detail_pane(self) -> DetailPane | None:
        """The detail pane, once the first Enter mounted it."""
        return self._detail

    @property
    def dtui(self) -> DtuiApp:
        """The app, typed."""
        return cast("DtuiApp", self.app)

    @property
    def host(self) -> str:
        """The current host (the first of the hosts shown): `c` creates there."""
        return self.dtui.endpoint.host

    def overview_follow_view(self, *_: object) -> None:
        """Sample the running rows in view (the overview mixin does it)."""

    def show_hosts(self) -> None:
        """Bring the status line and the table's Host column in line with the app's hosts."""
        connections = self.dtui.connections
        status = self.query_one(StatusBar)
        status.host = self.host
        status.hosts = tuple(
            HostStatus(c.host, c.label, c.state, c.retry_in) for c in connections.values()
        )
        version = self.dtui.engine_version
        status.engine = version.version if version else ""
        status.product = "Podman" if self.dtui.client.is_podman else "Docker"
        status.api_version = self.dtui.client.api_version or ""
        status.warnings = tuple(w for c in connections.values() for w in c.endpoint.warnings)
        self.table.set_hosts({host: c.label for host, c in connections.items()})

    def _set_host_state(self, host: str, state: str, retry_in: int = 0) -> None:
        connection = self.dtui.connections.get(host)
        if connection is None:
            return
        connection.state, connection.retry_in = state, retry_in
        self.show_hosts()

    def live_host_up(self, change: HostUp) -> None:
        """The host answered: status up, rows current, the pane and overview resume."""
        if change.host not in self.dtui.connections:
            return
        was_down = self.dtui.connections[change.host].state == DOWN
        self._set_host_state(change.host, UP)
        self.table.set_host_stale(change.host, False)
        if was_down:
            if self.detail_pane is not None:
                self.detail_pane.host_reachable(change.host, True)
            self.overview_follow_view()

    def live_host_down(self, change: HostDown) -> None:
        """The host is unreachable: count down, dim its rows, tell the first error once."""
        host = change.host
        connection = self.dtui.connections.get(host)
        if connection is None:
            return
        was_up = connection.state != DOWN
        self._set_host_state(host, DOWN, change.retry_in)
        if was_up:
            self.table.set_host_stale(host, True)
            if self.detail_pane is not None:
                self.detail_pane.host_reachable(host, False)
            self.overview_follow_view()
            self._outage_told.discard(host)
        if change.error is not None and host not in self._outage_told:
            self._tell_outage(host, change.error)

    def _tell_outage(self, host: str, error: EngineError) -> None:
        """Notify the first error of an outage (at most once in DOWN_NOTICE_SECONDS for a flapping host)."""
        self._outage_told.add(host)
        now = time.monotonic()
        if now - self._down_noticed.get(host, -DOWN_NOTICE_SECONDS) >= DOWN_NOTICE_SECONDS:
            self._down_noticed[host] = now
            self.dtui.show_error(error, "watching container events")

    def action_hosts(self) -> None:
        """Open the host switcher; connect to what was picked in a worker."""
        from dtui.ui.screens.hosts import CONNECTED, HostChoice, HostEntry, HostSwitcher

        def chosen(choice: HostChoice | None) -> None:
            if choice is not None and choice.targets:
                self.connect_hosts(choice.targets)

        connected = [HostEntry(c.target, c.label, CONNECTED, c.state) for c in self.dtui.connections.values()]
        self.app.push_screen(HostSwitcher(connected, self.dtui.recent_targets()), chosen)

    @work(exclusive=True, group="hosts-connect", exit_on_error=False)
    async def connect_hosts(self, targets: tuple[str, ...]) -> None:
        """Connect to every target (all or nothing), then show exactly those hosts."""
        self.notify(safe_plain(f"connecting to {', '.join(targets)}", max_length=200), markup=False, timeout=3)
        opened: list[HostConnection] = []
        known = {c.host for c in self.dtui.connections.values()}
        try:
            for target in targets:
                opened.append(await self.dtui.open_connection(target))
        except BaseException as error:  # failed, or cancelled by a newer pick: close what this one opened
            for connection in opened:
                if connection.host not in known:
                    await connection.client.aclose()
            if not isinstance(error, EngineError):
                raise
            self.post_message(EngineFailed(error, f"connecting to {target}"))
            return
        self.post_message(HostsConnected(opened))

    def on_hosts_connected(self, message: HostsConnected) -> None:
        unique = list({c.host: c for c in message.connections}.values())
        self.dtui.use_connections(unique)
        self.hosts_changed()

    def hosts_changed(self) -> None:
        """The app's host set changed: drop the rows of hosts that left, follow the rest."""
        hosts = set(self.dtui.hosts)
        self.hosts_left(hosts)
        pane = self.detail_pane
        if pane is not None and pane.host is not None and pane.host not in hosts:
            self.remove_class("-pane-open", "-pane-full")
        self.table.keep_hosts(hosts)
        self.show_hosts()
        self.view_changed()
        self.follow()

    def hosts_left(self, hosts: set[str]) -> None:
        """Only ``hosts`` remain: stop what was done for the others (the overview mixin does)."""
