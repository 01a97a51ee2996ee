"""Container calls through the real client path, against the fake engine.

What a real engine cannot be made to do on demand: frames split at every byte, a type-3
error frame, a 500 with a text/plain body, an events stream that ends, and checks of the
exact query each call sends.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import datetime, timezone

import httpx
import pytest

from dtui.engine.client import EngineClient
from dtui.engine.errors import Conflict, NotFound, ServerError, StreamError
from dtui.engine.spec import ContainerSpec, PortSpec
from dtui.engine.streams import LogLine
from tests.fakes import ChunkStream, FakeEngine, frame

CID = "c0ffee"
LONG_LINE = b"x" * 40_000


def _cut(payload: bytes, size: int = 16_384) -> list[bytes]:
    """Cut a payload as the json-file driver does (16 KiB pieces)."""
    return [payload[i : i + size] for i in range(0, len(payload), size)]


def _small_body() -> bytes:
    """Interleaved stdout/stderr frames with lines crossing frame boundaries."""
    return b"".join(
        [
            frame(1, b"hello wo"),
            frame(2, b"oops\n"),
            frame(1, "rld \u00e9t\u00e9\n".encode()),
            frame(0, b"from stdin type\r\n"),
            frame(2, b"partial"),
            frame(1, b"last"),
        ]
    )


SMALL_EXPECTED = [
    LogLine("oops", "stderr"),
    LogLine("hello world \u00e9t\u00e9", "stdout"),
    LogLine("from stdin type", "stdout"),
    LogLine("last", "stdout"),
    LogLine("partial", "stderr"),
]


class Body:
    """A logs route whose chunks a test swaps between requests."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=ChunkStream(self.chunks))


class ClosingStream(ChunkStream):
    """A body that records whether the client closed it."""

    closed = False

    async def aclose(self) -> None:
        ClosingStream.closed = True


@pytest.fixture
def fake() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
async def client(fake: FakeEngine) -> AsyncIterator[EngineClient]:
    async with fake.client() as engine_client:
        await engine_client.connect()
        yield engine_client


async def _logs(client: EngineClient, **kwargs: object) -> list[LogLine]:
    return [line async for line in client.containers.logs(CID, **kwargs)]  # type: ignore[arg-type]


def _query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


# ------------------------------------------------------------------------------- logs


async def test_logs_frames_split_at_every_offset(fake: FakeEngine, client: EngineClient) -> None:
    body = _small_body()
    route = Body()
    fake.route("GET", f"/containers/{CID}/logs", handler=route.handler)
    for offset in range(1, len(body)):
        route.chunks = [body[:offset], body[offset:]]
        assert await _logs(client, tty=False) == SMALL_EXPECTED, f"split at {offset}"


async def test_logs_one_byte_chunks(fake: FakeEngine, client: EngineClient) -> None:
    body = _small_body()
    fake.route("GET", f"/containers/{CID}/logs", chunks=[body[i : i + 1] for i in range(len(body))])
    assert await _logs(client, tty=False) == SMALL_EXPECTED


async def test_logs_rebuilds_a_40000_byte_line_cut_in_frames(fake: FakeEngine, client: EngineClient) -> None:
    frames = [frame(1, piece) for piece in _cut(LONG_LINE + b"\n")]
    frames.insert(1, frame(2, b"between\n"))  # the other stream's frame in the middle
    body = b"".join(frames)
    route = Body()
    fake.route("GET", f"/containers/{CID}/logs", handler=route.handler)
    for offset in (1, 7, 8, 9, 16_391, 16_392, 16_393, 16_400, len(body) - 1):
        route.chunks = [body[:offset], body[offset:]]
        lines = await _logs(client, tty=False)
        assert lines == [LogLine("between", "stderr"), LogLine(LONG_LINE.decode(), "stdout")], offset


async def test_logs_tty_is_raw_bytes(fake: FakeEngine, client: EngineClient) -> None:
    body = b"one\r\ntwo\rTWO\r\n" + LONG_LINE + b"\r\nend"
    fake.route("GET", f"/containers/{CID}/logs", chunks=[body[:3], body[3:20], body[20:]])
    lines = await _logs(client, tty=True)
    assert lines == [
        LogLine("one", "stdout"),
        LogLine("TWO", "stdout"),
        LogLine(LONG_LINE.decode(), "stdout"),
        LogLine("end", "stdout"),
    ]


