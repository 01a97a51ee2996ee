"""The swarm views on fake engines: what a real swarm cannot be made to do on demand.

A global service refusing to scale before any request, the question before scaling to 0, an
update refused as out of sequence several times, two hosts (a manager and one in no swarm, a
worker, Podman), the create form's ingress ports, events re-listing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from dtui.engine.client import EngineClient
from dtui.ui.app import DtuiApp
from dtui.ui.screens.modals import ConfirmScreen
from dtui.ui.views.swarm.forms import CountPrompt, ServiceCreateScreen
from dtui.engine.log_follow import ResumeFilter
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.source import LogRequest, SourceStatus
from dtui.ui.views.swarm.logs import ServiceLogSource
from dtui.ui.views.swarm.services import ServicesScreen
from dtui.ui.views.swarm.tasks import TasksScreen
from dtui.ui.views.table import row_key
from tests.support.wait import wait_until
from tests.ui.host_support import HOST_A, HOST_B, FakeHost, app_of
from tests.ui.swarm_support import FakeSwarm
from tests.ui.table_support import HOST

SIZE = (120, 30)


def _until(pilot: Pilot[Any], condition: Callable[[], Any]) -> Any:
    return wait_until(pilot, condition, timeout=10)


async def _services(pilot: Pilot[Any], app: DtuiApp, rows: int) -> ServicesScreen:
    await pilot.pause(0.2)
    await pilot.press("W")
    await _until(pilot, lambda: isinstance(app.screen, ServicesScreen) and len(app.screen.table.objects) == rows)
    screen = app.screen
    assert isinstance(screen, ServicesScreen)
    return screen


def _replicas(swarm: FakeSwarm, service_id: str) -> int:
    return int(swarm.services[service_id]["Spec"]["Mode"]["Replicated"]["Replicas"])


def _notes(app: DtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_global_service_refuses_to_scale_with_the_reason_and_sends_nothing() -> None:
    swarm = FakeSwarm()
    swarm.add("agent", replicas=None)
    app = swarm.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _services(pilot, app, 1)
        await pilot.press("plus")
        await _until(pilot, lambda: any("global service" in n for n in _notes(app)))
        await pilot.press("equals_sign")
        assert isinstance(app.screen, CountPrompt)
        await pilot.press("3", "enter")
        await _until(pilot, lambda: sum("global service" in n for n in _notes(app)) == 2)
    assert swarm.docker.mutations() == []


async def test_scaling_to_zero_asks_first_and_a_stale_version_is_retried() -> None:
    swarm = FakeSwarm()
    web = swarm.add("web", replicas=1)
    app = swarm.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _services(pilot, app, 1)
        await pilot.press("minus")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Scale to 0 replicas, stopping every task of web?" in str(app.screen.question)
        await pilot.press("n")
        assert swarm.updates == []
        swarm.stale_next = 2  # two more writers got in first
        await pilot.press("equals_sign")
        await pilot.press("backspace", "4", "enter")
        await _until(pilot, lambda: _replicas(swarm, web) == 4)
        assert [version for _, version, _ in swarm.updates] == [10, 11, 12], "re-read and re-sent twice"
        screen = app.screen
        assert isinstance(screen, ServicesScreen)
        await _until(pilot, lambda: screen.table.get_cell(row_key(HOST, web), "replicas").plain == "4/4")
        assert not any("out of sequence" in n for n in _notes(app))


async def test_six_stale_answers_give_up_with_the_engines_text() -> None:
    swarm = FakeSwarm()
    web = swarm.add("web", replicas=1)
    app = swarm.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _services(pilot, app, 1)
        swarm.stale_next = 6
        await pilot.press("plus")
        await _until(pilot, lambda: any("update out of sequence" in n for n in _notes(app)))
        assert len(swarm.updates) == 5 and _replicas(swarm, web) == 1


def _notice(app: DtuiApp) -> str:
    return str(app.screen.query_one("#swarm-notice", Static).render())


async def test_two_hosts_a_manager_and_one_in_no_swarm_show_a_host_column_and_a_notice() -> None:
    manager, outside = FakeHost(HOST_A), FakeHost(HOST_B)
    swarm = FakeSwarm(docker=manager.docker)
    swarm.add("web", replicas=2)
    FakeSwarm(role="inactive", docker=outside.docker)
    app = app_of(manager, outside)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _services(pilot, app, 1)
        await _until(pilot, lambda: "docker swarm init" in _notice(app))
        assert _notice(app).startswith("/fake/b.sock: not in a swarm")
        assert screen.table.show_host
        assert list(screen.table.objects) == [row_key(HOST_A, next(iter(swarm.services)))]
        assert not any(n.severity == "error" for n in app._notifications)


async def test_a_worker_says_not_a_manager_and_podman_has_no_swarm() -> None:
    worker = FakeSwarm(role="worker")
    app = worker.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _services(pilot, app, 0)
        await _until(pilot, lambda: "not a manager" in _notice(app))
    podman = FakeSwarm()
    podman.add("web")
    client: EngineClient = podman.docker.engine.client()
    client.engine_kind = "podman"
    app = DtuiApp(endpoint=client.endpoint, client=client)
    async with app.run_test(size=SIZE) as pilot:
        await _services(pilot, app, 0)
        await _until(pilot, lambda: "Podman has no swarm" in _notice(app))
    assert "/services" not in podman.docker.engine.paths()


async def test_the_create_form_publishes_ports_in_ingress_mode_and_the_new_service_shows() -> None:
    swarm = FakeSwarm()
    app = swarm.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _services(pilot, app, 0)
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, ServiceCreateScreen)
        for field, value in (("image", "busybox:latest"), ("name", "web"), ("command", "sleep 3600"),
                             ("ports", "127.0.0.1:8080:80"), ("replicas", "3")):
            form.query_one(f"#{field}", Input).value = value
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: "host IP" in str(form.query_one("#create-error", Static).render()))
        form.query_one("#ports", Input).value = "8080:80"
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: app.screen is screen and len(screen.table.objects) == 1)
    (create,) = [r for r in swarm.docker.engine.requests if r.url.path.endswith("/services/create")]
    body = json.loads(create.content)
    assert body["EndpointSpec"]["Ports"] == [
        {"Protocol": "tcp", "TargetPort": 80, "PublishMode": "ingress", "PublishedPort": 8080}
    ]
    assert body["Mode"] == {"Replicated": {"Replicas": 3}} and body["TaskTemplate"]["ContainerSpec"]["Args"] == [
        "sleep", "3600"]


async def test_service_events_and_swarm_task_container_events_re_list_other_containers_do_not() -> None:
    swarm = FakeSwarm()
    web = swarm.add("web", replicas=2)
    app = swarm.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _services(pilot, app, 1)
        await _until(pilot, lambda: len(swarm.docker.subscriptions) >= 2)  # the container view's and ours
        listings = lambda: swarm.docker.engine.paths("GET").count("/services")  # noqa: E731
        before = listings()
        swarm.docker.emit("start", "c" * 64, image="busybox")  # a plain container: no swarm label
        await pilot.pause(0.4)
        assert listings() == before
        swarm.services[web]["ServiceStatus"]["RunningTasks"] = 1
        swarm.docker.emit("die", "d" * 64, **{"com.docker.swarm.service.id": web})
        await _until(pilot, lambda: screen.table.get_cell(row_key(HOST, web), "replicas").plain == "1/2")
        swarm.services[web]["Spec"]["Mode"]["Replicated"]["Replicas"] = 5
        swarm.emit("service", "update", web)
        await _until(pilot, lambda: screen.table.get_cell(row_key(HOST, web), "mode").plain == "replicated 5")


async def test_l_on_a_task_opens_its_containers_log_here_and_says_where_it_runs_elsewhere() -> None:
    swarm = FakeSwarm()
    web = swarm.add("web", replicas=1)
    local = next(iter(swarm.tasks.values()))
    swarm.docker.add("web.1.x", id=local["Status"]["ContainerStatus"]["ContainerID"])
    remote = swarm.add_task(web, 2)
    swarm.tasks[remote]["NodeID"] = "othernode000000000000000"
    app = swarm.docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _services(pilot, app, 1)
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, TasksScreen) and len(app.screen.table.objects) == 2)
        await pilot.press("down", "l")
        await _until(pilot, lambda: any("not on this engine" in n for n in _notes(app)))
        await pilot.press("up", "l")
        await _until(pilot, lambda: isinstance(app.screen, LogScreen))
        assert app.screen.container is not None and app.screen.container.name == "web.1.x"


async def test_the_service_log_source_labels_orders_filters_and_reads_all() -> None:
    swarm = FakeSwarm()
    service_id = swarm.add("a-rather-long-service-name", replicas=2)
    client = swarm.docker.engine.client()
    try:
        service = await client.swarm.service(service_id)
        source = ServiceLogSource(service, lambda: client)
        got = [item async for item in source.follow(LogRequest(follow=False, tail=10), ResumeFilter())]
        batches = [item for item in got if isinstance(item, list)]
        lines = [line for batch in batches for line in batch]
        assert [(line.source, line.text) for line in lines] == [
            ("a-rather-long….1", "hello from slot 1"), ("a-rather-long….2", "hello from slot 2"),
        ]
        assert [s.state for s in got if isinstance(s, SourceStatus)] == ["reading", "ended"]
        quiet = [item async for item in source.follow(LogRequest(follow=False, stdout=False), ResumeFilter())]
        assert not [item for item in quiet if isinstance(item, list)], "stdout lines dropped when only stderr"
        saved = [line async for batch in source.read_all() for line in batch]
        assert len(saved) == 2 and swarm.docker.engine.requests[-1].url.params["tail"] == "all"
    finally:
        await client.aclose()
