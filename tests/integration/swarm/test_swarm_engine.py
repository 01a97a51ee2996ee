"""The swarm engine layer against a real single-node swarm (and a non-swarm engine)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.errors import NotFound, NotInSwarm, UpdateOutOfSequence
from dtui.engine.spec import PortSpec
from dtui.engine.swarm import NotScalable
from dtui.engine.swarm_models import NewService, Service
from tests.integration.swarm.conftest import SERVICE_PREFIX
from tests.support.engine import TEST_IMAGE
from tests.support.swarm import _free_port

T = TypeVar("T")
LOOP = "while true; do echo line from $HOSTNAME; sleep 0.5; done"


async def eventually(read: Callable[[], Awaitable[T]], ok: Callable[[T], bool], timeout: float = 60.0) -> T:
    """Read until ``ok(value)``; fails with the last value."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    value = await read()
    while not ok(value):
        if loop.time() > deadline:
            raise AssertionError(f"not reached in {timeout} s: {value!r}")
        await asyncio.sleep(0.3)
        value = await read()
    return value


def counts(replicas: int) -> Callable[[Service], bool]:
    return lambda service: (service.running, service.desired, service.replicas) == (replicas, replicas, replicas)


@pytest.fixture
async def web(swarm_engine: EngineClient, request: pytest.FixtureRequest) -> AsyncIterator[Service]:
    """A replicated service of 2 tasks echoing lines, running; removed after."""
    name = f"{SERVICE_PREFIX}{request.node.name[-12:].strip('_[]')}".replace("_", "-")
    port = PortSpec.parse(f"{_free_port()}:80")
    new = NewService(image=TEST_IMAGE, name=name, cmd=("sh", "-c", LOOP), env=("A=1",), labels={"role": "web"}, ports=(port,), replicas=2)
    created = await swarm_engine.swarm.create_service(new)
    try:
        yield await eventually(lambda: swarm_engine.swarm.service(created.id), counts(2))
    finally:
        try:
            await swarm_engine.swarm.remove_service(created.id)
        except NotFound:
            pass


async def test_state_of_a_manager(swarm_engine: EngineClient) -> None:
    state = await swarm_engine.swarm.state()
    assert state.active and state.is_manager
    assert state.node_id and state.managers == 1


async def test_created_service_lists_with_its_spec(swarm_engine: EngineClient, web: Service) -> None:
    listed = {service.id: service for service in await swarm_engine.swarm.services()}
    service = listed[web.id]
    assert service.mode_text == "replicated 2"
    assert service.image_name == TEST_IMAGE
    assert service.labels["role"] == "web"
    assert [(port.mode, port.target) for port in service.ports] == [("ingress", 80)]
    assert service.ports[0].published > 0
    container = service.spec["TaskTemplate"]["ContainerSpec"]
    assert container["Args"] == ["sh", "-c", LOOP] and container["Env"] == ["A=1"]
    tasks = await swarm_engine.swarm.tasks(web.id)
    running = [task for task in tasks if task.is_running]
    assert sorted(task.name(web.name) for task in running) == [f"{web.name}.1", f"{web.name}.2"]
    assert all(len(task.container_id) == 64 for task in running)


async def test_scale_up_and_down(swarm_engine: EngineClient, web: Service) -> None:
    result = await swarm_engine.swarm.scale(web, 4)
    assert result.attempts == 1
    await eventually(lambda: swarm_engine.swarm.service(web.id), counts(4))
    await swarm_engine.swarm.scale(web.id, 1)
    await eventually(lambda: swarm_engine.swarm.service(web.id), counts(1))
    running = [task for task in await swarm_engine.swarm.tasks(web.id) if task.desired_state == "running"]
    assert [task.slot for task in running] == [1]


