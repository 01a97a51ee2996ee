"""The swarm tests' engine: a single-node swarm on a private dockerd of its own."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from tests.support import engine as support
from tests.support import swarm as swarm_support

SERVICE_PREFIX = f"dt{support.SESSION_ID}"
"""Every service a swarm test creates is named with this prefix (removed at the end)."""


@pytest.fixture(scope="session")
def swarm_host() -> Iterator[str]:
    """The address of a swarm manager with the test image, left and stopped at the end."""
    try:
        swarm = swarm_support.start_swarm()
    except support.EngineUnavailable as error:
        if os.environ.get("DTUI_REQUIRE_ENGINE", "") not in {"", "0"}:
            pytest.fail(f"DTUI_REQUIRE_ENGINE is set but no swarm engine: {error}")
        pytest.skip(f"no swarm engine for the swarm tests: {error}")
    try:
        yield swarm.host
    finally:
        try:
            swarm_support.remove_services(swarm.host, SERVICE_PREFIX)
        finally:
            swarm.stop()


@pytest.fixture
async def swarm_engine(swarm_host: str) -> AsyncIterator[EngineClient]:
    """A connected dtui client for the swarm manager."""
    client = EngineClient(parse_host(swarm_host))
    await client.connect()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The swarm tests run on a private dockerd swarm: in the Podman run they would only repeat the Docker run."""
    for item in items:
        if "swarm_host" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.not_on_podman("Podman has no swarm mode; these tests drive a private dockerd swarm"))
