"""Every container action on the real engine: its effect, its event, its documented errors."""

from __future__ import annotations

import asyncio
import tarfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.errors import BadRequest, Conflict, NotFound, NotModified
from dtui.engine.spec import ContainerSpec, PortSpec
from tests.integration.event_log import EventLog
from tests.support import engine as support

SESSION_LABEL = f"{support.TEST_LABEL}={support.SESSION_ID}"
HUP_LOOP = "trap 'echo hup' HUP; touch /tmp/new; while :; do sleep 0.1; done"


def _name(purpose: str) -> str:
    return f"dtui-it-{purpose}-{support.SESSION_ID}"


def _spec(*cmd: str, **fields: object) -> ContainerSpec:
    return ContainerSpec(image=support.TEST_IMAGE, cmd=cmd, labels=support.test_labels(), **fields)  # type: ignore[arg-type]


@pytest.fixture
def remember(engine_host: str) -> Iterator[Callable[[str], str]]:
    """Register containers created through dtui's client so they are removed after the test."""
    made: list[str] = []
    yield lambda container_id: made.append(container_id) or container_id  # type: ignore[func-returns-value]
    with support.sync_client(engine_host) as client:
        for container_id in made:
            client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})


async def _stdout(engine: EngineClient, container_id: str) -> list[str]:
    return [line.text async for line in engine.containers.logs(container_id, tty=False, stderr=False)]


