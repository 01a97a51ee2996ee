"""The log view moved to `dtui.ui.logs.view`; this name stays for existing imports."""

from dtui.ui.logs.view import (
    DEFAULT_MAX_LINES,
    DISPLAY_MAX,
    KEEP_MAX,
    REGEX_PREFIX,
    SCAN_CHUNK,
    TIMESTAMP_WIDTH,
    LogEntry,
    LogView,
    SearchPattern,
    display_plain,
    display_text,
    format_timestamp,
    make_row,
    plain_of,
)

__all__ = [
    "DEFAULT_MAX_LINES", "DISPLAY_MAX", "KEEP_MAX", "REGEX_PREFIX", "SCAN_CHUNK", "TIMESTAMP_WIDTH",
    "LogEntry", "LogView", "SearchPattern", "display_plain", "display_text", "format_timestamp",
    "make_row", "plain_of",
]
