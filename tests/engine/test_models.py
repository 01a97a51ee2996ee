"""Models: every collection may be null; names lose their slash; ports print like the CLI."""

from __future__ import annotations

from datetime import datetime, timezone

from dtui.engine.endpoint import EndpointError, parse_host, resolve_host
from dtui.engine.models import Change, ContainerDetail, ContainerSummary, Event, Port, ProcessTable, parse_time
import pytest


def test_summary_tolerates_nulls() -> None:
    summary = ContainerSummary.from_api({"Id": "a" * 64, "Names": None, "Ports": None, "Labels": None, "Created": 0})
    assert summary.name == "" and summary.ports == () and dict(summary.labels) == {}
    assert summary.short_id == "a" * 12


def test_detail_with_null_env_and_cmd() -> None:
    detail = ContainerDetail.from_api({"Id": "x", "Name": "/web", "Config": {"Env": None, "Cmd": None, "Labels": None},
                                       "HostConfig": {"PortBindings": None, "Binds": None}, "State": None})
    assert detail.name == "web" and detail.env == () and detail.cmd == () and detail.binds == ()


def test_port_formats() -> None:
    assert str(Port(80, "tcp", "0.0.0.0", 9001)) == "0.0.0.0:9001->80/tcp"
    assert str(Port(80, "tcp", "::", 9001)) == "[::]:9001->80/tcp"
    assert str(Port(53, "udp")) == "53/udp"


def test_time_parsing() -> None:
    assert parse_time("0001-01-01T00:00:00Z") is None
    assert parse_time("2026-11-28T01:00:24.224915264Z") == datetime(2026, 11, 28, 1, 0, 24, 224915, tzinfo=timezone.utc)


def test_changes_top_events() -> None:
    assert Change.from_api({"Path": "/tmp", "Kind": 0}).kind == "C"
    assert Change.from_api({"Path": "/x", "Kind": 1}).kind == "A"
    assert Change.from_api({"Path": "/y", "Kind": 2}).kind == "D"
    table = ProcessTable.from_api({"Titles": ["PID", "CMD"], "Processes": None})
    assert table.processes == ()
    event = Event.from_api({"Type": "container", "Action": "health_status: healthy", "Actor": {"ID": "x", "Attributes": None}})
    assert event.base_action == "health_status" and dict(event.attributes) == {}


def test_host_parsing() -> None:
    assert parse_host("/var/run/docker.sock").address == "/var/run/docker.sock"
    assert parse_host("tcp://example.invalid").address == "example.invalid:2375"
    assert parse_host("tcp://127.0.0.1:2375").is_remote_plaintext is False
    assert parse_host("tcp://10.0.0.2:2375").is_remote_plaintext is True
    with pytest.raises(EndpointError):
        parse_host("ftp://x")
    assert resolve_host(None, {"DOCKER_HOST": "tcp://h:1"}).host == "tcp://h:1"
    assert resolve_host("unix:///a.sock", {"DOCKER_HOST": "tcp://h:1"}).host == "unix:///a.sock"
    assert resolve_host(None, {}).host == "unix:///var/run/docker.sock"
