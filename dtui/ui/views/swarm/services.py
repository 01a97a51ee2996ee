"""The swarm services view (``W`` on the container screen): every service of every manager, live."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.widgets import DataTable

from dtui.engine.swarm_models import Service
from dtui.live.kind import Kind
from dtui.live.swarm_kinds import services_kind
from dtui.ui.views.actions import ActionTable, open_screen
from dtui.ui.views.containers.table import relative_time
from dtui.ui.views.screen import Target
from dtui.ui.views.swarm.actions import SERVICE_ACTIONS, refuse_unscalable, scale_by
from dtui.ui.views.swarm.base import SwarmScreen, plural
from dtui.ui.views.swarm.forms import CountPrompt, ServiceCreateScreen
from dtui.ui.views.swarm.logs import open_service_logs
from dtui.ui.views.table import NO_VALUE, Column, ResourceTable, Sort

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

TASKS_SCREEN = "dtui.ui.views.swarm.tasks:TasksScreen"
_UPDATE_STYLES = {"updating": "yellow", "paused": "red", "rollback_started": "yellow", "rollback_paused": "red",
                  "completed": "green", "rollback_completed": "green"}


def _counts(service: Service, now: datetime) -> Text:
    text = f"{service.running}/{service.desired}"
    style = "green" if service.running == service.desired and service.desired else "yellow"
    return Text(text, style=style if service.desired or service.running else "dim")


def _ports(service: Service) -> str:
    return ", ".join(str(port) for port in service.ports) or NO_VALUE


def _update(service: Service, now: datetime) -> Text:
    if not service.update_state:
        return Text(NO_VALUE, style="dim")
    return Text(service.update_state.replace("_", " "), style=_UPDATE_STYLES.get(service.update_state, ""))


class ServiceTable(ResourceTable[Service]):
    """One row per service."""

    COLUMNS = (
        Column("name", "Name", 30, text=lambda s: s.name, style="bold"),
        Column("mode", "Mode", 14, text=lambda s: s.mode_text),
        Column("replicas", "Tasks", render=_counts),
        Column("image", "Image", 36, text=lambda s: s.image_name),
        Column("ports", "Ports", 40, text=_ports),
        Column("updated", "Updated", render=lambda s, now: Text(relative_time(s.updated, now)), relative=True),
        Column("update", "Update", render=_update),
    )
    SORTS = {
        "name": Sort("name", lambda s: (s.name.lower(), s.id)),
        "tasks": Sort("replicas", lambda s: (-s.desired, s.name.lower()), descending_first=True),
        "image": Sort("image", lambda s: (s.image_name, s.name.lower())),
        "updated": Sort("updated", lambda s: (-(s.updated.timestamp() if s.updated else 0), s.name.lower()),
                        descending_first=True),
    }
    STATUS_COLUMN = "replicas"
    SEARCHED = (lambda s: s.id, lambda s: s.image_name)


class ServicesScreen(SwarmScreen[Service]):
    """Every swarm service: scale, redeploy, roll back, remove, create; Enter shows its tasks."""

    ACTIONS: ClassVar[ActionTable] = SERVICE_ACTIONS
    NOUN: ClassVar[str] = "services"
    HELP_TITLE: ClassVar[str] = "Swarm services: keys"

    def make_table(self) -> ServiceTable:
        return ServiceTable(id="services")

    def kind(self) -> Kind[Service]:
        return services_kind(self.notes)

    def heading(self) -> Text:
        return Text("Swarm services", style="bold")

    def figures(self) -> Text:
        text = Text()
        if self.is_mounted:
            services = list(self.table.objects.values())
            text.append(f"{plural(len(services), 'service')}, {sum(s.running for s in services)}/"
                        f"{sum(s.desired for s in services)} tasks running", style="dim")
            if self.table.marks:
                text.append(f", {len(self.table.marks)} marked", style="dim")
            if self.table.quick_filter:
                text.append("  filter: ", style="dim")
                text.append(self.table.quick_filter[:30])
            text.append(f"  sort: {self.table.sort_label}", style="dim")
        return text

    def settling(self, item: Service) -> bool:
        return item.running != item.desired or item.update_state in {"updating", "rollback_started"}

    # -- opening -----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#services")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_tasks()

    def action_tasks(self) -> None:
        """Show the tasks of the service under the cursor."""
        target = self.cursor_target()
        if target is not None:
            open_screen(TASKS_SCREEN, *target)(self)

    def action_logs(self) -> None:
        """Every task's log lines, prefixed by the task."""
        target = self.cursor_target()
        if target is None:
            return
        host, service = target
        open_service_logs(self, host, service)

    # -- scaling -----------------------------------------------------------------------

    def action_scale_up(self) -> None:
        """One replica more, counted from a fresh read."""
        self._scale(self.targets(), lambda s: (s.replicas or 0) + 1, step=1)

    def action_scale_down(self) -> None:
        """One replica fewer (asks first when that stops a service's last task)."""
        self._scale(self.targets(), lambda s: (s.replicas or 0) - 1, step=-1)

    def action_scale_to(self) -> None:
        """Ask for a count, then scale every selected or marked service to it."""
        targets = self.targets()
        if not targets:
            return
        first = targets[0][1]

        def typed(count: int | None) -> None:
            if count is not None:
                self._scale(targets, lambda s: count, step=None)

        self.app.push_screen(CountPrompt(self.question("scale", targets), first.replicas or 0), typed)

    def _scale(self, targets: list[Target], new_count: Callable[[Service], int], step: int | None) -> None:
        """Scale by ``step`` (fresh read) or to ``new_count(service)``.

        Asks first when a service would go to 0 (``[confirm] scale_down``), and once for
        several services, as every bulk action does.
        """
        if not targets:
            return
        services: dict[str, Service] = {self.table.id_of(s): s for _, s in targets}
        verb = "scale" if step is None else ("scale up" if step > 0 else "scale down")

        def call(client: EngineClient, service_id: str) -> Awaitable[object]:
            service = services[service_id]
            if step is not None:
                return scale_by(client, service, step)
            return _scale_to(client, service, new_count(service))

        def run() -> None:
            self.run_on(targets, verb, "scaling", call)

        to_zero = [t for t in targets if t[1].scalable and new_count(t[1]) <= 0]
        if to_zero and self.view_host.config.confirms("scale_down"):
            self.confirmed("scale to 0 replicas, stopping every task of", to_zero, run)
        elif len(targets) > 1:
            self.confirmed(verb, targets, run)
        else:
            run()

    # -- creating ----------------------------------------------------------------------

    def action_create(self) -> None:
        """The create-service form (on the host under the cursor, else the first manager)."""
        target = self.cursor_target()
        host = target[0] if target else next(iter(self.notes.node_ids), None)
        self.app.push_screen(ServiceCreateScreen(host=host), self._created)

    def _created(self, service_id: str | None) -> None:
        if service_id:
            for host in self.view_host.hosts:
                self.touch(host, service_id)


async def _scale_to(client: EngineClient, service: Service, count: int) -> None:
    refuse_unscalable(service)
    await client.swarm.scale(service, max(0, count))