async def test_a_stale_version_is_retried(swarm_engine: EngineClient, web: Service) -> None:
    await swarm_engine.swarm.force_update(web)  # bumps the version: `web` is now stale
    with pytest.raises(UpdateOutOfSequence, match="update out of sequence"):
        await swarm_engine._request("POST", f"/services/{web.id}/update", params={"version": web.version}, json_body=dict(web.spec))
    result = await swarm_engine.swarm.scale(web, 3)
    assert result.attempts == 2
    service = await eventually(lambda: swarm_engine.swarm.service(web.id), counts(3))
    assert service.force_update == web.force_update + 1, "the retry re-applied the change to the fresh spec"


async def test_force_update_and_rollback(swarm_engine: EngineClient, web: Service) -> None:
    await swarm_engine.swarm.force_update(web.id)
    forced = await swarm_engine.swarm.service(web.id)
    assert forced.force_update == web.force_update + 1 and forced.has_previous
    await swarm_engine.swarm.rollback(forced)
    rolled = await eventually(lambda: swarm_engine.swarm.service(web.id), lambda s: s.update_state.startswith("rollback"))
    assert rolled.force_update == web.force_update


async def test_service_logs_name_each_task(swarm_engine: EngineClient, web: Service) -> None:
    seen: dict[str, str] = {}
    stream = swarm_engine.swarm.service_logs(web, follow=True, tail=5, timestamps=True)
    async with asyncio.timeout(30):
        async for batch in stream:
            for line in batch:
                assert line.timestamp is not None and line.stream == "stdout"
                seen[line.task] = line.text
            if len(seen) >= 2:
                break
    await stream.aclose()  # type: ignore[attr-defined]
    assert sorted(seen) == [f"{web.name}.1", f"{web.name}.2"]
    assert all(text.startswith("line from ") for text in seen.values())


async def test_drain_pause_and_activate_the_node(swarm_engine: EngineClient, web: Service) -> None:
    (node,) = await swarm_engine.swarm.nodes()
    assert (node.role, node.availability, node.state, node.manager_status) == ("manager", "active", "ready", "leader")
    assert node.engine_version and node.hostname
    try:
        await swarm_engine.swarm.set_node_availability(node, "drain")
        drained = await eventually(lambda: swarm_engine.swarm.service(web.id), lambda s: s.running == 0)
        assert drained.desired == 2, "a drained node keeps the desired count but runs nothing"
        await swarm_engine.swarm.set_node_availability(node, "pause")  # stale `node`: retried
        assert (await swarm_engine.swarm.node(node.id)).availability == "pause"
    finally:
        await swarm_engine.swarm.set_node_availability(node.id, "active")
    assert (await swarm_engine.swarm.node(node.id)).availability == "active"
    await eventually(lambda: swarm_engine.swarm.service(web.id), counts(2))


async def test_global_service_refuses_scaling(swarm_engine: EngineClient) -> None:
    new = NewService(image=TEST_IMAGE, name=f"{SERVICE_PREFIX}global", cmd=("sleep", "300"), global_mode=True)
    created = await swarm_engine.swarm.create_service(new)
    try:
        service = await swarm_engine.swarm.service(created.id)
        assert service.mode_text == "global" and not service.scalable
        with pytest.raises(NotScalable, match="global service"):
            await swarm_engine.swarm.scale(service, 3)
    finally:
        await swarm_engine.swarm.remove_service(created.id)
    with pytest.raises(NotFound):
        await swarm_engine.swarm.service(created.id)


async def test_an_engine_outside_a_swarm_says_so(engine: EngineClient) -> None:
    state = await engine.swarm.state()
    assert not state.active and not state.is_manager
    for call in (engine.swarm.services, engine.swarm.nodes, engine.swarm.tasks):
        if engine.is_podman:  # no swarm routes at all: a bare 404 (the swarm views say "Podman has no swarm")
            with pytest.raises(NotFound) as missing:
                await call()
            assert missing.value.status == 404
            continue
        with pytest.raises(NotInSwarm) as caught:
            await call()
        assert caught.value.status == 503 and "docker swarm init" in caught.value.message
