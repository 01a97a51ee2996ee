"""Collect engine events in the background while a test acts, then wait for each one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

from dtui.engine.client import EngineClient
from dtui.engine.params import Filters
from dtui.engine.models import Event

EVENT_TIMEOUT = 10.0


class EventLog:
    """Subscribe on enter (before the test acts), collect every event until exit.

    Example::

        async with EventLog(client, {"type": ["container"]}) as log:
            await client.containers.start(cid)
            await log.wait_for("start", cid)
    """

    def __init__(self, client: EngineClient, filters: Filters) -> None:
        self._client = client
        self._filters = filters
        self.events: list[Event] = []
        self._arrived = asyncio.Event()
        self._context: AbstractAsyncContextManager[AsyncIterator[Event]] | None = None
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> EventLog:
        self._context = self._client.open_events(self._filters)
        stream = await self._context.__aenter__()
        self._task = asyncio.create_task(self._collect(stream))
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._context is not None:
            await self._context.__aexit__(None, None, None)

    async def _collect(self, stream: AsyncIterator[Event]) -> None:
        async for event in stream:
            self.events.append(event)
            self._arrived.set()

    def actions(self, actor_id: str) -> list[str]:
        """The actions received so far for one container, in order."""
        return [event.action for event in self.events if event.actor_id == actor_id]

    async def wait_for(
        self, action: str, actor_id: str, *, count: int = 1, timeout: float = EVENT_TIMEOUT
    ) -> Event:
        """Wait until ``count`` events of ``action`` for ``actor_id`` arrived; return the last.

        Raises:
            AssertionError: When they do not arrive within ``timeout`` seconds.
        """

        def matching() -> list[Event]:
            return [e for e in self.events if e.actor_id == actor_id and e.action == action]

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(matching()) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"no {count}x {action!r} event for {actor_id[:12]} within {timeout}s; "
                    f"got {self.actions(actor_id)}"
                )
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                pass
        return matching()[-1]
