"""Create, duplicate, scale and export against the real engine, driven by the keyboard."""

from __future__ import annotations

import random
import socket
import tarfile
from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, Static, TextArea

from dtui.engine.client import EngineClient
from dtui.engine.models import ContainerSummary
from dtui.core.scale import GROUP_LABEL
from dtui.ui.screens.choice import ChoiceScreen
from dtui.ui.forms.create import CreateScreen
from dtui.ui.forms.export import ExportScreen
from dtui.ui.forms.scale import ScaleScreen
from tests.support.engine import SESSION_ID, TEST_IMAGE, TEST_LABEL, on_podman, short_image, sync_client
from tests.ui.screen_host import ScreenHost, type_text
from tests.support.wait import wait_until

# Tab order of the create form, from the image field.
FIELDS = ["image", "image-picker", "name", "command", "env", "labels", "working-dir", "ports", "volumes"]


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports free on 127.0.0.1."""
    for _ in range(200):
        first = random.randint(20000, 45000)
        sockets = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise AssertionError("no free port range")


async def summary_of(engine: EngineClient, container_id: str) -> ContainerSummary:
    listed = await engine.containers.list(all=True, filters={"id": [container_id]})
    return listed[0]


async def fill(pilot, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Type into the create form's fields (focus starts on the image field)."""
    for field in FIELDS:
        if field in values:
            await type_text(pilot, values[field])
        await pilot.press("tab")


def error_text(screen: CreateScreen) -> str:
    return str(screen.query_one("#create-error", Static).render())


async def test_create_with_every_field(engine: EngineClient, tmp_path: Path) -> None:
    port = free_ports(2)
    name = f"c{SESSION_ID}full"
    volume = f"v{SESSION_ID}named"
    screen = CreateScreen()
    app = ScreenHost(engine, screen)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await fill(
                pilot,
                {
                    "image": TEST_IMAGE,
                    "name": name,
                    "command": "sh -c 'sleep 300'",
                    "env": "A=1\nB=two words",
                    "labels": f"{TEST_LABEL}={SESSION_ID}\nrole=web",
                    "working-dir": "/tmp",
                    "ports": f"127.0.0.1:{port}:80/tcp 127.0.0.1:{port + 1}:81/udp",
                    "volumes": f"{tmp_path}:/data:ro {volume}:/named /anon",
                },
            )
            await pilot.press("enter", "down", "down", "enter")  # restart: unless-stopped
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: bool(app.results))
        detail = await engine.containers.inspect(app.results[0])
        raw = detail.raw
        assert detail.name == name
        assert short_image(raw["Config"]["Image"]) == TEST_IMAGE
        assert raw["Config"]["Cmd"] == ["sh", "-c", "sleep 300"]
        assert {"A=1", "B=two words"} <= set(raw["Config"]["Env"])
        assert raw["Config"]["Labels"] == {TEST_LABEL: SESSION_ID, "role": "web"}
        assert raw["Config"]["WorkingDir"] == "/tmp"
        assert raw["HostConfig"]["PortBindings"] == {
            "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}],
            "81/udp": [{"HostIp": "127.0.0.1", "HostPort": str(port + 1)}],
        }
        if on_podman():  # Podman adds mount options and lists the anonymous volume as a bind
            binds = raw["HostConfig"]["Binds"]
            assert any(bind.startswith(f"{tmp_path}:/data:ro,") for bind in binds)
            assert any(bind.startswith(f"{volume}:/named:") for bind in binds)
            assert any(":/anon:" in bind for bind in binds)
        else:
            assert raw["HostConfig"]["Binds"] == [f"{tmp_path}:/data:ro", f"{volume}:/named"]
            assert "/anon" in raw["Config"]["Volumes"]
        assert raw["HostConfig"]["RestartPolicy"]["Name"] == "unless-stopped"
        assert raw["State"]["Running"] is True
    finally:
        with sync_client(engine.endpoint.host) as client:
            client.delete(f"/containers/{name}", params={"force": "1", "v": "1"})
            client.delete(f"/volumes/{volume}")


