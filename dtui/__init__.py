"""dtui: a keyboard-driven terminal UI for Docker."""

__version__ = "0.1.0"