async def test_logs_type3_frame_surfaces_as_stream_error(fake: FakeEngine, client: EngineClient) -> None:
    body = frame(1, b"before\n") + frame(3, b"Error grabbing logs: log file is corrupt\n") + frame(1, b"never\n")
    fake.route("GET", f"/containers/{CID}/logs", chunks=[body[:10], body[10:]])
    seen: list[LogLine] = []
    with pytest.raises(StreamError, match="^Error grabbing logs: log file is corrupt$"):
        async for line in client.containers.logs(CID, tty=False):
            seen.append(line)
    assert seen == [LogLine("before", "stdout")]


async def test_logs_timestamps_parsed(fake: FakeEngine, client: EngineClient) -> None:
    body = frame(1, b"2026-11-28T01:00:24.224915264Z hi\n")
    fake.route("GET", f"/containers/{CID}/logs", chunks=[body])
    lines = await _logs(client, tty=False, timestamps=True)
    assert lines == [LogLine("hi", "stdout", datetime(2026, 11, 28, 1, 0, 24, 224915, tzinfo=timezone.utc))]
    assert _query(fake.requests[-1])["timestamps"] == "1"


async def test_logs_query(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", f"/containers/{CID}/logs", chunks=[])
    since = datetime(2026, 1, 1, tzinfo=timezone.utc)
    await _logs(client, tty=False, follow=True, stderr=False, tail=100, since=since, until=1767225601.5)
    assert _query(fake.requests[-1]) == {
        "follow": "1",
        "stdout": "1",
        "stderr": "0",
        "tail": "100",
        "since": "1767225600.000000000",
        "until": "1767225601.5",
    }


async def test_logs_missing_container_raises_before_any_line(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", f"/containers/{CID}/logs", status=404, json={"message": "No such container: c0ffee"})
    with pytest.raises(NotFound, match="^No such container: c0ffee$"):
        await _logs(client, tty=False)


async def test_logs_stream_closed_when_consumer_stops(fake: FakeEngine, client: EngineClient) -> None:
    ClosingStream.closed = False

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=ClosingStream([frame(1, b"a\nb\n")], hang_after=True))

    fake.route("GET", f"/containers/{CID}/logs", handler=handler)
    async with aclosing(client.containers.logs(CID, tty=False, follow=True)) as lines:
        async for line in lines:
            assert line.text == "a"
            break
    assert ClosingStream.closed


# ------------------------------------------------------------------------- other calls


async def test_top_500_text_plain_keeps_daemon_message(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", f"/containers/{CID}/top", status=500, text="ps: invalid option -- 'Z'\n")
    with pytest.raises(ServerError) as caught:
        await client.containers.top(CID, ps_args="-Z")
    assert caught.value.status == 500
    assert caught.value.message == "ps: invalid option -- 'Z'"
    assert _query(fake.requests[-1]) == {"ps_args": "-Z"}


async def test_top_decodes_table(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", f"/containers/{CID}/top", json={"Titles": ["PID", "CMD"], "Processes": [["1", "sleep 9"]]})
    table = await client.containers.top(CID)
    assert table.titles == ("PID", "CMD")
    assert table.processes == (("1", "sleep 9"),)
    assert "ps_args" not in _query(fake.requests[-1])


async def test_changes_null_is_empty_and_kinds_mapped(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", f"/containers/{CID}/changes", content=b"null")
    assert await client.containers.changes(CID) == []
    fake.route(
        "GET",
        f"/containers/{CID}/changes",
        json=[{"Path": "/tmp/new", "Kind": 1}, {"Path": "/etc", "Kind": 0}, {"Path": "/gone", "Kind": 2}],
    )
    changes = [(c.path, c.kind) for c in await client.containers.changes(CID)]
    assert changes == [("/etc", "C"), ("/gone", "D"), ("/tmp/new", "A")]


async def test_export_streams_chunks_to_sink(fake: FakeEngine, client: EngineClient) -> None:
    chunks = [b"a" * 32_768, b"b" * 32_768, b"c" * 5]
    fake.route("GET", f"/containers/{CID}/export", chunks=chunks, headers={"Content-Type": "application/octet-stream"})
    sink = io.BytesIO()
    progress: list[int] = []
    written = await client.containers.export(CID, sink, progress.append)
    assert written == 65_541
    assert sink.getvalue() == b"".join(chunks)
    assert progress == [32_768, 65_536, 65_541]


async def test_create_sends_spec_and_name_as_given(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("POST", "/containers/create", status=201, json={"Id": "abc", "Warnings": None})
    spec = ContainerSpec(image="busybox", cmd=("sleep", "9"), ports=(PortSpec.parse("8080:80"),))
    created = await client.containers.create(spec, name="a")  # invalid: the daemon judges
    request = fake.requests[-1]
    assert _query(request) == {"name": "a"}
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == spec.to_api()
    assert (created.id, created.warnings) == ("abc", ())


async def test_create_without_name_sends_none(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("POST", "/containers/create", status=201, json={"Id": "abc", "Warnings": ["low memory"]})
    created = await client.containers.create(ContainerSpec(image="busybox"))
    assert _query(fake.requests[-1]) == {}
    assert created.warnings == ("low memory",)


@pytest.mark.parametrize(("signal", "sent"), [("SIGHUP", "SIGHUP"), ("HUP", "HUP"), (10, "10"), (None, None)])
async def test_kill_signal_by_name_or_number(
    fake: FakeEngine, client: EngineClient, signal: str | int | None, sent: str | None
) -> None:
    fake.route("POST", f"/containers/{CID}/kill", status=204)
    await client.containers.kill(CID, signal)
    assert _query(fake.requests[-1]).get("signal") == sent


async def test_kill_stopped_is_conflict(fake: FakeEngine, client: EngineClient) -> None:
    message = "Cannot kill container: c0ffee: Container c0ffee is not running"
    fake.route("POST", f"/containers/{CID}/kill", status=409, json={"message": message})
    with pytest.raises(Conflict, match="is not running$"):
        await client.containers.kill(CID)


@pytest.mark.parametrize("call", ["stop", "restart"])
async def test_stop_http_timeout_outlasts_grace(fake: FakeEngine, client: EngineClient, call: str) -> None:
    fake.route("POST", f"/containers/{CID}/{call}", status=204)
    await getattr(client.containers, call)(CID, timeout=45)
    request = fake.requests[-1]
    assert _query(request) == {"t": "45"}
    assert request.extensions["timeout"]["read"] > 45
    await getattr(client.containers, call)(CID)
    assert _query(fake.requests[-1]) == {}
    assert fake.requests[-1].extensions["timeout"]["read"] > 10


async def test_remove_rename_pause_paths(fake: FakeEngine, client: EngineClient) -> None:
    for method, path in [("DELETE", f"/containers/{CID}"), ("POST", f"/containers/{CID}/rename")]:
        fake.route(method, path, status=204)
    for action in ("start", "pause", "unpause"):
        fake.route("POST", f"/containers/{CID}/{action}", status=204)
    await client.containers.remove(CID, force=True, volumes=True)
    assert _query(fake.requests[-1]) == {"force": "1", "v": "1"}
    await client.containers.remove(CID)
    assert _query(fake.requests[-1]) == {}
    await client.containers.rename(CID, "new name/")
    assert _query(fake.requests[-1]) == {"name": "new name/"}
    await client.containers.start(CID)
    await client.containers.pause(CID)
    await client.containers.unpause(CID)
    assert fake.paths("POST")[-4:] == [f"/containers/{CID}/{a}" for a in ("rename", "start", "pause", "unpause")]


async def test_path_arguments_are_percent_encoded(fake: FakeEngine, client: EngineClient) -> None:
    with pytest.raises(NotFound):
        await client.containers.start("../x?y")
    assert fake.requests[-1].url.raw_path.decode().endswith("/containers/..%2Fx%3Fy/start")


# ------------------------------------------------------------------------------- stats


def _cpu_record(total: int, system: int, precpu: dict[str, object] | None = None) -> dict[str, object]:
    return {
        "read": "2026-01-01T00:00:01.000000000Z",
        "id": CID,
        "name": "/web",
        "cpu_stats": {"cpu_usage": {"total_usage": total}, "system_cpu_usage": system, "online_cpus": 2},
        "precpu_stats": precpu or {},
        "memory_stats": {"usage": 100, "limit": 1000, "stats": {"inactive_file": 40}},
        "pids_stats": {"current": 3},
    }


async def test_stats_stream_yields_samples(fake: FakeEngine, client: EngineClient) -> None:
    first = _cpu_record(1_000, 10_000)
    second = _cpu_record(1_500, 12_000, precpu=first["cpu_stats"])  # type: ignore[arg-type]
    body = (json.dumps(first) + "\n" + json.dumps(second) + "\n").encode()
    fake.route("GET", f"/containers/{CID}/stats", chunks=[body[:50], body[50:]])
    samples = [sample async for sample in client.containers.stats(CID)]
    assert [s.cpu_percent for s in samples] == [None, 50.0]
    assert (samples[1].memory_used, samples[1].memory_percent, samples[1].pids) == (60, 6.0, 3)
    assert _query(fake.requests[-1]) == {"stream": "1"}


async def test_stats_once_differences_two_one_shot_records(fake: FakeEngine, client: EngineClient) -> None:
    records = iter([_cpu_record(1_000, 10_000), _cpu_record(1_250, 11_000)])
    fake.route("GET", f"/containers/{CID}/stats", handler=lambda request: httpx.Response(200, json=next(records)))
    first, raw = await client.containers.stats_once(CID)
    assert _query(fake.requests[-1]) == {"stream": "0", "one-shot": "1"}
    assert first.cpu_percent is None  # one-shot precpu is empty: no baseline
    second, _ = await client.containers.stats_once(CID, raw)
    assert second.cpu_percent == 50.0


# ------------------------------------------------------------------------------ events


def _event(action: str, name: str) -> bytes:
    record = {
        "Type": "container",
        "Action": action,
        "Actor": {"ID": CID, "Attributes": {"name": name}},
        "time": 1,
        "timeNano": 1_000_000_001,
    }
    return json.dumps(record).encode() + b"\n"


async def test_events_stream_that_ends(fake: FakeEngine, client: EngineClient) -> None:
    body = _event("start", "web") + b"not json\n" + _event("die", "web")
    fake.route("GET", "/events", chunks=[body[:30], body[30:], _event("destroy", "web").rstrip(b"\n")])
    async with client.open_events({"type": ["container"], "label": "a=b"}) as events:
        actions = [event.action async for event in events]
    assert actions == ["start", "die", "destroy"]
    assert json.loads(_query(fake.requests[-1])["filters"]) == {"type": ["container"], "label": ["a=b"]}


async def test_events_delegates_on_containers(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", "/events", chunks=[_event("start", "web")])
    async with client.containers.open_events() as events:
        first = [event async for event in events]
    assert [(e.action, e.actor_id, e.attributes["name"], e.time_nano) for e in first] == [
        ("start", CID, "web", 1_000_000_001)
    ]
    assert "filters" not in _query(fake.requests[-1])
    assert [e.action async for e in client.containers.events({"type": ["container"]})] == ["start"]
    assert [e.action async for e in client.events()] == ["start"]


async def test_events_error_status_raises_on_open(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", "/events", status=500, text="boom")
    with pytest.raises(ServerError, match="^boom$"):
        async with client.open_events():
            pass


# ------------------------------------------------------------------------------ images


async def test_images_list(fake: FakeEngine, client: EngineClient) -> None:
    fake.route(
        "GET",
        "/images/json",
        json=[
            {"Id": "sha256:1", "RepoTags": ["busybox:latest"], "Created": 0, "Size": 5},
            {"Id": "sha256:2", "RepoTags": None, "Created": 1, "Size": 6},
            {"Id": "sha256:3", "RepoTags": ["<none>:<none>"], "Size": 7},
        ],
    )
    images = await client.images()
    assert [(i.id, i.repo_tags, i.size) for i in images] == [
        ("sha256:1", ("busybox:latest",), 5),
        ("sha256:2", (), 6),
        ("sha256:3", (), 7),
    ]
    assert images[0].created == datetime(1970, 1, 1, tzinfo=timezone.utc)
    assert _query(fake.requests[-1]) == {"digests": "1"}
    await client.images(all=True)
    assert _query(fake.requests[-1]) == {"all": "1", "digests": "1"}

