"""A minimal HTTP/1.1 reader for long response bodies (log streams) in large pieces.

httpx (through h11) hands a chunked body over one HTTP chunk at a time, and the engine sends
one chunk per log frame, so a 2 000 000-line log costs 2 000 000 trips through the HTTP
stack. This module sends one GET on its own connection (``unix://``, plain ``tcp://`` or
TLS), reads the socket in large reads and decodes chunked transfer coding in bulk: one read
of up to `READ_SIZE` bytes becomes one body piece, whatever the chunking.

It covers what the engine's streaming endpoints use and nothing more: no keep-alive (the
connection is closed with the stream), no redirects, no compression (none is asked for),
no proxies (dtui gives httpx an explicit transport, so httpx uses none either). Transports
it cannot drive (ssh, test fakes) stay on httpx; :meth:`EngineClient._stream_body` chooses.

Failures: no connection, a connect timeout or a link dropped before the body ended raise
``OSError``-family errors (``TimeoutError`` for the connect timeout, ``ProtocolError`` for a
malformed or truncated answer), and a status of 300 or more raises ``HttpStatusError`` with
the start of the body; the client maps both into its ``EngineError`` hierarchy, exactly as
for httpx.
"""

from __future__ import annotations

import asyncio
import errno
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http import HTTPStatus
from typing import Final
from urllib.parse import quote, urlencode

from dtui.engine.endpoint import Endpoint

READ_SIZE: Final = 64 * 1024
"""Largest body piece read at once: about 4 000 short log lines, a few ms of decoding, so
the UI gets the event loop back often (256 KiB read no faster)."""

STREAM_LIMIT: Final = 1024 * 1024
"""Bytes asyncio buffers before it stops reading the socket (back-pressure)."""

MAX_HEAD: Final = 64 * 1024
"""Longest status line + headers accepted."""

MAX_CHUNK_LINE: Final = 4096
"""Longest chunk-size line (with extensions) or trailer line accepted."""

MAX_ERROR_BODY: Final = 1024 * 1024
"""Bytes of an error response's body read for its message."""

USER_AGENT: Final = "dtui"


class ProtocolError(ConnectionError):
    """The answer is not HTTP/1.1 as expected, or it ended before its body was complete."""


# ------------------------------------------------------------------------ chunked


class ChunkedDecoder:
    """Decode ``Transfer-Encoding: chunked`` incrementally, many chunks per call.

    Input may be cut anywhere (inside a size line, inside data, between ``\\r`` and
    ``\\n``). Chunk extensions are ignored; trailers are read and dropped.
    """

    def __init__(self) -> None:
        self._buffer = b""  # an incomplete size/trailer line, or an incomplete CRLF
        self._remaining = 0  # data bytes of the current chunk still to come
        self._crlf = False  # the CRLF after a chunk's data is still to come
        self._trailers = False  # the last chunk was read: trailer lines follow
        self.done = False
        """True once the last chunk and the trailers were read."""

    def feed(self, data: bytes) -> bytes:
        """Add raw body bytes and return the payload they complete.

        Args:
            data: The next bytes of the (chunked) body, cut anywhere.

        Returns:
            The decoded payload (possibly empty). Bytes after the end of the body are
            ignored.

        Raises:
            ProtocolError: The body is not valid chunked coding.
        """
        if self.done:
            return b""
        if self._buffer:
            data = self._buffer + data
            self._buffer = b""
        out: list[bytes] = []
        pos, end = 0, len(data)
        while pos < end:
            if self._remaining:
                take = min(self._remaining, end - pos)
                out.append(data[pos : pos + take])
                pos += take
                self._remaining -= take
                if self._remaining:
                    break
                self._crlf = True
            if self._crlf:
                if end - pos < 2:
                    self._keep(data, pos)
                    break
                if data[pos : pos + 2] != b"\r\n":
                    raise ProtocolError("malformed chunked body: no CRLF after chunk data")
                pos += 2
                self._crlf = False
                continue
            line_end = data.find(b"\r\n", pos, pos + MAX_CHUNK_LINE)
            if line_end < 0:
                self._keep(data, pos)
                break
            if self._trailers:
                blank = line_end == pos
                pos = line_end + 2
                if blank:
                    self.done = True
                    break
                continue
            line = data[pos:line_end]
            if len(line) <= 8 and line.isalnum():  # the common case, checked cheaply
                try:
                    size = int(line, 16)
                except ValueError:
                    size = _chunk_size(line)
            else:
                size = _chunk_size(line)
            pos = line_end + 2
            if size == 0:
                self._trailers = True
                continue
            stop = pos + size
            if stop + 2 <= end:  # the common case: the whole chunk is here
                if data[stop : stop + 2] != b"\r\n":
                    raise ProtocolError("malformed chunked body: no CRLF after chunk data")
                out.append(data[pos:stop])
                pos = stop + 2
            else:
                self._remaining = size
        return b"".join(out)

    def _keep(self, data: bytes, pos: int) -> None:
        rest = data[pos:]
        if len(rest) > MAX_CHUNK_LINE + 2:
            raise ProtocolError("malformed chunked body: chunk-size line too long")
        self._buffer = rest


