"""The swarm nodes (``N`` on the services screen): role, availability, status; drain, pause, activate."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text

from dtui.engine.swarm_models import Node
from dtui.live.kind import Kind
from dtui.live.swarm_kinds import nodes_kind
from dtui.ui.views.actions import ActionTable
from dtui.ui.views.swarm.actions import NODE_ACTIONS
from dtui.ui.views.swarm.base import SwarmScreen, plural
from dtui.ui.views.table import NO_VALUE, Column, ResourceTable, Sort

_AVAILABILITY_STYLES = {"active": "green", "pause": "yellow", "drain": "red"}
_STATUS_STYLES = {"ready": "green", "down": "red", "disconnected": "red", "unknown": "yellow"}


def _styled(value: str, styles: dict[str, str]) -> Text:
    return Text(value or NO_VALUE, style=styles.get(value, "dim"))


def _manager(node: Node, now: datetime) -> Text:
    status = node.manager_status
    if not status:
        return Text(NO_VALUE, style="dim")
    return Text(status, style="bold" if node.leader else ("green" if status == "reachable" else "red"))


class NodeTable(ResourceTable[Node]):
    """One row per node, managers first."""

    COLUMNS = (
        Column("hostname", "Hostname", 30, text=lambda n: n.hostname, style="bold"),
        Column("role", "Role", text=lambda n: n.role),
        Column("availability", "Availability", render=lambda n, now: _styled(n.availability, _AVAILABILITY_STYLES)),
        Column("status", "Status", render=lambda n, now: _styled(n.state, _STATUS_STYLES)),
        Column("manager", "Manager", render=_manager),
        Column("engine", "Engine", 20, text=lambda n: n.engine_version or NO_VALUE),
        Column("id", "ID", text=lambda n: n.short_id, style="dim"),
        Column("addr", "Address", 24, text=lambda n: n.addr or NO_VALUE, style="dim"),
    )
    SORTS = {
        "role": Sort("role", lambda n: (n.role != "manager", n.hostname, n.id)),
        "hostname": Sort("hostname", lambda n: (n.hostname, n.id)),
        "availability": Sort("availability", lambda n: (n.availability, n.hostname)),
        "status": Sort("status", lambda n: (n.state, n.hostname)),
    }
    STATUS_COLUMN = "availability"
    SEARCHED = (lambda n: n.id, lambda n: n.role, lambda n: n.availability, lambda n: n.addr)

    def name_of(self, item: Node) -> str:
        return item.hostname or item.short_id


class NodesScreen(SwarmScreen[Node]):
    """Every node of the swarm of each manager host."""

    ACTIONS: ClassVar[ActionTable] = NODE_ACTIONS
    NOUN: ClassVar[str] = "nodes"
    HELP_TITLE: ClassVar[str] = "Swarm nodes: keys"

    def make_table(self) -> NodeTable:
        return NodeTable(id="nodes")

    def kind(self) -> Kind[Node]:
        return nodes_kind(self.notes)

    def heading(self) -> Text:
        return Text("Swarm nodes", style="bold")

    def figures(self) -> Text:
        text = Text()
        if self.is_mounted:
            nodes = list(self.table.objects.values())
            ready = sum(1 for n in nodes if n.state == "ready")
            managers = sum(1 for n in nodes if n.role == "manager")
            text.append(f"{plural(len(nodes), 'node')} ({plural(managers, 'manager')}), {ready} ready"
                        f"  sort: {self.table.sort_label}", style="dim")
        return text
