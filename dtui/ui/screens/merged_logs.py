"""The merged log screen moved to `dtui.ui.logs.merged`; this name stays for existing imports."""

from dtui.ui.logs.merged import (
    MERGED_TAIL,
    NAME_WIDTH_MAX,
    PALETTE,
    REBUILD_CHUNK,
    TAIL_WAIT,
    MergedLogScreen,
    MergedSource,
    SourcePicker,
    name_colour,
    name_label,
)

__all__ = [
    "MERGED_TAIL", "NAME_WIDTH_MAX", "PALETTE", "REBUILD_CHUNK", "TAIL_WAIT", "MergedLogScreen",
    "MergedSource", "SourcePicker", "name_colour", "name_label",
]
