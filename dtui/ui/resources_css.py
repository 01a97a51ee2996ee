"""Where the volumes and networks views' style sheet is (absolute: subclasses live elsewhere)."""

from __future__ import annotations

from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
RESOURCES_CSS = str(UI_DIR / "resources.tcss")
