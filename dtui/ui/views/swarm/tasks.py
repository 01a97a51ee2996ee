"""One service's tasks (Enter on a service): slot, node, desired and current state, error, container."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import work

from dtui.engine.errors import EngineError
from dtui.engine.swarm_models import Service
from dtui.live.kind import Kind
from dtui.live.swarm_kinds import TaskRow, tasks_kind
from dtui.ui.logs.screen import LogScreen
from dtui.ui.messages import EngineFailed
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.views.actions import ActionTable
from dtui.ui.views.containers.table import relative_time
from dtui.ui.views.swarm.actions import TASK_ACTIONS
from dtui.ui.views.swarm.base import SwarmScreen, plural
from dtui.ui.views.swarm.logs import open_service_logs
from dtui.ui.views.table import NO_VALUE, Column, ResourceTable, Sort

_STATE_STYLES = {"running": "green", "failed": "red", "rejected": "red", "shutdown": "dim", "complete": "dim",
                 "orphaned": "red", "remove": "dim"}
_STATE_ORDER = ("new", "pending", "assigned", "accepted", "preparing", "ready", "starting", "running")


def _state(row: TaskRow, now: datetime) -> Text:
    task = row.task
    text = Text(task.state or NO_VALUE, style=_STATE_STYLES.get(task.state, "yellow"))
    if task.timestamp is not None:
        text.append(f" {relative_time(task.timestamp, now)}", style="dim")
    return text


def _desired(row: TaskRow, now: datetime) -> Text:
    desired = row.task.desired_state
    return Text(desired or NO_VALUE, style="" if desired == "running" else "dim")


def _error(row: TaskRow, now: datetime) -> Text:
    task = row.task
    if task.error:
        return safe_line(task.error, max_length=60, style="red")
    return safe_line(task.message or "", max_length=60, style="dim")


class TaskTable(ResourceTable[TaskRow]):
    """One row per task, the current one of each slot first."""

    COLUMNS = (
        Column("name", "Task", 30, text=lambda r: r.name, style="bold"),
        Column("node", "Node", 24, text=lambda r: r.node),
        Column("desired", "Desired", render=_desired),
        Column("state", "State", render=_state, relative=True),
        Column("error", "Error / message", render=_error),
        Column("container", "Container", text=lambda r: r.task.container_id[:12] or NO_VALUE, style="dim"),
    )
    SORTS = {
        "slot": Sort("name", lambda r: (r.task.slot, r.task.node_id, r.task.desired_state != "running",
                                        -(r.task.created.timestamp() if r.task.created else 0))),
        "node": Sort("node", lambda r: (r.node, r.task.slot)),
        "state": Sort("state", lambda r: (r.task.state != "running", r.task.state, r.task.slot)),
    }
    STATUS_COLUMN = "state"
    SEARCHED = (lambda r: r.id, lambda r: r.node, lambda r: r.task.state, lambda r: r.task.container_id)


class TasksScreen(SwarmScreen[TaskRow]):
    """The tasks of one service, live; ``l`` opens a task container's log, ``L`` the service's.

    Args:
        host: The manager the service was listed on.
        service: The service.
    """

    ACTIONS: ClassVar[ActionTable] = TASK_ACTIONS
    NOUN: ClassVar[str] = "tasks"
    HELP_TITLE: ClassVar[str] = "Swarm tasks: keys"

    def __init__(self, host: str, service: Service) -> None:
        super().__init__()
        self.host = host
        self.service = service

    def make_table(self) -> TaskTable:
        return TaskTable(id="tasks")

    def kind(self) -> Kind[TaskRow]:
        return tasks_kind(self.notes, self.service)

    def shown_hosts(self) -> list[str]:
        """Only the manager the service was listed on."""
        return [self.host]

    def heading(self) -> Text:
        text = Text("Tasks of ", style="bold")
        text.append_text(safe_line(self.service.name, max_length=50, style="bold"))
        return text

    def figures(self) -> Text:
        text = Text()
        if self.is_mounted:
            rows = list(self.table.objects.values())
            running = sum(1 for r in rows if r.task.is_running)
            text.append(f"{running} running, {plural(len(rows), 'task')} listed  sort: {self.table.sort_label}", style="dim")
        return text

    def settling(self, item: TaskRow) -> bool:
        task = item.task
        return task.desired_state == "running" and task.state != "running" and task.state in _STATE_ORDER

    def action_service_logs(self) -> None:
        """Every task's log, prefixed by the task."""
        open_service_logs(self, self.host, self.service)

    def action_logs(self) -> None:
        """The log of the task's container, when it runs on this engine (its own node)."""
        target = self.cursor_target()
        if target is None:
            return
        host, row = target
        if not row.task.container_id:
            self.notify("this task has no container yet", title="Task log", markup=False)
            return
        if self.notes.node_ids.get(host) != row.task.node_id:
            self.notify(safe_plain(f"{row.name} runs on {row.node}, not on this engine: its container log is "
                                   "there (L shows the service's logs)", max_length=300),
                        title="Task log", markup=False)
            return
        self.open_container_log(host, row.task.container_id)

    @work(group="task-log", exit_on_error=False)
    async def open_container_log(self, host: str, container_id: str) -> None:
        """Find the task's container on this engine, then push its log screen."""
        try:
            found = await self.view_host.client_for(host).containers.list(all=True, filters={"id": [container_id]})
        except EngineError as error:
            self.post_message(EngineFailed(error, "opening the task's log"))
            return
        if not found:
            self.post_message(EngineFailed(EngineError("the task's container is gone"), "opening the task's log"))
            return
        defaults = self.view_host.config.defaults
        self.app.push_screen(LogScreen(found[0], max_lines=defaults.log_buffer, tail=200, host=host))

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.view_host.show_error(message.error, message.context)