async def _until(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """Poll an async check until it returns True."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_lifecycle_every_action_takes_effect_and_emits_its_event(
    engine: EngineClient, remember: Callable[[str], str], tmp_path: Path
) -> None:
    name, new_name = _name("life"), _name("life-renamed")
    podman = support.on_podman()
    async with EventLog(engine, {"type": ["container"], "label": [SESSION_LABEL]}) as log:
        cid = remember((await engine.containers.create(_spec("sh", "-c", HUP_LOOP), name=name)).id)
        assert (await log.wait_for("create", cid)).attributes["name"] == name
        assert await engine.containers.changes(cid) == []  # the engine sends null

        await engine.containers.start(cid)
        await log.wait_for("start", cid)
        assert (await engine.containers.inspect(cid)).running

        table = await engine.containers.top(cid)
        assert any("trap 'echo hup' HUP" in row[-1] for row in table.processes)
        if support.on_podman():  # Podman's own columns, ps_args ignored, no "top" event
            assert "PID" in table.titles and len(table.titles) == len(table.processes[0])
        else:
            assert table.titles[1] == "PID" and table.titles[-1] == "CMD"
            await log.wait_for("top", cid)
            narrow = await engine.containers.top(cid, ps_args="-o pid,comm")
            assert narrow.titles == ("PID", "COMMAND")
            assert "sh" in [row[1] for row in narrow.processes]

        async def touched() -> bool:
            changes = [(c.path, c.kind) for c in await engine.containers.changes(cid)]
            if podman:  # Podman also lists its own /etc files and may not list /tmp itself
                return ("/tmp/new", "A") in changes
            return changes == [("/tmp", "C"), ("/tmp/new", "A")]

        await _until(touched)

        archive = tmp_path / "export.tar"
        with archive.open("wb") as sink:
            written = await engine.containers.export(cid, sink)
        assert written == archive.stat().st_size > 1_000_000
        with tarfile.open(archive) as tar:
            names = tar.getnames()
        assert "bin/busybox" in names and "tmp/new" in names
        if not podman:  # Podman sends no export event
            await log.wait_for("export", cid)

        await engine.containers.kill(cid, "SIGHUP")
        killed = await log.wait_for("kill", cid)
        assert podman or killed.attributes["signal"] == "1"  # Podman's kill event has no signal
        await _until(lambda: _hups(engine, cid, 1))
        await engine.containers.kill(cid, 1)
        killed = await log.wait_for("kill", cid, count=2)
        assert podman or killed.attributes["signal"] == "1"
        await _until(lambda: _hups(engine, cid, 2))
        assert (await engine.containers.inspect(cid)).running  # the trap kept it alive

        await engine.containers.pause(cid)
        await log.wait_for("pause", cid)
        assert (await engine.containers.inspect(cid)).paused
        await engine.containers.unpause(cid)
        await log.wait_for("unpause", cid)
        assert not (await engine.containers.inspect(cid)).paused

        await engine.containers.rename(cid, new_name)
        renamed = await log.wait_for("rename", cid)
        assert renamed.attributes["name"] == new_name
        assert podman or renamed.attributes["oldName"] == f"/{name}"  # Podman's has no oldName
        assert (await engine.containers.inspect(new_name)).id == cid

        await engine.containers.restart(cid, timeout=0)
        await log.wait_for("restart", cid)
        assert (await engine.containers.inspect(cid)).running

        await engine.containers.stop(cid, timeout=1)
        await log.wait_for("die" if podman else "stop", cid)  # Podman sends no stop event
        stopped = await engine.containers.inspect(cid)
        assert (stopped.state, stopped.running) == ("exited", False)

        await engine.containers.remove(cid)
        await log.wait_for("remove" if podman else "destroy", cid)  # Podman says "remove"
        with pytest.raises(NotFound):
            await engine.containers.inspect(cid)

    # each wait_for above proved its event; the stream also kept them in order
    expected = ["create", "start", "top", "top", "export", "kill", "kill", "pause", "unpause", "rename"]
    expected += ["restart", "stop", "destroy"]
    if podman:
        expected = ["create", "start", "kill", "kill", "pause", "unpause", "rename", "restart", "die", "remove"]
    assert _is_subsequence(expected, log.actions(cid)), log.actions(cid)


def _is_subsequence(wanted: list[str], actual: list[str]) -> bool:
    remaining = iter(actual)
    return all(item in remaining for item in wanted)


async def _hups(engine: EngineClient, container_id: str, count: int) -> bool:
    return (await _stdout(engine, container_id)).count("hup") >= count


async def test_create_with_every_spec_field(
    engine: EngineClient, engine_host: str, remember: Callable[[str], str], tmp_path: Path
) -> None:
    tmp_path.chmod(0o777)
    script = "pwd > /mnt/host/out; echo \"$GREETING\" >> /mnt/host/out; ls -d /data >> /mnt/host/out; exec sleep 600"
    spec = ContainerSpec(
        image=support.TEST_IMAGE,
        cmd=("sh", "-c", script),
        env=("GREETING=hello world", "EMPTY="),
        labels=support.test_labels({"role": "every-field"}),
        working_dir="/srv/app",
        ports=(PortSpec.parse("127.0.0.1::80"), PortSpec.parse("81/udp")),
        binds=(f"{tmp_path}:/mnt/host",),
        volumes=("/data",),
        restart_policy="on-failure:3",
        nano_cpus=250_000_000,
    )
    cid = remember((await engine.containers.create(spec, name=_name("every"))).id)
    detail = await engine.containers.inspect(cid)
    assert detail.name == _name("every")
    assert support.short_image(detail.image) == support.TEST_IMAGE
    assert detail.cmd == spec.cmd
    assert {"GREETING=hello world", "EMPTY="} <= set(detail.env)
    assert dict(detail.labels) == {support.TEST_LABEL: support.SESSION_ID, "role": "every-field"}
    assert detail.working_dir == "/srv/app"
    assert sorted(detail.exposed_ports) == ["80/tcp", "81/udp"]
    bindings = dict(detail.port_bindings)
    if support.on_podman():  # Podman's inspect shows the host ports it picked
        bindings = {port: tuple((ip, "") for ip, _ in pairs) for port, pairs in bindings.items()}
    assert bindings == {"80/tcp": (("127.0.0.1", ""),), "81/udp": (("", ""),)}
    if support.on_podman():  # Podman adds mount options, and lists the anonymous volume as a bind
        assert detail.binds[0].startswith(f"{tmp_path}:/mnt/host:")
        assert any(":/data:" in bind for bind in detail.binds) and detail.volumes == ()
    else:
        assert detail.binds == (f"{tmp_path}:/mnt/host",)
        assert detail.volumes == ("/data",)
    assert (detail.restart_policy, detail.restart_max_retries) == ("on-failure", 3)
    assert (detail.nano_cpus, detail.tty) == (250_000_000, False)

    await engine.containers.start(cid)
    out = tmp_path / "out"

    async def written() -> bool:
        return out.exists() and out.read_text().count("\n") == 3

    await _until(written)
    assert out.read_text() == "/srv/app\nhello world\n/data\n"

    running = await engine.containers.inspect(cid)
    published = running.raw["NetworkSettings"]["Ports"]
    tcp_port = published["80/tcp"][0]
    assert tcp_port["HostIp"] == "127.0.0.1" and int(tcp_port["HostPort"]) > 0  # picked by the engine
    assert int(published["81/udp"][0]["HostPort"]) > 0
    volume = next(m["Name"] for m in running.raw["Mounts"] if m["Destination"] == "/data")

    await engine.containers.remove(cid, force=True, volumes=True)
    with support.sync_client(engine_host) as client:
        assert client.get(f"/volumes/{volume}").status_code == 404  # v=1 removed it


# The engine's own words for each documented error (dtui passes them through unchanged).
DOCKER_ERRORS = {
    "bad name": r"^Invalid container name \(a\), only \[a-zA-Z0-9\]",
    "no image": "^No such image: dtui-test/no-such-image:latest$",
    "name taken": 'The container name "/{name}" is already in use',
    "kill stopped": "is not running$",
    "bad signal": "Invalid signal: NOPE",
    "remove running": "[Ss]top the container before",
    "gone": "^No such container: {cid}$",
}
PODMAN_ERRORS = {  # podman 4.3.1: 500s (mapped by message) where Docker says 409/400
    "bad name": r"names must match \[a-zA-Z0-9\]",
    "no image": "^no such image: docker.io/dtui-test/no-such-image",
    "name taken": 'the container name "{name}" is already in use',
    "kill stopped": "can only kill running containers",
    "bad signal": "invalid signal: NOPE",
    "remove running": "running or paused containers cannot be removed without force",
    "gone": 'no container with name or ID "{cid}" found',
}


async def test_documented_errors(engine: EngineClient, remember: Callable[[str], str]) -> None:
    podman = support.on_podman()
    said = PODMAN_ERRORS if podman else DOCKER_ERRORS
    with pytest.raises(BadRequest, match=said["bad name"]):
        await engine.containers.create(_spec("true"), name="a b" if podman else "a")  # Podman allows "a"
    with pytest.raises(NotFound, match=said["no image"]):
        await engine.containers.create(ContainerSpec(image="dtui-test/no-such-image", labels=support.test_labels()))

    name = _name("errors")
    cid = remember((await engine.containers.create(_spec("sleep", "600"), name=name)).id)
    with pytest.raises(Conflict, match=said["name taken"].format(name=name)):
        await engine.containers.create(_spec("true"), name=name)
    with pytest.raises(Conflict, match=said["kill stopped"]) as not_running:
        await engine.containers.kill(cid, "HUP")
    assert not_running.value.status == (500 if podman else 409)
    if not podman:  # Podman answers top of a created container with an empty table
        with pytest.raises(Conflict, match="is not running"):
            await engine.containers.top(cid)

    await engine.containers.start(cid)
    with pytest.raises(NotModified) as again:
        await engine.containers.start(cid)
    assert again.value.status == 304
    with pytest.raises(BadRequest, match=said["bad signal"]):
        await engine.containers.kill(cid, "NOPE")
    with pytest.raises(Conflict, match=said["remove running"]):
        await engine.containers.remove(cid)
    if not podman:  # Podman renames a container to its own name without complaint (204)
        with pytest.raises(BadRequest, match="same name"):
            await engine.containers.rename(cid, name)

    await engine.containers.stop(cid, timeout=0)
    with pytest.raises(NotModified):
        await engine.containers.stop(cid, timeout=0)
    await engine.containers.remove(cid)
    with pytest.raises(NotFound, match=said["gone"].format(cid=cid)):
        await engine.containers.remove(cid)
