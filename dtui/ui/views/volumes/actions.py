"""Every action of the volumes view, declared once (footer, help, palette, keymap, read-only).

Binding ids are ``volumes.<id>``. Remove is a bulk call (the engine refuses a volume in use
with its own text, naming the containers); create and prune are ``action_<id>``
methods of the screen; Enter opens the detail pane (:mod:`dtui.ui.views.detail`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dtui.live.volume_kinds import VolumeRow
from dtui.ui.views.actions import Action, ActionContext, ActionTable
from dtui.ui.views.detail import detail_actions
from dtui.ui.views.screen import standard_actions

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

VOLUMES_GROUP = "Volumes"


async def remove_volume(client: EngineClient, row: VolumeRow, context: ActionContext) -> None:
    """``DELETE /volumes/{name}`` (refused while a container uses it)."""
    await client.volumes.remove(row.name)


VOLUME_ACTIONS = ActionTable("volumes", (
    *standard_actions("volumes"),
    *detail_actions("volumes"),
    Action("create", "c", "Create", "Create a volume (name, driver, labels)", VOLUMES_GROUP, mutating=True, show=True),
    Action("remove", "D", "Remove", "Remove the selected or marked volumes", VOLUMES_GROUP, mutating=True, show=True,
           call=remove_volume, pending="removing", confirm="remove"),
    Action("prune", "P", "Prune", "Remove every volume no container uses", VOLUMES_GROUP, mutating=True),
), groups=("View", VOLUMES_GROUP))
