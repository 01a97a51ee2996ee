"""The main screen (moved to :mod:`dtui.ui.views.containers.screen`; kept for imports)."""

from dtui.ui.views.containers.overview import overview_cells
from dtui.ui.views.containers.screen import MainScreen

__all__ = ["MainScreen", "overview_cells"]
