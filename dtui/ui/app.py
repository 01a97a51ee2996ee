"""The Textual application: owns the engine client, the global keys and the error handler."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import Monochrome, NoColor
from textual.notifications import SeverityLevel
from textual.screen import Screen

from dtui.config import Config, check_keymap
from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint, EndpointError
from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.engine.models import EngineVersion
from dtui.engine.tls import TlsFlags
from dtui.live.state import LiveState
from dtui.core.hosts import UP, HostConnection, load_recent, remember_recent, resolve_target
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.screens.choice import InternalErrorScreen
from dtui.ui.type_ahead import OrdersKeys
from dtui.ui.worker_errors import ErrorReported, ReportsWorkerErrors

MAX_CRASH_KINDS = 100
"""Kinds of crash remembered as already shown in a modal (memory stays bounded)."""

Connector = Callable[[Endpoint], EngineClient]
"""Builds the client of a newly chosen host (tests pass one returning fake clients)."""

ScreenFactory = Callable[[], Screen[Any]]
"""Builds the first screen."""

TERMINAL_OWNS = frozenset({"command_palette", "quit"})
"""App actions bound with priority (ctrl+p, ctrl+q) whose keys go to a focused terminal instead."""

FIRST_SCREEN = "dtui.ui.views.containers.screen:MainScreen"
"""The screen dtui opens on, by name (the app imports no screen module: no import circle)."""

KEYMAP_SCOPES = {
    "the main screen": "dtui.ui.views.containers.screen:MainScreen",
    "the tables": "dtui.ui.views.row_table:RowTable",
    "the detail pane": "dtui.ui.widgets.detail_pane:DetailPane",
    "the resource detail pane": "dtui.ui.views.detail:ResourceDetail",
    "the images screen": "dtui.ui.views.images.screen:ImagesScreen",
    "the disk usage screen": "dtui.ui.views.images.disk_usage:DiskUsageScreen",
    "the log screen": "dtui.ui.logs.screen:LogScreen",
    "the merged log screen": "dtui.ui.logs.merged:MergedLogScreen",
    "the swarm services screen": "dtui.ui.views.swarm.services:ServicesScreen",
    "the swarm tasks screen": "dtui.ui.views.swarm.tasks:TasksScreen",
    "the swarm nodes screen": "dtui.ui.views.swarm.nodes:NodesScreen",
    "the volumes screen": "dtui.ui.views.volumes.screen:VolumesScreen",
    "the networks screen": "dtui.ui.views.networks.screen:NetworksScreen",
    "the shells pane": "dtui.ui.terminal.pane:ShellPane",
    "a terminal": "dtui.ui.terminal.view:TerminalView",
}
"""Where remappable bindings live, per scope named in keymap problems, by name."""


def load_named(name: str) -> Any:
    """The object a ``"package.module:attribute"`` name gives (imported on first use)."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)


def default_connector(endpoint: Endpoint) -> EngineClient:
    """A real client, honouring ``DOCKER_API_VERSION``."""
    return EngineClient.from_env(endpoint)


