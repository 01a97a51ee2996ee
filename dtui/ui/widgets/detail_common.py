"""What the detail pane's tabs share: one lifecycle, one result message, the engine client.

Each tab (`ContainerTab`) declares what it fetches and how it shows the result; the base runs
the rest the same way for all: load when shown (again on each show, or every
``REFRESH_SECONDS``), stop when hidden or when the container changes, drop answers for a
container no longer shown, and turn a 404 into "container removed" plus `ContainerGone`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from dtui.core.hosts import client_for
from dtui.engine.errors import EngineError, EngineUnreachable, NotFound
from dtui.ui.safe_text import safe_line, strip_controls
from dtui.ui.worker_errors import ReportsWorkerErrors, report_error

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


@dataclass
class ContainerGone(Message):
    """A tab found the shown container removed (404); the pane shows a notice."""

    container_id: str


@dataclass
class TabLoaded(Message):
    """A tab's fetch for one container answered: ``result``, or the engine's ``error``."""

    container_id: str
    result: object = None
    error: EngineError | None = None


@dataclass
class TabEnded(Message):
    """A tab's stream for one container closed without an error (see `ContainerTab.STREAMS`)."""

    container_id: str


def copy_and_report(widget: Widget, value: str, what: str) -> None:
    """Put ``value`` on the clipboard (OSC 52, control characters stripped) and say so.

    Args:
        widget: Any mounted widget; its app copies and notifies.
        value: The text to copy.
        what: What was copied, as the notice names it ("value", "id").
    """
    widget.app.copy_to_clipboard(strip_controls(value))
    widget.app.notify(f"Copied {what} ({len(value)} characters)", markup=False)


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


