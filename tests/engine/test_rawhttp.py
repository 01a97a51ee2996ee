"""The raw HTTP/1.1 stream reader: chunked decoding cut anywhere, and a real socket server."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from dtui.engine import rawhttp
from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.engine.errors import EngineUnreachable, NotFound, ServerError
from dtui.engine.rawhttp import ChunkedDecoder, ProtocolError
from dtui.engine.streams import LogLine

TS = "2026-11-28T01:00:24.224915264Z"


def chunked(*pieces: bytes, trailers: bytes = b"") -> bytes:
    """Encode pieces as chunked transfer coding (with optional trailer lines)."""
    body = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces if piece)
    return body + b"0\r\n" + trailers + b"\r\n"


def frame(kind: int, payload: bytes) -> bytes:
    return bytes([kind, 0, 0, 0]) + len(payload).to_bytes(4, "big") + payload


def decode_in(pieces: Sequence[bytes]) -> tuple[bytes, bool]:
    decoder = ChunkedDecoder()
    out = b"".join(decoder.feed(piece) for piece in pieces)
    return out, decoder.done


def split_at(data: bytes, *offsets: int) -> list[bytes]:
    bounds = [0, *sorted(offsets), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


BODY = chunked(b"hello ", b"x" * 300, b"\r\n\r\n", b"0\r\n", b"world", trailers=b"X-Trailer: 1\r\nX-B: 2\r\n")
PAYLOAD = b"hello " + b"x" * 300 + b"\r\n\r\n" + b"0\r\n" + b"world"


# ---------------------------------------------------------------- chunked decoding


def test_chunked_whole() -> None:
    assert decode_in([BODY]) == (PAYLOAD, True)


def test_chunked_cut_at_every_offset() -> None:
    for at in range(len(BODY) + 1):
        assert decode_in(split_at(BODY, at)) == (PAYLOAD, True), at


def test_chunked_cut_twice_everywhere_near_the_framing() -> None:
    interesting = [i for i in range(len(BODY)) if BODY[i : i + 1] in (b"\r", b"\n", b"0")] + [0, len(BODY)]
    for first, second in itertools.combinations(sorted(set(interesting)), 2):
        assert decode_in(split_at(BODY, first, second)) == (PAYLOAD, True), (first, second)


def test_chunked_byte_by_byte() -> None:
    assert decode_in([BODY[i : i + 1] for i in range(len(BODY))]) == (PAYLOAD, True)


def test_chunk_larger_than_every_read() -> None:
    big = bytes(range(256)) * 1000
    body = chunked(big, b"tail")
    pieces = [body[i : i + 1000] for i in range(0, len(body), 1000)]
    assert decode_in(pieces) == (big + b"tail", True)


def test_chunk_extensions_upper_case_and_padding() -> None:
    body = b"5;name=value\r\nhello\r\nA  \r\n0123456789\r\n0\r\n\r\n"
    assert decode_in([body]) == (b"hello0123456789", True)


def test_not_done_until_the_blank_line_after_trailers() -> None:
    decoder = ChunkedDecoder()
    assert decoder.feed(b"3\r\nabc\r\n0\r\nX-T: 1\r\n") == b"abc"
    assert not decoder.done
    assert decoder.feed(b"\r\n") == b""
    assert decoder.done
    assert decoder.feed(b"ignored") == b""


@pytest.mark.parametrize(
    "body",
    [
        b"zz\r\nabc\r\n",  # not hex
        b"-3\r\nabc\r\n",  # negative
        b"3\r\nabcXY",  # no CRLF after the data
        b"3\r\nab",  # ... even when the data was cut
        b"1" * (rawhttp.MAX_CHUNK_LINE + 10),  # a size line that never ends
    ],
)
def test_malformed_chunked_bodies(body: bytes) -> None:
    decoder = ChunkedDecoder()
    with pytest.raises(ProtocolError):
        decoder.feed(body)
        decoder.feed(b"cd\r\n")


def test_parse_head_joins_repeated_headers() -> None:
    head = rawhttp.parse_head(b"HTTP/1.1 200 OK\r\nA: 1\r\nTransfer-Encoding:  chunked \r\na: 2")
    assert head.status == 200
    assert head.headers == {"a": "1, 2", "transfer-encoding": "chunked"}
    with pytest.raises(ProtocolError):
        rawhttp.parse_head(b"SSH-2.0-OpenSSH\r\n")


def test_request_bytes_encode_the_query() -> None:
    target = rawhttp.RawTarget(unix_path="/x.sock")
    data = rawhttp.request_bytes(target, "GET", "/v1.41/containers/a%2Fb/logs", {"since": "1.5", "f": '{"a": 1}'})
    head = data.decode()
    assert head.startswith("GET /v1.41/containers/a%2Fb/logs?since=1.5&f=%7B%22a%22%3A%201%7D HTTP/1.1\r\n")
    assert "\r\nHost: docker\r\n" in head and head.endswith("\r\n\r\n")


# ---------------------------------------------------------------- a real socket


class FakeDaemon:
    """A unix-socket server that answers each connection with ``script``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.requests: list[bytes] = []
        self.closed = asyncio.Event()
        self.script: Callable[[asyncio.StreamWriter], AsyncIterator[None]] | None = None
        self.handlers: set[asyncio.Task[None]] = set()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        feeder: asyncio.Task[None] | None = None
        self.handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            self.requests.append(await reader.readuntil(b"\r\n\r\n"))
            feeder = asyncio.create_task(self._feed(writer))
            await reader.read()  # returns at end of file: the client closed the connection
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if feeder is not None:
                feeder.cancel()
            self.closed.set()
            writer.close()

    async def _feed(self, writer: asyncio.StreamWriter) -> None:
        assert self.script is not None
        try:
            async for _ in self.script(writer):
                await writer.drain()
        except ConnectionError:
            pass


