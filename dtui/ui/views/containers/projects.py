"""Compose projects on the container screen: ``g`` groups, ``P`` filters, actions on a project row.

On a project row of the grouped table (with nothing marked) ``s`` ``x`` ``r`` ``D`` act on
every container of the project after one question (``K`` and ``p`` too, with their own dialogs;
start, restart and stop go service by service in ``depends_on`` order), ``L`` opens the project's merged logs,
``space`` marks or unmarks all its containers and Enter folds or unfolds it. ``L`` on a
container of a project opens the merged logs of its service (every replica). Marks win
over the cursor, as everywhere on the table. ``P`` narrows the engine filter to one
project (``label=com.docker.compose.project=<name>``), picked from the projects seen or
typed; "every project" drops that condition again and keeps the rest of the filter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dtui.core.compose import (
    ComposeLabels,
    WaveGate,
    dependency_waves,
    project_of_filter,
    with_project,
    without_project,
)
from dtui.core.engine_filter import EngineFilter, FilterSyntaxError
from dtui.engine.models import ContainerSummary
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.screens.modals import RemoveOptions, RemoveScreen, confirm_then
from dtui.ui.views.actions import Action
from dtui.ui.views.containers.compose import Group, GroupedContainerTable, is_group_key
from dtui.ui.views.containers.lifecycle import LifecycleMixin
from dtui.ui.views.screen import Target
from dtui.ui.views.table import split_row_key

MAX_PROJECTS_SEEN = 200
"""The picker remembers at most this many project names (memory stays bounded)."""
NEEDS: dict[str, Callable[[ContainerSummary], bool]] = {
    "start": lambda c: not c.is_running,
    "stop": lambda c: c.is_running,
}
"""Which containers of a project an action concerns (start the stopped ones...); others: all."""


class ProjectPicker(ModalScreen[str | None]):
    """Pick a compose project to filter by, or type its name; returns "" for every project.

    Args:
        projects: The project names seen (untrusted label text: shown sanitised).
        current: The project filtered by now, if any.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="project.cancel"),
    ]

    def __init__(self, projects: list[str], current: str | None = None) -> None:
        super().__init__()
        self.projects = projects
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(Text("(every project: drop the project filter)", style="italic"), id="all")]
        for index, name in enumerate(self.projects):
            style = "bold" if name == self.current else ""
            options.append(Option(safe_line(name, max_length=60, style=style, keep_sgr=False), id=str(index)))
        with Vertical(classes="dialog"):
            yield Static(Text("Filter by compose project"))
            yield OptionList(*options, id="projects")
            yield Input(placeholder="or type a project name and Enter", id="typed")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        self.dismiss("" if option_id in (None, "all") else self.projects[int(option_id)])

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Keep the filter as it is."""
        self.dismiss(None)


class ProjectsMixin(LifecycleMixin):
    """The compose project actions of the container screen (mixed into :class:`~.screen.MainScreen`)."""

    engine_filter: EngineFilter

    def __init__(self) -> None:
        super().__init__()
        self._projects_seen: set[str] = set()

    @property
    def grouped_table(self) -> GroupedContainerTable:
        """The container table (which can group by project)."""
        return self.query_one(GroupedContainerTable)

    def _apply_filter_view(self) -> None:
        """Show the engine filter in use (the screen does it)."""

    def projects_seen(self) -> list[str]:
        """The project names seen since the screen opened (the picker's list), sorted."""
        seen = self._projects_seen
        for container in self.grouped_table.objects.values():
            compose = ComposeLabels.of(container.labels)
            if compose is not None and len(seen) < MAX_PROJECTS_SEEN:
                seen.add(compose.project)
        return sorted(seen, key=lambda name: (name.lower(), name))

    def cursor_group(self) -> Group | None:
        """The group row under the cursor when nothing is marked (else the marks win)."""
        table = self.grouped_table
        key = table.cursor_key
        if not table.grouped or table.marks or key is None or not is_group_key(key):
            return None
        return table.group(key)

    def targets(self) -> list[Target]:
        """On a project row (nothing marked) every container of the project (``K``, ``p``)."""
        group = self.cursor_group()
        if group is None or not group.project:
            return super().targets()
        return list(self.grouped_table.members(group))

    def _project_targets(self, group: Group) -> list[Target] | None:
        """A project's containers, or None (with a notice) for the containers of no project."""
        if not group.project:
            self.notify("These containers belong to no compose project", severity="warning", timeout=4)
            return None
        return list(self.grouped_table.members(group))

    def project_question(self, verb: str, group: Group, targets: list[Target]) -> Text:
        """``Stop project shop: 3 containers (shop-db-1, shop-web-1, shop-web-2)?`` (sanitised)."""
        names = [container.name for _, container in targets]
        text = Text(f"{verb.capitalize()} project ")
        text.append_text(safe_line(group.project, max_length=40, style="bold", keep_sgr=False))
        count = f"{len(targets)} container{'s' if len(targets) != 1 else ''}"
        text.append(": ")
        text.append(count, style="bold")
        text.append(" (")
        text.append_text(safe_line(", ".join(names[:5]) + (", …" if len(names) > 5 else ""), max_length=120))
        text.append(")?")
        return text

    # -- view keys ---------------------------------------------------------------------

    def action_group(self) -> None:
        """Group the table by compose project, or go back to the flat table."""
        table = self.grouped_table
        table.set_grouped(not table.grouped)
        self.view_changed()

    def fold_group_under_cursor(self) -> bool:
        """Fold or unfold the group row under the cursor (Enter); False when not on one."""
        key = self.grouped_table.cursor_key
        if not self.grouped_table.grouped or key is None or not is_group_key(key):
            return False
        self.grouped_table.toggle_collapsed(key)
        self.view_changed()
        return True

    def action_mark(self) -> None:
        """On a group row mark (or, when all are marked, unmark) all its containers."""
        table = self.grouped_table
        key = table.cursor_key
        group = table.group(key) if table.grouped and key is not None else None
        if group is None:
            super().action_mark()
            return
        table.set_marks(group.members, not all(k in table.marks for k in group.members))
        table.action_cursor_down()
        self.view_changed()

    def action_project_filter(self) -> None:
        """Pick a project to narrow the engine filter to ("every project" drops it)."""

        def chosen(project: str | None) -> None:
            if project is None:
                return
            try:
                changed = with_project(self.engine_filter, project) if project else without_project(self.engine_filter)
            except FilterSyntaxError as error:  # pragma: no cover - the text was parsed before
                self.notify(safe_plain(str(error)), severity="error", markup=False)
                return
            if changed == self.engine_filter:
                return
            self.engine_filter = changed
            self._apply_filter_view()
            self.follow()

        self.app.push_screen(ProjectPicker(self.projects_seen(), project_of_filter(self.engine_filter)), chosen)

    # -- actions on a project row ------------------------------------------------------

    def run_bulk(self, action: Action) -> None:
        """On a project row: the action on the containers of the project concerned, asked once."""
        group = self.cursor_group()
        if group is None:
            super().run_bulk(action)
            return
        targets = self._project_targets(group)
        call = action.call
        if targets is None or call is None:
            return
        needs = NEEDS.get(action.id)
        concerned = [(key, c) for key, c in targets if needs is None or needs(c)]
        if not concerned:
            self.notify(safe_plain(f"Nothing to {action.id} in project {group.project}"), markup=False, timeout=3)
            return
        context = self.action_context()
        objects = {c.id: c for _, c in concerned}
        gate = WaveGate(start_waves(concerned, reverse=action.id == "stop"))

        def one(client: Any, object_id: str) -> Awaitable[object]:
            return gate.run(object_id, lambda: call(client, objects[object_id], context))

        def run() -> None:
            self.run_on(concerned, action.id, action.pending or action.id, one)

        confirm_then(self.app, self.project_question(action.id, group, concerned), run)

    def action_remove(self) -> None:
        """On a project row: remove every container of the project, asked once with the count."""
        group = self.cursor_group()
        if group is None:
            super().action_remove()
            return
        targets = self._project_targets(group)
        if not targets:
            return

        def chosen(options: RemoveOptions | None) -> None:
            if options is None:
                return

            async def remove(client: Any, container_id: str) -> None:
                await client.containers.remove(container_id, force=options.force, volumes=options.volumes)

            self.run_on(targets, "remove", "removing", remove)

        any_running = any(c.is_running for _, c in targets)
        self.app.push_screen(RemoveScreen(self.project_question("remove", group, targets), force=any_running), chosen)

    def action_logs(self) -> None:
        """On a project row the project's merged logs (there is no single log), else the container's."""
        group = self.cursor_group()
        if group is not None and group.project:
            self.action_merged_logs()
            return
        super().action_logs()

    def action_merged_logs(self) -> None:
        """On a project row the project's merged logs; on a container of a project its service's."""
        from dtui.ui.logs.merged import MergedLogScreen

        sources = self._group_log_sources()
        if sources is None:
            super().action_merged_logs()
            return
        self.app.push_screen(MergedLogScreen(sources, max_lines=self.dtui.config.defaults.log_buffer))

    def _group_log_sources(self) -> list[tuple[str, ContainerSummary]] | None:
        """The containers of the project (or service) under the cursor, None outside grouped projects."""
        table = self.grouped_table
        key = table.cursor_key
        if not table.grouped or table.marks or key is None:
            return None
        group = table.group_of(key)
        if group is None or not group.project:
            return None
        members = table.members(group)
        if not is_group_key(key):
            service = _service(table.get(key))
            members = [(k, c) for k, c in members if _service(c) == service]
        return [(split_row_key(k)[0], c) for k, c in members]


def start_waves(targets: list[Target], *, reverse: bool = False) -> dict[str, int]:
    """The wave of each container id: services after those they depend on (``reverse``: before)."""
    services: dict[str, str] = {}
    depends_on: dict[str, set[str]] = {}
    for _, container in targets:
        compose = ComposeLabels.of(container.labels)
        service = compose.service if compose is not None else ""
        services[container.id] = service
        depends_on.setdefault(service, set()).update(compose.depends_on if compose is not None else ())
    waves = dependency_waves(depends_on)
    if reverse:
        waves.reverse()
    wave_of = {service: index for index, wave in enumerate(waves) for service in wave}
    return {container_id: wave_of[service] for container_id, service in services.items()}


def _service(container: ContainerSummary | None) -> str | None:
    compose = ComposeLabels.of(container.labels) if container is not None else None
    return compose.service if compose is not None else None

