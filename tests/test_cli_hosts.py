"""``-H``/``--context`` repeated and mixed: several engines, in the order given (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dtui.cli import build_parser, resolve_endpoints
from dtui.core.hosts import hosts_file, list_contexts, resolve_target
from tests.engine.test_contexts import write_context


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A docker config directory of our own with the context "prod" (never the user's)."""
    write_context(tmp_path, "prod", "tcp://10.0.0.5:2376")
    write_context(tmp_path, "lab", "unix:///lab.sock")
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _targets(*argv: str) -> list[tuple[str, str]]:
    return [(target, endpoint.host) for target, endpoint in resolve_endpoints(build_parser().parse_args(argv))]


def test_repeated_host_gives_every_engine_in_order(store: Path) -> None:
    assert _targets("-H", "unix:///a.sock", "--host", "unix:///b.sock") == [
        ("unix:///a.sock", "unix:///a.sock"), ("unix:///b.sock", "unix:///b.sock"),
    ]


def test_host_and_context_mix_in_the_order_given(store: Path) -> None:
    assert _targets("--context", "prod", "-H", "unix:///a.sock", "--context", "lab") == [
        ("context:prod", "tcp://10.0.0.5:2376"), ("unix:///a.sock", "unix:///a.sock"), ("context:lab", "unix:///lab.sock"),
    ]


def test_the_same_engine_twice_is_shown_once(store: Path) -> None:
    assert _targets("-H", "unix:///lab.sock", "--context", "lab") == [("unix:///lab.sock", "unix:///lab.sock")]


def test_no_host_is_the_usual_default(store: Path) -> None:
    assert _targets() == [("unix:///var/run/docker.sock", "unix:///var/run/docker.sock")]


def test_contexts_are_listed_by_name_and_resolve(store: Path) -> None:
    assert [(c.name, c.host) for c in list_contexts()] == [("lab", "unix:///lab.sock"), ("prod", "tcp://10.0.0.5:2376")]
    endpoint = resolve_target("context:prod")
    assert endpoint.host == "tcp://10.0.0.5:2376" and endpoint.context == "prod"


def test_recent_hosts_live_under_xdg_state_home() -> None:
    assert hosts_file({"XDG_STATE_HOME": "/s"}) == Path("/s/dtui/hosts")
    assert hosts_file({"HOME": "/home/u"}) == Path("/home/u/.local/state/dtui/hosts")


def test_all_hosts_unreachable_exits_1_naming_the_first(store: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "dtui", "-H", "unix:///nonexistent/a.sock", "-H", "unix:///nonexistent/b.sock"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "dtui: cannot reach the Docker engine at unix:///nonexistent/a.sock: no such socket"
