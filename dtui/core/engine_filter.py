"""The engine filter typed at the `f` prompt: ``status=exited label=env=prod limit=5 size=1``.

Every ``key=value`` word becomes an engine filter sent to ``GET /containers/json`` (the
daemon validates keys and values and answers 400 with its reason); ``limit=N`` and
``size=1`` are listing options instead.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class FilterSyntaxError(ValueError):
    """The filter text is not a list of ``key=value`` words."""


@dataclass(frozen=True, slots=True)
class EngineFilter:
    """A parsed engine filter.

    Attributes:
        text: The text as typed (shown in the status line).
        filters: Engine filters, values of one key in typed order.
        limit: Only the N most recently created containers, or None.
        size: Ask the engine for container sizes (slow on big hosts).
    """

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    limit: int | None = None
    size: bool = False

    def with_label(self, label: str) -> EngineFilter:
        """This filter plus one more ``label`` condition (labels are AND'ed by the engine)."""
        merged = {key: list(values) for key, values in self.filters.items()}
        merged.setdefault("label", []).append(label)
        return EngineFilter(self.text, merged, self.limit, self.size)


def parse_engine_filter(text: str) -> EngineFilter:
    """Parse the words typed at the filter prompt.

    Args:
        text: ``key=value`` words separated by spaces; quote a value holding spaces.

    Returns:
        The filter (empty text gives an empty filter).

    Raises:
        FilterSyntaxError: For a word without ``=``, a bad ``limit`` or ``size``.
    """
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise FilterSyntaxError(f"cannot split the filter: {error}") from error
    filters: dict[str, list[str]] = {}
    limit: int | None = None
    size = False
    for word in words:
        key, sep, value = word.partition("=")
        key = key.strip()
        if not sep or not key:
            raise FilterSyntaxError(f"{word!r} is not key=value (e.g. status=exited)")
        if key == "limit":
            limit = _parse_limit(value)
        elif key == "size":
            size = _parse_flag(key, value)
        else:
            filters.setdefault(key, []).append(value)
    return EngineFilter(" ".join(text.split()), filters, limit, size)


def _parse_limit(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise FilterSyntaxError(f"limit needs a positive number, not {value!r}")
    return int(value)


def _parse_flag(key: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise FilterSyntaxError(f"{key} takes 1 or 0, not {value!r}")
