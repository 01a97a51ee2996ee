"""Removing a network on Podman goes by name (by full id Podman drops one still in use)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.resource_models import Network
from dtui.live.network_kinds import NetworkRow
from dtui.ui.views.actions import ActionContext
from dtui.ui.views.networks.actions import remove_network
from tests.fakes import FakeEngine


@pytest.fixture
def fake() -> FakeEngine:
    engine = FakeEngine()
    engine.route("DELETE", "/networks/.*", status=204)
    return engine


@pytest.fixture
async def client(fake: FakeEngine) -> AsyncIterator[EngineClient]:
    async with fake.client() as engine_client:
        await engine_client.connect()
        yield engine_client


@pytest.mark.parametrize(("kind", "path"), [("docker", "/networks/f00d"), ("podman", "/networks/app")])
async def test_remove_goes_by_id_on_docker_and_by_name_on_podman(
    fake: FakeEngine, client: EngineClient, kind: str, path: str
) -> None:
    client.engine_kind = kind
    row = NetworkRow(Network.from_api({"Id": "f00d", "Name": "app"}), ())
    await remove_network(client, row, ActionContext())
    assert fake.requests[-1].method == "DELETE" and fake.requests[-1].url.path.endswith(path)
