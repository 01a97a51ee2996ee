"""Every action of the networks view, declared once (footer, help, palette, keymap, read-only).

Binding ids are ``networks.<id>``. Remove is a bulk call (the engine refuses its own
``bridge``, ``host`` and ``none`` and a network with containers attached, in its words);
create, connect, disconnect and prune are ``action_<id>`` methods of the screen; Enter opens the detail pane.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dtui.live.network_kinds import NetworkRow
from dtui.ui.views.actions import Action, ActionContext, ActionTable
from dtui.ui.views.detail import detail_actions
from dtui.ui.views.screen import standard_actions

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

NETWORKS_GROUP = "Networks"


async def remove_network(client: EngineClient, row: NetworkRow, context: ActionContext) -> None:
    """``DELETE /networks/{id}`` (by name on Podman).

    Podman 4.3 removes a network that containers are still connected to when asked by its
    full id (and answers 204); by name it refuses, as Docker does.
    """
    await client.networks.remove(row.name if client.is_podman and row.name else row.id)


NETWORK_ACTIONS = ActionTable("networks", (
    *standard_actions("networks"),
    *detail_actions("networks"),
    Action("create", "c", "Create", "Create a network (name, driver, subnet)", NETWORKS_GROUP, mutating=True,
           show=True),
    Action("connect", "C", "Connect", "Connect a container to the selected network", NETWORKS_GROUP,
           mutating=True, show=True),
    Action("disconnect", "X", "Disconnect", "Disconnect a container from the selected network", NETWORKS_GROUP,
           mutating=True),
    Action("remove", "D", "Remove", "Remove the selected or marked networks", NETWORKS_GROUP, mutating=True,
           show=True, call=remove_network, pending="removing", confirm="remove"),
    Action("prune", "P", "Prune", "Remove every network no container uses", NETWORKS_GROUP, mutating=True),
), groups=("View", NETWORKS_GROUP))
