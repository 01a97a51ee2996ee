"""Following one container's log across stops, restarts and engine outages.

Pure engine-side logic (no UI): `ResumeFilter` drops the lines a resumed stream repeats,
and `follow_logs` keeps one container's stream going, yielding its lines and what happened
to the container in between as `FollowEvent` values.

Resuming without duplicates: ``timestamps=1`` is always requested. When a followed stream
ends, the container is inspected; once it runs again the lines ``since`` the last timestamp
seen are asked for, and those at or before it are dropped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from dtui.engine.streams import LogLine

_SEEN_AT_LAST_MAX: Final = 1000


class ResumeFilter:
    """Drop the lines a resumed stream repeats.

    The engine's ``since`` includes lines stamped exactly at that time, and timestamps here
    are microseconds (the engine's nanoseconds truncated), so after a resume every line
    older than the last one seen is dropped, and so is a line stamped at that same
    microsecond that was already shown (same stream and text).
    Within one stream nothing is dropped: stdout and stderr may arrive slightly out of order.
    """

    def __init__(self) -> None:
        self.last: datetime | None = None
        self._seen_at_last: set[tuple[str, str]] = set()
        self._threshold: datetime | None = None
        self._seen_at_threshold: frozenset[tuple[str, str]] = frozenset()

    def reset(self) -> None:
        """Forget everything (the buffer was cleared)."""
        self.__init__()  # type: ignore[misc]

    def begin_resume(self) -> datetime | None:
        """Start filtering against what was seen so far.

        Returns:
            The time to ask the engine for (``since``), or None when nothing was seen.
        """
        self._threshold = self.last
        self._seen_at_threshold = frozenset(self._seen_at_last)
        return self.last

    def resume_since(self, since: datetime | None) -> datetime | None:
        """Start a resume (see `begin_resume`) and return the ``since`` to ask the engine for.

        Args:
            since: The user's own lower limit, used while nothing was seen yet.

        Returns:
            Just before the last line seen, or ``since``.
        """
        last = self.begin_resume()
        if last is None:
            return since
        # One microsecond earlier: float seconds may round up; the filter drops repeats.
        return last - timedelta(microseconds=1)

    def keep(self, line: LogLine) -> bool:
        """Whether to show a line, remembering the newest timestamp seen.

        Args:
            line: The next line of the stream.

        Returns:
            False for a line a resumed stream repeats.
        """
        stamp = line.timestamp
        if stamp is None:
            return True
        threshold = self._threshold
        key = (line.stream, line.text)
        if threshold is not None and (
            stamp < threshold or (stamp == threshold and key in self._seen_at_threshold)
        ):
            return False
        self._remember(stamp, key)
        return True

    def _remember(self, stamp: datetime, key: tuple[str, str]) -> None:
        if self.last is None or stamp > self.last:
            self.last = stamp
            self._seen_at_last = {key}
        elif stamp == self.last and len(self._seen_at_last) < _SEEN_AT_LAST_MAX:
            self._seen_at_last.add(key)
