"""The status line of a pushed view (images, disk usage, volumes, networks, swarm): one line, one order.

The parts come in the container screen's order, the ones that matter most first so they
stay on screen at 80 columns: the view's title, an unreachable host (red), ``READ-ONLY``
(yellow), then the view's own figures (counts, marks, filter, sort) and how many hosts it
shows. :class:`StatusLine` repaints only when the text changes (calm on a slow link).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

from dtui.ui.safe_text import safe_line
from dtui.ui.views.table import ResourceTable

TROUBLE_STYLE = "bold reverse red"
READ_ONLY_STYLE = "bold yellow"
GAP = "  "


def trouble_text(hosts: Sequence[str], down: Collection[str], labels: Mapping[str, str]) -> Text | None:
    """``disconnected`` (one host), ``web-1 disconnected +1 down`` (several); None when all answer."""
    gone = [host for host in hosts if host in down]
    if not gone:
        return None
    if len(hosts) == 1:
        return Text("disconnected", style=TROUBLE_STYLE)
    text = safe_line(f"{labels.get(gone[0], gone[0])} disconnected", max_length=40, style=TROUBLE_STYLE)
    if len(gone) > 1:
        text.append(f" +{len(gone) - 1} down", style=TROUBLE_STYLE)
    return text


def status_text(
    title: Text,
    figures: Text,
    *,
    hosts: Sequence[str],
    down: Collection[str] = (),
    labels: Mapping[str, str] | None = None,
    read_only: bool,
) -> Text:
    """The status line: title, trouble, READ-ONLY, the view's figures, the host count.

    Args:
        title: The view's name (bold), sanitized by the caller.
        figures: What the view counts (may be empty), sanitized by the caller.
        hosts: The hosts the view shows.
        down: Those that do not answer.
        labels: Short host names (default: the host itself).
        read_only: Mutating actions are off.
    """
    line = title.copy()
    trouble = trouble_text(hosts, down, labels or {})
    if trouble is not None:
        line.append(GAP)
        line.append_text(trouble)
    if read_only:
        line.append(GAP)
        line.append("READ-ONLY", style=READ_ONLY_STYLE)
    if figures.plain:
        line.append(GAP)
        line.append_text(figures)
    if len(hosts) > 1:
        line.append(f"{GAP}{len(hosts)} hosts", style="dim")
    return line


def table_figures(table: ResourceTable[Any]) -> Text:
    """``4 of 6  2 marked  filter web  sort name ▲`` for a :class:`ResourceTable`."""
    text = Text(f"{len(table.visible_keys())} of {len(table.objects)}")
    if table.marks:
        text.append(f"{GAP}{len(table.marks)} marked", style="bold cyan")
    if table.quick_filter:
        text.append(f"{GAP}filter ")
        text.append_text(safe_line(table.quick_filter, max_length=30))
    text.append(f"{GAP}sort {table.sort_label}", style="dim")
    return text


class StatusLine(Static):
    """The one-line status at the top of a pushed view (see :func:`status_text`)."""

    def __init__(self, title: Text, *, id: str | None = None) -> None:
        super().__init__(title, id=id)
        self._text = title

    def show(self, text: Text) -> None:
        """Show ``text``, repainting only when it differs from what is shown."""
        if text != self._text:
            self._text = text
            self.update(text)
