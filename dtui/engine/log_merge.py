"""Merging the logs of several containers into one stream ordered by the engine's timestamps.

Pure logic (no I/O, no UI). Each container's stream is read on its own, so lines reach dtui
in the order the streams happen to deliver them, not in the order the engine stamped them.
`LogMerger` puts them back in timestamp order:

* The opening tails: a merged view starts only when every source's tail is in (or the source
  failed: `give_up`), then all tails come out merged by timestamp (``heapq.merge``).
* Live lines are held for a short window (`hold` seconds, e.g. 0.2) and released in timestamp
  order: once a line has waited `hold`, it and every held line stamped at or before it come
  out. So lines of two containers arriving up to `hold` apart out of order are shown in
  order, and no line waits much longer than `hold`.
* A line stamped before one already released (it came later than the window) is not dropped:
  it comes out at once, counted in `late`.
* Equal timestamps keep their arrival order (tails: source order), so the output is stable.
* Memory is bounded: beyond `max_held` held lines the oldest is released early; while tails
  are awaited (nothing is released) at most `max_held` more wait, the oldest dropped beyond.

A payload without a timestamp (a notice of dtui's own, say) is ordered as if stamped with its
source's newest timestamp, so it lands after that source's lines.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from itertools import count
from typing import Final, Generic, TypeVar

T = TypeVar("T")

DEFAULT_HOLD: Final = 0.2
"""Seconds a live line is held for lines of other sources stamped before it."""

DEFAULT_MAX_HELD: Final = 20_000
"""Lines held at most (tails included) before the oldest is released early."""

EARLIEST: Final = datetime.min.replace(tzinfo=timezone.utc)
"""The order key of a line without a timestamp when its source has none yet."""

Timed = tuple[datetime | None, T]
"""A payload with the engine's timestamp (None: unknown)."""

# A held entry: (timestamp, arrival sequence, source, payload). The sequence makes every
# entry unique, so payloads are never compared and equal timestamps keep arrival order.
_Entry = tuple[datetime, int, int, T]


def merge_runs(runs: Sequence[Iterable[Timed[T]]]) -> list[tuple[int, T]]:
    """Merge several sources' lines by timestamp (stable: source order breaks ties).

    Each run is sorted by its own timestamps first (stdout and stderr of one container may
    come slightly out of order); a line without a timestamp keeps the one before it.

    Args:
        runs: Per source, its ``(timestamp, payload)`` pairs in arrival order.

    Returns:
        ``(source index, payload)`` pairs in timestamp order.
    """
    return [(source, payload) for _, source, _, payload in _merge_keyed(runs)]


def _merge_keyed(runs: Sequence[Iterable[Timed[T]]]) -> list[tuple[datetime, int, int, T]]:
    """`merge_runs` with the keys: ``(timestamp, source, position, payload)``."""
    keyed = [sorted(_keyed(index, run)) for index, run in enumerate(runs)]
    return list(heapq.merge(*keyed))


def _keyed(source: int, run: Iterable[Timed[T]]) -> list[tuple[datetime, int, int, T]]:
    """Unique keys per line, a missing timestamp carried from the line before."""
    keyed: list[tuple[datetime, int, int, T]] = []
    stamp = EARLIEST
    for position, (timestamp, payload) in enumerate(run):
        if timestamp is not None:
            stamp = timestamp
        keyed.append((stamp, source, position, payload))
    return keyed