@asynccontextmanager
async def fake_daemon(tmp_path: Path) -> AsyncIterator[FakeDaemon]:
    daemon = FakeDaemon(tmp_path / "d.sock")
    server = await asyncio.start_unix_server(daemon.handle, path=str(daemon.path))
    try:
        yield daemon
    finally:
        server.close()
        if daemon.handlers:  # each ends when the client has closed its connection
            await asyncio.wait(daemon.handlers, timeout=5)


def sends(*pieces: bytes, close: bool = False, hang: bool = False) -> Callable[[asyncio.StreamWriter], AsyncIterator[None]]:
    """A script writing ``pieces`` one by one (each a separate read for the client)."""

    async def script(writer: asyncio.StreamWriter) -> AsyncIterator[None]:
        for piece in pieces:
            writer.write(piece)
            yield None
            await asyncio.sleep(0.001)
        if close:
            writer.transport.abort()
            return
        if hang:
            await asyncio.Event().wait()

    return script


OK_CHUNKED = b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nTransfer-Encoding: chunked\r\n\r\n"


def client_for(daemon: FakeDaemon) -> EngineClient:
    client = EngineClient(parse_host(f"unix://{daemon.path}"))
    client.api_version = "1.41"
    assert client.raw_streams
    return client


async def read_logs(client: EngineClient, **kwargs: object) -> list[LogLine]:
    return [line async for line in client.containers.logs("c1", tty=False, **kwargs)]  # type: ignore[arg-type]


async def test_logs_over_the_raw_reader_cut_everywhere(tmp_path: Path) -> None:
    frames = frame(1, f"{TS} one\n".encode()) + frame(2, f"{TS} two\n".encode()) + frame(1, b"x" * 40_000 + b"\n")
    body = chunked(*[frames[i : i + 7] for i in range(0, len(frames), 7)])  # chunks cut mid-frame
    async with fake_daemon(tmp_path) as daemon:
        wire = OK_CHUNKED + body
        daemon.script = sends(*[wire[i : i + 5000] for i in range(0, len(wire), 5000)])  # reads cut mid-chunk
        async with client_for(daemon) as client:
            lines = await read_logs(client, timestamps=True, since=1.5, tail="all")
    assert [(line.stream, line.text[:5]) for line in lines] == [("stdout", "one"), ("stderr", "two"), ("stdout", "xxxxx")]
    assert lines[0].timestamp is not None and len(lines[2].text) == 40_000
    request = daemon.requests[0].decode()
    assert request.startswith("GET /v1.41/containers/c1/logs?stdout=1&stderr=1&tail=all&since=1.5&timestamps=1 HTTP/1.1")


async def test_content_length_and_close_delimited_bodies(tmp_path: Path) -> None:
    payload = frame(1, b"a\n") + frame(1, b"b\n")
    async with fake_daemon(tmp_path) as daemon:
        async with client_for(daemon) as client:
            daemon.script = sends(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(payload), payload)
            assert [line.text for line in await read_logs(client)] == ["a", "b"]
            daemon.script = sends(b"HTTP/1.0 200 OK\r\n\r\n", payload[:5], payload[5:], close=True)
            assert [line.text for line in await read_logs(client)] == ["a", "b"]


