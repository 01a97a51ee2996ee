"""The status line: host(s), engine and API version, counts, filters, connection state."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from dtui.core.hosts import DOWN, HostStatus
from dtui.ui.safe_text import safe_line

_NOTICE_STYLE = "bold reverse red"
WIDE_COLUMNS = 120
"""From this width on, the status line names every host shown, not just how many."""


def retry_text(retry_in: int) -> str:
    """``"disconnected - retrying in 3s"`` (``"... retrying now"`` at 0)."""
    when = f"in {retry_in}s" if retry_in > 0 else "now"
    return f"disconnected - retrying {when}"


def connection_notice(hosts: Sequence[HostStatus]) -> Text | None:
    """The red marker of unreachable hosts (None when all answer).

    One host: ``disconnected - retrying in 3s``. Several: the first one down by name, then
    how many more are down.
    """
    down = [status for status in hosts if status.state == DOWN]
    if not down:
        return None
    if len(hosts) == 1:
        return Text(retry_text(down[0].retry_in), style=_NOTICE_STYLE)
    notice = safe_line(f"{down[0].label} {retry_text(down[0].retry_in)}", style=_NOTICE_STYLE, max_length=70)
    if len(down) > 1:
        notice.append(f" +{len(down) - 1} down", style=_NOTICE_STYLE)
    return notice


def hosts_summary(hosts: Sequence[HostStatus], fallback: str = "", *, names: bool = False) -> Text:
    """The host part: the address of a single host, else ``"2 hosts (1 down)"``.

    Args:
        hosts: The hosts shown.
        fallback: The address shown when ``hosts`` is empty.
        names: Follow the count with the hosts' short names (wide terminals).
    """
    if len(hosts) <= 1:
        return safe_line(hosts[0].host if hosts else fallback, max_length=48)
    down = sum(1 for status in hosts if status.state == DOWN)
    text = Text(f"{len(hosts)} hosts", style="bold")
    if down:
        text.append(f" ({down} down)", style="bold red")
    if names:
        text.append(": ")
        text.append_text(safe_line(", ".join(status.label for status in hosts), max_length=80))
    return text


class StatusBar(Widget):
    """One line naming the host(s) and the engine (a second one for security warnings).

    Attributes:
        host: The engine address shown when ``hosts`` is empty.
        hosts: Every host shown in the table with its connection state.
        engine: The engine's version string.
        product: Which engine it is: "Docker" or "Podman".
        api_version: The API version in use.
        running: Running containers listed.
        total: Listed containers.
        marked: Marked containers.
        engine_filter: The engine filter text in use ("" for none).
        quick_filter: The quick filter text in use ("" for none).
        show_all: True when stopped containers are listed too.
        sort_label: The sort order, e.g. ``"name ▲"``.
        read_only: Show that mutating actions are off.
        warnings: Security warnings about the endpoint, always visible.
        hint: A short hint after the counts ("" for none).
    """

    DEFAULT_CSS = """
    StatusBar { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    host: reactive[str] = reactive("")
    hosts: reactive[tuple[HostStatus, ...]] = reactive(())
    engine: reactive[str] = reactive("")
    product: reactive[str] = reactive("Docker")
    api_version: reactive[str] = reactive("")
    running: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)
    marked: reactive[int] = reactive(0)
    engine_filter: reactive[str] = reactive("")
    quick_filter: reactive[str] = reactive("")
    show_all: reactive[bool] = reactive(False)
    sort_label: reactive[str] = reactive("")
    read_only: reactive[bool] = reactive(False)
    warnings: reactive[tuple[str, ...]] = reactive((), layout=True)
    hint: reactive[str] = reactive("")

    @property
    def connected(self) -> bool:
        """True unless some host is unreachable."""
        return not any(status.state == DOWN for status in self.hosts)

    def render(self) -> Text:
        line = Text(" ")
        notice = connection_notice(self.hosts)
        if notice is not None:
            # Who is down comes first, so it stays on screen at 80 columns.
            several = len(self.hosts) > 1
            for part in (hosts_summary(self.hosts), notice) if several else (notice, hosts_summary(self.hosts)):
                line.append_text(part)
                line.append("  ")
        if self.read_only:
            line.append("READ-ONLY", style="bold yellow")
            line.append("  ")
        scope = "all" if self.show_all else "running only"
        line.append(f"{self.running}/{self.total} running ({scope})")
        if self.hint:
            line.append(f"  {self.hint}", style="italic")
        if self.marked:
            line.append(f"  {self.marked} marked", style="bold cyan")
        if self.engine_filter:
            line.append("  f: ", style="bold")
            line.append_text(safe_line(self.engine_filter, max_length=60))
        if self.quick_filter:
            line.append("  /: ", style="bold")
            line.append_text(safe_line(self.quick_filter, max_length=30))
        if self.sort_label:
            line.append(f"  sort: {self.sort_label}")
        if notice is None:
            line.append("  ")
            line.append_text(hosts_summary(self.hosts, self.host, names=self.size.width >= WIDE_COLUMNS))
        if len(self.hosts) <= 1:
            line.append(f"  {self.product} {self.engine or '?'} · API {self.api_version or '?'}")
        for warning in self.warnings:
            line.append("\n ")
            line.append_text(safe_line(f"⚠ {warning}", style="bold red", max_length=200))
        return line
