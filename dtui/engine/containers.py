"""Container calls of the Engine API.

Reached as ``client.containers``. Every path argument is percent-encoded; every failure is
an :class:`~dtui.engine.errors.EngineError` with the daemon's message.
"""

from __future__ import annotations

import builtins

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, aclosing, asynccontextmanager
from datetime import datetime
from typing import IO, Any, Protocol

import httpx

from dtui.engine.models import (
    Change,
    ContainerDetail,
    ContainerSummary,
    CreatedContainer,
    Event,
    ProcessTable,
)
from dtui.engine.params import Filters, filters_param, quote_path
from dtui.engine.spec import ContainerSpec
from dtui.engine.stats import StatsSample
from dtui.engine.streams import LogLine, iter_json_lines, iter_log_batches

from dtui.engine.params import ParamValue


class EngineRequests(Protocol):
    """The part of `EngineClient` the resource families use: its one request path.

    Taking this instead of the client class keeps ``client`` -> ``containers`` one-way.
    """

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any: ...

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...

    def _stream(
        self, method: str, path: str, *, params: Mapping[str, ParamValue] | None = None,
        content: bytes | AsyncIterator[bytes] | None = None, headers: Mapping[str, str] | None = None,
    ) -> AbstractAsyncContextManager[httpx.Response]: ...

    def _stream_body(
        self, method: str, path: str, *, params: Mapping[str, ParamValue] | None = None
    ) -> AbstractAsyncContextManager[AsyncIterator[bytes]]: ...

    def _iter_bytes(self, response: httpx.Response) -> AsyncIterator[bytes]: ...

    def open_events(self, filters: Filters | None = None) -> AbstractAsyncContextManager[AsyncIterator[Event]]: ...

    def events(self, filters: Filters | None = None) -> AsyncIterator[Event]: ...

STOP_GRACE = 10