def _chunk_size(line: bytes) -> int:
    """The size in a chunk-size line (``1a2f`` or ``1a2f;ext=1``)."""
    digits = line.split(b";", 1)[0].strip()
    if not digits or len(digits) > 16 or digits.strip(b"0123456789abcdefABCDEF"):
        raise ProtocolError(f"malformed chunked body: bad chunk size {line[:40]!r}")
    return int(digits, 16)


# ------------------------------------------------------------------------ connection


@dataclass(frozen=True, slots=True)
class RawTarget:
    """Where and how to connect.

    Attributes:
        unix_path: The socket path of a ``unix://`` engine (else None).
        host: Host name or address of a ``tcp://`` engine (no brackets).
        port: Its port.
        host_header: The ``Host`` header to send.
        ssl_context: TLS settings, None for plain HTTP.
    """

    unix_path: str | None
    host: str = ""
    port: int = 0
    host_header: str = "docker"
    ssl_context: ssl.SSLContext | None = None


def supports(endpoint: Endpoint) -> bool:
    """Whether :func:`open_stream` can reach this engine (unix and tcp, not ssh)."""
    return endpoint.kind in ("unix", "tcp")


def target_for(endpoint: Endpoint) -> RawTarget | None:
    """The raw target of an endpoint, or None when only httpx can reach it (ssh).

    Args:
        endpoint: The engine's address.

    Returns:
        A target for :func:`open_stream`, or None.
    """
    if endpoint.kind == "unix":
        return RawTarget(unix_path=endpoint.address)
    if not supports(endpoint):
        return None
    name, _, port = endpoint.address.rpartition(":")
    context = endpoint.tls.ssl_context() if endpoint.tls is not None else None
    return RawTarget(None, name.strip("[]"), int(port), endpoint.address, context)


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """Status line and headers of a response.

    Attributes:
        status: The status code.
        headers: Header names in lower case; repeated headers joined with ``", "``.
    """

    status: int
    headers: Mapping[str, str]


class HttpStatusError(Exception):
    """The engine answered with a status of 300 or more.

    Attributes:
        status: The status code.
        body: The start of the response body (at most `MAX_ERROR_BODY` bytes).
    """

    def __init__(self, status: int, body: bytes) -> None:
        reason = _reason(status)
        super().__init__(f"HTTP {status} {reason}".strip())
        self.status = status
        self.body = body


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


