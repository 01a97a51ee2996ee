"""One kind on one host, followed for good: subscribe, list, follow events, ping, retry.

Subscribe to the events THEN list, so nothing created in between is missed. Events are
gathered for :data:`DEBOUNCE_SECONDS`, then the touched objects are listed again (one
refresh at a time) and removals are applied. A silent stream is pinged every
:data:`PING_SECONDS`; any failure is retried with :class:`~dtui.engine.backoff.Backoff`,
counting the wait down once a second.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Generic

from dtui.engine.backoff import Backoff
from dtui.engine.errors import BadRequest, EngineError, EngineUnreachable
from dtui.engine.models import Event
from dtui.live.changes import (
    HostDown,
    HostUp,
    Listed,
    Listener,
    ListingRefused,
    RefreshFailed,
    Removed,
)
from dtui.live.kind import Kind, T

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

SETTLING_ACTIONS = frozenset({"die", "kill", "stop"})
"""Events after which the engine's listing may still show the old state for a moment."""
SETTLE_SECONDS = 1.0
"""After such an event the object is listed once more, this much later."""
DEBOUNCE_SECONDS = 0.1
PING_SECONDS = 10.0
"""How often a host whose event stream is open is pinged (a silent stream may hide a dead link)."""
PING_TIMEOUT = 5.0


class _ListingRefused(Exception):
    """The engine refused the listing filter: retrying would not help."""


async def watch_link(client: EngineClient) -> None:
    """Ping the engine every PING_SECONDS while its event stream is open; raise when it stops answering.

    An event stream has no read timeout (it may be silent for hours), so a link that drops
    without closing (a network partition, a frozen VM) would otherwise never be noticed.
    """
    while True:
        await asyncio.sleep(PING_SECONDS)
        await client.ping(timeout=PING_TIMEOUT)


async def first_to_end(*jobs: Coroutine[Any, Any, None]) -> None:
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


def _as_engine_error(failure: Exception) -> EngineError:
    if isinstance(failure, EngineError):
        return failure
    return EngineError(f"{type(failure).__name__}: {failure}")


