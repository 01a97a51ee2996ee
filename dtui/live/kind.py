"""What a feed follows: how one sort of engine object is listed and which events touch it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from dtui.engine.models import Event

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

T = TypeVar("T")

ListCall = Callable[["EngineClient"], Awaitable[Sequence[T]]]
"""Lists every object of the kind on one engine."""
RefreshCall = Callable[["EngineClient", frozenset[str]], Awaitable[Sequence[T]]]
"""Lists again only these ids (objects not answered are gone from the view)."""
Subscribe = Callable[["EngineClient", dict[str, list[str]]], AbstractAsyncContextManager[AsyncIterator[Event]]]
"""Opens an ``/events`` subscription with these filters."""


def _open_events(client: EngineClient, filters: dict[str, list[str]]) -> AbstractAsyncContextManager[AsyncIterator[Event]]:
    return client.open_events(filters)


def _actor(event: Event) -> str:
    return event.actor_id


@dataclass(frozen=True, eq=False)
class Kind(Generic[T]):
    """One sort of engine object, as a feed follows it.

    Attributes:
        name: What it is called in changes and task names (``"containers"``).
        event_types: The ``/events`` ``type`` values that concern it (``{"container"}``).
        list_all: The full listing call.
        id_of: The id of one listed object (the row key's second half).
        refresh: Re-lists only the ids events touched; None: every touching event re-lists
            everything (for kinds whose events do not name the object's id, e.g. images).
        event_filters: More ``/events`` filters (e.g. ``label``), beside ``type``.
        quiet_actions: Event actions that change nothing a view shows (ignored).
        gone_actions: Event actions after which the object no longer exists.
        actor_of: The id an event touches ("" to ignore the event).
        subscribe: Opens the event stream (``client.open_events`` unless told).
        query: The listing's filter in words (said in errors about it).
        signature: What the listing asks, as data: two kinds of one name and signature list
            the same objects (a view may adopt a feed started early for an equal kind).
    """

    name: str
    event_types: frozenset[str]
    list_all: ListCall[T]
    id_of: Callable[[T], str]
    refresh: RefreshCall[T] | None = None
    event_filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    quiet_actions: frozenset[str] = frozenset()
    gone_actions: frozenset[str] = frozenset({"destroy"})
    actor_of: Callable[[Event], str] = _actor
    subscribe: Subscribe = _open_events
    query: str = ""
    signature: tuple[object, ...] = ()

    def stream_filters(self) -> dict[str, list[str]]:
        """The ``/events`` filters: its types plus :attr:`event_filters`, empty ones left out."""
        filters = {"type": sorted(self.event_types), **{k: list(v) for k, v in self.event_filters.items()}}
        return {key: values for key, values in filters.items() if values}

    def concerns(self, event: Event) -> bool:
        """True when the event may change what a view of this kind shows."""
        if event.type not in {"", *self.event_types}:
            return False
        return bool(self.actor_of(event)) and event.base_action not in self.quiet_actions
