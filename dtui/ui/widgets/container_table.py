"""The container table."""

from __future__ import annotations

from textual.widgets import DataTable

from dtui.engine.models import ContainerSummary
from dtui.ui.safe_text import safe_line

COLUMNS = ("Name", "ID", "Image", "State", "Status", "Ports")


class ContainerTable(DataTable[object]):
    """Every container, one row each, keyed by container id."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label in COLUMNS:
            self.add_column(label, key=label.lower())

    def show(self, containers: list[ContainerSummary]) -> None:
        """Replace the rows with this listing."""
        self.clear()
        for container in sorted(containers, key=lambda c: c.name):
            self.add_row(
                safe_line(container.name, max_length=40),
                safe_line(container.short_id),
                safe_line(container.image, max_length=40),
                safe_line(container.state),
                safe_line(container.status),
                safe_line(", ".join(str(p) for p in container.ports), max_length=40),
                key=container.id,
            )
