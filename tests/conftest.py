"""Shared fixtures: a real engine (private dockerd or Podman) and dtui clients bound to it.

Integration tests use the ``engine_host`` fixture. Without an engine they skip with the
reason, unless ``DTUI_REQUIRE_ENGINE=1`` (CI), where they fail. ``DTUI_TEST_ENGINE=podman``
runs them on a private ``podman system service`` instead of dockerd; tests that Podman's API
cannot serve carry ``@pytest.mark.not_on_podman(reason)``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from tests.support import engine as support


def _require_engine() -> bool:
    return os.environ.get("DTUI_REQUIRE_ENGINE", "") not in {"", "0"}


@pytest.fixture(scope="session")
def engine_host() -> Iterator[str]:
    """The address of a real engine with the busybox test image imported."""
    given = os.environ.get("DTUI_TEST_DOCKER_HOST")
    daemon: support.PrivateDaemon | support.PrivatePodman | None = None
    try:
        if given:
            host = given
            support.wait_for_engine(host, __import__("time").monotonic() + 10)
        elif support.test_engine_kind() == "podman":
            daemon = support.start_private_podman()
            host = daemon.host
        else:
            daemon = support.start_private_daemon()
            host = daemon.host
        support.ensure_test_image(host)
    except support.EngineUnavailable as error:
        if _require_engine():
            pytest.fail(f"DTUI_REQUIRE_ENGINE is set but no engine: {error}")
        pytest.skip(f"no Docker engine for integration tests: {error}")
    try:
        yield host
    finally:
        try:
            support.remove_test_containers(host)
            support.remove_test_resources(host)
        finally:
            if isinstance(daemon, support.PrivatePodman):
                daemon.stop()
                support.remove_podman_dir(daemon)
            elif daemon is not None:
                daemon.stop()
                support.remove_daemon_dir(daemon)


@pytest.fixture
async def engine(engine_host: str) -> AsyncIterator[EngineClient]:
    """A connected dtui EngineClient for the real engine."""
    client = EngineClient(parse_host(engine_host))
    await client.connect()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def make_container(engine_host: str) -> Iterator[Callable[..., str]]:
    """Factory: create (and by default start) a labelled busybox container; removed after."""
    made: list[str] = []

    def make(cmd: list[str] | None = None, **kwargs: Any) -> str:
        container_id = support.run_container(engine_host, cmd, **kwargs)
        made.append(container_id)
        return container_id

    yield make
    with support.sync_client(engine_host) as client:
        for container_id in made:
            client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})


def pytest_itemcollected(item: pytest.Item) -> None:
    """Under pytest-xdist (``--dist loadgroup``), a group per test file: a file's module fixtures
    are made once; the swarm files are one group, so a run starts one swarm."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        path = item.path.relative_to(item.config.rootpath).as_posix()
        item.add_marker(pytest.mark.xdist_group("swarm" if path.startswith("tests/integration/swarm/") else path))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On ``DTUI_TEST_ENGINE=podman`` skip the few tests marked ``not_on_podman``, with their reason."""
    if os.environ.get("DTUI_TEST_ENGINE", "").strip().lower() != "podman":
        return
    for item in items:
        mark = item.get_closest_marker("not_on_podman")
        if mark is not None:
            reason = mark.args[0] if mark.args else mark.kwargs.get("reason", "")
            item.add_marker(pytest.mark.skip(reason=f"not applicable to Podman: {reason}"))


@pytest.fixture(autouse=True)
def _steady_input_cursors(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In snapshot tests, text cursors stay shown: a blink caught mid-phase is not a change."""
    if "snap_compare" not in request.fixturenames:
        return
    from textual.widgets import Input

    def keep_cursor_shown(self: Input) -> None:
        self._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", keep_cursor_shown)
