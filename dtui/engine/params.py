"""Encoding of path arguments and engine filters, shared by every call family."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

Filters = Mapping[str, Sequence[str]]


def quote_path(value: str) -> str:
    """Percent-encode one path argument (a container id or name)."""
    return quote(value, safe="")


def filters_param(filters: Filters | None) -> dict[str, list[str]] | None:
    """Engine filters as the ``filters`` query value (JSON of value lists); None if empty."""
    if not filters:
        return None
    return {key: [values] if isinstance(values, str) else list(values) for key, values in filters.items()}