class ContainerTab(ReportsWorkerErrors, Vertical):
    """One tab of the container detail pane, showing one container at a time.

    Subclasses set the class attributes and implement `fetch` (or `results` for a stream),
    `show_result` and `show_text`; they may override `reset`, `failure_text` and `ended`.

    Attributes:
        GROUP: The worker group of the tab's loads (one running at a time: latest wins).
        DOING: What a load does, for error reports ("listing processes").
        RELOAD_ON_SHOW: Load again each time the tab is shown (False: once per container).
        REFRESH_SECONDS: Reload on this cadence while shown (None: no timer); an instance
            may pass its own ``refresh_seconds``.
        STREAMS: `results` yields many answers; the tab is live until hidden.
        LOADING: Shown until the first answer.
        container_id: The shown container ("" before the first).
    """

    GROUP: ClassVar[str] = "detail-tab"
    DOING: ClassVar[str] = "loading the tab"
    RELOAD_ON_SHOW: ClassVar[bool] = True
    REFRESH_SECONDS: ClassVar[float | None] = None
    STREAMS: ClassVar[bool] = False
    LOADING: ClassVar[str] = "loading…"

    def __init__(self, *, refresh_seconds: float | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.refresh_seconds = refresh_seconds if refresh_seconds is not None else self.REFRESH_SECONDS
        self.container_id = ""
        self._shown = False
        self._gone = False
        self._loaded_for: str | None = None
        self._live = False
        self._reported = False
        self._timer: Timer | None = None

    @property
    def live(self) -> bool:
        """True while the tab refreshes on a timer or holds a stream open."""
        return self._live

    @property
    def focus_target(self) -> Widget | None:
        """What the pane focuses when entering this tab (None: its tab bar)."""
        return None

    @property
    def search_open(self) -> bool:
        """True while the tab's search or filter is open (searchable tabs override)."""
        return False

    def open_search(self) -> None:
        """Open the tab's search (searchable tabs override)."""

    def close_search(self) -> bool:
        """Close the tab's search; False when none was open (searchable tabs override)."""
        return False

    # -- what a subclass declares ---------------------------------------------------------

    async def fetch(self, client: EngineClient, container_id: str) -> object:
        """One answer for the container (subclasses of non-streaming tabs implement this)."""
        raise NotImplementedError

    async def results(self, client: EngineClient, container_id: str) -> AsyncIterator[object]:
        """The answers to show: one `fetch` by default, many for a streaming tab."""
        yield await self.fetch(client, container_id)

    def show_result(self, result: object) -> None:
        """Show one answer."""
        raise NotImplementedError

    def show_text(self, text: Text) -> None:
        """Show a line in place of a result ("loading…", "container removed")."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget what was shown for the previous container."""

    def failure_text(self, error: EngineError) -> Text | None:
        """A quiet line for an expected failure (e.g. 409 not running); None reports it."""
        return None

    def ended(self) -> None:
        """A stream closed without an error (`STREAMS` tabs)."""

    # -- lifecycle --------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.refresh_seconds is not None:
            self._timer = self.set_interval(self.refresh_seconds, self._tick, pause=True)

    def set_container(self, container_id: str) -> None:
        """Show another container (loading at once when visible)."""
        self.stop()
        self.container_id = container_id
        self._gone = self._reported = False
        self._loaded_for = None
        self.reset()
        self.show_text(Text(self.LOADING))
        if self._shown:
            self.activate()

    def activate(self) -> None:
        """Load now (and keep refreshing or streaming while shown)."""
        if not self.container_id or self._gone or self._live:
            return
        if not self.RELOAD_ON_SHOW and self._loaded_for == self.container_id:
            return
        self._loaded_for = self.container_id
        self._load()
        self._live = self.STREAMS or self._timer is not None
        if self._timer is not None:
            self._timer.reset()
            self._timer.resume()

    def stop(self) -> None:
        """Stop refreshing or streaming (tab left, pane hidden, container changed or gone)."""
        if self._timer is not None:
            self._timer.pause()
        self._live = False
        self.workers.cancel_group(self, self.GROUP)

    def on_show(self) -> None:
        self._shown = True
        self.activate()

    def on_hide(self) -> None:
        self._shown = False
        self.stop()

    def _tick(self) -> None:
        if self.container_id and not self._gone:
            self._load()

    def _load(self) -> None:
        self.run_worker(self._fetch_into_messages(self.container_id), group=self.GROUP,
                        exclusive=True, exit_on_error=False)

    async def _fetch_into_messages(self, container_id: str) -> None:
        try:
            async for result in self.results(engine_client(self), container_id):
                self.post_message(TabLoaded(container_id, result))
        except EngineError as error:
            self.post_message(TabLoaded(container_id, error=error))
            return
        if self.STREAMS:
            self.post_message(TabEnded(container_id))

    # -- answers ------------------------------------------------------------------------------

    def on_tab_loaded(self, message: TabLoaded) -> None:
        message.stop()
        if message.container_id != self.container_id:
            return
        if message.error is not None:
            self._failed(message.error)
            return
        self._reported = False
        self.show_result(message.result)

    def on_tab_ended(self, message: TabEnded) -> None:
        message.stop()
        if message.container_id == self.container_id:
            self._live = False
            self.ended()

    def _failed(self, error: EngineError) -> None:
        if isinstance(error, NotFound):
            self.container_removed()
            return
        if self.STREAMS:
            self._live = False
        if not self.RELOAD_ON_SHOW:
            self._loaded_for = None  # try again when shown next time
        quiet = self.failure_text(error)
        if quiet is not None:
            self.show_text(quiet)
        elif isinstance(error, EngineUnreachable):  # the status line says so; retried
            self.show_text(Text("engine unreachable: disconnected - retrying", style="italic"))
        else:
            self.show_text(safe_line(f"{self.DOING} failed: {error.message}", max_length=300))
            if not self._reported:  # once per outage, not every refresh
                self._reported = True
                report_error(self, error, self.DOING)

    def container_removed(self) -> None:
        """The container is gone: stop, say so, and tell the pane."""
        self._gone = True
        self.stop()
        self.show_text(Text("container removed", style="italic"))
        self.post_message(ContainerGone(self.container_id))
