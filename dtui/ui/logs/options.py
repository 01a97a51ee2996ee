"""Parsing what the user types in the tail and since prompts of the log screen."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Final

from dtui.engine.streams import parse_rfc3339
from dtui.ui.logs.source import Tail

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
_UNITS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_tail(text: str) -> Tail:
    """Parse the tail prompt: a line count or ``all``.

    Args:
        text: What the user typed.

    Returns:
        A non-negative count, or ``"all"``.

    Raises:
        ValueError: With a message for the user.
    """
    value = text.strip().lower()
    if value in {"all", "*", ""}:
        return "all"
    if not value.isdigit():
        raise ValueError(f"tail must be a number of lines or 'all', not {value[:40]!r}")
    return int(value)


def parse_since(text: str, now: datetime | None = None) -> datetime | None:
    """Parse the since prompt: a duration back from now, an RFC 3339 time or Unix seconds.

    Args:
        text: ``10m``, ``1h30m``, ``2d``, ``2026-11-28T01:00:00Z``, ``1780000000``;
            empty (or ``none``) clears the limit.
        now: The current time (tests pass a fixed one).

    Returns:
        A timezone-aware datetime, or None for no limit.

    Raises:
        ValueError: With a message for the user.
    """
    value = text.strip()
    if value.lower() in {"", "none", "all"}:
        return None
    now = now or datetime.now(UTC)
    if _DURATION.fullmatch(value):
        seconds = sum(float(n) * _UNITS[unit] for n, unit in _DURATION_PART.findall(value))
        return now - timedelta(seconds=seconds)
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return datetime.fromtimestamp(float(value), UTC)
    stamp = parse_rfc3339(value)
    if stamp is None:
        raise ValueError(f"since must look like 10m, 1h or 2026-11-28T01:00:00Z, not {value[:40]!r}")
    return stamp