class Feed(Generic[T]):
    """The live objects of one kind on one host.

    Args:
        host: The host (the first half of every row key).
        client_of: The host's engine client, asked again on every try.
        kind: What to list and which events to follow.
        notify: Receives every change, in order.

    Attributes:
        objects: The objects now, by id.
        listed: A listing was applied since the feed started.
        failed: A try failed since the feed started (the host was reported down).
    """

    def __init__(self, host: str, client_of: Callable[[], EngineClient], kind: Kind[T], notify: Listener) -> None:
        self.host = host
        self.kind = kind
        self.objects: dict[str, T] = {}
        self.listed = False
        self.failed = False
        self.first_try = asyncio.Event()  # set once the first listing was applied or failed
        self._client_of = client_of
        self._notify = notify
        self._dirty: set[str] = set()
        self._gone: set[str] = set()
        self._flush_handle: asyncio.TimerHandle | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        self._task: asyncio.Task[None] | None = None

    # -- lifetime ----------------------------------------------------------------------

    def start(self) -> None:
        """Follow the host in a task of the running loop until :meth:`stop`."""
        self._task = asyncio.get_running_loop().create_task(self.run(), name=f"live {self.kind.name} {self.host}")

    def stop(self) -> None:
        """Stop following: cancel the stream, a pending refresh and the debounce timer."""
        for task in (self._task, self._refresh_task):
            if task is not None:
                task.cancel()
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None

    @property
    def running(self) -> bool:
        """True while the feed follows its host (False once stopped or refused)."""
        return self._task is not None and not self._task.done()

    async def wait_stopped(self) -> None:
        """Wait until the tasks cancelled by :meth:`stop` have ended."""
        tasks = [task for task in (self._task, self._refresh_task) if task is not None]
        await asyncio.gather(*tasks, return_exceptions=True)

    def touch(self, *ids: str) -> None:
        """Something changed these objects (an action ended): list them again soon."""
        self._dirty.update(ids)
        self._schedule_flush()

    def replay(self) -> None:
        """Tell the listeners what an earlier listing found (for a listener that came after it)."""
        if self.listed:
            self._notify(Listed(self.kind.name, self.host, tuple(self.objects.values()), True, frozenset()))
            self._notify(HostUp(self.kind.name, self.host))

    # -- following ---------------------------------------------------------------------

    async def run(self) -> None:
        """Follow the host for good: subscribe, list, follow events; on failure retry with backoff."""
        backoff = Backoff()
        while True:
            try:
                await self._follow(backoff)
                error: EngineError | None = None
            except _ListingRefused:
                return
            except Exception as failure:  # noqa: BLE001 - e.g. a garbled stream: retry rather than stop watching
                error = _as_engine_error(failure)
            await self._wait_to_retry(error, backoff.next_delay())

    async def _follow(self, backoff: Backoff) -> None:
        """Subscribe to the kind's events, THEN list, then follow events until they end."""
        client = self._client_of()
        if client.api_version is None:
            await client.connect()
        async with self.kind.subscribe(client, self.kind.stream_filters()) as events:
            try:
                listing = await self.kind.list_all(client)
            except BadRequest as error:
                self._notify(ListingRefused(self.kind.name, self.host, error, self.kind.query))
                self.first_try.set()
                raise _ListingRefused from error
            self._apply(listing, complete=True)
            self.listed = True
            self.first_try.set()
            self._notify(HostUp(self.kind.name, self.host))
            backoff.reset()
            await first_to_end(self._follow_events(events), watch_link(client))

    async def _follow_events(self, events: AsyncIterator[Event]) -> None:
        async for event in events:
            self.on_event(event)

    def on_event(self, event: Event) -> None:
        """Note what one event touched; the next flush lists it again (or drops it)."""
        if not self.kind.concerns(event):
            return
        object_id = self.kind.actor_of(event)
        if event.base_action in self.kind.gone_actions:
            self._dirty.discard(object_id)
            self._gone.add(object_id)
        else:
            self._dirty.add(object_id)
            if event.base_action in SETTLING_ACTIONS:
                asyncio.get_running_loop().call_later(SETTLE_SECONDS, self.touch, object_id)
        self._schedule_flush()

    def report_down(self, error: EngineError | None, retry_in: int) -> None:
        """Tell the listeners the host is down (the next try in ``retry_in`` seconds)."""
        self.failed = True
        self.first_try.set()
        self._notify(HostDown(self.kind.name, self.host, error, retry_in))

    async def _wait_to_retry(self, error: EngineError | None, delay: float) -> None:
        """Say the host is down and count the wait down, one change a second."""
        self.report_down(error, math.ceil(delay))
        remaining = delay
        while remaining > 0:
            step = min(1.0, remaining)
            await asyncio.sleep(step)
            remaining -= step
            self.report_down(None, math.ceil(remaining))

    # -- applying ----------------------------------------------------------------------

    def _apply(self, listing: Sequence[T], *, complete: bool, asked: frozenset[str] = frozenset()) -> None:
        answered = {self.kind.id_of(item): item for item in listing}
        if complete:
            self.objects = answered
        else:
            for object_id in asked:
                self.objects.pop(object_id, None)
            self.objects.update(answered)
        self._notify(Listed(self.kind.name, self.host, tuple(listing), complete, asked))
        if self._dirty or self._gone:
            self._schedule_flush()

    def _schedule_flush(self) -> None:
        if self._flush_handle is None:
            self._flush_handle = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self._flush)

    def _flush(self) -> None:
        """Apply removals, and re-list the touched objects (one refresh at a time)."""
        self._flush_handle = None
        if self._gone:
            gone, self._gone = frozenset(self._gone), set()
            for object_id in gone:
                self.objects.pop(object_id, None)
            self._notify(Removed(self.kind.name, self.host, gone))
        if not self._dirty:
            return
        if self._refresh_task is not None and not self._refresh_task.done():
            self._schedule_flush()
            return
        dirty, self._dirty = frozenset(self._dirty), set()
        self._refresh_task = asyncio.get_running_loop().create_task(
            self._refresh(dirty), name=f"refresh {self.kind.name} {self.host}"
        )

    async def _refresh(self, ids: frozenset[str]) -> None:
        """List again the touched objects (all of them when the kind cannot refresh by id)."""
        try:
            client = self._client_of()
            if self.kind.refresh is None:
                self._apply(await self.kind.list_all(client), complete=True)
            else:
                self._apply(await self.kind.refresh(client, ids), complete=False, asked=ids)
        except EngineUnreachable:
            return  # the feed's stream notices, reports the host down and re-lists on return
        except Exception as failure:  # noqa: BLE001 - reported, never lost in a bare task
            self._notify(RefreshFailed(self.kind.name, self.host, _as_engine_error(failure)))