async def test_create_errors_keep_the_form(
    engine: EngineClient, make_container: Callable[..., str]
) -> None:
    port = free_ports(1)
    taken = f"c{SESSION_ID}taken"
    make_container(["sleep", "300"], name=taken, ExposedPorts={"80/tcp": {}},
                   HostConfig={"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}})
    screen = CreateScreen()
    app = ScreenHost(engine, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        # Invalid name: shown inline while typing, and refused on submit.
        await fill(pilot, {"image": "dtui-test/nope:latest", "name": "a", "labels": f"{TEST_LABEL}={SESSION_ID}"})
        assert "invalid name" in str(screen.query_one("#name-error", Static).render())
        await pilot.press("ctrl+s")
        assert "invalid name" in error_text(screen)
        # Missing image: the engine's 404.
        screen.query_one("#name", Input).value = ""
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "no such image" in error_text(screen).lower())  # Podman: lower case
        assert screen.query_one("#image", Input).value == "dtui-test/nope:latest"
        assert screen.query_one("#labels", TextArea).text == f"{TEST_LABEL}={SESSION_ID}"
        # Duplicate name: the engine's 409.
        screen.query_one("#image", Input).value = TEST_IMAGE
        screen.query_one("#name", Input).value = taken
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "already in use" in error_text(screen))
        assert screen.query_one("#name", Input).value == taken
        # Busy host port: created, start fails with 500; choose "Remove it".
        second = f"c{SESSION_ID}busy"
        screen.query_one("#name", Input).value = second
        screen.query_one("#command", Input).value = "sleep 300"
        screen.query_one("#ports", Input).value = f"127.0.0.1:{port}:80"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        assert "start failed" in error_text(screen)
        assert ("already" in error_text(screen)) or ("in use" in error_text(screen))
        assert len(await engine.containers.list(all=True, filters={"name": [f"^/?{second}$"]})) == 1
        await pilot.press("enter")  # "Remove it" is focused first
        await wait_until(pilot, lambda: "was removed" in error_text(screen))
        assert await engine.containers.list(all=True, filters={"name": [f"^/?{second}$"]}) == []
        assert screen.query_one("#ports", Input).value == f"127.0.0.1:{port}:80"
        assert app.results == []


COPIED = [
    ("Config", "Image"), ("Config", "Cmd"), ("Config", "Env"), ("Config", "Labels"), ("Config", "WorkingDir"),
    ("HostConfig", "Binds"), ("HostConfig", "PortBindings"), ("HostConfig", "RestartPolicy"),
]


async def test_duplicate_copies_the_fields(
    engine: EngineClient, make_container: Callable[..., str], tmp_path: Path
) -> None:
    port = free_ports(1)
    source_id = make_container(
        ["sleep", "300"],
        name=f"c{SESSION_ID}src",
        start=False,
        Env=["X=1", "Y=a b"],
        WorkingDir="/tmp",
        ExposedPorts={"80/tcp": {}},
        HostConfig={
            "Binds": [f"{tmp_path}:/data:ro"],
            "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]},
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
        },
    )
    screen = CreateScreen.duplicate(await summary_of(engine, source_id))
    app = ScreenHost(engine, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: short_image(screen.query_one("#image", Input).value) == TEST_IMAGE)
        assert screen.query_one("#name", Input).value == f"c{SESSION_ID}src-copy"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(app.results))
    copy_id = app.results[0]
    try:
        source = (await engine.containers.inspect(source_id)).raw
        copy = (await engine.containers.inspect(copy_id)).raw
        for section, key in COPIED:
            copied, original = copy[section][key], source[section][key]
            if on_podman() and key == "Env":  # Podman adds its own HOSTNAME (and TERM) to Env, in any order
                copied, original = (sorted(e for e in env if not e.startswith(("HOSTNAME=", "TERM=")))
                                    for env in (copied, original))
            assert copied == original, key
        assert copy["State"]["Running"] is True
    finally:
        await engine.containers.remove(copy_id, force=True)


async def test_scale_up_to_3_then_down_to_1(engine: EngineClient, make_container: Callable[..., str]) -> None:
    first = free_ports(3)
    template = f"s{SESSION_ID}web01"
    base = template[:-2]
    template_id = make_container(
        ["sleep", "300"],
        name=template,
        ExposedPorts={"80/tcp": {}},
        HostConfig={"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(first)}]}},
    )
    summary = await summary_of(engine, template_id)
    group = {"label": [f"{GROUP_LABEL}={template}"]}

    screen = ScaleScreen(summary)
    app = ScreenHost(engine, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: screen.query_one("#scale-count", Input).value == "1")
        assert screen.query_one("#scale-port-0", Input).value == str(first)
        await pilot.press("backspace", "3", "ctrl+s")
        await wait_until(pilot, lambda: "Create: none" in str(screen.query_one("#scale-plan", Static).render()))
        await pilot.press("escape")
    results = app.results[0]
    assert [(r.name, r.action, r.ok) for r in results] == [(f"{base}02", "create", True), (f"{base}03", "create", True)]
    copies = sorted(await engine.containers.list(all=True, filters=group), key=lambda c: c.name)
    assert [(c.name, c.state, [p.public_port for p in c.ports]) for c in copies] == [
        (f"{base}02", "running", [first + 1]),
        (f"{base}03", "running", [first + 2]),
    ]

    screen = ScaleScreen(summary)
    app = ScreenHost(engine, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: screen.query_one("#scale-count", Input).value == "3")
        await pilot.press("backspace", "1", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("enter")  # Remove
        await wait_until(pilot, lambda: "Remove: none" in str(screen.query_one("#scale-plan", Static).render())
                       and not screen._applying)
        await pilot.press("escape")
    assert [(r.name, r.action, r.ok) for r in app.results[0]] == [
        (f"{base}03", "remove", True), (f"{base}02", "remove", True)
    ]
    assert await engine.containers.list(all=True, filters=group) == []
    assert (await engine.containers.inspect(template_id)).running


async def test_export_of_a_running_container(
    engine: EngineClient, make_container: Callable[..., str], tmp_path: Path
) -> None:
    container_id = make_container(["sleep", "300"])
    target = tmp_path / "out.tar"
    screen = ExportScreen(await summary_of(engine, container_id))
    app = ScreenHost(engine, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(app.results))
    assert app.results == [str(target)]
    with tarfile.open(target) as tar:
        assert "bin/busybox" in tar.getnames()
    assert not (tmp_path / "out.tar.part").exists()
