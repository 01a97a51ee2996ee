"""The container table (moved to :mod:`dtui.ui.views.containers.table`; kept for imports)."""

from dtui.ui.views.containers.table import (
    BASE_COLUMNS,
    HOST_COLUMN,
    MARK,
    NO_VALUE,
    SIZE_COLUMN,
    SORT_FIELDS,
    STALE_MARK,
    STATS_COLUMNS,
    Column,
    ContainerTable,
    StatsCells,
    human_size,
    matches_quick_filter,
    relative_time,
    row_key,
    split_row_key,
)

__all__ = [
    "BASE_COLUMNS", "HOST_COLUMN", "MARK", "NO_VALUE", "SIZE_COLUMN", "SORT_FIELDS", "STALE_MARK",
    "STATS_COLUMNS", "Column", "ContainerTable", "StatsCells", "human_size", "matches_quick_filter",
    "relative_time", "row_key", "split_row_key",
]
