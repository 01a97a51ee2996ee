"""Every feed of every host, with the listeners of each kind."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from dtui.live.changes import Change, Listener
from dtui.live.feed import Feed
from dtui.live.kind import Kind

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

ClientOf = Callable[[str], "EngineClient"]
"""The engine client of a host (asked again on every try, so a host switch is seen)."""


class LiveState:
    """What every followed host holds now, one :class:`Feed` per (kind, host).

    Usage (a view)::

        unsubscribe = state.subscribe("containers", listener)   # receives every change
        state.follow(containers_kind(...), ["unix:///var/run/docker.sock"])
        state.objects("containers")                             # {(host, id): object}
        state.touch("containers", host, container_id)           # an action ended: re-list it

    Args:
        client_of: The engine client of a host.
    """

    def __init__(self, client_of: ClientOf) -> None:
        self._client_of = client_of
        self._feeds: dict[tuple[str, str], Feed[Any]] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._stopped: list[Feed[Any]] = []
        self._early: set[tuple[str, str]] = set()  # feeds started before any view followed them

    def subscribe(self, kind: str, listener: Listener) -> Callable[[], None]:
        """Send every change of ``kind`` to ``listener``; returns the call that unsubscribes.

        A kind is followed while someone listens: the last one unsubscribing stops its feeds.
        """
        listeners = self._listeners.setdefault(kind, [])
        listeners.append(listener)

        def unsubscribe() -> None:
            if listener in listeners:
                listeners.remove(listener)
                if not listeners:
                    self.stop(kind)

        return unsubscribe

    async def wait_listed(self, timeout: float) -> None:
        """Wait until every feed listed or failed once, or ``timeout`` seconds passed."""
        waits = [asyncio.ensure_future(feed.first_try.wait()) for feed in self._feeds.values()]
        if not waits:
            return
        await asyncio.wait(waits, timeout=timeout)
        for wait in waits:
            wait.cancel()

    def rebind(self, client_of: ClientOf) -> None:
        """Ask ``client_of`` for hosts' clients from now on (the app takes over a state the CLI made)."""
        self._client_of = client_of

    def start_early(self, kind: Kind[Any], hosts: Iterable[str]) -> None:
        """Follow ``kind`` before any view does, so its listing is asked while the UI loads.

        The first :meth:`follow` of an equal kind (same name and signature) on the same hosts
        adopts these feeds instead of starting new ones; any other follow replaces them.
        """
        self.follow(kind, hosts)
        self._early = {(kind.name, host) for host in hosts}

    def follow(self, kind: Kind[Any], hosts: Iterable[str]) -> None:
        """(Re)start following ``kind`` on exactly these hosts: running feeds of it are replaced.

        A new kind (another filter) or a host switch restarts every feed, retry waits included.
        Feeds started by :meth:`start_early` are adopted once when they match.
        """
        hosts = list(hosts)
        early, self._early = self._early, set()
        if self._adopt(kind, hosts, early):
            return
        self.stop(kind.name)
        for host in hosts:
            feed: Feed[Any] = Feed(host, self._bound_client(host), kind, self._notify)
            self._feeds[(kind.name, host)] = feed
            feed.start()

    def _adopt(self, kind: Kind[Any], hosts: list[str], early: set[tuple[str, str]]) -> bool:
        """Keep the early feeds when they follow this very kind and have not failed; replay them."""
        keys = {(kind.name, host) for host in hosts}
        if not early or keys != early or not kind.signature:
            return False
        feeds = [self._feeds.get(key) for key in keys]
        if not all(feed is not None and feed.running and not feed.failed and feed.kind.signature == kind.signature
                   for feed in feeds):
            return False
        for feed in feeds:
            if feed is not None:
                feed.replay()
        return True

    def stop(self, kind: str) -> None:
        """Stop following ``kind`` anywhere (its objects are forgotten)."""
        for key in [key for key in self._feeds if key[0] == kind]:
            feed = self._feeds.pop(key)
            feed.stop()
            self._stopped = [f for f in self._stopped if f.running] + [feed]

    def feed(self, kind: str, host: str) -> Feed[Any] | None:
        """The feed of ``kind`` on ``host``, if followed."""
        return self._feeds.get((kind, host))

    def touch(self, kind: str, host: str, *ids: str) -> None:
        """These objects changed (an action ended on them): list them again soon."""
        feed = self._feeds.get((kind, host))
        if feed is not None:
            feed.touch(*ids)

    def objects(self, kind: str) -> dict[tuple[str, str], Any]:
        """Every object of ``kind`` now, keyed by (host, id)."""
        return {
            (host, object_id): item
            for (name, host), feed in self._feeds.items() if name == kind
            for object_id, item in feed.objects.items()
        }

    async def aclose(self) -> None:
        """Stop every feed and wait for their tasks to end."""
        feeds = list(self._feeds.values()) + self._stopped
        self._feeds.clear()
        self._stopped = []
        for feed in feeds:
            feed.stop()
        await asyncio.gather(*(feed.wait_stopped() for feed in feeds))

    def _bound_client(self, host: str) -> Callable[[], EngineClient]:
        return lambda: self._client_of(host)

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners.get(change.kind, ())):
            listener(change)
