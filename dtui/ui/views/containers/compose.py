"""The container table grouped by compose project (``g``): a project row, then its containers.

A project is read from the containers' labels (:mod:`dtui.core.compose`). In grouped mode
the table shows, per host, one row per project (``▾ shop  2/3 running``) followed by its
containers ordered by the current sort within the project (the name sort means service,
then replica number); containers without a project come last under a ``(no project)``
row. Groups are ordered by project name whatever the sort. Enter on a project row folds
or unfolds it. The quick filter keeps the containers matching it (the project and service
names are searched too) and the project rows that still have one; marks, pending states
and live updates work as in the flat table, since the group rows are computed again on
every change from the containers known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from dtui.core.compose import ComposeLabels, mixed_services, service_order
from dtui.engine.models import ContainerSummary
from dtui.ui.safe_text import safe_line
from dtui.ui.views.containers.table import ContainerTable
from dtui.ui.views.table import MARK, Column, row_key, split_row_key

GROUP_PREFIX = "\x01"
"""Object ids of group rows start with this (container ids are hex, so they never do)."""
NO_PROJECT = "(no project)"
PARTLY_MARKED = "◐"
INDENT = "  "


def group_key(host: str, project: str) -> str:
    """The row key of a project's group row ("" is the containers of no project)."""
    return row_key(host, GROUP_PREFIX + project)


def is_group_key(key: str) -> bool:
    """True for the row key of a group row."""
    return split_row_key(key)[1].startswith(GROUP_PREFIX)


def project_of_key(key: str) -> tuple[str, str]:
    """The (host, project) of a group row key (project "" for the containers of no project)."""
    host, object_id = split_row_key(key)
    return host, object_id[len(GROUP_PREFIX):]


def project_of(container: ContainerSummary) -> str:
    """The container's compose project, "" for none."""
    compose = ComposeLabels.of(container.labels)
    return compose.project if compose is not None else ""


@dataclass(slots=True)
class Group:
    """One project of one host as the table knows it.

    Attributes:
        key: Its row key.
        host: The host.
        project: The project ("" for the containers of no project).
        members: Row keys of every container of the project known (filtered out or not).
    """

    key: str
    host: str
    project: str
    members: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The project's name as shown (untrusted: sanitised when drawn)."""
        return self.project or NO_PROJECT


class _GroupMarkCell(Text):
    """The mark cell of a group row; like every mark cell it remembers its row key (sorting)."""

    def __init__(self, text: str, key: str) -> None:
        super().__init__(text, style="bold cyan")
        self.row_key = key


