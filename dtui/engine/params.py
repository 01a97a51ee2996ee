"""How dtui spells Engine API request arguments: path parts, query values, filters.

Shared by the client and the resource families (``containers``) so neither imports the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

ParamValue = str | int | float | bool | Mapping[str, Any] | None
Filters = Mapping[str, Sequence[str]]


def quote_path(value: str) -> str:
    """Percent-encode one path argument (a container id or name)."""
    return quote(value, safe="")


def encode_params(params: Mapping[str, ParamValue]) -> dict[str, str]:
    """Encode query parameters the way the engine expects.

    Booleans become ``1``/``0``, mappings (filters) become JSON, ``None`` is dropped.
    """
    encoded: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            encoded[key] = "1" if value else "0"
        elif isinstance(value, Mapping):
            encoded[key] = json.dumps(value, separators=(",", ":"))
        else:
            encoded[key] = str(value)
    return encoded


def filters_param(filters: Filters | None) -> dict[str, list[str]] | None:
    """Engine filters as the ``filters`` query value (JSON of value lists); None if empty."""
    if not filters:
        return None
    return {key: [values] if isinstance(values, str) else list(values) for key, values in filters.items()}