class LogMerger(Generic[T]):
    """Order the lines of several sources by timestamp: tails first, then live lines.

    Args:
        sources: How many sources (numbered from 0) send lines.
        hold: Seconds a live line waits for earlier-stamped lines of other sources.
        max_held: Lines held at most; beyond it the oldest is released early.
    """

    def __init__(self, sources: int, hold: float = DEFAULT_HOLD, max_held: int = DEFAULT_MAX_HELD) -> None:
        if max_held < 1:
            raise ValueError("max_held must be positive")
        self.hold = hold
        self.max_held = max_held
        self.late = 0
        """Lines released after a line stamped later than them (they came too late)."""
        self._waiting_tails: set[int] = set(range(sources))
        self._tails: list[list[Timed[T]]] = [[] for _ in range(sources)]
        self._held: list[_Entry[T]] = []  # a heap
        self._arrivals: deque[tuple[float, datetime]] = deque()  # (arrival, stamp), in arrival order
        # Pushed out by max_held, due at the next release (bounded too: while tails are
        # awaited nothing is released).
        self._early: deque[_Entry[T]] = deque(maxlen=max_held)
        self.dropped = 0
        """Lines dropped because even the early-release queue was full (a flood during the wait)."""
        self._sequence = count()
        self._watermark = EARLIEST  # every held line stamped at or before it is due
        self._last_released: datetime | None = None
        self._newest: dict[int, datetime] = {}  # per source, its newest timestamp

    # ------------------------------------------------------------------ input

    @property
    def waiting(self) -> frozenset[int]:
        """The sources whose opening tail is still awaited (nothing is released until none)."""
        return frozenset(self._waiting_tails)

    def __len__(self) -> int:
        """Lines held (tails included)."""
        return len(self._held) + len(self._early) + sum(len(tail) for tail in self._tails)

    def add_tail(self, source: int, lines: Iterable[Timed[T]]) -> None:
        """A source's opening tail is complete.

        Args:
            source: The source's number.
            lines: Its ``(timestamp, payload)`` pairs in arrival order.
        """
        tail = self._tails[source]
        tail.extend(lines)
        if len(tail) > self.max_held:
            del tail[: len(tail) - self.max_held]
        for stamp, _ in tail:
            if stamp is not None:
                self._see(source, stamp)
        self._waiting_tails.discard(source)

    def give_up(self, source: int) -> None:
        """Stop waiting for a source's tail (it failed or was removed)."""
        self._waiting_tails.discard(source)

    def push(self, source: int, timestamp: datetime | None, payload: T, now: float) -> None:
        """Hold a live line (or a notice, without timestamp) for ordering.

        Args:
            source: The source's number.
            timestamp: The engine's timestamp, or None (ordered after the source's newest).
            payload: What to release later.
            now: The current monotonic time, in seconds.
        """
        stamp = self._see(source, timestamp) if timestamp is not None else self._newest_of(source)
        heapq.heappush(self._held, (stamp, next(self._sequence), source, payload))
        self._arrivals.append((now, stamp))
        if len(self._held) > self.max_held:
            if len(self._early) == self.max_held:
                self.dropped += 1
            self._early.append(heapq.heappop(self._held))

    def _see(self, source: int, stamp: datetime) -> datetime:
        newest = self._newest.get(source)
        if newest is None or stamp > newest:
            self._newest[source] = stamp
        return stamp

    def _newest_of(self, source: int) -> datetime:
        stamp = self._newest.get(source, EARLIEST)
        if self._last_released is not None and self._last_released > stamp:
            return self._last_released
        return stamp

    # ------------------------------------------------------------------ output

    def release(self, now: float) -> list[tuple[int, T]]:
        """The lines due now, in timestamp order (nothing while a tail is awaited).

        Args:
            now: The current monotonic time, in seconds.

        Returns:
            ``(source, payload)`` pairs.
        """
        if self._waiting_tails:
            return []
        self._release_tails()
        released = self._release_entries(list(self._early))
        self._early.clear()
        self._advance_watermark(now - self.hold)
        released.extend(self._release_held())
        return released

    def drain(self) -> list[tuple[int, T]]:
        """Everything held, in timestamp order, whatever its age or the awaited tails."""
        self._waiting_tails.clear()
        return self.release(math.inf)

    def _release_tails(self) -> None:
        """Move the tails, merged, among the held lines and make every one of them due."""
        if not any(self._tails):
            return
        merged = _merge_keyed(self._tails)
        self._tails = [[] for _ in self._tails]
        sequence = self._sequence
        self._held.extend((stamp, next(sequence), source, payload) for stamp, source, _, payload in merged)
        heapq.heapify(self._held)
        # Live lines stamped before the newest tail line come out with the tails, in order.
        self._watermark = max(self._watermark, merged[-1][0])

    def _advance_watermark(self, arrived_by: float) -> None:
        arrivals = self._arrivals
        watermark = self._watermark
        while arrivals and arrivals[0][0] <= arrived_by:
            stamp = arrivals.popleft()[1]
            if stamp > watermark:
                watermark = stamp
        self._watermark = watermark

    def _release_held(self) -> list[tuple[int, T]]:
        held = self._held
        watermark = self._watermark
        due: list[_Entry[T]] = []
        while held and held[0][0] <= watermark:
            due.append(heapq.heappop(held))
        return self._release_entries(due)

    def _release_entries(self, entries: Iterable[_Entry[T]]) -> list[tuple[int, T]]:
        last = self._last_released
        released: list[tuple[int, T]] = []
        for stamp, _, source, payload in entries:
            if last is not None and stamp < last:
                self.late += 1
            else:
                last = stamp
            released.append((source, payload))
        self._last_released = last
        return released
