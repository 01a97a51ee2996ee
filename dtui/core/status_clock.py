"""A container's Status text ("Up 3 seconds", "Exited (0) 5 minutes ago") kept true over time.

The daemon computes ``Status`` when it answers the listing, and the listing has no start or
finish time. So the text is read once into an anchor (started ≈ listed - 3 s) and rendered
again from it whenever the clock moves, with the daemon's own wording. The anchor is as
precise as the text it came from: to the second in the first minute, to the minute in the
first hour, to the hour in the first two days, and so on. A later listing whose text agrees
with the anchor keeps it, so a precise anchor is never replaced by a coarser one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
          "month": 30 * 86400, "year": 365 * 86400}
_WORDS = {"Less than a second": 0, "About a minute": 60, "About an hour": 3600}
_AGE = r"(?P<age>Less than a second|About a minute|About an hour|\d+ (?:second|minute|hour|day|week|month|year)s?)"
_UP = re.compile(rf"^(?P<prefix>Up ){_AGE}(?P<suffix>(?: \([^()]*\))*)$")
_SINCE = re.compile(rf"^(?P<prefix>(?:Exited|Restarting) \(-?\d+\) ){_AGE}(?P<suffix> ago)$")
_EXIT_CODE = re.compile(r"^(?:Exited|Restarting) \((?P<code>-?\d+)\)")
_TICKING_STATES = {"running": _UP, "paused": _UP, "restarting": _SINCE, "exited": _SINCE}


def human_duration(seconds: float) -> str:
    """A duration in the daemon's words: ``1 second``, ``About a minute``, ``3 hours``, ``2 weeks``."""
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole < 60:
        return "1 second" if whole == 1 else f"{whole} seconds"
    minutes = whole // 60
    if minutes < 60:
        return "About a minute" if minutes == 1 else f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    for unit, limit, size in (("days", 24 * 14, 24), ("weeks", 24 * 60, 24 * 7), ("months", 24 * 730, 24 * 30)):
        if hours < limit:
            return f"{hours // size} {unit}"
    return f"{whole // _UNITS['year']} years"


def _seconds_of(age: str) -> int:
    if age in _WORDS:
        return _WORDS[age]
    count, unit = age.split()
    return int(count) * _UNITS[unit.rstrip("s")]


@dataclass(frozen=True, slots=True)
class StatusClock:
    """A Status text as ``prefix + age + suffix``, the age measured from ``anchor``.

    Attributes:
        prefix: ``"Up "`` or ``"Exited (0) "``.
        anchor: When the container started (Up) or stopped (Exited); None: the text never changes.
        suffix: ``" (healthy)"``, ``" (Paused)"``, ``" ago"`` or nothing.
        text: The text as the daemon sent it (shown as is when there is no anchor).
    """

    prefix: str
    anchor: datetime | None
    suffix: str
    text: str

    def render(self, now: datetime) -> str:
        """The Status text at ``now``."""
        if self.anchor is None:
            return self.text
        return f"{self.prefix}{human_duration((now - self.anchor).total_seconds())}{self.suffix}"


def read_status(state: str, status: str, listed_at: datetime) -> StatusClock:
    """Read the daemon's Status text of a container in ``state``, listed at ``listed_at``.

    A text that does not fit the state's usual form (another engine, "Created", "Dead")
    stays as it is.
    """
    pattern = _TICKING_STATES.get(state)
    match = pattern.match(status) if pattern is not None else None
    if match is None:
        return StatusClock("", None, "", status)
    anchor = listed_at - timedelta(seconds=_seconds_of(match["age"]))
    return StatusClock(match["prefix"], anchor, match["suffix"], status)


def follow_status(previous: StatusClock | None, state: str, status: str, listed_at: datetime) -> StatusClock:
    """The clock of a new listing: the previous anchor when it still tells the same age."""
    clock = read_status(state, status, listed_at)
    if previous is None or previous.anchor is None or clock.anchor is None or previous.prefix != clock.prefix:
        return clock
    kept = replace(clock, anchor=previous.anchor)
    return kept if kept.render(listed_at) == status else clock


def exit_code(status: str) -> int | None:
    """The exit code in ``Exited (137) 2 minutes ago`` (None when the text has none)."""
    match = _EXIT_CODE.match(status)
    return int(match["code"]) if match else None
