"""Terminals inside dtui: a pyte-based emulator widget, shell tabs, and the full-terminal relay."""
