"""Podman differences handled in the engine layer (shapes recorded from podman 4.3.1)."""

from __future__ import annotations

import pytest

from dtui.core.create_form import FieldError, parse_volumes
from dtui.engine.errors import BadRequest, Conflict, ServerError, error_for_status
from dtui.engine.exec import TerminalSession, parse_detach_keys
from dtui.engine.models import EngineVersion, ProcessTable
from dtui.engine.stats import StatsSample
from tests.engine.test_exec import ScriptedStream
from tests.fakes import FakeEngine


def test_podman_top_rows_arrive_unsplit_and_are_split_by_the_header() -> None:
    data = {"Processes": [["1 0        sleep 600"]], "Titles": ["PID   USER     COMMAND"]}
    table = ProcessTable.from_api(data)
    assert table.titles == ("PID", "USER", "COMMAND")
    assert table.processes == (("1", "0", "sleep 600"),)


def test_docker_top_is_left_alone() -> None:
    data = {"Titles": ["PID", "CMD"], "Processes": [["7", "sleep 1 2"]]}
    assert ProcessTable.from_api(data).processes == (("7", "sleep 1 2"),)


def test_podman_is_recognised_from_its_components() -> None:
    podman = {"Version": "4.3.1", "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}]}
    docker = {"Version": "20.10.24", "Components": [{"Name": "Engine", "Version": "20.10.24"}]}
    assert EngineVersion.from_api(podman).product == "Podman"
    assert EngineVersion.from_api(docker).product == "Docker"
    assert EngineVersion.from_api({"Components": None}).product == "Docker"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('container create: creating container storage: the container name "a" is already in use by 5b', Conflict),
        ("can only kill running containers. 9e is in state created: container state improper", Conflict),
        ("invalid signal: BOGUS", BadRequest),
        ("bogus is an invalid filter", BadRequest),
        ('"n" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used',
         Conflict),
        ("volume v is being used by the following container(s): 0a: volume is being used", Conflict),
        ("runc: runc create failed: OCI permission denied", ServerError),
    ],
)
def test_podman_500s_map_to_what_docker_would_answer(message: str, expected: type) -> None:
    error = error_for_status(500, message)
    assert type(error) is expected and error.message == message and error.status == 500


def test_podman_cpu_is_container_time_over_wall_time_and_none_for_a_moments_old_baseline() -> None:
    record = {  # podman 4.3.1's first streamed record: "Id", a baseline 6 ms old
        "Id": "c1", "read": "2026-12-03T13:07:08.489503082Z", "preread": "2026-12-03T13:07:08.483682534Z",
        "cpu_stats": {"cpu_usage": {"total_usage": 2_165_465}, "system_cpu_usage": 13_761_897, "online_cpus": 2},
        "precpu_stats": {"cpu_usage": {"total_usage": 10}, "system_cpu_usage": 10},
    }
    assert StatsSample.from_api(record).cpu_percent is None  # a 6 ms window: noise, not a figure
    later = {**record, "preread": "2026-12-03T13:07:03.489503082Z"}  # the next one, 5 s on
    # Podman's system counter lags the wall clock: its CPU% is CPU time over wall time
    assert StatsSample.from_api(later).cpu_percent == pytest.approx(2_165_455 / 5e9 * 100)
    docker = {**later, "id": "c1"}
    del docker["Id"]
    assert StatsSample.from_api(docker).cpu_percent == pytest.approx(2_165_455 / 13_761_887 * 200)


async def test_a_session_watching_detach_keys_ends_there_and_never_sends_them() -> None:
    stream = ScriptedStream([])
    session = TerminalSession(stream, tty=True, host="unix:///p.sock", detach_keys=parse_detach_keys("ctrl-p,ctrl-q"))
    await session.write(b"ls\n\x10")  # ctrl-p held back: it may start the detach keys
    assert stream.written == b"ls\n" and not session.ended
    await session.write(b"x")  # not ctrl-q: the held ctrl-p goes out with it
    assert stream.written == b"ls\n\x10x"
    await session.write(b"a\x10")
    await session.write(b"\x11ignored")
    assert stream.written == b"ls\n\x10xa" and session.ended
    assert await session.read() == b""


def test_the_create_form_takes_the_mount_options_podman_writes_into_binds() -> None:
    binds, volumes = parse_volumes("/h:/data:ro,rprivate,rbind v:/named:rw,rprivate,nosuid,nodev,rbind /anon")
    assert binds == ("/h:/data:ro,rprivate,rbind", "v:/named:rw,rprivate,nosuid,nodev,rbind")
    assert volumes == ("/anon",)
    with pytest.raises(FieldError):
        parse_volumes("/h:/data:bogus")


def _podman_fake() -> FakeEngine:
    """A fake engine that pings like podman 4.3.1 (``Server: Libpod/...``)."""
    fake = FakeEngine()
    fake.route("HEAD", "/_ping", headers={"Api-Version": "1.41", "Server": "Libpod/4.3.1 (linux)"})
    fake.route("GET", "/images/json", json=[{"Id": "sha256:" + "a" * 64, "RepoTags": ["docker.io/x:1"]}])
    return fake


async def test_podman_is_known_from_the_ping_and_images_are_listed_without_digests() -> None:
    fake = _podman_fake()
    async with fake.client() as client:
        await client.connect()
        assert client.is_podman  # known from the ping, before any /version
        assert [image.repo_tags for image in await client.images()] == [("docker.io/x:1",)]
    listing = next(r for r in fake.requests if r.url.path.endswith("/images/json"))
    assert "digests" not in listing.url.params  # podman 4.3 answers digests=1 with an empty body
