"""ContainerSpec -> the ``POST /containers/create`` body; port and restart-policy parsing."""

from __future__ import annotations

import pytest

from dtui.engine.spec import ContainerSpec, PortSpec, SpecError, parse_restart_policy, valid_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80", PortSpec(80)),
        ("80/udp", PortSpec(80, "udp")),
        ("9001:80", PortSpec(80, "tcp", "9001")),
        ("9001:80/sctp", PortSpec(80, "sctp", "9001")),
        ("127.0.0.1:9001:80", PortSpec(80, "tcp", "9001", "127.0.0.1")),
        ("127.0.0.1::80", PortSpec(80, "tcp", "", "127.0.0.1")),
        ("[::1]:9001:80/udp", PortSpec(80, "udp", "9001", "::1")),
        (" 0:80 ", PortSpec(80, "tcp", "0")),
    ],
)
def test_port_parse(text: str, expected: PortSpec) -> None:
    assert PortSpec.parse(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "80/xyz", "0", "70000", "70000:80", "1:2:3:4", "80:"])
def test_port_parse_rejects(text: str) -> None:
    with pytest.raises(SpecError):
        PortSpec.parse(text)


def test_minimal_body() -> None:
    assert ContainerSpec(image="busybox").to_api() == {
        "Image": "busybox",
        "Labels": {},
        "Tty": False,
        "HostConfig": {},
    }


def test_full_body() -> None:
    spec = ContainerSpec(
        image="busybox:1",
        cmd=("sh", "-c", "echo $A"),
        env=("A=1", "B="),
        labels={"team": "x"},
        working_dir="/srv",
        ports=(PortSpec.parse("80"), PortSpec.parse("127.0.0.1:9001:80"), PortSpec.parse("53/udp")),
        binds=("/tmp/h:/mnt:ro",),
        volumes=("/data",),
        restart_policy="on-failure:3",
        tty=True,
        nano_cpus=500_000_000,
    )
    assert spec.to_api() == {
        "Image": "busybox:1",
        "Cmd": ["sh", "-c", "echo $A"],
        "Env": ["A=1", "B="],
        "Labels": {"team": "x"},
        "Tty": True,
        "WorkingDir": "/srv",
        "Volumes": {"/data": {}},
        "ExposedPorts": {"80/tcp": {}, "53/udp": {}},
        "HostConfig": {
            "Binds": ["/tmp/h:/mnt:ro"],
            "PortBindings": {
                # a port without a host port is published on one the engine picks (docker -p 80)
                "80/tcp": [{"HostIp": "", "HostPort": ""}, {"HostIp": "127.0.0.1", "HostPort": "9001"}],
                "53/udp": [{"HostIp": "", "HostPort": ""}],
            },
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
            "NanoCpus": 500_000_000,
        },
    }


def test_body_is_a_copy() -> None:
    labels = {"a": "1"}
    body = ContainerSpec(image="x", labels=labels).to_api()
    body["Labels"]["b"] = "2"
    assert labels == {"a": "1"}


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("no", {"Name": "no"}),
        ("always", {"Name": "always"}),
        ("unless-stopped", {"Name": "unless-stopped"}),
        ("on-failure", {"Name": "on-failure"}),
        ("on-failure:0", {"Name": "on-failure", "MaximumRetryCount": 0}),
        ("on-failure:12", {"Name": "on-failure", "MaximumRetryCount": 12}),
    ],
)
def test_restart_policy(text: str, policy: dict[str, object]) -> None:
    assert parse_restart_policy(text) == policy
    assert ContainerSpec(image="x", restart_policy=text).to_api()["HostConfig"]["RestartPolicy"] == policy


@pytest.mark.parametrize("text", ["sometimes", "always:3", "on-failure:x", "on-failure:-1", "on-failure:"])
def test_restart_policy_rejected_at_construction(text: str) -> None:
    with pytest.raises(SpecError):
        ContainerSpec(image="x", restart_policy=text)


def test_negative_nano_cpus_rejected() -> None:
    with pytest.raises(SpecError):
        ContainerSpec(image="x", nano_cpus=-1)


@pytest.mark.parametrize(("name", "ok"), [("ab", True), ("/a.b_c-9", True), ("a", False), ("-ab", False), ("a b", False)])
def test_valid_name(name: str, ok: bool) -> None:
    assert valid_name(name) is ok
