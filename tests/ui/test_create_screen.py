"""The create form: parsing, pre-fill from inspect, the start-failure choice, snapshot."""

from __future__ import annotations

import json

import pytest

from dtui.engine.models import ContainerDetail
from dtui.engine.spec import ContainerSpec, PortSpec
from dtui.core.create_form import FieldError, FormValues, build_spec, parse_volumes, values_from_spec
from dtui.ui.screens.choice import ChoiceScreen
from dtui.ui.forms.create import CreateScreen
from tests.fakes import FakeEngine
from tests.ui.screen_host import ScreenHost
from tests.support.wait import wait_until

IMAGES = [{"Id": "sha256:1", "RepoTags": ["busybox:latest", "nginx:1.25"], "Created": 1, "Size": 5}]
FULL = ContainerSpec(
    image="busybox:latest",
    cmd=("sh", "-c", "echo hi there"),
    env=("A=1", "B=two words"),
    labels={"role": "web", "tier": "front"},
    working_dir="/srv",
    ports=(PortSpec(80, "tcp", "9001", "127.0.0.1"), PortSpec(53, "udp", "", ""), PortSpec(81, "tcp", "9002")),
    binds=("/host:/data:ro", "named:/cache"),
    volumes=("/anon",),
    restart_policy="on-failure:3",
    tty=True,
)


def test_form_round_trips_a_spec() -> None:
    values = values_from_spec(FULL, "web01")
    assert values.ports == "127.0.0.1:9001:80/tcp 53/udp 9002:81/tcp"
    assert values.volumes == "/host:/data:ro named:/cache /anon"
    assert values.command == "sh -c 'echo hi there'"
    assert build_spec(values, FULL) == FULL


def test_form_errors_name_the_field() -> None:
    cases = {
        "image": FormValues(image=" "),
        "name": FormValues(image="x", name="a"),
        "ports": FormValues(image="x", ports="80:http"),
        "volumes": FormValues(image="x", volumes="relative"),
        "command": FormValues(image="x", command="sh -c 'unterminated"),
        "labels": FormValues(image="x", labels="=v"),
        "env": FormValues(image="x", env="=v"),
    }
    for field, values in cases.items():
        with pytest.raises(FieldError) as caught:
            build_spec(values)
        assert caught.value.field == field


def test_volumes_split_into_binds_and_anonymous() -> None:
    assert parse_volumes("/h:/c:ro name:/d '/with space:/e' /anon") == (
        ("/h:/c:ro", "name:/d", "/with space:/e"),
        ("/anon",),
    )


def test_from_detail_copies_what_duplicate_needs() -> None:
    detail = ContainerDetail.from_api(
        {
            "Id": "1" * 64,
            "Name": "/web",
            "Config": {
                "Image": "busybox:latest", "Cmd": ["sleep", "9"], "Env": ["A=1"], "Labels": {"k": "v"},
                "WorkingDir": "/w", "Volumes": {"/data": {}, "/anon": {}}, "Tty": True,
            },
            "HostConfig": {
                "Binds": ["/h:/data:ro"],
                "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "9001"}]},
                "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 2},
            },
        }
    )
    assert ContainerSpec.from_detail(detail) == ContainerSpec(
        image="busybox:latest", cmd=("sleep", "9"), env=("A=1",), labels={"k": "v"}, working_dir="/w",
        ports=(PortSpec(80, "tcp", "9001", "127.0.0.1"),), binds=("/h:/data:ro",), volumes=("/anon",),
        restart_policy="on-failure:2", tty=True,
    )


def test_create_form_snapshot(snap_compare) -> None:  # type: ignore[no-untyped-def]
    fake = FakeEngine()
    fake.route("GET", "/images/json", json=IMAGES)
    screen = CreateScreen(FULL, "web-copy")
    app = ScreenHost(fake.client(), screen)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: "/images/json" in fake.paths())
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_start_failure_offers_remove_or_keep() -> None:
    fake = FakeEngine()
    fake.route("GET", "/images/json", json=IMAGES)
    fake.route("POST", "/containers/create", status=201, json={"Id": "c" * 64, "Warnings": []})
    fake.route(
        "POST", "/containers/c+/start", status=500,
        json={"message": "driver failed programming external connectivity: address already in use"},
    )
    screen = CreateScreen(ContainerSpec("busybox:latest", ports=(PortSpec(80, "tcp", "9001"),)), "web")
    app = ScreenHost(fake.client(), screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        body = json.loads(fake.requests[-2].content)
        assert body["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "", "HostPort": "9001"}]}
        await pilot.press("right", "enter")  # "Keep it"
        await wait_until(pilot, lambda: bool(app.results))
    assert app.results == ["c" * 64]
    assert ("DELETE" not in {r.method for r in fake.requests})


async def test_cancel_returns_none() -> None:
    fake = FakeEngine()
    fake.route("GET", "/images/json", json=IMAGES)
    app = ScreenHost(fake.client(), CreateScreen())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(app.results))
    assert app.results == [None]


def test_prefilled_text_loses_control_characters() -> None:
    from dtui.core.create_form import displayable
    from dtui.ui.safe_text import strip_controls

    values, stripped = displayable(FormValues(image="x", env="A=\x1b]52;c;aGk=\x07ok\nB=2", name="web"), strip_controls)
    assert stripped and values.env == "A=ok\nB=2" and values.image == "x"
    assert displayable(FormValues(image="x"), strip_controls) == (FormValues(image="x"), False)
