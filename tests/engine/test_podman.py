"""Podman differences handled in the engine layer (shapes recorded from podman 4.3.1)."""

from __future__ import annotations

import pytest

from dtui.engine.errors import BadRequest, Conflict, ServerError, error_for_status
from dtui.engine.models import EngineVersion, ProcessTable


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
        ("runc: runc create failed: OCI permission denied", ServerError),
    ],
)
def test_podman_500s_map_to_what_docker_would_answer(message: str, expected: type) -> None:
    error = error_for_status(500, message)
    assert type(error) is expected and error.message == message and error.status == 500
