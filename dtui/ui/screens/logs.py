"""The log screen moved to `dtui.ui.logs`; this name stays for existing imports."""

from dtui.ui.logs.base import DEFAULT_TAIL, LogOptions, Notice
from dtui.ui.logs.options import parse_since, parse_tail
from dtui.ui.logs.save import (
    LogSaved,
    LogSaveFailed,
    LogSaveProgressed,
    default_save_path,
    write_new_file,
)
from dtui.ui.logs.screen import LogScreen, LogSourceChanged

__all__ = [
    "DEFAULT_TAIL", "LogOptions", "LogSaveFailed", "LogSaveProgressed", "LogSaved", "LogScreen",
    "LogSourceChanged", "Notice", "default_save_path", "parse_since", "parse_tail", "write_new_file",
]
