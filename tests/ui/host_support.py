"""Fake engines that can go away and come back, and apps showing several of them."""

from __future__ import annotations

from typing import Any

import httpx

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint, parse_host
from dtui.ui.app import DtuiApp
from tests.ui.table_support import FakeDocker

HOST_A = "unix:///fake/a.sock"
HOST_B = "unix:///fake/b.sock"


class Switchable(httpx.AsyncBaseTransport):
    """A FakeDocker's transport that can refuse connections like a stopped daemon.

    Attributes:
        down: True while every request fails with "connection refused".
        refused: Requests refused so far.
    """

    def __init__(self, docker: FakeDocker) -> None:
        self.docker = docker
        self.down = False
        self.refused = 0
        self._inner = docker.engine.transport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            self.refused += 1
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return await self._inner.handle_async_request(request)

    def go_down(self) -> None:
        """The daemon stops: open event streams end, new requests are refused."""
        self.down = True
        for queue in self.docker.subscriptions:
            queue.put_nowait(None)

    def come_back(self) -> None:
        """The daemon answers again."""
        self.down = False


class FakeHost:
    """One fake engine at ``host``, with its switchable transport."""

    def __init__(self, host: str, *names: str, docker: FakeDocker | None = None, **kwargs: Any) -> None:
        self.host = host
        self.docker = docker or FakeDocker()
        for name in names:
            self.docker.add(name, **kwargs)
        self.transport = Switchable(self.docker)

    @property
    def endpoint(self) -> Endpoint:
        return parse_host(self.host)

    def client(self) -> EngineClient:
        return EngineClient(self.endpoint, transport=self.transport)

    def container_id(self, name: str) -> str:
        return next(cid for cid, item in self.docker.containers.items() if item["Names"] == [f"/{name}"])


def app_of(first: FakeHost, *more: FakeHost, **kwargs: Any) -> DtuiApp:
    """An app showing ``first`` and ``more`` in one table; the switcher connects to any of them."""
    known = {host.host: host for host in (first, *more)}
    kwargs.setdefault("connector", lambda endpoint: known[endpoint.host].client())
    return DtuiApp(
        endpoint=first.endpoint, client=first.client(), more_hosts=[host.client() for host in more], **kwargs
    )