async def _connect(
    target: RawTarget, timeout: float
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    try:
        async with asyncio.timeout(timeout):
            if target.unix_path is not None:
                return await asyncio.open_unix_connection(target.unix_path, limit=STREAM_LIMIT)
            return await asyncio.open_connection(
                target.host,
                target.port,
                limit=STREAM_LIMIT,
                ssl=target.ssl_context,
                server_hostname=target.host if target.ssl_context is not None else None,
            )
    except TimeoutError:  # worded as the client words httpx's connect timeout
        raise TimeoutError(f"connecting timed out after {timeout:g} s") from None
    except ConnectionRefusedError as error:  # asyncio words it "Connect call failed (...)"
        raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused") from error


def request_bytes(target: RawTarget, method: str, path: str, params: Mapping[str, str]) -> bytes:
    """The request head for ``method path?params`` (no body).

    Args:
        target: Where it goes (for the ``Host`` header).
        method: HTTP method.
        path: Absolute path, its arguments already percent-encoded.
        params: Query parameters, already encoded as strings.

    Returns:
        The bytes to send.
    """
    query = urlencode(params, quote_via=quote) if params else ""
    url = f"{path}?{query}" if query else path
    return (
        f"{method} {url} HTTP/1.1\r\nHost: {target.host_header}\r\nUser-Agent: {USER_AGENT}\r\n"
        "Accept: */*\r\nConnection: close\r\n\r\n"
    ).encode("ascii")


def parse_head(data: bytes) -> ResponseHead:
    """Parse a status line and headers (everything before the blank line).

    Args:
        data: The head, with or without the final blank line.

    Returns:
        The parsed head.

    Raises:
        ProtocolError: It is not an HTTP/1.x response head.
    """
    lines = data.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"not an HTTP/1.1 response: {lines[0][:60]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise ProtocolError(f"malformed response header: {line[:60]!r}")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return ResponseHead(int(parts[1]), headers)


async def _read_head(reader: asyncio.StreamReader) -> ResponseHead:
    try:
        data = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        raise ProtocolError("the engine closed the connection before answering") from error
    except asyncio.LimitOverrunError as error:
        raise ProtocolError("response head too long") from error
    if len(data) > MAX_HEAD:
        raise ProtocolError("response head too long")
    return parse_head(data[:-4])


async def iter_body(reader: asyncio.StreamReader, head: ResponseHead) -> AsyncIterator[bytes]:
    """The body of a response, decoded from its framing, in pieces of up to `READ_SIZE`.

    Args:
        reader: The connection, positioned after the head.
        head: The response's head.

    Yields:
        Non-empty pieces of the body.

    Raises:
        ProtocolError: The body is malformed or the connection ended before it did.
    """
    if head.status in (204, 304) or 100 <= head.status < 200:
        return
    if "chunked" in head.headers.get("transfer-encoding", "").lower():
        decoder = ChunkedDecoder()
        while not decoder.done:
            data = await reader.read(READ_SIZE)
            if not data:
                raise ProtocolError("the engine closed the connection before the end of the stream")
            piece = decoder.feed(data)
            if piece:
                yield piece
        return
    length = head.headers.get("content-length")
    if length is not None:
        if not length.isdigit():
            raise ProtocolError(f"bad Content-Length {length[:30]!r}")
        remaining = int(length)
        while remaining > 0:
            data = await reader.read(min(READ_SIZE, remaining))
            if not data:
                raise ProtocolError("the engine closed the connection before the end of the body")
            remaining -= len(data)
            yield data
        return
    while data := await reader.read(READ_SIZE):
        yield data


async def _read_error_body(reader: asyncio.StreamReader, head: ResponseHead) -> bytes:
    parts: list[bytes] = []
    size = 0
    try:
        async for piece in iter_body(reader, head):
            parts.append(piece)
            size += len(piece)
            if size >= MAX_ERROR_BODY:
                break
    except (ProtocolError, OSError):
        pass  # the status says enough; keep what arrived
    return b"".join(parts)[:MAX_ERROR_BODY]


@asynccontextmanager
async def open_stream(
    target: RawTarget,
    method: str,
    path: str,
    params: Mapping[str, str],
    *,
    connect_timeout: float,
) -> AsyncIterator[AsyncIterator[bytes]]:
    """Send one request on a new connection and stream the response body.

    The context is entered once the head arrived with a 2xx status. There is no read
    timeout. Leaving the context (or cancelling the task) closes the connection.

    Args:
        target: Where to connect.
        method: HTTP method.
        path: Absolute path, its arguments already percent-encoded.
        params: Query parameters, already encoded as strings.
        connect_timeout: Seconds allowed to connect.

    Yields:
        The body's pieces (see :func:`iter_body`).

    Raises:
        HttpStatusError: The status is 300 or more.
        TimeoutError: Connecting took longer than ``connect_timeout``.
        OSError: No connection, or it dropped (``ProtocolError`` for a bad answer).
    """
    reader, writer = await _connect(target, connect_timeout)
    try:
        writer.write(request_bytes(target, method, path, params))
        await writer.drain()
        head = await _read_head(reader)
        if head.status >= 300:
            raise HttpStatusError(head.status, await _read_error_body(reader, head))
        yield iter_body(reader, head)
    finally:
        writer.transport.abort()  # never reused; abort does not wait for a TLS goodbye