def _when(value: datetime | float | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return f"{value.timestamp():.9f}"
    return str(value)


class Containers:
    """The ``/containers`` family of calls for one client."""

    def __init__(self, client: EngineRequests) -> None:
        self._client = client

    def _path(self, container: str, action: str = "") -> str:
        suffix = f"/{action}" if action else ""
        return f"/containers/{quote_path(container)}{suffix}"

    async def list(
        self,
        *,
        all: bool = False,
        limit: int | None = None,
        size: bool = False,
        filters: Filters | None = None,
    ) -> list[ContainerSummary]:
        """``GET /containers/json``.

        Args:
            all: Include stopped containers.
            limit: Only the N most recently created (stopped ones count too).
            size: Ask for SizeRw/SizeRootFs (slow on big hosts).
            filters: Engine filters as a map of value lists, e.g. ``{"status": ["exited"]}``.
        """
        params: dict[str, Any] = {
            "all": all or None,
            "limit": limit,
            "size": size or None,
            "filters": filters_param(filters),
        }
        data = await self._client._json("GET", "/containers/json", params=params)
        return [ContainerSummary.from_api(item) for item in data or []]

    async def inspect(self, container: str, *, size: bool = False) -> ContainerDetail:
        """``GET /containers/{id}/json``."""
        data = await self._client._json("GET", self._path(container, "json"), params={"size": size or None})
        return ContainerDetail.from_api(data)

    async def top(self, container: str, ps_args: str | None = None) -> ProcessTable:
        """``GET /containers/{id}/top``: 409 when not running, 500 for bad ps_args."""
        data = await self._client._json("GET", self._path(container, "top"), params={"ps_args": ps_args})
        return ProcessTable.from_api(data or {})

    async def changes(self, container: str) -> builtins.list[Change]:
        """``GET /containers/{id}/changes``: the engine sends null for no changes."""
        data = await self._client._json("GET", self._path(container, "changes"))
        return sorted((Change.from_api(item) for item in data or []), key=lambda c: c.path)

    async def create(self, spec: ContainerSpec, name: str | None = None) -> CreatedContainer:
        """``POST /containers/create``; ``name`` is sent as given (the daemon validates)."""
        data = await self._client._json(
            "POST", "/containers/create", params={"name": name or None}, json_body=spec.to_api()
        )
        return CreatedContainer.from_api(data or {})

    async def start(self, container: str) -> None:
        """``POST /containers/{id}/start``: 304 (NotModified) when already running."""
        await self._client._request("POST", self._path(container, "start"))

    async def stop(self, container: str, timeout: int | None = None) -> None:
        """``POST /containers/{id}/stop``; the HTTP timeout outlasts the grace period."""
        grace = STOP_GRACE if timeout is None else timeout
        await self._client._request(
            "POST", self._path(container, "stop"), params={"t": timeout}, timeout=grace + 30.0
        )

    async def restart(self, container: str, timeout: int | None = None) -> None:
        """``POST /containers/{id}/restart``."""
        grace = STOP_GRACE if timeout is None else timeout
        await self._client._request(
            "POST", self._path(container, "restart"), params={"t": timeout}, timeout=grace + 30.0
        )

    async def kill(self, container: str, signal: str | int | None = None) -> None:
        """``POST /containers/{id}/kill``; signal by name (``HUP``, ``SIGHUP``) or number."""
        await self._client._request("POST", self._path(container, "kill"), params={"signal": signal})

    async def pause(self, container: str) -> None:
        """``POST /containers/{id}/pause``."""
        await self._client._request("POST", self._path(container, "pause"))

    async def unpause(self, container: str) -> None:
        """``POST /containers/{id}/unpause``."""
        await self._client._request("POST", self._path(container, "unpause"))

    async def rename(self, container: str, new_name: str) -> None:
        """``POST /containers/{id}/rename?name=``."""
        await self._client._request("POST", self._path(container, "rename"), params={"name": new_name})

    async def remove(self, container: str, *, force: bool = False, volumes: bool = False) -> None:
        """``DELETE /containers/{id}``; 409 for a running container without force."""
        await self._client._request(
            "DELETE", self._path(container), params={"force": force or None, "v": volumes or None}
        )

    async def export(
        self, container: str, sink: IO[bytes], progress: Callable[[int], object] | None = None
    ) -> int:
        """Stream ``GET /containers/{id}/export`` into ``sink`` chunk by chunk.

        Args:
            container: Id or name.
            sink: A binary file object; never holds more than one chunk in memory here.
            progress: Optional callable receiving the byte count written so far.

        Returns:
            The number of bytes written.
        """
        written = 0
        async with self._client._stream("GET", self._path(container, "export")) as response:
            async for chunk in self._client._iter_bytes(response):
                sink.write(chunk)
                written += len(chunk)
                if progress is not None:
                    progress(written)
        return written

    async def logs(
        self,
        container: str,
        *,
        tty: bool,
        follow: bool = False,
        stdout: bool = True,
        stderr: bool = True,
        tail: int | str | None = None,
        since: datetime | float | str | None = None,
        until: datetime | float | str | None = None,
        timestamps: bool = False,
    ) -> AsyncIterator[LogLine]:
        """Stream decoded log lines (``GET /containers/{id}/logs``), one at a time.

        Args:
            tty: The container's ``Config.Tty``: raw bytes when true, frames otherwise.
            tail: Last N lines, or ``"all"``.
            since: Unix seconds (fractions allowed), a datetime, or an engine-accepted string.
        """
        batches = self.log_batches(
            container, tty=tty, follow=follow, stdout=stdout, stderr=stderr, tail=tail,
            since=since, until=until, timestamps=timestamps,
        )
        async with aclosing(batches):
            async for batch in batches:
                for line in batch:
                    yield line

    async def log_batches(
        self,
        container: str,
        *,
        tty: bool,
        follow: bool = False,
        stdout: bool = True,
        stderr: bool = True,
        tail: int | str | None = None,
        since: datetime | float | str | None = None,
        until: datetime | float | str | None = None,
        timestamps: bool = False,
    ) -> AsyncGenerator[builtins.list[LogLine], None]:
        """Stream decoded log lines in batches: the lines each read from the engine completes.

        The cheap way to read a flood: one await per batch rather than per line. Arguments
        as :meth:`logs`.

        Yields:
            Non-empty lists of lines, in order.
        """
        params = {
            "follow": follow or None,
            "stdout": stdout,
            "stderr": stderr,
            "tail": tail,
            "since": _when(since),
            "until": _when(until),
            "timestamps": timestamps or None,
        }
        async with self._client._stream_body("GET", self._path(container, "logs"), params=params) as chunks:
            batches = iter_log_batches(chunks, tty=tty, timestamps=timestamps)
            async with aclosing(batches):
                async for batch in batches:
                    yield batch

    async def stats(self, container: str) -> AsyncIterator[StatsSample]:
        """Stream stats records (about one a second) as computed samples."""
        params = {"stream": True}
        async with self._client._stream("GET", self._path(container, "stats"), params=params) as response:
            async for record in iter_json_lines(self._client._iter_bytes(response)):
                yield StatsSample.from_api(record)

    async def stats_raw_once(self, container: str) -> dict[str, Any]:
        """One one-shot record (``stream=false&one-shot=true``, API 1.41+): no precpu."""
        data = await self._client._json(
            "GET", self._path(container, "stats"), params={"stream": False, "one-shot": True}
        )
        return dict(data or {})

    async def stats_once(self, container: str, previous: Mapping[str, Any] | None = None) -> tuple[StatsSample, dict[str, Any]]:
        """One one-shot sample; CPU% comes from differencing with ``previous``.

        Returns:
            The sample and its raw record, to pass as ``previous`` next time.
        """
        raw = await self.stats_raw_once(container)
        return StatsSample.from_api(raw, dict(previous) if previous else None), raw

    @asynccontextmanager
    async def open_events(self, filters: Filters | None = None) -> AsyncIterator[AsyncIterator[Event]]:
        """Same as :meth:`EngineClient.open_events` (events are not only containers')."""
        async with self._client.open_events(filters) as events:
            yield events

    async def events(self, filters: Filters | None = None) -> AsyncIterator[Event]:
        """Same as :meth:`EngineClient.events`."""
        async for event in self._client.events(filters):
            yield event
