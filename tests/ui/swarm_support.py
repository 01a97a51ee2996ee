"""A fake swarm manager (route tables on a FakeDocker) for the swarm views' UI tests and snapshots.

``GET /info`` says what the engine is (manager, worker, outside a swarm); services, tasks and
nodes are held as engine JSON; updates check the version like the engine does (a stale one
answers 500 "update out of sequence"); ``emit`` sends a service event.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from tests.fakes import ChunkStream, frame
from tests.ui.table_support import FakeDocker

NODE_ID = "n0de1d0000000000000000000"
CREATED = datetime(2026, 5, 1, 11, 0, 0, tzinfo=timezone.utc)
NOT_IN_SWARM = ("This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect "
                "this node to swarm and try again.")
WORKER = ("This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please "
          "run this command on a manager node or promote the current node to a manager.")


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.000000000Z")


class FakeSwarm:
    """A single-node swarm (or a non-manager engine) behind a FakeDocker.

    Args:
        role: ``manager``, ``worker`` or ``inactive`` (what ``/info`` and the listings say).

    Attributes:
        docker: The FakeDocker (its ``engine.requests`` record everything).
        services: Service id -> engine JSON (with ``ServiceStatus``).
        tasks: Task id -> engine JSON.
        nodes: Node id -> engine JSON.
        updates: (service or node id, version sent, body) of every update received.
        stale_next: Answer the next update "update out of sequence" (then accept).
    """

    def __init__(self, role: str = "manager", docker: FakeDocker | None = None) -> None:
        self.docker = docker or FakeDocker()
        self.role = role
        self.services: dict[str, dict[str, Any]] = {}
        self.tasks: dict[str, dict[str, Any]] = {}
        self.nodes: dict[str, dict[str, Any]] = {NODE_ID: self._node()}
        self.updates: list[tuple[str, int, dict[str, Any]]] = []
        self.stale_next = 0
        engine = self.docker.engine
        engine.route("GET", "/info", handler=lambda r: httpx.Response(200, json=self._info()))
        engine.route("GET", "/services", handler=self._guard(lambda r: list(self.services.values())))
        engine.route("GET", "/services/[^/]+", handler=self._guard(self._inspect))
        engine.route("GET", "/tasks", handler=self._guard(self._tasks))
        engine.route("GET", "/nodes", handler=self._guard(lambda r: list(self.nodes.values())))
        engine.route("GET", "/nodes/[^/]+", handler=self._guard(lambda r: self.nodes[r.url.path.split("/")[-1]]))
        engine.route("POST", "/services/[^/]+/update", handler=self._update_service)
        engine.route("POST", "/nodes/[^/]+/update", handler=self._update_node)
        engine.route("POST", "/services/create", handler=self._create)
        engine.route("DELETE", "/services/[^/]+", handler=self._remove)
        engine.route("GET", "/services/[^/]+/logs", handler=self._logs)

    # -- building ----------------------------------------------------------------------

    def add(self, name: str, *, replicas: int | None = 2, running: int | None = None, image: str = "busybox:latest",
            ports: tuple[int, ...] = (), update_state: str = "", age: int = 3600) -> str:
        """A service (``replicas=None``: global) with one running task per replica."""
        service_id = (name.encode().hex() + "0" * 25)[:25]
        mode: dict[str, Any] = {"Replicated": {"Replicas": replicas}} if replicas is not None else {"Global": {}}
        desired = replicas if replicas is not None else 1
        item: dict[str, Any] = {
            "ID": service_id, "Version": {"Index": 10},
            "CreatedAt": _stamp(CREATED - timedelta(seconds=age)), "UpdatedAt": _stamp(CREATED - timedelta(seconds=age)),
            "Spec": {"Name": name, "Labels": {}, "Mode": mode,
                     "TaskTemplate": {"ContainerSpec": {"Image": f"{image}@sha256:{'a' * 64}", "Args": ["sleep", "3600"]},
                                      "ForceUpdate": 0}},
            "Endpoint": {"Ports": [{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": port, "PublishMode": "ingress"}
                                   for port in ports]},
            "ServiceStatus": {"RunningTasks": desired if running is None else running, "DesiredTasks": desired},
        }
        if update_state:
            item["UpdateStatus"] = {"State": update_state, "Message": "update in progress"}
        self.services[service_id] = item
        for slot in range(1, desired + 1):
            self.add_task(service_id, slot if replicas is not None else 0)
        return service_id

    def add_task(self, service_id: str, slot: int, *, state: str = "running", desired: str = "running",
                 error: str = "") -> str:
        task_id = f"{service_id[:10]}task{slot:02d}{len(self.tasks):02d}".ljust(25, "0")
        status: dict[str, Any] = {"State": state, "Message": "started", "Timestamp": _stamp(CREATED),
                                  "ContainerStatus": {"ContainerID": hashlib.sha256(task_id.encode()).hexdigest()}}
        if error:
            status["Err"] = error
        self.tasks[task_id] = {"ID": task_id, "ServiceID": service_id, "Slot": slot, "NodeID": NODE_ID,
                               "DesiredState": desired, "Status": status, "CreatedAt": _stamp(CREATED)}
        return task_id

    def _node(self) -> dict[str, Any]:
        return {"ID": NODE_ID, "Version": {"Index": 9},
                "Spec": {"Role": "manager", "Availability": "active", "Labels": {}},
                "Description": {"Hostname": "swarm-01", "Engine": {"EngineVersion": "27.3.1"}},
                "Status": {"State": "ready", "Addr": "127.0.0.1"},
                "ManagerStatus": {"Leader": True, "Reachability": "reachable", "Addr": "127.0.0.1:2377"}}

    # -- answering ---------------------------------------------------------------------

    def _info(self) -> dict[str, Any]:
        state = "inactive" if self.role == "inactive" else "active"
        return {"Swarm": {"NodeID": "" if state == "inactive" else NODE_ID, "LocalNodeState": state,
                          "ControlAvailable": self.role == "manager", "Nodes": 1, "Managers": 1}}

    def _guard(self, answer: Any) -> Any:
        def handler(request: httpx.Request) -> httpx.Response:
            if self.role != "manager":
                return httpx.Response(503, json={"message": WORKER if self.role == "worker" else NOT_IN_SWARM})
            try:
                return httpx.Response(200, json=answer(request))
            except KeyError:
                return httpx.Response(404, json={"message": "service not found"})

        return handler

    def _inspect(self, request: httpx.Request) -> dict[str, Any]:
        found = self.services[request.url.path.split("/")[-1]]
        return {key: value for key, value in found.items() if key != "ServiceStatus"}

    def _tasks(self, request: httpx.Request) -> list[dict[str, Any]]:
        filters = json.loads(request.url.params.get("filters", "{}"))
        wanted = set(filters.get("service", []))
        return [task for task in self.tasks.values() if not wanted or task["ServiceID"] in wanted]

    def _stale(self, item: dict[str, Any], request: httpx.Request) -> httpx.Response | None:
        if self.stale_next or int(request.url.params["version"]) != item["Version"]["Index"]:
            self.stale_next = max(0, self.stale_next - 1)
            item["Version"]["Index"] += 1
            return httpx.Response(500, json={"message": "rpc error: code = Unknown desc = update out of sequence"})
        item["Version"]["Index"] += 1
        return None

    def _update_service(self, request: httpx.Request) -> httpx.Response:
        item = self.services[request.url.path.split("/")[-2]]
        body = json.loads(request.content)
        self.updates.append((item["ID"], int(request.url.params["version"]), body))
        refused = self._stale(item, request)
        if refused is not None:
            return refused
        item["Spec"] = body
        replicas = body.get("Mode", {}).get("Replicated", {}).get("Replicas")
        if replicas is not None:
            item["ServiceStatus"] = {"RunningTasks": replicas, "DesiredTasks": replicas}
        self.emit("service", "update", item["ID"])
        return httpx.Response(200, json={"Warnings": None})

    def _update_node(self, request: httpx.Request) -> httpx.Response:
        item = self.nodes[request.url.path.split("/")[-2]]
        body = json.loads(request.content)
        self.updates.append((item["ID"], int(request.url.params["version"]), body))
        refused = self._stale(item, request)
        if refused is not None:
            return refused
        item["Spec"] = body
        self.emit("node", "update", item["ID"])
        return httpx.Response(200)

    def _create(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        replicas = body.get("Mode", {}).get("Replicated", {}).get("Replicas")
        service_id = self.add(body.get("Name") or "created", replicas=replicas,
                              image=body["TaskTemplate"]["ContainerSpec"]["Image"])
        self.services[service_id]["Spec"] = body
        self.emit("service", "create", service_id)
        return httpx.Response(201, json={"ID": service_id, "Warnings": None})

    def _remove(self, request: httpx.Request) -> httpx.Response:
        service_id = request.url.path.split("/")[-1]
        self.services.pop(service_id, None)
        self.tasks = {k: t for k, t in self.tasks.items() if t["ServiceID"] != service_id}
        self.emit("service", "remove", service_id)
        return httpx.Response(200)

    def _logs(self, request: httpx.Request) -> httpx.Response:
        service_id = request.url.path.split("/")[-2]
        chunks = []
        for number, task in enumerate(t for t in self.tasks.values() if t["ServiceID"] == service_id):
            details = f"com.docker.swarm.node.id={NODE_ID},com.docker.swarm.service.id={service_id}," \
                      f"com.docker.swarm.task.id={task['ID']}"
            stamp = f"2026-05-01T11:59:{10 + number:02d}.000000000Z"
            chunks.append(frame(1, f"{stamp} {details} hello from slot {task['Slot']}\n".encode()))
        follow = request.url.params.get("follow") in {"1", "true", "True"}
        return httpx.Response(200, stream=ChunkStream(chunks, hang_after=follow))

    def emit(self, kind: str, action: str, actor: str) -> None:
        """A service or node event on every open subscription."""
        record = {"Type": kind, "Action": action, "Actor": {"ID": actor, "Attributes": {"name": actor}},
                  "time": 1, "timeNano": 1}
        for queue in self.docker.subscriptions:
            queue.put_nowait(json.dumps(record).encode() + b"\n")
