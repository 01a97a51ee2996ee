"""Every action of the container view, declared once (footer, help, palette, keymap, read-only).

Binding ids are ``main.<id>`` (the config ``[keys]`` table remaps them). Start, stop and
restart are bulk calls run straight from here; the others open a dialog or a screen and are
``action_<id>`` methods of the screen (:mod:`.lifecycle`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dtui.engine.models import ContainerSummary
from dtui.ui.views.actions import Action, ActionContext, ActionTable, open_screen

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

CONTAINERS = "Containers"
VIEW = "View"


async def _start(client: EngineClient, container: ContainerSummary, context: ActionContext) -> None:
    await client.containers.start(container.id)


async def _stop(client: EngineClient, container: ContainerSummary, context: ActionContext) -> None:
    await client.containers.stop(container.id, context.stop_timeout)


async def _restart(client: EngineClient, container: ContainerSummary, context: ActionContext) -> None:
    await client.containers.restart(container.id, context.stop_timeout)


CONTAINER_ACTIONS = ActionTable("main", (
    Action("quick_filter", "slash", "Filter", "Quick filter by name, image or id", show=True),
    Action("mark", "space", "Mark", "Mark or unmark the selected container", CONTAINERS, show=True),
    Action("start", "s", "Start", "Start the selected or marked containers", CONTAINERS, mutating=True,
           show=True, call=_start, pending="starting"),
    Action("stop", "x", "Stop", "Stop the selected or marked containers", CONTAINERS, mutating=True,
           show=True, call=_stop, pending="stopping", confirm="stop"),
    Action("restart", "r", "Restart", "Restart the selected or marked containers", CONTAINERS, mutating=True,
           call=_restart, pending="restarting", confirm="restart"),
    Action("kill", "K", "Kill", "Kill the selected or marked containers with a signal", CONTAINERS, mutating=True),
    Action("pause", "p", "Pause", "Pause or unpause the selected or marked containers", CONTAINERS, mutating=True),
    Action("rename", "n", "Rename", "Rename the selected container", CONTAINERS, mutating=True),
    Action("remove", "D", "Remove", "Remove the selected or marked containers", CONTAINERS, mutating=True),
    Action("logs", "l", "Logs", "Show the logs of the selected container", show=True),
    Action("merged_logs", "L", "Merged logs", "Show the logs of the marked (or all running) containers merged"),
    Action("create", "c", "Create", "Create a new container", CONTAINERS, mutating=True),
    Action("duplicate", "C", "Duplicate", "Duplicate the selected container (create form pre-filled)", CONTAINERS,
           mutating=True),
    Action("scale", "S", "Scale", "Scale the selected container into N numbered copies", CONTAINERS, mutating=True),
    Action("export", "e", "Export", "Export the selected container's filesystem to a tar file", CONTAINERS),
    Action("details", "enter", "Details", "Show the details of the selected container"),
    Action("toggle_all", "a", "All", "Show all containers or only running ones"),
    Action("sort", "o", "Sort", "Sort by the next column (name, state, created, CPU, memory)"),
    Action("reverse_sort", "O", "Reverse sort", "Reverse the sort order"),
    Action("engine_filter", "f", "Engine filter",
           "Engine filter (status=, label=, ancestor=, name=, publish=, limit=, size=)"),
    Action("zoom_pane", "z", "Zoom pane", "Toggle the detail pane full screen"),
    Action("escape", "escape", "Back", listed=False),
    Action("reload", "ctrl+r", "Reload", "Re-list the containers"),
    Action("hosts", "H", "Hosts", "Switch hosts, or show several hosts together"),
    Action("group", "g", "Group", "Group the containers by compose project (Enter folds a project)", VIEW),
    Action("project_filter", "P", "Project", "Filter by compose project (engine filter label=com.docker.compose.project=)",
           VIEW),
    Action("swarm", "W", "Swarm", "Show the swarm services (scale, tasks, logs, nodes)", VIEW,
           run=open_screen("dtui.ui.views.swarm.services:ServicesScreen")),
    Action("help", "question_mark", "Help", "Show the keys of this screen", show=True),
), groups=(CONTAINERS, VIEW))