async def test_error_status_carries_the_daemon_message(tmp_path: Path) -> None:
    message = json.dumps({"message": "No such container: c1"}).encode()
    async with fake_daemon(tmp_path) as daemon:
        async with client_for(daemon) as client:
            daemon.script = sends(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunked(message))
            with pytest.raises(NotFound) as raised:
                await read_logs(client)
            assert raised.value.message == "No such container: c1" and raised.value.status == 404
            daemon.script = sends(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom")
            with pytest.raises(ServerError, match="^boom$"):
                await read_logs(client)
            daemon.script = sends(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")
            with pytest.raises(ServerError, match="HTTP 500 Internal Server Error"):
                await read_logs(client)


@pytest.mark.parametrize(
    "wire",
    [
        OK_CHUNKED + chunked(frame(1, b"a\n"))[:-5],  # dropped before the last chunk
        OK_CHUNKED + b"5\r\nab",  # dropped inside a chunk
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + frame(1, b"a\n"),  # short body
        b"HTTP/1.1 200 OK\r\nTransfer-",  # dropped inside the head
    ],
)
async def test_connection_dropped_mid_stream_is_unreachable(tmp_path: Path, wire: bytes) -> None:
    async with fake_daemon(tmp_path) as daemon:
        daemon.script = sends(wire, close=True)
        async with client_for(daemon) as client:
            seen: list[str] = []
            with pytest.raises(EngineUnreachable, match=f"cannot reach the Docker engine at unix://{daemon.path}"):
                async for line in client.containers.logs("c1", tty=False):
                    seen.append(line.text)
    assert seen in ([], ["a"])


async def test_missing_socket_and_refused_are_unreachable(tmp_path: Path) -> None:
    client = EngineClient(parse_host(f"unix://{tmp_path / 'none.sock'}"))
    client.api_version = "1.41"
    with pytest.raises(EngineUnreachable, match="no such socket"):
        await read_logs(client)
    tcp = EngineClient(parse_host("tcp://127.0.0.1:1"))
    tcp.api_version = "1.41"
    with pytest.raises(EngineUnreachable, match="connection refused"):
        await read_logs(tcp)


async def test_cancelling_a_follow_closes_the_connection(tmp_path: Path) -> None:
    async with fake_daemon(tmp_path) as daemon:
        daemon.script = sends(OK_CHUNKED, chunked(frame(1, b"first\n"))[:-5], hang=True)
        async with client_for(daemon) as client:
            got_first = asyncio.Event()

            async def follow() -> None:
                async for _line in client.containers.logs("c1", tty=False, follow=True):
                    got_first.set()

            task = asyncio.create_task(follow())
            await asyncio.wait_for(got_first.wait(), 5)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.wait_for(daemon.closed.wait(), 5)


async def test_batches_follow_the_reads(tmp_path: Path) -> None:
    frames = [frame(1, b"%d\n" % i) for i in range(1000)]
    async with fake_daemon(tmp_path) as daemon:
        body = chunked(*frames)
        daemon.script = sends(OK_CHUNKED + body[:4000], body[4000:9000], body[9000:])
        async with client_for(daemon) as client:
            batches = [batch async for batch in client.containers.log_batches("c1", tty=False)]
    assert [line.text for batch in batches for line in batch] == [str(i) for i in range(1000)]
    assert len(batches) <= 3  # not one per frame


async def test_test_transports_and_ssh_stay_on_httpx() -> None:
    import httpx

    fake = EngineClient(parse_host("unix:///x.sock"), transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    assert not fake.raw_streams
    assert not rawhttp.supports(parse_host("ssh://me@example.com"))


async def test_connect_timeout_is_unreachable_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def never_connects(*args: object, **kwargs: object) -> None:
        await asyncio.Event().wait()

    monkeypatch.setattr(asyncio, "open_unix_connection", never_connects)
    monkeypatch.setattr("dtui.engine.client.CONNECT_TIMEOUT", 0.01)
    client = EngineClient(parse_host(f"unix://{tmp_path / 'slow.sock'}"))
    client.api_version = "1.41"
    with pytest.raises(EngineUnreachable, match=r"connecting timed out after 0\.01 s"):
        await read_logs(client)
