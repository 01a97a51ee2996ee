"""``ssh://`` engines: HTTP over the stdio of ``ssh ... docker system dial-stdio``.

As the docker CLI does (``cli/connhelper``), every HTTP connection is one ssh process running
``docker [--host unix:///socket] system dial-stdio`` on the remote host, which pipes its stdio
to the remote engine's socket. The user's ssh config, keys, agent and known_hosts apply;
host-key checking is never turned off here. ``BatchMode=yes`` keeps ssh from prompting for a
password or a new host key on the terminal the UI owns: an unknown host key fails the
connection with ssh's own message.

httpx 0.28 cannot take an httpcore network backend, so :class:`SshTransport` wraps an
``httpcore.AsyncConnectionPool`` whose backend starts the ssh processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import ssl
import typing
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httpcore
import httpx

SSH_DEFAULT_OPTIONS = ("-o", "ConnectTimeout=30", "-o", "BatchMode=yes", "-T")
STDERR_KEEP_BYTES = 2048
EXIT_WAIT_SECONDS = 1.0
KEEPALIVE_SECONDS = 60.0
MAX_CONNECTIONS = 32

_ERROR_MAP: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)
_CORE_ERRORS = tuple(source for source, _ in _ERROR_MAP)


class SshAddressError(ValueError):
    """An ``ssh://`` address the docker CLI would not accept either."""


@dataclass(frozen=True, slots=True)
class SshTarget:
    """Where and how to run ``docker system dial-stdio``.

    Attributes:
        hostname: The ssh host (a name from the ssh config works too).
        user: Login name, or None for the ssh config's / current user.
        port: ssh port, or None for the ssh config's / 22.
        socket_path: Remote engine socket, or None for the remote docker CLI's default.
        options: Extra ssh arguments (``--ssh-opt``), placed before dtui's defaults so they win
            (ssh keeps the first value it reads for each option).
    """

    hostname: str
    user: str | None = None
    port: int | None = None
    socket_path: str | None = None
    options: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """The normalised ``ssh://`` address."""
        user = f"{self.user}@" if self.user else ""
        name = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        port = f":{self.port}" if self.port else ""
        return f"ssh://{user}{name}{port}{self.socket_path or ''}"

    def command(self) -> list[str]:
        """The ssh command line that connects to the remote engine."""
        args = ["ssh", *self.options, *SSH_DEFAULT_OPTIONS]
        if self.user:
            args += ["-l", self.user]
        if self.port:
            args += ["-p", str(self.port)]
        args += ["--", self.hostname, "docker"]
        if self.socket_path:
            # ssh joins the remote command into one string for the remote shell: quote it.
            args += ["--host", shlex.quote(f"unix://{self.socket_path}")]
        args += ["system", "dial-stdio"]
        return args


def parse_ssh_url(url: str, options: Sequence[str] = ()) -> SshTarget:
    """Parse ``ssh://[user@]host[:port][/socket]``.

    Raises:
        SshAddressError: For a missing host, a bad port, or a query/fragment/password.
    """
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        raise SshAddressError(f"extra parts in {url!r}: ssh addresses take no query or fragment")
    if parts.password is not None:
        raise SshAddressError(f"{url!r}: put no password in an ssh address (use keys or the ssh agent)")
    hostname = parts.hostname
    if not hostname or hostname.startswith("-"):
        raise SshAddressError(f"no host name in {url!r}")
    try:
        port = parts.port
    except ValueError as error:
        raise SshAddressError(f"bad port in {url!r}") from error
    path = unquote(parts.path)
    return SshTarget(
        hostname=hostname,
        user=unquote(parts.username) if parts.username else None,
        port=port,
        socket_path=path if path not in {"", "/"} else None,
        options=tuple(options),
    )


def split_ssh_options(values: Sequence[str]) -> tuple[str, ...]:
    """Turn ``--ssh-opt`` values into ssh arguments.

    Each value is split like a shell word list (``"-F /path"`` -> ``-F``, ``/path``); a value
    not starting with ``-`` is an ssh ``-o`` option (``ControlMaster=auto``).

    Raises:
        SshAddressError: For a value with unbalanced quotes.
    """
    args: list[str] = []
    for value in values:
        try:
            words = shlex.split(value)
        except ValueError as error:
            raise SshAddressError(f"--ssh-opt {value!r}: {error}") from error
        if words and not words[0].startswith("-"):
            words = ["-o", " ".join(words)]
        args += words
    return tuple(args)


