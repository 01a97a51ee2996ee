"""The engine client: one httpx AsyncClient, version negotiation, one request path.

Every call in the engine layer goes through :meth:`EngineClient._request` or
:meth:`EngineClient._stream`, which add the ``/v1.NN`` prefix and turn every failure into
an :class:`~dtui.engine.errors.EngineError` carrying the daemon's own message.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

from dtui.engine import rawhttp
from dtui.engine.endpoint import Endpoint
from dtui.engine.errors import EngineError, EngineUnreachable, error_for_status
from dtui.engine.containers import Containers
from dtui.engine.models import EngineInfo, EngineVersion, Event, Ping
from dtui.engine.params import Filters, ParamValue, encode_params, filters_param
from dtui.engine.streams import iter_json_lines

if TYPE_CHECKING:
    from dtui.engine.images import Images
    from dtui.engine.networks import Networks
    from dtui.engine.swarm import Swarm
    from dtui.engine.system import System
    from dtui.engine.volumes import Volumes


CLIENT_MAX_API = (1, 47)
MIN_API = (1, 40)
CONNECT_TIMEOUT = 5.0
REQUEST_TIMEOUT = 30.0
_MISSING: Any = object()


class UnsupportedVersion(EngineError):
    """The engine (or DOCKER_API_VERSION) speaks an API older than dtui supports."""

    title = "Unsupported engine"


def parse_version(text: str) -> tuple[int, int]:
    """Parse ``"1.41"`` into ``(1, 41)``.

    Raises:
        ValueError: If the text is not ``MAJOR.MINOR``.
    """
    major, minor = text.strip().lstrip("v").split(".", 1)
    return int(major), int(minor)


def format_version(version: tuple[int, int]) -> str:
    """Format ``(1, 41)`` as ``"1.41"``."""
    return f"{version[0]}.{version[1]}"


def error_message(response: httpx.Response) -> str:
    """Extract the daemon's message from an error response (JSON or text/plain)."""
    body = response.content.decode("utf-8", errors="replace").strip()
    if not body:
        return f"HTTP {response.status_code} {response.reason_phrase}".strip()
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"]).strip()
    return body


