"""Interactive terminals in containers: exec and attach over hijacked connections.

Made per client as ``Terminals(client)`` (the client does not import this module: no circle). ``POST /exec/{id}/start`` and ``POST /containers/{id}/attach``
are sent with ``Connection: Upgrade`` / ``Upgrade: tcp``; the engine answers ``101`` and the
connection becomes a raw two-way byte stream, which httpcore hands out as the response's
``network_stream`` extension (bytes read past the headers are replayed). That works the same
over every transport httpx speaks here: unix socket, tcp, TLS and ssh dial-stdio. The whole
session lives inside the response's context; leaving it closes the socket.

With a TTY the output is raw bytes; without one it is the 8-byte multiplexed frames of logs
(:class:`~dtui.engine.streams.FrameDecoder`). Input is always raw. What comes out is exactly
what the process wrote: making it safe for a terminal is the UI's job (a terminal emulator).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

import httpcore
import httpx

from dtui.engine import contexts
from dtui.engine.client import CONNECT_TIMEOUT, error_message
from dtui.engine.params import encode_params, quote_path
from dtui.engine.errors import EngineError, EngineUnreachable, error_for_status
from dtui.engine.streams import FrameDecoder

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

DEFAULT_DETACH_KEYS: Final = "ctrl-p,ctrl-q"
DEFAULT_TERM: Final = "xterm-256color"
SHELL_CANDIDATES: Final = ("/bin/bash", "/bin/sh")
READ_SIZE: Final = 65536
RESIZE_ATTEMPTS: Final = 10
RESIZE_RETRY_SECONDS: Final = 0.05
PROBE_OUTPUT_LIMIT: Final = 65536
_UPGRADE_HEADERS: Final = {"Connection": "Upgrade", "Upgrade": "tcp"}
_NETWORK_ERRORS: Final = (httpcore.NetworkError, httpcore.TimeoutException, httpx.TransportError, OSError)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class DetachKeysError(ValueError):
    """A detach-keys string the docker CLI would not accept either."""


@dataclass(frozen=True, slots=True)
class ExecState:
    """What ``GET /exec/{id}/json`` says about one exec.

    Attributes:
        id: The exec id.
        container_id: The container it runs in.
        running: True while the process runs.
        exit_code: The exit code once it ended (None while running or never started).
        tty: Whether the exec has a TTY (decides the framing of its stream).
        pid: The process id on the host (0 when not running).
    """

    id: str
    container_id: str
    running: bool
    exit_code: int | None
    tty: bool
    pid: int

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ExecState:
        running = data.get("Running") is True
        code = data.get("ExitCode")
        exit_code = None if running or not isinstance(code, int) or isinstance(code, bool) else code
        return cls(
            id=str(data.get("ID") or ""),
            container_id=str(data.get("ContainerID") or ""),
            running=running,
            exit_code=exit_code,
            tty=_map(data.get("ProcessConfig")).get("tty") is True,
            pid=data["Pid"] if isinstance(data.get("Pid"), int) else 0,
        )


class _RawStream(Protocol):
    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes: ...

    async def write(self, buffer: bytes, timeout: float | None = None) -> None: ...


class TerminalSession:
    """One hijacked two-way stream (an exec or an attach).

    Reads and writes may run in different tasks at the same time; one reader at a time.

    Args:
        stream: The raw network stream of the upgraded connection.
        tty: True for raw output; False to decode multiplexed frames.
        host: The engine address, for error messages.
        detach_keys: Keys this session watches for itself (Podman ignores ``detachKeys`` on
            an API attach): typing them ends the session without sending them.
    """

    def __init__(self, stream: _RawStream, *, tty: bool, host: str, detach_keys: bytes = b"") -> None:
        self._stream = stream
        self.tty = tty
        self._host = host
        self._frames = None if tty else FrameDecoder()
        self._ended = False
        self._detach_keys = detach_keys
        self._held = b""

    @property
    def ended(self) -> bool:
        """True once the engine closed the output side."""
        return self._ended

    async def read(self) -> bytes:
        """The next output bytes (stdout and stderr together); ``b""`` at the end.

        Raises:
            EngineUnreachable: When the link drops.
            StreamError: For a non-TTY stream that is not multiplexed.
        """
        while not self._ended:
            data = await self._read_raw()
            if self._frames is None:
                return data
            payload = b"".join(part for _, part in (self._frames.feed(data) if data else self._frames.flush()))
            if payload or not data:
                return payload
        return b""

    async def _read_raw(self) -> bytes:
        try:
            data = await self._stream.read(READ_SIZE)
        except _NETWORK_ERRORS as error:
            self._ended = True
            raise self._unreachable(error) from error
        if not data:
            self._ended = True
        return data

    async def write(self, data: bytes) -> None:
        """Send input bytes to the process.

        Raises:
            EngineUnreachable: When the link is gone.
        """
        if self._detach_keys:
            data = self._without_detach_keys(data)
        if not data:
            return
        try:
            await self._stream.write(data)
        except _NETWORK_ERRORS as error:
            raise self._unreachable(error) from error

    def _without_detach_keys(self, data: bytes) -> bytes:
        """The input to send; ends the session at the detach keys, holding back a partial match."""
        keys, pending = self._detach_keys, self._held + data
        self._held = b""
        found = pending.find(keys)
        if found >= 0:
            self._ended = True
            return pending[:found]
        for size in range(min(len(keys) - 1, len(pending)), 0, -1):
            if pending.endswith(keys[:size]):
                self._held = pending[-size:]
                return pending[:-size]
        return pending

    def _unreachable(self, error: BaseException) -> EngineUnreachable:
        reason = str(error) or type(error).__name__
        return EngineUnreachable(f"the connection to the Docker engine at {self._host} dropped: {reason}")


def parse_detach_keys(text: str) -> bytes:
    """Turn a docker ``detachKeys`` string (``"ctrl-p,ctrl-q"``) into the bytes typed.

    Each comma-separated item is one character or ``ctrl-X`` with X in ``a-z @ [ \\ ] ^ _``.

    Raises:
        DetachKeysError: For an empty or malformed item.
    """
    keys = bytearray()
    for item in text.split(","):
        name = item.strip().lower()
        if len(name) == 1:
            keys.append(ord(name))
        elif name.startswith("ctrl-") and len(name) == 6 and (name[5].isalpha() or name[5] in "@[\\]^_"):
            keys.append(ord(name[5].upper()) & 0x1F)
        else:
            raise DetachKeysError(f"invalid detach keys {text!r}: {item.strip()!r} is not a key")
    return bytes(keys)


def configured_detach_keys(environ: Mapping[str, str] | None = None) -> str:
    """The ``detachKeys`` of the docker config (``$DOCKER_CONFIG/config.json``), else the default.

    An unreadable or invalid setting falls back to ``ctrl-p,ctrl-q``.
    """
    directory = contexts.config_dir(os.environ if environ is None else environ)
    if directory is None:
        return DEFAULT_DETACH_KEYS
    try:
        with (directory / "config.json").open("rb") as file:
            data = json.loads(file.read(1024 * 1024))
        value = data.get("detachKeys") if isinstance(data, dict) else None
        if isinstance(value, str) and value.strip():
            parse_detach_keys(value)
            return value.strip()
    except (OSError, ValueError):
        pass
    return DEFAULT_DETACH_KEYS


class Terminals:
    """Exec and attach calls for one client (``Terminals(client)``)."""

    def __init__(self, client: EngineClient) -> None:
        self._client = client

    async def exec_create(
        self,
        container: str,
        cmd: Sequence[str],
        *,
        tty: bool = True,
        stdin: bool = True,
        env: Sequence[str] = (f"TERM={DEFAULT_TERM}",),
        user: str | None = None,
        workdir: str | None = None,
        detach_keys: str | None = None,
    ) -> str:
        """``POST /containers/{id}/exec``: prepare a process; returns the exec id.

        Raises:
            Conflict: When the container is not running (or paused).
            NotFound: When the container is gone.
        """
        body: dict[str, Any] = {
            "Cmd": list(cmd),
            "Tty": tty,
            "AttachStdin": stdin,
            "AttachStdout": True,
            "AttachStderr": True,
            "Env": list(env),
        }
        for key, value in (("User", user), ("WorkingDir", workdir), ("DetachKeys", detach_keys)):
            if value:
                body[key] = value
        data = await self._client._json("POST", f"/containers/{quote_path(container)}/exec", json_body=body)
        return str(_map(data).get("Id") or "")

    @asynccontextmanager
    async def exec_start(
        self, exec_id: str, *, tty: bool = True, size: tuple[int, int] | None = None
    ) -> AsyncIterator[TerminalSession]:
        """``POST /exec/{id}/start``, hijacked: the context holds the live session.

        Args:
            exec_id: From :meth:`exec_create`.
            tty: Must match the exec's ``Tty``.
            size: ``(height, width)`` to set right after the start (TTY only).
        """
        body = json.dumps({"Detach": False, "Tty": tty}).encode()
        async with self._hijack(f"/exec/{quote_path(exec_id)}/start", {}, body, tty) as session:
            if size is not None and tty:
                await self._resize_when_started(exec_id, *size)
            yield session

    async def _resize_when_started(self, exec_id: str, height: int, width: int) -> None:
        """Resize a just-started exec, retrying while its process is not up yet (as the CLI does)."""
        for attempt in range(RESIZE_ATTEMPTS):
            try:
                await self.exec_resize(exec_id, height, width)
                return
            except EngineUnreachable:
                raise
            except EngineError:
                if attempt == RESIZE_ATTEMPTS - 1:
                    return  # the process ended already; nothing to size
                await asyncio.sleep(RESIZE_RETRY_SECONDS)

    async def exec_resize(self, exec_id: str, height: int, width: int) -> None:
        """``POST /exec/{id}/resize?h=&w=`` (TTY execs only)."""
        await self._client._request("POST", f"/exec/{quote_path(exec_id)}/resize", params={"h": height, "w": width})

    async def exec_inspect(self, exec_id: str) -> ExecState:
        """``GET /exec/{id}/json``: running, exit code."""
        return ExecState.from_api(_map(await self._client._json("GET", f"/exec/{quote_path(exec_id)}/json")))

    @asynccontextmanager
    async def attach(
        self, container: str, *, tty: bool | None = None, detach_keys: str | None = None
    ) -> AsyncIterator[TerminalSession]:
        """``POST /containers/{id}/attach``, hijacked, to the main process's stdio.

        Args:
            container: Id or name.
            tty: The container's ``Config.Tty`` (decides the framing); None to inspect it.
            detach_keys: Keys that end the attach without stopping the container
                (the engine honours them only with a TTY; leaving the context detaches too).
                Podman ignores them on the API, so the session itself watches for them there.
        """
        if tty is None:
            tty = (await self._client.containers.inspect(container)).tty
        params: dict[str, Any] = {"stream": True, "stdin": True, "stdout": True, "stderr": True,
                                  "detachKeys": detach_keys}
        own_keys = parse_detach_keys(detach_keys) if detach_keys and self._client.is_podman else b""
        path = f"/containers/{quote_path(container)}/attach"
        async with self._hijack(path, params, None, tty, detach_keys=own_keys) as session:
            yield session

    async def resize(self, container: str, height: int, width: int) -> None:
        """``POST /containers/{id}/resize?h=&w=``: the main process's TTY size."""
        await self._client._request(
            "POST", f"/containers/{quote_path(container)}/resize", params={"h": height, "w": width}
        )

    async def find_shell(self, container: str, candidates: Sequence[str] = SHELL_CANDIDATES) -> str | None:
        """The first candidate shell that runs in the container (``SHELL -c "exit 0"``), else None."""
        for shell in candidates:
            if await self.probe(container, [shell, "-c", "exit 0"]) == 0:
                return shell
        return None

    async def probe(self, container: str, cmd: Sequence[str]) -> int | None:
        """Run a command without input or TTY, drop its output, return its exit code."""
        exec_id = await self.exec_create(container, cmd, tty=False, stdin=False, env=())
        async with self.exec_start(exec_id, tty=False) as session:
            seen = 0
            while seen < PROBE_OUTPUT_LIMIT and (data := await session.read()):
                seen += len(data)
        for _ in range(RESIZE_ATTEMPTS):
            state = await self.exec_inspect(exec_id)
            if not state.running:
                return state.exit_code
            await asyncio.sleep(RESIZE_RETRY_SECONDS)
        return None

    @asynccontextmanager
    async def _hijack(
        self, path: str, params: Mapping[str, Any], body: bytes | None, tty: bool, *, detach_keys: bytes = b""
    ) -> AsyncIterator[TerminalSession]:
        client = self._client
        headers = dict(_UPGRADE_HEADERS)
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = client._http.build_request(
            "POST", client._path(path, True), params=encode_params(params), content=body, headers=headers,
            timeout=httpx.Timeout(None, connect=CONNECT_TIMEOUT),
        )
        try:
            response = await client._http.send(request, stream=True)
        except (httpx.TransportError, OSError) as error:
            raise client._unreachable(error) from error
        try:
            stream = await self._upgraded_stream(response)
            yield TerminalSession(stream, tty=tty, host=client.endpoint.host, detach_keys=detach_keys)
        finally:
            await response.aclose()

    async def _upgraded_stream(self, response: httpx.Response) -> _RawStream:
        if response.status_code >= 300 and response.status_code != 101:
            await response.aread()
            raise error_for_status(response.status_code, error_message(response))
        stream = response.extensions.get("network_stream")
        if response.status_code != 101 or stream is None:
            raise EngineError(f"the engine did not switch to a raw stream (HTTP {response.status_code})")
        assert isinstance(stream, httpcore.AsyncNetworkStream)
        return stream
