"""The main screen: status line, the live container table, the detail pane, the footer.

Data flow: the ``live`` worker subscribes to container events, THEN lists (so nothing
created in between is missed), then forwards each event. Events are gathered for ~100 ms,
then the touched containers are listed again by id and merged into the table by key.
Lifecycle actions run one worker per container (never exclusive), show a pending state on
the row, and end in one notification per container.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual import events
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input
from textual.worker import Worker, WorkerState

from dtui.engine.backoff import Backoff
from dtui.engine.errors import BadRequest, EngineError, EngineUnreachable
from dtui.engine.models import ContainerSummary, Event
from dtui.ui.engine_filter import EngineFilter, FilterSyntaxError, parse_engine_filter
from dtui.ui.hosts import DOWN, UP, HostConnection, HostStatus
from dtui.ui.messages import (
    ActionFinished,
    ContainersListed,
    EngineFailed,
    ListingFailed,
    OverviewSampled,
)
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.screens.modals import (
    ConfirmScreen,
    current_keys,
    FilterPrompt,
    HelpScreen,
    RemoveOptions,
    RemoveScreen,
    RenamePrompt,
    SignalPicker,
)
from dtui.ui.stats_overview import DEFAULT_INTERVAL, OverviewFigures, OverviewSampler
from dtui.ui.widgets.container_table import (
    NO_VALUE,
    SORT_FIELDS,
    ContainerTable,
    StatsCells,
    row_key,
    split_row_key,
)
from dtui.ui.widgets.detail_pane import DetailPane
from dtui.ui.widgets.stats_panel import StatsView, format_bytes
from dtui.ui.widgets.top_view import TopView
from dtui.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient
    from dtui.ui.app import DtuiApp

DEBOUNCE_SECONDS = 0.1
PING_SECONDS = 10.0
"""How often a host whose event stream is open is pinged (a silent stream may hide a dead link)."""
PING_TIMEOUT = 5.0
DOWN_NOTICE_SECONDS = 30.0
"""A host that keeps dropping is notified at most once in this many seconds (the status line says the rest)."""
PANE_FOLLOW_SECONDS = 0.15
MUTATING_ACTIONS = frozenset(
    {"start", "stop", "restart", "kill", "pause", "rename", "remove", "create", "duplicate", "scale"}
)
# Events that do not change what a row shows.
_QUIET_EVENTS = frozenset(
    {"exec_create", "exec_start", "exec_detach", "exec_die", "attach", "detach", "resize", "top",
     "copy", "archive-path", "extract-to-dir", "export", "commit", "update"}
)
# Palette titles: what each screen action does, in words.
ACTION_TITLES = {
    "start": "Start the selected or marked containers",
    "stop": "Stop the selected or marked containers",
    "restart": "Restart the selected or marked containers",
    "kill": "Kill the selected or marked containers with a signal",
    "pause": "Pause or unpause the selected or marked containers",
    "rename": "Rename the selected container",
    "remove": "Remove the selected or marked containers",
    "mark": "Mark or unmark the selected container",
    "toggle_all": "Show all containers or only running ones",
    "sort": "Sort by the next column (name, state, created, CPU, memory)",
    "reverse_sort": "Reverse the sort order",
    "quick_filter": "Quick filter by name, image or id",
    "engine_filter": "Engine filter (status=, label=, ancestor=, name=, publish=, limit=, size=)",
    "reload": "Re-list the containers",
    "details": "Show the details of the selected container",
    "logs": "Show the logs of the selected container",
    "merged_logs": "Show the logs of the marked (or all running) containers merged",
    "zoom_pane": "Toggle the detail pane full screen",
    "create": "Create a new container",
    "duplicate": "Duplicate the selected container (create form pre-filled)",
    "scale": "Scale the selected container into N numbered copies",
    "export": "Export the selected container's filesystem to a tar file",
    "help": "Show the keys of this screen",
    "hosts": "Switch hosts, or show several hosts together",
}

HELP_GROUPS = (
    ("Containers", frozenset({"start", "stop", "restart", "kill", "pause", "rename", "remove", "mark",
                              "create", "duplicate", "scale", "export"})),
    ("View", frozenset({"details", "zoom_pane", "logs", "merged_logs", "quick_filter", "engine_filter", "toggle_all",
                        "sort", "reverse_sort", "reload", "hosts", "help"})),
)

Call = Callable[["EngineClient", str], Awaitable[None]]


async def _watch_link(client: EngineClient) -> None:
    """Ping the engine every PING_SECONDS while its event stream is open; raise when it stops answering.

    An event stream has no read timeout (it may be silent for hours), so a link that drops
    without closing (a network partition, a frozen VM) would otherwise never be noticed.
    """
    while True:
        await asyncio.sleep(PING_SECONDS)
        await client.ping(timeout=PING_TIMEOUT)


async def _first_to_end(*jobs: Coroutine[Any, Any, None]) -> None:
    """Run the jobs together until one ends; cancel the others; re-raise the first one's error."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        error = task.exception()
        if error is not None:
            raise error


