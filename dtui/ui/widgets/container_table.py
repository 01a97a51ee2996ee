"""The container table (moved to :mod:`dtui.ui.views.containers.table`; kept for old imports)."""

from dtui.ui.views.containers.table import (
    ContainerTable,
    StatsCells,
    row_key,
    split_row_key,
)

__all__ = ["ContainerTable", "StatsCells", "row_key", "split_row_key"]
