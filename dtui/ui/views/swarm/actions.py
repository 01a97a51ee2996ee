"""Every action of the swarm views, declared once, and the engine calls behind them.

Binding ids are ``services.<id>``, ``tasks.<id>`` and ``nodes.<id>``. Every call that sends a
POST or DELETE is ``mutating`` (``--read-only`` hides and refuses it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dtui.engine.swarm import NotScalable
from dtui.engine.swarm_models import Node, Service
from dtui.ui.views.actions import Action, ActionContext, ActionTable, BulkCall, open_screen
from dtui.ui.views.screen import standard_actions

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

SERVICES = "Services"
TASKS = "Tasks"
NODES = "Nodes"
VIEW = "View"

NODES_SCREEN = "dtui.ui.views.swarm.nodes:NodesScreen"


def refuse_unscalable(service: Service) -> None:
    """Raise before any request when the service has no replica count (global, jobs)."""
    if not service.scalable:
        raise NotScalable(f"{service.name} is a {service.mode} service: it has no replica count to change")


async def scale_by(client: EngineClient, service: Service, step: int) -> None:
    """Change the replica count by ``step``, counted from a fresh read (never below 0)."""
    refuse_unscalable(service)
    fresh = await client.swarm.service(service.id)
    refuse_unscalable(fresh)
    await client.swarm.scale(fresh, max(0, (fresh.replicas or 0) + step))


async def _redeploy(client: EngineClient, service: Service, context: ActionContext) -> None:
    await client.swarm.force_update(service)


async def _rollback(client: EngineClient, service: Service, context: ActionContext) -> None:
    await client.swarm.rollback(service)


async def _remove(client: EngineClient, service: Service, context: ActionContext) -> None:
    await client.swarm.remove_service(service.id)


def _availability(value: str) -> BulkCall:
    async def call(client: EngineClient, node: Node, context: ActionContext) -> None:
        await client.swarm.set_node_availability(node, value)

    return call


SERVICE_ACTIONS = ActionTable("services", (
    Action("tasks", "enter", "Tasks", "Show the tasks of the selected service", SERVICES, show=True),
    Action("logs", "l", "Logs", "Show the logs of the selected service (every task, prefixed)", SERVICES,
           show=True),
    Action("scale_up", "plus", "+1", "Scale the selected or marked services up by one", SERVICES,
           mutating=True, show=True),
    Action("scale_down", "minus", "-1", "Scale the selected or marked services down by one", SERVICES,
           mutating=True, show=True),
    Action("scale_to", "equals_sign", "Scale to", "Scale the selected or marked services to a typed count",
           SERVICES, mutating=True),
    Action("redeploy", "R", "Redeploy", "Force a redeploy of every task of the selected or marked services",
           SERVICES, mutating=True, call=_redeploy, pending="redeploying", confirm="redeploy"),
    Action("rollback", "B", "Rollback", "Roll the selected or marked services back to their previous spec",
           SERVICES, mutating=True, call=_rollback, pending="rolling back", confirm="rollback"),
    Action("remove", "D", "Remove", "Remove the selected or marked services", SERVICES, mutating=True,
           call=_remove, pending="removing", confirm="remove_service"),
    Action("create", "c", "Create", "Create a service (image, command, env, labels, ports, replicas)",
           SERVICES, mutating=True),
    Action("nodes", "N", "Nodes", "Show the swarm's nodes", VIEW, show=True, run=open_screen(NODES_SCREEN)),
    *standard_actions("services"),
), groups=(SERVICES, VIEW))

TASK_ACTIONS = ActionTable("tasks", (
    Action("logs", "l", "Logs", "Show the log of the selected task's container (when it runs on this engine)",
           TASKS, show=True),
    Action("service_logs", "L", "Service logs", "Show the logs of every task of this service", TASKS,
           show=True),
    *standard_actions("tasks"),
), groups=(TASKS, VIEW))

NODE_ACTIONS = ActionTable("nodes", (
    Action("drain", "d", "Drain", "Drain the selected or marked nodes (their tasks move elsewhere)", NODES,
           mutating=True, show=True, call=_availability("drain"), pending="draining",
           confirm="drain"),
    Action("pause", "p", "Pause", "Pause the selected or marked nodes (no new tasks)", NODES, mutating=True,
           show=True, call=_availability("pause"), pending="pausing"),
    Action("activate", "a", "Activate", "Activate the selected or marked nodes", NODES, mutating=True,
           show=True, call=_availability("active"), pending="activating"),
    *standard_actions("nodes"),
), groups=(NODES, VIEW))