class GroupedContainerTable(ContainerTable):
    """The container table, with a grouped-by-project mode.

    Attributes:
        grouped: Group rows by compose project.
        collapsed: Row keys of the folded groups (kept across re-lists and mode changes).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grouped = False
        self.collapsed: set[str] = set()
        self._groups: dict[str, Group] = {}

    # -- reading -----------------------------------------------------------------------

    def groups(self) -> dict[str, Group]:
        """Every group of the containers known, by row key, in display order."""
        groups: dict[str, Group] = {}
        for key, container in self._objects.items():
            host = split_row_key(key)[0]
            project = project_of(container)
            gkey = group_key(host, project)
            group = groups.get(gkey)
            if group is None:
                group = groups[gkey] = Group(gkey, host, project)
            group.members.append(key)
        order = sorted(groups.values(), key=lambda g: (not g.project, g.project.lower(), g.project, g.host))
        return {group.key: group for group in order}

    def group(self, key: str) -> Group | None:
        """The group of a group row key, if it has containers."""
        return self.groups().get(key) if is_group_key(key) else None

    def group_of(self, key: str) -> Group | None:
        """The group a row (a container or a group row) belongs to."""
        if is_group_key(key):
            return self.group(key)
        container = self.get(key)
        if container is None:
            return None
        return self.groups().get(group_key(split_row_key(key)[0], project_of(container)))

    def members(self, group: Group) -> list[tuple[str, ContainerSummary]]:
        """The group's containers as (row key, container), in the table's order (filtered out ones last)."""
        shown = super()._wanted_order()  # folded or not, in the order the rows show in
        position = {key: index for index, key in enumerate(shown)}
        keys = sorted(group.members, key=lambda k: (position.get(k, len(shown)), k))
        return [(key, self._objects[key]) for key in keys]

    @property
    def sort_label(self) -> str:
        """The order in words (the status line), saying when rows are grouped by project."""
        label = super().sort_label
        return f"{label} by project" if self.grouped else label

    # -- changing the view -------------------------------------------------------------

    def set_grouped(self, grouped: bool) -> None:
        """Turn grouping on or off (the cursor stays on its container, else on its group)."""
        if grouped == self.grouped:
            return
        cursor = self.cursor_key
        self.grouped = grouped
        if cursor is not None and is_group_key(cursor):
            group = self.group(cursor)
            cursor = self.members(group)[0][0] if group is not None and group.members else None
        elif grouped and cursor is not None:
            group = self.group_of(cursor)
            if group is not None and group.key in self.collapsed:
                cursor = group.key  # its container is folded away: the cursor goes to its project
        if grouped:
            self._sync(cursor)
            return
        # Column widths only ever grow: drop the ones the group rows widened.
        self._rebuild_columns(cursor)

    def toggle_collapsed(self, key: str) -> None:
        """Fold an unfolded group, unfold a folded one (the cursor goes to the group row)."""
        self.collapsed.symmetric_difference_update({key})
        self._sync(key)

    def set_marks(self, keys: Iterable[str], marked: bool) -> None:
        """Mark (or unmark) several containers at once."""
        if marked:
            self.marks.update(keys)
        else:
            self.marks.difference_update(keys)
        self._sync()

    # -- order and filter --------------------------------------------------------------

    def sort_key(self, key: str, item: ContainerSummary) -> tuple[object, ...]:
        """In grouped mode the name order is service, replica number, name."""
        if self.grouped and self.sort_field == "name":
            return (*service_order(item.labels, item.name), item.id)
        return super().sort_key(key, item)

    def matches(self, item: ContainerSummary, query: str) -> bool:
        """In grouped mode a word may also match the container's project or service name."""
        if not self.grouped:
            return super().matches(item, query)
        compose = ComposeLabels.of(item.labels)
        extra = f"{compose.project}\n{compose.service}".lower() if compose is not None else ""
        return all(super(GroupedContainerTable, self).matches(item, word) or word in extra
                   for word in query.lower().split())

    def _wanted_order(self) -> list[str]:
        flat = super()._wanted_order()
        self._groups = self.groups() if self.grouped else {}
        if not self.grouped:
            return flat
        position = {key: index for index, key in enumerate(flat)}
        wanted: list[str] = []
        for gkey, group in self._groups.items():
            shown = sorted((k for k in group.members if k in position), key=position.__getitem__)
            if not shown:
                continue
            wanted.append(gkey)
            if gkey not in self.collapsed:
                wanted.extend(shown)
        return wanted

    # -- cells -------------------------------------------------------------------------

    def row_cells(self, key: str, now: datetime) -> dict[str, Text]:
        """Group rows are drawn here; container rows as in the flat table (indented in a project)."""
        group = self._groups.get(key)
        if group is not None:
            return self.group_cells(group, now)
        cells = super().row_cells(key, now)
        if self.grouped and "name" in cells:
            cells["name"] = Text(INDENT).append_text(cells["name"])
        return cells

    def group_cells(self, group: Group, now: datetime | None = None) -> dict[str, Text]:
        """The cells of one group row: fold arrow and name, running/total, services, config drift.

        The row has the same cells as its containers' rows (blank but for these).
        """
        containers = [self._objects[k] for k in group.members]
        running = sum(1 for c in containers if c.is_running)
        first = group.members[0]
        blank = self.cells(first, self._objects[first], now or datetime.now(UTC))
        cells: dict[str, Text] = {column: Text("") for column in blank}
        cells["mark"] = _GroupMarkCell(self._group_mark(group), group.key)
        arrow = "▸ " if group.key in self.collapsed else "▾ "
        name_style = "bold" if group.project else "bold dim italic"
        cells["name"] = Text(arrow, style="bold").append_text(
            safe_line(group.label, max_length=_width(self, "name", 2), style=name_style, keep_sgr=False)
        )
        state_style = "green" if running == len(containers) else ("yellow" if running else "dim")
        cells["state"] = Text(f"{running}/{len(containers)} running", style=f"bold {state_style}")
        if group.project:
            services = {ComposeLabels.of(c.labels) for c in containers}
            count = len({s.service for s in services if s is not None})
            cells["image"] = Text(f"{count} service{'s' if count != 1 else ''}", style="dim")
            mixed = mixed_services(c.labels for c in containers)
            if mixed:
                cells["status"] = safe_line(
                    f"config changed: {', '.join(mixed)}", max_length=_width(self, "status"), style="yellow",
                    keep_sgr=False,
                )
        if "host" in cells:
            cells["host"] = safe_line(self._host_labels.get(group.host, group.host), max_length=24, style="dim")
        return {column: cell for column, cell in cells.items() if column in blank}

    def _group_mark(self, group: Group) -> str:
        marked = sum(1 for k in group.members if k in self.marks)
        if not marked:
            return " "
        return MARK if marked == len(group.members) else PARTLY_MARKED

    def prune(self) -> None:
        """Also forget the folds of groups that have no container any more."""
        super().prune()
        if self.collapsed:
            live = {group_key(split_row_key(k)[0], project_of(c)) for k, c in self._objects.items()}
            self.collapsed &= live


def _width(table: GroupedContainerTable, column_key: str, taken: int = 0) -> int | None:
    column: Column[Any] | None = next((c for c in table.COLUMNS if c.key == column_key), None)
    if column is None or column.max_length is None:
        return None
    return max(1, column.max_length - taken)
