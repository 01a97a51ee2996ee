"""Listing, filters, inspect and error surfacing against the real engine."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from dtui.engine.errors import BadRequest, EngineUnreachable, NotFound
from tests.support import engine as support


@dataclass(frozen=True)
class Fleet:
    web: str
    exited: str
    health: str
    web_name: str
    web_port: int
    web_volume: str


def _inspect(host: str, container_id: str) -> dict:
    with support.sync_client(host) as client:
        return client.get(f"/containers/{container_id}/json").json()


@pytest.fixture(scope="module")
def fleet(engine_host: str) -> Iterator[Fleet]:
    """Three labelled containers: a published web, an exited (code 3), a health-checked one."""
    suffix = support.SESSION_ID
    web_name = f"dtui-it-web-{suffix}"
    web = support.run_container(
        engine_host, ["sleep", "600"], name=web_name, labels={"env": "prod"},
        ExposedPorts={"80/tcp": {}}, Volumes={"/data": {}},
        HostConfig={"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]}},
    )
    exited = support.run_container(engine_host, ["sh", "-c", "exit 3"], labels={"env": "dev"})
    health = support.run_container(
        engine_host, ["sleep", "600"], labels={"env": "dev"},
        Healthcheck={"Test": ["CMD", "true"], "Interval": 3_600_000_000_000, "StartPeriod": 3_600_000_000_000},
    )
    deadline = time.monotonic() + 20
    while _inspect(engine_host, exited)["State"]["Status"] != "exited" and time.monotonic() < deadline:
        time.sleep(0.1)
    detail = _inspect(engine_host, web)
    port = int(detail["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"])
    volume = next(m["Name"] for m in detail["Mounts"] if m["Destination"] == "/data")
    yield Fleet(web, exited, health, web_name, port, volume)
    with support.sync_client(engine_host) as client:
        for container_id in (web, exited, health):
            client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})


def _mine(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    return {**filters, "label": [f"{support.TEST_LABEL}={support.SESSION_ID}", *filters.get("label", [])]}


async def _ids(engine: EngineClient, **filters: list[str]) -> set[str]:
    rows = await engine.containers.list(all=True, filters=_mine(filters))
    return {row.id for row in rows}


async def test_list_shapes_rows(engine: EngineClient, fleet: Fleet) -> None:
    rows = {row.id: row for row in await engine.containers.list(all=True, filters=_mine({}))}
    web = rows[fleet.web]
    assert web.name == fleet.web_name
    assert web.state == "running" and web.status.startswith("Up")
    assert f"127.0.0.1:{fleet.web_port}->80/tcp" in [str(p) for p in web.ports]
    assert web.labels["env"] == "prod"
    assert rows[fleet.exited].state == "exited"


async def test_running_only_by_default(engine: EngineClient, fleet: Fleet) -> None:
    running = {row.id for row in await engine.containers.list(filters=_mine({}))}
    assert fleet.web in running and fleet.exited not in running


PODMAN_NO_FILTER = "podman 4.3 rejects the publish, expose and is-task filters (400 'is an invalid filter')"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("status", {"exited"}),
        ("label", {"web"}),
        ("name", {"web"}),
        ("ancestor", {"web", "exited", "health"}),
        ("network", {"web", "exited", "health"}),
        ("volume", {"web"}),
        pytest.param("publish", {"web"}, marks=pytest.mark.not_on_podman(PODMAN_NO_FILTER)),
        pytest.param("expose", {"web"}, marks=pytest.mark.not_on_podman(PODMAN_NO_FILTER)),
        ("exited", {"exited"}),
        ("health", {"health"}),
        ("id", {"web"}),
        ("before", {"web"}),
        ("since", {"exited", "health"}),
        pytest.param("is-task", {"web", "exited", "health"}, marks=pytest.mark.not_on_podman(PODMAN_NO_FILTER)),
    ],
)
async def test_each_filter_key(engine: EngineClient, fleet: Fleet, key: str, expected: set[str]) -> None:
    values = {
        "status": ["exited"],
        "label": ["env=prod"],
        "name": [fleet.web_name],
        # Podman matches ancestor only by the full name, and its default network is "podman"
        "ancestor": [f"docker.io/{support.TEST_IMAGE}" if support.on_podman() else support.TEST_IMAGE],
        "network": ["podman" if support.on_podman() else "bridge"],
        "volume": [fleet.web_volume],
        "publish": [str(fleet.web_port)],
        "expose": ["80/tcp"],
        "exited": ["3"],
        "health": ["starting"],
        "id": [fleet.web[:12]],
        "before": [fleet.exited],
        "since": [fleet.web],
        "is-task": ["false"],
    }[key]
    by_role = {"web": fleet.web, "exited": fleet.exited, "health": fleet.health}
    assert await _ids(engine, **{key: values}) == {by_role[role] for role in expected}


async def test_limit_counts_stopped_ones(engine: EngineClient, fleet: Fleet) -> None:
    rows = await engine.containers.list(all=True, limit=1, filters=_mine({}))
    assert len(rows) == 1


async def test_size(engine: EngineClient, fleet: Fleet) -> None:
    rows = await engine.containers.list(all=True, size=True, filters=_mine({"id": [fleet.web]}))
    assert rows[0].size_root_fs and rows[0].size_root_fs > 100_000


async def test_inspect(engine: EngineClient, fleet: Fleet) -> None:
    detail = await engine.containers.inspect(fleet.web)
    assert detail.name == fleet.web_name and detail.running
    assert detail.cmd == ("sleep", "600")
    assert detail.env == () or all("=" in e for e in detail.env)
    assert detail.port_bindings["80/tcp"][0][0] == "127.0.0.1"
    assert detail.raw["Id"] == fleet.web


async def test_inspect_missing_is_not_found(engine: EngineClient) -> None:
    with pytest.raises(NotFound, match="(?i)no such container"):
        await engine.containers.inspect("dtui-does-not-exist")


async def test_unknown_filter_surfaces_daemon_text(engine: EngineClient) -> None:
    said = "bogus is an invalid filter" if support.on_podman() else "Invalid filter 'bogus'"
    with pytest.raises(BadRequest, match=said):
        await engine.containers.list(filters={"bogus": ["1"]})


@pytest.mark.not_on_podman("podman serves any /vX.Y/ path prefix, /v1.99/ included: no version is too new")
async def test_too_new_api_version_surfaces_daemon_text(engine_host: str) -> None:
    async with EngineClient(parse_host(engine_host), api_version="1.99") as client:
        await client.connect()
        with pytest.raises(BadRequest, match="1.99 is too new"):
            await client.containers.list()


async def test_version_and_info(engine: EngineClient) -> None:
    version = await engine.version()
    info = await engine.info()
    assert version.api_version and version.version
    assert info.ncpu >= 1


async def test_missing_socket_is_unreachable() -> None:
    async with EngineClient(parse_host("unix:///nonexistent.sock")) as client:
        with pytest.raises(EngineUnreachable, match="unix:///nonexistent.sock"):
            await client.connect()
