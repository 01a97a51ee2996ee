"""Past-tense changes a feed reports to its listeners (plain data, no UI)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dtui.engine.errors import EngineError


@dataclass(frozen=True, slots=True)
class Listed:
    """A listing arrived and was applied.

    Attributes:
        kind: The kind's name.
        host: The engine it comes from.
        objects: What the engine answered.
        complete: True for a full listing (objects not in it are gone); False for a
            refresh of only ``asked_ids`` (those not answered left the view).
        asked_ids: The ids a refresh asked for.
    """

    kind: str
    host: str
    objects: tuple[Any, ...]
    complete: bool = True
    asked_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Removed:
    """The engine destroyed these objects (a debounced batch of events)."""

    kind: str
    host: str
    ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class HostUp:
    """The host answered: subscribed to its events and listed."""

    kind: str
    host: str


@dataclass(frozen=True, slots=True)
class HostDown:
    """The host is unreachable; the next try is in ``retry_in`` seconds.

    Attributes:
        error: What failed (None for a countdown update or a stream the engine closed).
        retry_in: Whole seconds before the next try (0: trying now).
    """

    kind: str
    host: str
    error: EngineError | None
    retry_in: int


@dataclass(frozen=True, slots=True)
class ListingRefused:
    """The engine refused the listing itself (a bad filter): the feed stopped; retrying would not help.

    Attributes:
        query: The kind's query (the filter in words) that was refused.
    """

    kind: str
    host: str
    error: EngineError
    query: str


@dataclass(frozen=True, slots=True)
class RefreshFailed:
    """Re-listing the objects events touched failed (not for an unreachable host: that one retries)."""

    kind: str
    host: str
    error: EngineError


Change = Listed | Removed | HostUp | HostDown | ListingRefused | RefreshFailed
Listener = Callable[[Change], None]
"""Called with each change, in the event loop, in order."""
