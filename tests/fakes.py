"""A fake engine: a route table of canned Engine API answers behind httpx.MockTransport.

For what a real engine cannot be made to do on demand: frames split at any byte, 500s with
text/plain bodies, streams that stop mid-way, requests that hang, deterministic screens.

Example::

    engine = FakeEngine()
    engine.route("GET", "/containers/json", json=[container_json(name="web")])
    client = engine.client()
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host

Handler = Callable[[httpx.Request], httpx.Response]
_VERSION_PREFIX = re.compile(r"^/v\d+\.\d+")


class ChunkStream(httpx.AsyncByteStream):
    """A response body delivered in the given chunks, optionally pausing or hanging."""

    def __init__(self, chunks: Iterable[bytes], delay: float = 0.0, hang_after: bool = False) -> None:
        self._chunks = list(chunks)
        self._delay = delay
        self._hang_after = hang_after

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            if self._delay:
                await asyncio.sleep(self._delay)
            yield chunk
        if self._hang_after:
            await asyncio.Event().wait()


class VanishingStream(httpx.AsyncByteStream):
    """A body that delivers its chunks, then fails as when the socket goes away (daemon died)."""

    def __init__(self, *chunks: bytes, delay: float = 0.05) -> None:
        self._chunks = chunks
        self._delay = delay

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk
            await asyncio.sleep(self._delay)
        raise httpx.ReadError("[Errno 104] Connection reset by peer")


class QueueStream(httpx.AsyncByteStream):
    """A response body fed chunk by chunk from a queue (None ends it)."""

    def __init__(self, queue: asyncio.Queue[bytes | None]) -> None:
        self._queue = queue

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (chunk := await self._queue.get()) is not None:
            yield chunk


def frame(stream: int, payload: bytes) -> bytes:
    """One multiplexed log frame."""
    return bytes([stream, 0, 0, 0]) + len(payload).to_bytes(4, "big") + payload


def container_json(
    name: str = "web",
    *,
    id: str | None = None,
    image: str = "busybox:latest",
    state: str = "running",
    status: str = "Up 5 minutes",
    created: int = 1_780_000_000,
    ports: list[dict[str, Any]] | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A ``/containers/json`` item as the engine sends it."""
    container_id = id or (name.encode().hex() * 8)[:64].ljust(64, "0")
    return {
        "Id": container_id,
        "Names": [f"/{name}"],
        "Image": image,
        "ImageID": "sha256:" + "1" * 64,
        "Command": "sh",
        "Created": created,
        "State": state,
        "Status": status,
        "Ports": ports or [],
        "Labels": labels or {},
        "NetworkSettings": {"Networks": {"bridge": {}}},
    }


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


@dataclass
class FakeEngine:
    """A route table answering like dockerd.

    Attributes:
        api_version: What ``/_ping`` announces.
        requests: Every request received, in order (for assertions).
    """

    api_version: str = "1.41"
    routes: list[Route] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.route("HEAD", "/_ping", headers={"Api-Version": self.api_version, "Ostype": "linux"})
        self.route("GET", "/_ping", text="OK", headers={"Api-Version": self.api_version})
        self.route("GET", "/version", json={"Version": "99.0.0-fake", "ApiVersion": self.api_version})
        self.route("GET", "/containers/json", json=[])
        self.route("GET", "/events", chunks=[], hang=True)

    def route(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        json: Any = None,
        text: str | None = None,
        content: bytes | None = None,
        chunks: Iterable[bytes] | None = None,
        headers: dict[str, str] | None = None,
        handler: Handler | None = None,
        hang: bool = False,
    ) -> None:
        """Add (in front of older ones) a canned answer for ``method`` on a path regex."""
        if handler is None:
            handler = _canned(status, json, text, content, chunks, headers, hang)
        self.routes.insert(0, Route(method, re.compile(f"^{path}$"), handler))

    def handle(self, request: httpx.Request) -> httpx.Response:
        """MockTransport's handler: first matching route, else 404 like the engine."""
        self.requests.append(request)
        path = _VERSION_PREFIX.sub("", request.url.path)
        for route in self.routes:
            if route.method == request.method and route.pattern.match(path):
                return route.handler(request)
        return httpx.Response(404, json={"message": f"page not found: {path}"})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def client(self, host: str = "unix:///fake/docker.sock") -> EngineClient:
        """An EngineClient wired to this fake."""
        return EngineClient(parse_host(host), transport=self.transport())

    def paths(self, method: str | None = None) -> list[str]:
        """Unversioned paths requested so far (optionally of one method)."""
        return [
            _VERSION_PREFIX.sub("", r.url.path) for r in self.requests if method is None or r.method == method
        ]


def _canned(
    status: int,
    json_body: Any,
    text: str | None,
    content: bytes | None,
    chunks: Iterable[bytes] | None,
    headers: dict[str, str] | None,
    hang: bool,
) -> Handler:
    chunk_list = list(chunks) if chunks is not None else None

    def handler(request: httpx.Request) -> httpx.Response:
        if chunk_list is not None or hang:
            return httpx.Response(status, headers=headers, stream=ChunkStream(chunk_list or [], hang_after=hang))
        if json_body is not None:
            return httpx.Response(status, headers=headers, json=json_body)
        if text is not None:
            return httpx.Response(status, headers={"Content-Type": "text/plain", **(headers or {})}, text=text)
        return httpx.Response(status, headers=headers, content=content or b"")

    return handler


class FakeWidgets:
    """A made-up engine resource, "widgets", for the view built in tests/ui/widgets_view.py.

    ``GET /widgets/json`` lists them, ``POST /widgets/{id}/poke`` pokes one, and
    :meth:`emit` sends a ``widget`` event on the latest ``/events`` subscription.

    Attributes:
        engine: The route table (``engine.requests`` records every request).
        widgets: ``Id`` -> list item JSON.
        pokes: Ids poked, in order.
    """

    def __init__(self, *names: str) -> None:
        self.engine = FakeEngine()
        self.widgets: dict[str, dict[str, Any]] = {}
        self.pokes: list[str] = []
        self._subscriptions: list[asyncio.Queue[bytes | None]] = []
        for name in names:
            self.add(name)
        self.engine.route("GET", "/widgets/json", handler=lambda request: httpx.Response(200, json=list(self.widgets.values())))
        self.engine.route("POST", "/widgets/[^/]+/poke", handler=self._poke)
        self.engine.route("GET", "/events", handler=self._events)

    def add(self, name: str, colour: str = "blue") -> dict[str, Any]:
        item = {"Id": f"w-{name}", "Name": name, "Colour": colour, "Pokes": 0}
        self.widgets[item["Id"]] = item
        return item

    def emit(self, action: str, widget_id: str) -> None:
        """Send one widget event on the latest subscription."""
        record = {"Type": "widget", "Action": action, "Actor": {"ID": widget_id, "Attributes": {}}, "time": 1}
        self._subscriptions[-1].put_nowait(json.dumps(record).encode() + b"\n")

    def subscribed(self) -> bool:
        return bool(self._subscriptions)

    def _poke(self, request: httpx.Request) -> httpx.Response:
        widget_id = request.url.path.split("/")[-2]
        self.pokes.append(widget_id)
        self.widgets[widget_id]["Pokes"] += 1
        return httpx.Response(204)

    def _events(self, request: httpx.Request) -> httpx.Response:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._subscriptions.append(queue)
        return httpx.Response(200, stream=QueueStream(queue))