class _SshStream(httpcore.AsyncNetworkStream):
    """One ssh process: writes go to its stdin, reads come from its stdout."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._stderr = bytearray()
        self._stderr_task = asyncio.create_task(self._collect_stderr())

    async def _collect_stderr(self) -> None:
        assert self._process.stderr is not None
        while chunk := await self._process.stderr.read(4096):
            self._stderr += chunk
            del self._stderr[:-STDERR_KEEP_BYTES]

    async def _failure(self) -> str | None:
        """ssh's own message when it exited with an error, else None."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._process.wait(), EXIT_WAIT_SECONDS)
        if not self._process.returncode:
            return None
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._stderr_task), EXIT_WAIT_SECONDS)
        text = self._stderr.decode("utf-8", errors="replace").strip()
        last_lines = " / ".join(line.strip() for line in text.splitlines()[-3:] if line.strip())
        return f"ssh failed (exit {self._process.returncode}): {last_lines or 'no message'}"

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        assert self._process.stdout is not None
        try:
            data = await asyncio.wait_for(self._process.stdout.read(max_bytes), timeout)
        except TimeoutError as error:
            raise httpcore.ReadTimeout("timed out reading from ssh") from error
        if not data:
            failure = await self._failure()
            if failure:
                raise httpcore.ReadError(failure)
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(buffer)
            await asyncio.wait_for(self._process.stdin.drain(), timeout)
        except TimeoutError as error:
            raise httpcore.WriteTimeout("timed out writing to ssh") from error
        except (BrokenPipeError, ConnectionResetError) as error:
            raise httpcore.WriteError(await self._failure() or f"ssh closed its input: {error}") from error

    async def aclose(self) -> None:
        if self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.terminate()
            try:
                await asyncio.wait_for(self._process.wait(), EXIT_WAIT_SECONDS)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
                await self._process.wait()
        self._stderr_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._stderr_task

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.UnsupportedProtocol("TLS inside an ssh connection is not supported")

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":
            # An idle connection that became readable was closed by the other side.
            assert self._process.stdout is not None
            return self._process.returncode is not None or self._process.stdout.at_eof()
        return None


class _SshBackend(httpcore.AsyncNetworkBackend):
    """Opens each "TCP connection" as a new ssh process (the address is ignored)."""

    def __init__(self, target: SshTarget) -> None:
        self._command = target.command()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            process = await asyncio.create_subprocess_exec(
                *self._command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
            )
        except FileNotFoundError as error:
            raise httpcore.ConnectError("cannot run ssh: it is not installed (or not in PATH)") from error
        except OSError as error:
            raise httpcore.ConnectError(f"cannot run ssh: {error.strerror or error}") from error
        return _SshStream(process)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: typing.Iterable[typing.Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.UnsupportedProtocol("ssh engines are reached through ssh, not a local socket")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    """Re-raise httpcore errors as the httpx errors the client layer handles."""
    try:
        yield
    except _CORE_ERRORS as error:
        raise _translate(error) from error


def _translate(error: Exception) -> httpx.TransportError:
    for source, target in _ERROR_MAP:
        if isinstance(error, source):
            return target(str(error))
    return httpx.TransportError(str(error))


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream: typing.AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _httpx_errors():
            async for chunk in self._stream:
                yield chunk

    async def aclose(self) -> None:
        closer = getattr(self._stream, "aclose", None)
        if closer is not None:
            await closer()


class SshTransport(httpx.AsyncBaseTransport):
    """An httpx transport speaking HTTP/1.1 over ``ssh ... docker system dial-stdio``.

    Args:
        target: The remote host and engine socket.
        retries: Connection retries (as ``httpx.AsyncHTTPTransport``'s).
    """

    def __init__(self, target: SshTarget, *, retries: int = 0) -> None:
        self.target = target
        self._pool = httpcore.AsyncConnectionPool(
            network_backend=_SshBackend(target),
            max_connections=MAX_CONNECTIONS,
            keepalive_expiry=KEEPALIVE_SECONDS,
            retries=retries,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _httpx_errors():
            core_response = await self._pool.handle_async_request(core_request)
        assert isinstance(core_response.stream, typing.AsyncIterable)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseStream(core_response.stream),
            extensions=core_response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()