class _FilterRefused(Exception):
    """The engine refused the listing filter: retrying would not help."""


class HostEventReceived(Message):
    """One host's engine reported a container event."""

    def __init__(self, host: str, event: Event) -> None:
        super().__init__()
        self.host = host
        self.event = event


class HostUp(Message):
    """A host answered: subscribed to its events and listed its containers."""

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host


class HostDown(Message):
    """A host is unreachable; the next try is in ``retry_in`` seconds.

    Attributes:
        host: The host.
        error: What failed (None for a countdown update or a stream the engine closed).
        retry_in: Whole seconds before the next try (0: trying now).
    """

    def __init__(self, host: str, error: EngineError | None, retry_in: int) -> None:
        super().__init__()
        self.host = host
        self.error = error
        self.retry_in = retry_in


class HostsConnected(Message):
    """Every host picked in the switcher answered: show exactly these."""

    def __init__(self, connections: list[HostConnection]) -> None:
        super().__init__()
        self.connections = connections


class MainScreen(Screen[None]):
    """Where the operator lives: every container, live."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "quick_filter", "Filter", id="main.quick_filter"),
        Binding("space", "mark", "Mark", id="main.mark"),
        Binding("s", "start", "Start", id="main.start"),
        Binding("x", "stop", "Stop", id="main.stop"),
        Binding("r", "restart", "Restart", id="main.restart", show=False),
        Binding("K", "kill", "Kill", id="main.kill", show=False),
        Binding("p", "pause", "Pause", id="main.pause", show=False),
        Binding("n", "rename", "Rename", id="main.rename", show=False),
        Binding("D", "remove", "Remove", id="main.remove", show=False),
        Binding("l", "logs", "Logs", id="main.logs"),
        Binding("L", "merged_logs", "Merged logs", id="main.merged_logs", show=False),
        Binding("c", "create", "Create", id="main.create", show=False),
        Binding("C", "duplicate", "Duplicate", id="main.duplicate", show=False),
        Binding("S", "scale", "Scale", id="main.scale", show=False),
        Binding("e", "export", "Export", id="main.export", show=False),
        Binding("enter", "details", "Details", id="main.details", show=False),
        Binding("a", "toggle_all", "All", id="main.toggle_all", show=False),
        Binding("o", "sort", "Sort", id="main.sort", show=False),
        Binding("O", "reverse_sort", "Reverse sort", id="main.reverse_sort", show=False),
        Binding("f", "engine_filter", "Engine filter", id="main.engine_filter", show=False),
        Binding("z", "zoom_pane", "Zoom pane", id="main.zoom_pane", show=False),
        Binding("escape", "escape", "Back", id="main.escape", show=False),
        Binding("ctrl+r", "reload", "Reload", id="main.reload", show=False),
        Binding("H", "hosts", "Hosts", id="main.hosts", show=False),
        Binding("question_mark", "help", "Help", id="main.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._dirty: dict[str, set[str]] = {}  # host -> container ids events touched
        self._gone_keys: set[str] = set()
        self._flush_timer: Timer | None = None
        self._refresh_workers: dict[str, Worker[None]] = {}
        self._pane_timer: Timer | None = None
        self.engine_filter = EngineFilter()
        self._good_filter = EngineFilter()
        self._samplers: dict[str, OverviewSampler] = {}
        self._overview_workers: dict[str, Worker[None]] = {}
        self._overview_on = False  # False while another screen is on top
        self._started = False
        self._down_noticed: dict[str, float] = {}  # host -> when its outage was last notified
        self._outage_told: set[str] = set()  # hosts down whose outage was notified already

    @property
    def dtui(self) -> DtuiApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    @property
    def table(self) -> ContainerTable:
        """The container table."""
        return self.query_one(ContainerTable)

    @property
    def host(self) -> str:
        """The current host (the first of the hosts shown): `c` creates there."""
        return self.dtui.endpoint.host

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield ContainerTable(id="containers")
        yield DetailPane(id="detail", ps_args=self.dtui.config.defaults.ps_args)
        yield Input(placeholder="quick filter: name, image or id (Esc clears)", id="quick-filter")
        yield Footer()

    def on_mount(self) -> None:
        status = self.query_one(StatusBar)
        status.show_all = self.dtui.show_all
        status.warnings = tuple(self.dtui.endpoint.warnings)
        self.table.set_sort(self.dtui.config.defaults.sort, False)
        status.sort_label = self.table.sort_label
        status.read_only = self.dtui.read_only
        self._show_hosts()
        try:
            self.engine_filter = self._good_filter = parse_engine_filter(self.dtui.initial_filter)
        except FilterSyntaxError as error:
            self.notify(safe_plain(str(error)), title="Engine filter", severity="error", markup=False)
        self._apply_filter_view()
        self.table.focus()
        self.live()
        self._start_overview()
        self._started = True
        self.watch(self.table, "scroll_y", self._overview_follow_view, init=False)

    # -- hosts -------------------------------------------------------------------------

    def _show_hosts(self) -> None:
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

    def hosts_changed(self) -> None:
        """The app's host set changed: drop the rows and workers of hosts that left, watch the rest."""
        hosts = set(self.dtui.hosts)
        for host in [h for h in list(self._samplers) if h not in hosts]:
            self.workers.cancel_group(self, f"overview {host}")
            self._overview_workers.pop(host, None)
            del self._samplers[host]
        for worker in list(self.workers):
            if worker.group.startswith("live ") and worker.group[5:] not in hosts:
                worker.cancel()
        self._dirty = {host: ids for host, ids in self._dirty.items() if host in hosts}
        pane = self.query_one(DetailPane)
        if pane.host is not None and pane.host not in hosts:
            self.remove_class("-pane-open", "-pane-full")
        self.table.keep_hosts(hosts)
        self._show_hosts()
        self._update_counts()
        self.live()
        if self._overview_on:
            self._start_overview()

    def _set_host_state(self, host: str, state: str, retry_in: int = 0) -> None:
        connection = self.dtui.connections.get(host)
        if connection is None:
            return
        connection.state, connection.retry_in = state, retry_in
        self._show_hosts()

    def on_host_up(self, message: HostUp) -> None:
        if message.host not in self.dtui.connections:
            return
        was_down = self.dtui.connections[message.host].state == DOWN
        self._set_host_state(message.host, UP)
        self.table.set_host_stale(message.host, False)
        if was_down:
            self.query_one(DetailPane).host_reachable(message.host, True)
            self._overview_follow_view()

    def on_host_down(self, message: HostDown) -> None:
        host = message.host
        connection = self.dtui.connections.get(host)
        if connection is None:
            return
        was_up = connection.state != DOWN
        self._set_host_state(host, DOWN, message.retry_in)
        if was_up:
            self.table.set_host_stale(host, True)
            self.query_one(DetailPane).host_reachable(host, False)
            self._overview_follow_view()
            self._outage_told.discard(host)
        if message.error is not None and host not in self._outage_told:
            self._tell_outage(host, message.error)

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

    # -- listing and events ------------------------------------------------------------

    def _list_args(self, engine_filter: EngineFilter) -> dict[str, object]:
        return {
            "all": self.dtui.show_all,
            "limit": engine_filter.limit,
            "size": engine_filter.size,
            "filters": engine_filter.filters or None,
        }

    def live(self) -> None:
        """(Re)start watching every host: one worker per host, replacing the running one.

        A re-list (filter change, `a`, ctrl+r, a host switch) restarts them all, retry
        waits included.
        """
        for host in self.dtui.hosts:
            self.run_worker(
                self._watch_host(host), name=f"live {host}", group=f"live {host}", exclusive=True,
                exit_on_error=False,
            )

    async def _watch_host(self, host: str) -> None:
        """Follow one host for good: subscribe, list, forward events; on failure retry with backoff."""
        backoff = Backoff()
        engine_filter = self.engine_filter
        while True:
            try:
                await self._follow_host(host, engine_filter, backoff)
                error: EngineError | None = None
            except _FilterRefused:
                return
            except EngineError as failure:
                error = failure
            except Exception as failure:  # noqa: BLE001 - e.g. a garbled stream: retry rather than stop watching
                error = EngineError(f"{type(failure).__name__}: {failure}")
            await self._wait_to_retry(host, error, backoff.next_delay())

    async def _follow_host(self, host: str, engine_filter: EngineFilter, backoff: Backoff) -> None:
        """Subscribe to ``host``'s container events, THEN list, then forward events until they end."""
        client = self.dtui.client_for(host)
        event_filters = {"type": ["container"], **{"label": engine_filter.filters.get("label", [])}}
        event_filters = {key: values for key, values in event_filters.items() if values}
        if client.api_version is None:
            await client.connect()
        async with client.containers.open_events(event_filters) as events:
            try:
                listing = await client.containers.list(**self._list_args(engine_filter))  # type: ignore[arg-type]
            except BadRequest as error:
                self.post_message(ListingFailed(error, engine_filter.text))
                raise _FilterRefused from error
            self.post_message(ContainersListed(listing, host))
            self.post_message(HostUp(host))
            backoff.reset()
            await _first_to_end(self._forward_events(host, events), _watch_link(client))

    async def _forward_events(self, host: str, events: AsyncIterator[Event]) -> None:
        async for event in events:
            self.post_message(HostEventReceived(host, event))

    async def _wait_to_retry(self, host: str, error: EngineError | None, delay: float) -> None:
        """Say the host is down and count the wait down, one status update a second."""
        self.post_message(HostDown(host, error, math.ceil(delay)))
        remaining = delay
        while remaining > 0:
            step = min(1.0, remaining)
            await asyncio.sleep(step)
            remaining -= step
            self.post_message(HostDown(host, None, math.ceil(remaining)))

    def refresh_rows(self, host: str, container_ids: frozenset[str]) -> Worker[None]:
        """List again the containers of ``host`` events touched."""
        return self.run_worker(
            self._refresh_rows(host, container_ids), name=f"refresh {host}", group="refresh", exit_on_error=False
        )

    async def _refresh_rows(self, host: str, container_ids: frozenset[str]) -> None:
        """List again the touched containers (all of them when the filter needs it)."""
        engine_filter = self.engine_filter
        args = self._list_args(engine_filter)
        full = engine_filter.limit is not None or "id" in engine_filter.filters
        if not full:
            args["filters"] = {**engine_filter.filters, "id": sorted(container_ids)}
        try:
            listing = await self.dtui.client_for(host).containers.list(**args)  # type: ignore[arg-type]
        except EngineUnreachable:
            return  # the live worker of this host notices, marks its rows and re-lists on return
        except EngineError as error:
            self.post_message(EngineFailed(error, "refreshing containers"))
            return
        asked = frozenset() if full else container_ids
        self.post_message(ContainersListed(listing, host, complete=full, asked_ids=asked))

    def on_containers_listed(self, message: ContainersListed) -> None:
        host = message.host or self.host
        if host not in self.dtui.connections:
            return  # a listing of a host that left meanwhile
        if message.complete:
            self.table.replace(host, message.containers)
        else:
            self.table.merge(host, message.containers, message.asked_ids)
        self._good_filter = self.engine_filter
        self.query_one(StatusBar).api_version = self.dtui.client.api_version or ""
        self._update_counts()
        self._overview_follow_view()
        if self._dirty or self._gone_keys:
            self._schedule_flush()

    def on_listing_failed(self, message: ListingFailed) -> None:
        if isinstance(message.error, BadRequest) and self.engine_filter != self._good_filter:
            self.dtui.show_error(message.error, f"engine filter {message.filter_text!r}")
            self.engine_filter = self._good_filter
            self._apply_filter_view()
            self.live()
            return
        self.dtui.show_error(message.error, "listing containers")

    def on_host_event_received(self, message: HostEventReceived) -> None:
        event, host = message.event, message.host
        if event.type not in {"", "container"} or not event.actor_id or host not in self.dtui.connections:
            return
        action = event.base_action
        if action in _QUIET_EVENTS:
            return
        if action == "destroy":
            self._dirty.get(host, set()).discard(event.actor_id)
            self._gone_keys.add(row_key(host, event.actor_id))
        else:
            self._dirty.setdefault(host, set()).add(event.actor_id)
        self._schedule_flush()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.dtui.show_error(message.error, message.context)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker crashed on something that is not an engine error: say so, stay usable."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        self.notify(
            safe_plain(f"{event.worker.name} failed: {type(error).__name__}: {error}", max_length=300),
            title="Internal error", severity="error", markup=False,
        )

    def _schedule_flush(self) -> None:
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(DEBOUNCE_SECONDS, self._flush)

    def _flush(self) -> None:
        """Apply removals, and re-list the touched containers (one refresh per host at a time)."""
        self._flush_timer = None
        if self._gone_keys:
            gone, self._gone_keys = self._gone_keys, set()
            self.table.discard(gone)
            self._update_counts()
            self._overview_follow_view()
        for host in [h for h, ids in self._dirty.items() if ids]:
            worker = self._refresh_workers.get(host)
            if worker is not None and worker.is_running:
                self._schedule_flush()
                continue
            dirty = frozenset(self._dirty.pop(host))
            self._refresh_workers[host] = self.refresh_rows(host, dirty)

    def _mark_dirty(self, host: str, container_id: str) -> None:
        self._dirty.setdefault(host, set()).add(container_id)
        self._schedule_flush()

    def _update_counts(self) -> None:
        containers = self.table.containers.values()
        status = self.query_one(StatusBar)
        status.running = sum(1 for c in containers if c.is_running)
        status.total = len(containers)
        status.marked = len(self.table.marks)

    # -- the CPU/MEM overview ----------------------------------------------------------

    def _start_overview(self) -> None:
        """Turn the overview on; each host's worker starts once it has rows in view."""
        self._overview_on = True
        self._overview_follow_view()

    def _sampler_of(self, host: str) -> OverviewSampler:
        sampler = self._samplers.get(host)
        if sampler is None:
            interval = self.dtui.config.defaults.stats_interval
            sampler = self._samplers[host] = OverviewSampler(
                self.dtui.client_for(host),
                lambda figures: self.post_message(OverviewSampled(figures, host)),
                interval=interval if interval > 0 else DEFAULT_INTERVAL,
            )
        return sampler

    def sample_overview(self, host: str) -> Worker[None]:
        """Sample ``host``'s visible running rows every ``stats_interval`` s; cancelled to stop."""
        return self.run_worker(
            self._sampler_of(host).run(), name=f"overview {host}", group=f"overview {host}",
            exclusive=True, exit_on_error=False,
        )

    def _stop_overview(self) -> None:
        self._overview_on = False
        for host in list(self._overview_workers):
            self.workers.cancel_group(self, f"overview {host}")
        self._overview_workers.clear()

    def _overview_follow_view(self, *_: object) -> None:
        """Sample the running rows in view now; clear the figures of rows no longer running.

        Called whenever rows scroll, get filtered, sorted, re-listed, a host goes or comes
        back, or the screen resizes. Rows of an unreachable host are not sampled.
        """
        if not self.is_mounted:
            return
        table = self.table
        in_view: dict[str, list[str]] = {host: [] for host in self.dtui.hosts}
        for key in table.keys_in_view():
            container = table.container(key)
            host, container_id = split_row_key(key)
            if container is not None and container.is_running and not table.is_stale(key) and host in in_view:
                in_view[host].append(container_id)
        for host, ids in in_view.items():
            if not ids and host not in self._samplers:
                continue
            self._sampler_of(host).set_containers(ids)
            worker = self._overview_workers.get(host)
            if self._overview_on and ids and (worker is None or worker.is_finished):
                self._overview_workers[host] = self.sample_overview(host)
        stale = {
            key: StatsCells() for key in table.stats_keys()
            if (container := table.container(key)) is None or not container.is_running
        }
        if stale:
            table.set_many_stats(stale)

    def on_overview_sampled(self, message: OverviewSampled) -> None:
        table = self.table
        host = message.host or self.host
        cells = {
            key: overview_cells(figures)
            for figures in message.figures
            if (container := table.container(key := row_key(host, figures.container_id))) is not None
            and container.is_running and not table.is_stale(key)
        }
        if cells:
            table.set_many_stats(cells)
        self._overview_follow_view()  # a CPU/memory sort may have moved rows in or out of view

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._overview_follow_view)

    def on_screen_suspend(self) -> None:
        """Another screen is on top: stop the overview and the pane's timers and streams."""
        self._stop_overview()
        for view in self.query_one(DetailPane).query("TopView, StatsView"):
            view.stop()  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        """Back on top: resume the overview and the pane's active tab."""
        if not self._started:
            return  # first showing: on_mount starts the overview
        self._start_overview()
        if self.has_class("-pane-open"):
            self.query_one(DetailPane).resume()

    # -- view keys ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide and refuse mutating keys in read-only mode; Esc only when it has a use."""
        if action in MUTATING_ACTIONS and self.dtui.read_only:
            return False
        if action == "escape":
            return self._escape_target() is not None
        return True

    def action_reload(self) -> None:
        """Re-subscribe and re-list."""
        self.live()

    def action_toggle_all(self) -> None:
        """Show all containers, or only running ones."""
        self.dtui.show_all = not self.dtui.show_all
        self.query_one(StatusBar).show_all = self.dtui.show_all
        self.live()

    def action_sort(self) -> None:
        """Sort by the next field."""
        table = self.table
        field = SORT_FIELDS[(SORT_FIELDS.index(table.sort_field) + 1) % len(SORT_FIELDS)]
        table.set_sort(field, False)
        self.query_one(StatusBar).sort_label = table.sort_label
        self._overview_follow_view()

    def action_reverse_sort(self) -> None:
        """Reverse the order."""
        self.table.set_sort(self.table.sort_field, not self.table.sort_reverse)
        self.query_one(StatusBar).sort_label = self.table.sort_label
        self._overview_follow_view()

    def action_mark(self) -> None:
        """Mark or unmark the row under the cursor, then move down."""
        table = self.table
        key = table.cursor_key
        if key is None:
            return
        table.toggle_mark(key)
        table.action_cursor_down()
        self._update_counts()

    def action_quick_filter(self) -> None:
        """Open the quick filter box."""
        box = self.query_one("#quick-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#quick-filter")
    def _quick_filter_changed(self, event: Input.Changed) -> None:
        self.table.set_quick_filter(event.value)
        self.query_one(StatusBar).quick_filter = event.value.strip()
        self._overview_follow_view()

    @on(Input.Submitted, "#quick-filter")
    def _quick_filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.display = False
        self.table.focus()

    def _clear_quick_filter(self) -> None:
        box = self.query_one("#quick-filter", Input)
        box.value = ""
        box.display = False
        self.table.set_quick_filter("")
        self.query_one(StatusBar).quick_filter = ""
        self.table.focus()
        self._overview_follow_view()

    def _escape_target(self) -> str | None:
        box = self.query_one("#quick-filter", Input)
        if box.has_focus or (box.display and box.value):
            return "quick_filter"
        if self.has_class("-pane-open"):
            return "pane"
        if self.table.marks:
            return "marks"
        return None

    def action_escape(self) -> None:
        """Close the quick filter, else the detail pane, else clear the marks."""
        target = self._escape_target()
        if target == "quick_filter":
            self._clear_quick_filter()
        elif target == "pane":
            self.remove_class("-pane-open", "-pane-full")
            self.table.focus()
            self.call_after_refresh(self._overview_follow_view)
        elif target == "marks":
            self.table.clear_marks()
            self._update_counts()

    def action_engine_filter(self) -> None:
        """Ask for the engine filter, then re-list with it."""

        def chosen(engine_filter: EngineFilter | None) -> None:
            if engine_filter is None:
                return
            self.engine_filter = engine_filter
            self._apply_filter_view()
            self.live()

        self.app.push_screen(FilterPrompt(self.engine_filter.text), chosen)

    def _apply_filter_view(self) -> None:
        self.query_one(StatusBar).engine_filter = self.engine_filter.text
        self.table.set_show_size(self.engine_filter.size)

    def action_help(self) -> None:
        """List this screen's keys."""
        self.app.push_screen(HelpScreen("Containers: keys", list(self._key_rows())))

    def _key_rows(self) -> Iterator[tuple[str, str]]:
        """Help rows grouped by purpose; a row with an empty key is a group heading."""
        bindings = list(self._own_bindings())
        for group, actions in HELP_GROUPS:
            yield "", group
            for binding in bindings:
                if binding.action in actions:
                    yield self._current_keys(binding), ACTION_TITLES.get(binding.action, binding.description)
        yield "", "Everywhere"
        yield "Tab", "Move focus between the table and the detail pane"
        yield "q", "Quit"
        yield "ctrl+p", "Command palette (every action)"

    def _current_keys(self, binding: Binding) -> str:
        return current_keys(self, binding)

    def _own_bindings(self) -> Iterator[Binding]:
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.action != "escape":
                if self.check_action(binding.action, ()) is not False:
                    yield binding

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The palette entries of this screen: every action its keys run."""
        for binding in self._own_bindings():
            title = ACTION_TITLES.get(binding.action, binding.description)
            key = self._current_keys(binding)
            yield SystemCommand(title, f"key: {key}", self._palette_callback(binding.action))

    def _palette_callback(self, action: str) -> Callable[[], Awaitable[object]]:
        async def run() -> None:
            await self.run_action(action)

        return run

    # -- detail pane and logs ----------------------------------------------------------

    def _cursor_container(self) -> ContainerSummary | None:
        key = self.table.cursor_key
        return self.table.container(key) if key else None

    def _cursor_target(self) -> tuple[str, ContainerSummary] | None:
        """The (host, container) under the cursor."""
        key = self.table.cursor_key
        container = self.table.container(key) if key else None
        if key is None or container is None:
            return None
        return split_row_key(key)[0], container

    @on(DataTable.RowSelected, "#containers")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_details()

    def action_details(self) -> None:
        """Open the detail pane on the selected container."""
        target = self._cursor_target()
        if target is None:
            return
        host, container = target
        self.add_class("-pane-open")
        self.query_one(DetailPane).show_container(container, host=host)
        self.call_after_refresh(self._overview_follow_view)

    @on(DataTable.RowHighlighted, "#containers")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.has_class("-pane-open"):
            return
        if self._pane_timer is not None:
            self._pane_timer.stop()
        self._pane_timer = self.set_timer(PANE_FOLLOW_SECONDS, self._pane_follow)

    def _pane_follow(self) -> None:
        self._pane_timer = None
        if self.has_class("-pane-open"):
            self.action_details()

    def action_zoom_pane(self) -> None:
        """Toggle the detail pane full screen (opening it if needed)."""
        if not self.has_class("-pane-open"):
            self.action_details()
        self.toggle_class("-pane-full")
        self.call_after_refresh(self._overview_follow_view)

    def action_logs(self) -> None:
        """Open the log screen of the selected container."""
        from dtui.ui.screens.logs import LogScreen

        target = self._cursor_target()
        if target is not None:
            host, container = target
            defaults = self.dtui.config.defaults
            tail = defaults.log_tail or "all"
            self.app.push_screen(LogScreen(container, max_lines=defaults.log_buffer, tail=tail, host=host))

    def action_merged_logs(self) -> None:
        """Open one merged log stream of the marked containers, or of every running one."""
        from dtui.ui.screens.merged_logs import MergedLogScreen

        table = self.table
        keys = table.selected_keys() if table.marks else [
            key for key in table.visible_keys()
            if (container := table.container(key)) is not None and container.is_running
        ]
        sources = [
            (split_row_key(key)[0], container)
            for key in keys if (container := table.container(key)) is not None
        ]
        if not sources:
            self.notify("No running or marked containers to merge", severity="warning", timeout=4)
            return
        defaults = self.dtui.config.defaults
        self.app.push_screen(MergedLogScreen(sources, max_lines=defaults.log_buffer))

    # -- lifecycle actions -------------------------------------------------------------

    def _targets(self) -> list[tuple[str, ContainerSummary]]:
        table = self.table
        found = ((key, table.container(key)) for key in table.selected_keys())
        return [(key, container) for key, container in found if container is not None]

    @staticmethod
    def _question(verb: str, targets: list[tuple[str, ContainerSummary]]) -> Text:
        text = Text(f"{verb.capitalize()} ")
        if len(targets) == 1:
            text.append_text(safe_line(targets[0][1].name, max_length=60, style="bold"))
        else:
            names = ", ".join(c.name for _, c in targets[:5]) + (", …" if len(targets) > 5 else "")
            text.append(f"{len(targets)} containers (", style="bold")
            text.append_text(safe_line(names, max_length=120))
            text.append(")")
        text.append("?")
        return text

    def _confirmed(self, verb: str, targets: list[tuple[str, ContainerSummary]], then: Callable[[], None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmScreen(self._question(verb, targets)), answered)

    def _run_on(self, targets: list[tuple[str, ContainerSummary]], verb: str, pending: str, call: Call) -> None:
        for key, container in targets:
            self.table.set_pending(key, pending)
            self._act(key, container.name, verb, call)

    @work(group="actions", exit_on_error=False)
    async def _act(self, key: str, name: str, verb: str, call: Call) -> None:
        """Run one action on one container (never exclusive: actions run side by side)."""
        if self.dtui.read_only:
            self.post_message(ActionFinished(key, verb, name, EngineError("dtui runs read-only")))
            return
        try:
            host, container_id = split_row_key(key)
            await call(self.dtui.client_for(host), container_id)
        except EngineError as error:
            self.post_message(ActionFinished(key, verb, name, error))
            return
        self.post_message(ActionFinished(key, verb, name))

    def on_action_finished(self, message: ActionFinished) -> None:
        self.table.set_pending(message.key, None)
        self._mark_dirty(*split_row_key(message.key))
        if message.error is not None:
            self.dtui.show_error(message.error, f"{message.verb} {message.name}")
            return
        self.notify(safe_plain(f"{message.name}: {message.verb} done", max_length=200), markup=False, timeout=3)

    def _start_lifecycle(self, verb: str, pending: str, call: Call, *, confirm: bool) -> None:
        targets = self._targets()
        if not targets:
            return
        if (confirm and self.dtui.config.confirms(verb)) or len(targets) > 1:
            self._confirmed(verb, targets, lambda: self._run_on(targets, verb, pending, call))
        else:
            self._run_on(targets, verb, pending, call)

    def action_start(self) -> None:
        """Start the selected or marked containers."""
        self._start_lifecycle("start", "starting", lambda c, i: c.containers.start(i), confirm=False)

    def action_stop(self) -> None:
        """Stop the selected or marked containers (confirmed)."""
        timeout = self.dtui.stop_timeout
        self._start_lifecycle("stop", "stopping", lambda c, i: c.containers.stop(i, timeout), confirm=True)

    def action_restart(self) -> None:
        """Restart the selected or marked containers (confirmed)."""
        timeout = self.dtui.stop_timeout
        self._start_lifecycle(
            "restart", "restarting", lambda c, i: c.containers.restart(i, timeout), confirm=True
        )

    def action_pause(self) -> None:
        """Pause running containers, unpause paused ones."""
        targets = self._targets()
        if not targets:
            return

        def run() -> None:
            for key, container in targets:
                if container.state == "paused":
                    self._run_on([(key, container)], "unpause", "unpausing", lambda c, i: c.containers.unpause(i))
                else:
                    self._run_on([(key, container)], "pause", "pausing", lambda c, i: c.containers.pause(i))

        if len(targets) > 1:
            self._confirmed("pause/unpause", targets, run)
        else:
            run()

    def action_kill(self) -> None:
        """Pick a signal, then send it to the selected or marked containers."""
        targets = self._targets()
        if not targets:
            return

        def picked(signal: str | None) -> None:
            if signal:
                self._run_on(targets, f"kill ({signal})", "killing", lambda c, i: c.containers.kill(i, signal))

        self.app.push_screen(SignalPicker(self._question("send a signal to", targets)), picked)

    def action_rename(self) -> None:
        """Rename the container under the cursor."""
        key = self.table.cursor_key
        container = self.table.container(key) if key else None
        if key is None or container is None:
            return

        def chosen(new_name: str | None) -> None:
            if new_name and new_name != container.name:
                self._run_on(
                    [(key, container)], f"rename to {new_name}", "renaming",
                    lambda c, i: c.containers.rename(i, new_name),
                )

        self.app.push_screen(RenamePrompt(container.name), chosen)

    def action_remove(self) -> None:
        """Remove the selected or marked containers (confirmed, with options)."""
        targets = self._targets()
        if not targets:
            return
        any_running = any(c.is_running for _, c in targets)

        def chosen(options: RemoveOptions | None) -> None:
            if options is None:
                return
            self._run_on(
                targets, "remove", "removing",
                lambda c, i: c.containers.remove(i, force=options.force, volumes=options.volumes),
            )

        if not self.dtui.config.confirms("remove"):
            chosen(RemoveOptions(force=any_running, volumes=False))
            return
        self.app.push_screen(RemoveScreen(self._question("remove", targets), force=any_running), chosen)

    # -- create, duplicate, scale, export ----------------------------------------------

    def _created_on(self, host: str) -> Callable[[str | None], None]:
        def created(container_id: str | None) -> None:
            if container_id:
                self._mark_dirty(host, container_id)

        return created

    def action_create(self) -> None:
        """Open the create form (the container is made on the current host)."""
        from dtui.ui.screens.create import CreateScreen

        self.app.push_screen(CreateScreen(host=self.host), self._created_on(self.host))

    def action_duplicate(self) -> None:
        """Open the create form pre-filled from the selected container."""
        from dtui.ui.screens.create import CreateScreen

        target = self._cursor_target()
        if target is not None:
            host, container = target
            self.app.push_screen(CreateScreen.duplicate(container, host=host), self._created_on(host))

    def action_scale(self) -> None:
        """Scale the selected container into numbered copies."""
        from dtui.ui.screens.scale import ScaleScreen

        target = self._cursor_target()
        if target is not None:
            host, container = target
            self.app.push_screen(ScaleScreen(container, host=host))

    def action_export(self) -> None:
        """Export the selected container's filesystem to a tar file."""
        from dtui.ui.screens.export import ExportScreen

        target = self._cursor_target()
        if target is not None:
            host, container = target
            self.app.push_screen(ExportScreen(container, host=host))


def overview_cells(figures: OverviewFigures) -> StatsCells:
    """The CPU% and MEM cells of one container's figures (``—`` for what is unknown)."""
    cpu_text = NO_VALUE if figures.cpu_percent is None else f"{figures.cpu_percent:.1f}%"
    mem_text = NO_VALUE if figures.memory_used is None else format_bytes(figures.memory_used)
    memory = None if figures.memory_used is None else float(figures.memory_used)
    return StatsCells(cpu_text, mem_text, figures.cpu_percent, memory)