class EngineClient:
    """An async client for one Docker engine.

    Args:
        endpoint: Where the engine lives.
        api_version: Pin the API version (as ``DOCKER_API_VERSION`` does); negotiate if None.
        timeout: Read timeout in seconds for ordinary requests.
        transport: Use this transport instead of the endpoint's (tests pass fakes).

    Attributes:
        endpoint: The engine address.
        api_version: The API version in use, known after :meth:`connect`.
        engine_kind: ``"docker"`` or ``"podman"``, set by :meth:`connect` (the ping's
            ``Server: Libpod/...``) and by :meth:`version` (Podman's ``/version`` lists a
            component named "Podman Engine"). See :attr:`is_podman`.
        raw_streams: Read long streams (logs) with dtui's own HTTP/1.1 reader
            (:mod:`dtui.engine.rawhttp`); on for unix and tcp engines without a given transport.
    """

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        api_version: str | None = None,
        timeout: float = REQUEST_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._pinned_version = api_version
        self.api_version: str | None = None
        self._timeout = httpx.Timeout(timeout, connect=CONNECT_TIMEOUT)
        self._http = httpx.AsyncClient(
            transport=transport or endpoint.make_transport(),
            base_url=endpoint.base_url,
            timeout=self._timeout,
        )
        self.containers = Containers(self)
        # Long bodies skip httpx when dtui can drive the socket itself (see _stream_body).
        self.raw_streams = transport is None and rawhttp.supports(endpoint)
        self._raw_target: rawhttp.RawTarget | None = None
        self.engine_kind = "docker"

    # The other call families load on first use: the container view starts without them.

    @cached_property
    def swarm(self) -> Swarm:
        """The swarm calls (nodes, services, tasks)."""
        from dtui.engine.swarm import Swarm

        return Swarm(self)

    @cached_property
    def images(self) -> Images:
        """The ``/images`` calls (``client.images(...)`` lists them)."""
        from dtui.engine.images import Images

        return Images(self)

    @cached_property
    def volumes(self) -> Volumes:
        """The ``/volumes`` calls."""
        from dtui.engine.volumes import Volumes

        return Volumes(self)

    @cached_property
    def networks(self) -> Networks:
        """The ``/networks`` calls."""
        from dtui.engine.networks import Networks

        return Networks(self)

    @cached_property
    def system(self) -> System:
        """The ``/system`` calls."""
        from dtui.engine.system import System

        return System(self)

    @classmethod
    def from_env(cls, endpoint: Endpoint, environ: Mapping[str, str] | None = None) -> EngineClient:
        """Build a client honouring ``DOCKER_API_VERSION`` from the environment."""
        env = os.environ if environ is None else environ
        return cls(endpoint, api_version=env.get("DOCKER_API_VERSION") or None)

    async def __aenter__(self) -> EngineClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close every connection of this client."""
        await self._http.aclose()

    async def connect(self) -> str:
        """Negotiate the API version with the daemon.

        Returns:
            The API version now used for every request.

        Raises:
            EngineUnreachable: When the daemon does not answer.
            UnsupportedVersion: When the version is below 1.40.
        """
        if self._pinned_version:
            version = parse_version(self._pinned_version)
            source = "DOCKER_API_VERSION"
        else:
            ping = await self.ping()
            if ping.server.startswith("Libpod/"):  # Podman; /version confirms it later
                self.engine_kind = "podman"
            daemon = parse_version(ping.api_version) if ping.api_version else MIN_API
            version = min(CLIENT_MAX_API, daemon)
            source = "the engine"
        if version < MIN_API:
            raise UnsupportedVersion(
                f"API version {format_version(version)} (from {source}) is too old: "
                f"dtui needs {format_version(MIN_API)} or newer (Docker 19.03+)"
            )
        self.api_version = format_version(version)
        return self.api_version

    async def ping(self, *, timeout: float | None = None) -> Ping:
        """``HEAD /_ping`` (GET when HEAD is not allowed), unversioned.

        Args:
            timeout: Seconds to wait for the answer (None: the client's request timeout).
        """
        limit: Any = _MISSING if timeout is None else timeout
        response = await self._send("HEAD", "/_ping", versioned=False, raise_status=False, timeout=limit)
        if response.status_code in {404, 405}:
            response = await self._send("GET", "/_ping", versioned=False, raise_status=False, timeout=limit)
        if response.status_code >= 400:
            raise error_for_status(response.status_code, error_message(response))
        return Ping.from_headers(response.headers)

    @property
    def is_podman(self) -> bool:
        """True when the engine is Podman: no swarm, ``top`` ignores ps args, 500s for 409s."""
        return self.engine_kind == "podman"

    async def version(self) -> EngineVersion:
        """``GET /version``; also records :attr:`engine_kind`."""
        version = EngineVersion.from_api(await self._json("GET", "/version"))
        self.engine_kind = version.product.lower()
        return version

    async def info(self) -> EngineInfo:
        """``GET /info``."""
        return EngineInfo.from_api(await self._json("GET", "/info"))

    @asynccontextmanager
    async def open_events(self, filters: Filters | None = None) -> AsyncIterator[AsyncIterator[Event]]:
        """Subscribe to ``GET /events``; the context is entered once the headers arrived.

        Subscribe before listing, so nothing created meanwhile is missed::

            async with client.open_events({"type": ["container"]}) as events:
                rows = await client.containers.list(all=True)
                async for event in events: ...

        Args:
            filters: Engine filters, e.g. ``{"type": ["container"], "label": ["a=b"]}``.
                Unknown keys are silently ignored by the engine here.

        Yields:
            An async iterator of events; it ends when the engine closes the stream.
        """
        params = {"filters": filters_param(filters)}
        async with self._stream("GET", "/events", params=params) as response:
            yield self._decode_events(response)

    async def events(self, filters: Filters | None = None) -> AsyncIterator[Event]:
        """Stream events (see :meth:`open_events`) until the caller stops iterating."""
        async with self.open_events(filters) as events:
            async for event in events:
                yield event

    async def _decode_events(self, response: httpx.Response) -> AsyncIterator[Event]:
        async for record in iter_json_lines(self._iter_bytes(response)):
            yield Event.from_api(record)

    def _path(self, path: str, versioned: bool) -> str:
        if versioned and self.api_version:
            return f"/v{self.api_version}{path}"
        return path

    def _unreachable(self, error: Exception) -> EngineUnreachable:
        if isinstance(error, httpx.TimeoutException):
            return self._timed_out(error)
        else:
            reason = str(error) or type(error).__name__
            if "No such file" in reason:
                reason = "no such socket"
            elif "Connection refused" in reason:
                reason = "connection refused"
        return EngineUnreachable(f"cannot reach the Docker engine at {self.endpoint.host}: {reason}")

    def _timed_out(self, error: httpx.TimeoutException) -> EngineUnreachable:
        """Say which wait ran out: connecting (the engine is unreachable) or the answer (it hangs)."""
        limits: dict[str, float | None] = {}
        try:
            limits = dict(error.request.extensions.get("timeout") or {})
        except RuntimeError:  # no request attached
            pass
        host = self.endpoint.host
        if isinstance(error, httpx.ConnectTimeout):
            seconds = limits.get("connect") or CONNECT_TIMEOUT
            return EngineUnreachable(f"cannot reach the Docker engine at {host}: connecting timed out after {seconds:g} s")
        if isinstance(error, httpx.PoolTimeout):
            return EngineUnreachable(f"the Docker engine at {host} is busy: no free connection (timed out)")
        seconds = limits.get("read") or limits.get("write") or self._timeout.read or REQUEST_TIMEOUT
        return EngineUnreachable(
            f"the Docker engine at {host} did not answer within {seconds:g} s (request timed out); "
            "it may be overloaded or hung"
        )

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, ParamValue] | None = None,
        json_body: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = _MISSING,
        versioned: bool = True,
        raise_status: bool = True,
    ) -> httpx.Response:
        request_timeout = self._timeout if timeout is _MISSING else httpx.Timeout(timeout, connect=CONNECT_TIMEOUT)
        try:
            response = await self._http.request(
                method,
                self._path(path, versioned),
                params=encode_params(params or {}),
                json=json_body,
                content=content,
                headers=headers,
                timeout=request_timeout,
            )
        except (httpx.TransportError, OSError) as error:
            raise self._unreachable(error) from error
        if raise_status and response.status_code >= 300:
            raise error_for_status(response.status_code, error_message(response))
        return response

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request; every non-2xx answer raises the matching EngineError.

        Args:
            method: HTTP method.
            path: Unversioned API path, arguments already percent-encoded.
            **kwargs: ``params``, ``json_body``, ``content``, ``headers``, ``timeout``.
        """
        return await self._send(method, path, **kwargs)

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request and decode its JSON body (None for an empty body)."""
        response = await self._request(method, path, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise EngineError(f"the engine sent invalid JSON for {path}", response.status_code) from error

    @asynccontextmanager
    async def _stream(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, ParamValue] | None = None,
        content: bytes | AsyncIterator[bytes] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncIterator[httpx.Response]:
        """Open a streaming response: connect timeout, no read timeout.

        The context is entered once the response headers arrived; error statuses raise
        before the body is consumed. Closing the context closes the connection.
        """
        request = self._http.build_request(
            method,
            self._path(path, True),
            params=encode_params(params or {}),
            content=content,
            headers=headers,
            timeout=httpx.Timeout(None, connect=CONNECT_TIMEOUT),
        )
        try:
            response = await self._http.send(request, stream=True)
        except (httpx.TransportError, OSError) as error:
            raise self._unreachable(error) from error
        try:
            if response.status_code >= 300:
                await response.aread()
                raise error_for_status(response.status_code, error_message(response))
            yield response
        finally:
            await response.aclose()

    async def _iter_bytes(self, response: httpx.Response) -> AsyncIterator[bytes]:
        """Raw body chunks of a stream; a dropped link becomes EngineUnreachable."""
        try:
            async for chunk in response.aiter_raw():
                yield chunk
        except (httpx.TransportError, OSError) as error:
            raise self._unreachable(error) from error

    @asynccontextmanager
    async def _stream_body(
        self, method: str, path: str, *, params: Mapping[str, ParamValue] | None = None
    ) -> AsyncIterator[AsyncIterator[bytes]]:
        """Open a streaming response and yield its body in large pieces.

        For long bodies (logs): on a unix or tcp engine the socket is read directly in
        large reads (:mod:`dtui.engine.rawhttp`), as httpx yields one piece per HTTP chunk;
        otherwise (ssh, test transports, ``raw_streams`` off) this is :meth:`_stream` and
        :meth:`_iter_bytes`. Same errors either way; connect timeout, no read timeout.
        """
        if not self.raw_streams:
            async with self._stream(method, path, params=params) as response:
                yield self._iter_bytes(response)
            return
        if self._raw_target is None:
            self._raw_target = rawhttp.target_for(self.endpoint)
        assert self._raw_target is not None
        async with AsyncExitStack() as stack:
            try:
                body = await stack.enter_async_context(
                    rawhttp.open_stream(
                        self._raw_target, method, self._path(path, True), encode_params(params or {}),
                        connect_timeout=CONNECT_TIMEOUT,
                    )
                )
            except rawhttp.HttpStatusError as error:
                response = httpx.Response(error.status, content=error.body)
                raise error_for_status(error.status, error_message(response)) from None
            except OSError as error:
                raise self._unreachable(error) from error
            yield self._raw_body(body)

    async def _raw_body(self, body: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        try:
            async for piece in body:
                yield piece
        except OSError as error:
            raise self._unreachable(error) from error
