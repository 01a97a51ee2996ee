"""The detail pane (stub: the detail-pane issue builds it)."""

from __future__ import annotations

from textual.widgets import Static

from dtui.engine.models import ContainerSummary
from dtui.ui.safe_text import safe_line


class DetailPane(Static):
    """Inspect / top / changes / stats of the selected container."""

    def show_container(self, container: ContainerSummary) -> None:
        """Load the pane for this container (replacing any previous one)."""
        self.update(safe_line(f"details of {container.name}: coming"))
