"""Unit tests of the client core against the fake engine: versions, errors, encoding."""

from __future__ import annotations

import asyncio

import pytest

from dtui.engine.client import EngineClient, UnsupportedVersion
from dtui.engine.params import encode_params, quote_path
from dtui.engine.endpoint import parse_host
from dtui.engine.errors import (
    BadRequest,
    Conflict,
    EngineError,
    EngineUnreachable,
    NotFound,
    NotModified,
    ServerError,
)
from dtui.engine.params import quote_path
from tests.fakes import FakeEngine, container_json


async def test_negotiates_min_of_client_and_daemon() -> None:
    fake = FakeEngine(api_version="1.41")
    async with fake.client() as client:
        assert await client.connect() == "1.41"
        await client.containers.list()
    assert fake.requests[-1].url.path == "/v1.41/containers/json"


async def test_newer_daemon_is_capped_at_client_max() -> None:
    fake = FakeEngine(api_version="1.99")
    async with fake.client() as client:
        assert await client.connect() == "1.47"


async def test_head_ping_falls_back_to_get() -> None:
    fake = FakeEngine(api_version="1.43")
    fake.route("HEAD", "/_ping", status=405)
    async with fake.client() as client:
        assert await client.connect() == "1.43"
    assert [r.method for r in fake.requests[:2]] == ["HEAD", "GET"]


async def test_pinned_version_skips_ping() -> None:
    fake = FakeEngine()
    client = EngineClient(parse_host("unix:///x.sock"), api_version="1.42", transport=fake.transport())
    async with client:
        assert await client.connect() == "1.42"
    assert fake.requests == []


@pytest.mark.parametrize("version", ["1.39", "1.24"])
async def test_old_version_refused_clearly(version: str) -> None:
    fake = FakeEngine(api_version=version)
    async with fake.client() as client:
        with pytest.raises(UnsupportedVersion, match=f"{version}.*too old.*1.40"):
            await client.connect()


@pytest.mark.parametrize(
    ("status", "cls"),
    [(304, NotModified), (400, BadRequest), (404, NotFound), (409, Conflict), (500, ServerError), (503, ServerError)],
)
async def test_status_maps_to_error_with_daemon_message(status: int, cls: type[EngineError]) -> None:
    fake = FakeEngine()
    fake.route("POST", "/containers/abc/start", status=status, json={"message": f"daemon says {status}"})
    async with fake.client() as client:
        await client.connect()
        with pytest.raises(cls) as caught:
            await client.containers.start("abc")
    assert caught.value.status == status
    if status != 304:
        assert caught.value.message == f"daemon says {status}"


async def test_text_plain_error_body_is_the_message() -> None:
    fake = FakeEngine()
    fake.route("GET", "/containers/json", status=500, text="boom: something broke\n")
    async with fake.client() as client:
        await client.connect()
        with pytest.raises(ServerError, match="^boom: something broke$"):
            await client.containers.list()


async def test_empty_304_has_a_message() -> None:
    fake = FakeEngine()
    fake.route("POST", "/containers/abc/stop", status=304)
    async with fake.client() as client:
        await client.connect()
        with pytest.raises(NotModified) as caught:
            await client.containers.stop("abc")
    assert "304" in caught.value.message


async def test_path_arguments_are_percent_encoded() -> None:
    fake = FakeEngine()
    fake.route("GET", "/containers/.*/json", json={"Id": "x", "Name": "/x"})
    async with fake.client() as client:
        await client.connect()
        await client.containers.inspect("a/../../b c?d")
    assert fake.requests[-1].url.raw_path.startswith(b"/v1.41/containers/a%2F..%2F..%2Fb%20c%3Fd/json")
    assert quote_path("a/b") == "a%2Fb"


def test_params_encoding() -> None:
    encoded = encode_params({"all": True, "size": False, "limit": 5, "x": None, "filters": {"status": ["exited"]}})
    assert encoded == {"all": "1", "size": "0", "limit": "5", "filters": '{"status":["exited"]}'}


async def test_list_sends_filters_as_json_map_of_lists() -> None:
    fake = FakeEngine()
    fake.route("GET", "/containers/json", json=[container_json("web", ports=[
        {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 9001, "Type": "tcp"}])])
    async with fake.client() as client:
        await client.connect()
        rows = await client.containers.list(all=True, limit=3, filters={"label": ["env=prod"], "status": ["exited"]})
    params = fake.requests[-1].url.params
    assert params["filters"] == '{"label":["env=prod"],"status":["exited"]}'
    assert params["all"] == "1" and params["limit"] == "3"
    assert rows[0].name == "web"
    assert str(rows[0].ports[0]) == "0.0.0.0:9001->80/tcp"


async def test_missing_socket_is_unreachable_naming_the_address() -> None:
    async with EngineClient(parse_host("unix:///nonexistent/dtui.sock")) as client:
        with pytest.raises(EngineUnreachable, match="unix:///nonexistent/dtui.sock.*no such socket"):
            await client.connect()


async def test_refused_tcp_is_unreachable() -> None:
    async with EngineClient(parse_host("tcp://127.0.0.1:1")) as client:
        with pytest.raises(EngineUnreachable, match="tcp://127.0.0.1:1"):
            await client.connect()


async def test_hung_request_times_out_as_unreachable() -> None:
    """A server that accepts and never answers: the read timeout fires (MockTransport cannot)."""
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = EngineClient(parse_host(f"tcp://127.0.0.1:{port}"), api_version="1.41", timeout=0.3)
    async with server, client:
        await client.connect()
        with pytest.raises(EngineUnreachable, match=rf"127.0.0.1:{port} did not answer within 0.3 s \(request timed out\)"):
            await client.containers.list()
