"""A small stateful fake of the container endpoints the table screen uses, with live events."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from tests.fakes import FakeEngine, QueueStream, container_json

HOST = "unix:///fake/docker.sock"


class FakeDocker:
    """Containers held in a dict, a list route honouring ``all`` and ``filters.id``, events on demand.

    Attributes:
        engine: The route table (``engine.requests`` records every request).
        containers: ``Id`` -> list item JSON.
        list_calls: Decoded query parameters of each ``GET /containers/json``.
        stats_calls: Container ids of each stats request (answered only with ``serve_stats``).
    """

    def __init__(self, items: list[dict[str, Any]] | None = None, *, serve_stats: bool = False) -> None:
        self.engine = FakeEngine()
        self.containers: dict[str, dict[str, Any]] = {item["Id"]: item for item in items or []}
        self.list_calls: list[dict[str, Any]] = []
        self.subscriptions: list[asyncio.Queue[bytes | None]] = []
        self.engine.route("GET", "/containers/json", handler=self._list)
        self.engine.route("GET", "/events", handler=self._events)
        for action in ("start", "stop", "restart", "kill", "pause", "unpause", "rename"):
            self.engine.route("POST", f"/containers/[^/]+/{action}", status=204)
        self.engine.route("DELETE", "/containers/[^/]+", status=204)
        self.stats_calls: list[str] = []
        if serve_stats:  # else stats requests get the engine's 404 and the overview stays empty
            self.engine.route("GET", "/containers/[^/]+/stats", handler=self._stats)

    def add(self, name: str, **kwargs: Any) -> dict[str, Any]:
        item = container_json(name, **kwargs)
        self.containers[item["Id"]] = item
        return item

    def _list(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        filters = json.loads(params.get("filters", "{}"))
        self.list_calls.append({**params, "filters": filters})
        items = list(self.containers.values())
        if params.get("all") != "1":
            items = [c for c in items if c["State"] in {"running", "paused", "restarting"}]
        if "id" in filters:
            items = [c for c in items if any(c["Id"].startswith(p) for p in filters["id"])]
        return httpx.Response(200, json=items)

    def _stats(self, request: httpx.Request) -> httpx.Response:
        """One-shot stats: the n-th record of a container used n × 0.25 s CPU of n s (50% of 2 CPUs).

        Running containers get 20 MiB in use; others the empty record the engine sends.
        """
        container_id = request.url.path.split("/")[-2]
        self.stats_calls.append(container_id)
        item = self.containers.get(container_id)
        if item is None:
            return httpx.Response(404, json={"message": f"No such container: {container_id}"})
        if item["State"] != "running":
            return httpx.Response(200, json={"read": "0001-01-01T00:00:00Z", "cpu_stats": {}, "memory_stats": {}})
        round_number = self.stats_calls.count(container_id)
        record = {
            "read": "2026-11-28T01:10:00.1Z",
            "cpu_stats": {"cpu_usage": {"total_usage": round_number * 250_000_000},
                          "system_cpu_usage": round_number * 1_000_000_000, "online_cpus": 2},
            "precpu_stats": {"cpu_usage": {"total_usage": 0}},
            "memory_stats": {"usage": 20 * 1024 * 1024 + 4096, "stats": {"inactive_file": 4096}, "limit": 8 << 30},
            "id": container_id,
        }
        if request.url.params.get("stream") in {"1", "true"}:
            # A stats stream: this record, then open until closed (a real body, not a consumed one).
            queue: asyncio.Queue[bytes | None] = asyncio.Queue()
            queue.put_nowait(json.dumps(record).encode() + b"\n")
            return httpx.Response(200, stream=QueueStream(queue))
        return httpx.Response(200, json=record)

    def _events(self, request: httpx.Request) -> httpx.Response:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self.subscriptions.append(queue)
        return httpx.Response(200, stream=QueueStream(queue))

    def emit(self, action: str, container_id: str, **attributes: str) -> None:
        """Send one container event on the latest subscription."""
        record = {"Type": "container", "Action": action, "Actor": {"ID": container_id, "Attributes": attributes},
                  "time": 1, "timeNano": 1}
        self.subscriptions[-1].put_nowait(json.dumps(record).encode() + b"\n")

    def end_events(self) -> None:
        """The engine closes the event stream."""
        self.subscriptions[-1].put_nowait(None)

    def mutations(self) -> list[tuple[str, str]]:
        """(method, path + query) of every POST/DELETE received."""
        return [
            (r.method, f"{r.url.path}?{r.url.query.decode()}") for r in self.engine.requests
            if r.method in {"POST", "DELETE"}
        ]

    def app(self, **kwargs: Any) -> DtuiApp:
        return DtuiApp(endpoint=parse_host(HOST), client=self.engine.client(HOST), **kwargs)
