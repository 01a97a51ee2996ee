"""The Inspect tab: a summary header and the whole inspect document as a searchable tree.

The tree, its masking of secret env values and its search are :mod:`dtui.ui.widgets.json_tree`.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from dtui.engine.models import ContainerDetail
from dtui.ui.widgets.detail_common import ContainerTab
from dtui.ui.widgets.json_tree import JsonSearch, JsonTree, summary_lines

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


def _command_line(detail: ContainerDetail) -> str:
    return shlex.join([*detail.entrypoint, *detail.cmd])


def _ports_line(raw: Mapping[str, Any]) -> str:
    settings = raw.get("NetworkSettings")
    ports = settings.get("Ports") if isinstance(settings, Mapping) else None
    parts: list[str] = []
    for port, bindings in (ports.items() if isinstance(ports, Mapping) else ()):
        if not isinstance(bindings, list) or not bindings:
            parts.append(str(port))
            continue
        for binding in bindings:
            if isinstance(binding, Mapping):
                parts.append(f"{binding.get('HostIp', '')}:{binding.get('HostPort', '')}->{port}")
    return ", ".join(parts)


def _mounts_line(raw: Mapping[str, Any]) -> str:
    found = raw.get("Mounts")
    mounts: list[Any] = found if isinstance(found, list) else []
    parts = []
    for mount in mounts:
        if isinstance(mount, Mapping):
            source = mount.get("Name") or mount.get("Source") or ""
            mode = "" if mount.get("RW", True) else " (ro)"
            parts.append(f"{source}:{mount.get('Destination', '')}{mode}")
    return ", ".join(parts)


def _state_line(detail: ContainerDetail) -> str:
    state = detail.state or "unknown"
    if detail.state == "exited":
        state += f" ({detail.exit_code})"
    health = f" · health: {detail.health}" if detail.health else ""
    restart = detail.restart_policy or "no"
    return f"{state}{health} · restart: {restart}"


def summary_text(detail: ContainerDetail) -> Text:
    """The summary header: one line per fact, every value sanitized."""
    created = detail.created.strftime("%Y-%m-%d %H:%M:%S %Z") if detail.created else "—"
    rows = [
        ("Image", detail.image),
        ("Command", _command_line(detail)),
        ("Created", created),
        ("State", _state_line(detail)),
        ("IPs", ", ".join(f"{net} {ip or '—'}" for net, ip in detail.networks.items())),
        ("Ports", _ports_line(detail.raw)),
        ("Mounts", _mounts_line(detail.raw)),
        ("Labels", ", ".join(f"{key}={value}" for key, value in sorted(detail.labels.items()))),
    ]
    return summary_lines(rows, width=8)


class InspectView(ContainerTab):
    """Summary header, JSON tree and the ``/`` search box; loaded once per container."""

    DEFAULT_CSS = """
    InspectView #inspect-search-bar { height: 1; display: none; }
    InspectView #inspect-search-bar.open { display: block; }
    InspectView #inspect-search { border: none; height: 1; width: 1fr; padding: 0 1; }
    InspectView #inspect-matches { width: auto; min-width: 8; padding: 0 1; }
    """
    GROUP = "detail-inspect"
    DOING = "inspecting the container"
    RELOAD_ON_SHOW = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search = JsonSearch(self, bar="#inspect-search-bar", box="#inspect-search", count="#inspect-matches")

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…"), id="inspect-summary")
        with Horizontal(id="inspect-search-bar"):
            yield Input(placeholder="search keys and values", id="inspect-search")
            yield Static(Text(""), id="inspect-matches")
        yield JsonTree(Text("inspect"), id="inspect-tree")

    def on_mount(self) -> None:
        tree = self.query_one(JsonTree)
        tree.show_root = False
        tree.guide_depth = 2

    @property
    def json_tree(self) -> JsonTree:
        """The JSON tree."""
        return self.query_one(JsonTree)

    @property
    def search_open(self) -> bool:
        """True while the search box is shown."""
        return self.search.is_open

    @property
    def focus_target(self) -> JsonTree:
        """What the pane focuses when entering this tab."""
        return self.json_tree

    async def fetch(self, client: EngineClient, container_id: str) -> ContainerDetail:
        """The container's inspect document."""
        return await client.containers.inspect(container_id)

    def reset(self) -> None:
        self.close_search()
        self.json_tree.clear()

    def show_text(self, text: Text) -> None:
        self.query_one("#inspect-summary", Static).update(text)

    def show_result(self, result: object) -> None:
        assert isinstance(result, ContainerDetail)
        self.query_one("#inspect-summary", Static).update(summary_text(result))
        self.search.forget()
        self.json_tree.show_document(result.raw)
        self.search.rerun()

    # -- masking -------------------------------------------------------------------------

    def toggle_reveal(self) -> bool:
        """Show or mask secret env values again; returns True when now revealed."""
        return self.search.toggle_reveal()

    def copy_text(self) -> str | None:
        """The value under the cursor, or None when none (or still masked)."""
        node = self.json_tree.cursor_node
        if node is None or node.data is None or node is self.json_tree.root:
            return None
        if node.data.secret and not self.json_tree.revealed:
            return None
        return node.data.copy_text()

    # -- search --------------------------------------------------------------------------

    def open_search(self) -> None:
        """Show the search box and focus it."""
        self.search.open()

    def close_search(self) -> bool:
        """Hide and clear the search; returns False when it was not open."""
        return self.search.close()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "inspect-search":
            event.stop()
            self.search.search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "inspect-search":
            event.stop()
            self.json_tree.focus()

    def next_match(self) -> bool:
        """Move the cursor to the next match after the cursor; False without matches."""
        return self.search.next_match()
