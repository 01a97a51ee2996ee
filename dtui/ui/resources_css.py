"""Where the style sheet of the volumes and networks views, forms and pickers is (absolute: subclasses live elsewhere)."""

from __future__ import annotations

from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
RESOURCES_CSS = str(UI_DIR / "resource_forms.tcss")