class DtuiApp(OrdersKeys, ReportsWorkerErrors, App[int]):
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
        more_hosts: Further engines shown in the same table (``-H`` repeated): each an
            endpoint, or an already-built client (tests), or a (target, endpoint or client)
            pair naming how the user spelled it.
        target: How the user named ``endpoint`` (an address or ``context:NAME``).
        hosts_file: Where hosts picked in the switcher are remembered (None: not kept).
        connector: Builds the client of a host picked in the switcher.
        tls_flags: The TLS command-line flags, applied to addresses typed in the switcher.
        ssh_options: Extra ssh arguments for ``ssh://`` addresses typed in the switcher.
        first_screen: Builds the screen dtui opens on (default: the container view).

    Attributes:
        live: What every host holds now, kept current from its events (views subscribe).
    """

    CSS_PATH = ["dtui.tcss", "logs/logs.tcss", "detail.tcss", "views/resources.tcss", "terminal/terminal.tcss"]
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
        more_hosts: Sequence[HostSpec] = (),
        target: str | None = None,
        hosts_file: Path | None = None,
        connector: Connector = default_connector,
        tls_flags: TlsFlags | None = None,
        ssh_options: Sequence[str] = (),
        first_screen: ScreenFactory | None = None,
    ) -> None:
        super().__init__()
        if self.no_color:
            # Textual's NO_COLOR filter still paints in greys; NO_COLOR means no colour codes.
            self._filters = [f for f in self._filters if not isinstance(f, Monochrome)] + [NoColor()]
        self.config = config or Config()
        self.theme_file = theme_file
        self.endpoint = endpoint
        self.client = client or EngineClient(endpoint, api_version=api_version)
        if client is None and engine_version is not None:  # the CLI's probe learnt Docker or Podman
            self.client.engine_kind = engine_version.product.lower()
        self.engine_version = engine_version
        self.hosts_file = hosts_file
        self.connector = connector
        self.tls_flags = tls_flags
        self.ssh_options = tuple(ssh_options)
        first = HostConnection(target or endpoint.host, endpoint, self.client, engine_version.version if engine_version else "")
        self.connections: dict[str, HostConnection] = {first.host: first}
        for spec in more_hosts:
            connection = self._connection_of(spec)
            self.connections.setdefault(connection.host, connection)
        self._retired: dict[str, EngineClient] = {}
        self.read_only = read_only
        self.show_all = show_all
        self.initial_filter = filters
        self.stop_timeout = stop_timeout
        self.live = LiveState(self.client_for)
        self._first_screen: ScreenFactory = first_screen or load_named(FIRST_SCREEN)
        self._crashes_shown: set[tuple[str, str]] = set()

    def on_mount(self) -> None:
        problems = list(self.config.problems)
        problems += self._apply_theme()
        problems += self._apply_keymap()
        self.push_screen(self._first_screen())
        for problem in problems:
            self.notify(safe_plain(problem, max_length=300), title="Config", severity="warning", markup=False, timeout=15)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ctrl+p and ctrl+q reach the shell while a terminal has the focus."""
        if action in TERMINAL_OWNS and getattr(self.focused, "holds_app_keys", False):
            return False
        return super().check_action(action, parameters)

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

    def _connection_of(self, spec: HostSpec) -> HostConnection:
        target, what = spec if isinstance(spec, tuple) else (None, spec)
        if isinstance(what, EngineClient):
            endpoint, client = what.endpoint, what
        else:
            endpoint, client = what, self.connector(what)
        return HostConnection(target or endpoint.host, endpoint, client)

    @property
    def hosts(self) -> list[str]:
        """The hosts shown in the table, the first one being the current host."""
        return list(self.connections)

    def client_for(self, host: str | None = None) -> EngineClient:
        """The engine client of ``host`` (a row key's host part); None: the current host.

        Every screen that acts on a container asks here, so actions, logs and stats reach
        the engine the container lives on.

        Raises:
            EngineUnreachable: For a host dtui never connected to in this session.
        """
        if host is None:
            return self.client
        connection = self.connections.get(host)
        if connection is not None:
            return connection.client
        retired = self._retired.get(host)
        if retired is not None:
            return retired
        raise EngineUnreachable(f"dtui is not connected to {host}")

    async def open_connection(self, target: str) -> HostConnection:
        """Resolve a target (address or ``context:NAME``), connect and read its version.

        An already shown host is returned as it is.

        Raises:
            EngineError: When it cannot be resolved or does not answer (the client is closed).
        """
        try:
            endpoint = resolve_target(target, tls_flags=self.tls_flags, ssh_options=self.ssh_options)
        except (EndpointError, ValueError) as error:
            raise EngineError(str(error)) from error
        known = self.connections.get(endpoint.host)
        if known is not None:
            if not known.engine_version:
                known.engine_version = (await known.client.version()).version
            return known
        client = self._retired.pop(endpoint.host, None) or self.connector(endpoint)
        try:
            await client.connect()
            version = await client.version()
        except BaseException:
            await client.aclose()
            raise
        return HostConnection(target, endpoint, client, version.version, state=UP)

    def use_connections(self, connections: Sequence[HostConnection]) -> None:
        """Show exactly these hosts (the first is the current one) and remember them as recent.

        Clients of hosts that leave are kept (not closed) until the app ends, so a screen
        still holding one of their containers keeps working.
        """
        if not connections:
            return
        previous = self.connections
        self.connections = {connection.host: connection for connection in connections}
        for host, connection in previous.items():
            if host not in self.connections:
                self._retired[host] = connection.client
        first = connections[0]
        self.endpoint, self.client = first.endpoint, first.client
        self.engine_version = EngineVersion.from_api({"Version": first.engine_version}) if first.engine_version else None
        used = [c.target for c in connections] + [c.target for c in previous.values()]
        remember_recent(self.hosts_file, used)

    def recent_targets(self) -> list[str]:
        """Hosts picked before, most recent first."""
        return load_recent(self.hosts_file)

    async def on_unmount(self) -> None:
        await self.live.aclose()
        clients = {id(c.client): c.client for c in self.connections.values()}
        clients.update({id(client): client for client in self._retired.values()})
        clients[id(self.client)] = self.client
        for client in clients.values():
            await client.aclose()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette: Textual's commands plus every action of the current screen."""
        yield from super().get_system_commands(screen)
        palette_commands = getattr(screen, "palette_commands", None)
        if palette_commands is not None:
            yield from palette_commands()

    def on_error_reported(self, message: ErrorReported) -> None:
        """The one handler of errors reported by screens and widgets (`dtui.ui.worker_errors`)."""
        if isinstance(message.error, EngineError):
            self.show_error(message.error, message.context)
        else:
            self.show_internal_error(message.error, message.context)

    def show_internal_error(self, error: BaseException, context: str) -> None:
        """A modal naming the crash; dtui keeps running.

        Each kind of crash (what was being done, exception type) gets the modal once; a
        repeat, or a crash while the modal is open, is a toast (a tab that crashes each
        time it is shown again must not trap the user in modals).
        """
        text = f"{context}: {type(error).__name__}: {error}"
        kind = (context, type(error).__name__)
        if isinstance(self.screen, InternalErrorScreen) or kind in self._crashes_shown:
            self.notify(safe_plain(text, max_length=300), title="Internal error", severity="error", markup=False)
            return
        if len(self._crashes_shown) < MAX_CRASH_KINDS:
            self._crashes_shown.add(kind)
        body = safe_line(text, max_length=600)
        body.append("\n\ndtui keeps running; the action may not have completed.", style="dim")
        self.push_screen(InternalErrorScreen("Internal error", body, [("OK", None, "primary")]))

    def show_error(self, error: EngineError, context: str) -> None:
        """The one place engine errors reach the user: a notification with the daemon's text."""
        severity: SeverityLevel = "information" if error.status == 304 else "error"
        # A plain string: Textual's toast strips control codes with str methods (a Text crashes it).
        message = safe_plain(f"{context}: {error.message}", max_length=500)
        self.notify(message, title=error.title, severity=severity, markup=False)


HostSpec = Endpoint | EngineClient | tuple[str, Endpoint | EngineClient]


def binding_scopes() -> dict[str, list[tuple[str, str]]]:
    """Every remappable binding, per screen, with the app's own keys in each scope."""

    def pairs(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
        return [(b.id, b.key) for b in bindings if isinstance(b, Binding) and b.id]

    app_keys = pairs(DtuiApp.BINDINGS)
    return {scope: app_keys + pairs(load_named(name).BINDINGS) for scope, name in KEYMAP_SCOPES.items()}
