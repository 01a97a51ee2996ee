"""Docker contexts: the store layout, the precedence rules, and the ``dtui`` command using them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dtui.engine.contexts import context_key, current_context, load_context
from dtui.engine.endpoint import NO_VERIFY_WARNING, EndpointError, resolve_host
from dtui.engine.tls import TlsFlags, TlsSettings

NOWHERE = "unix:///nonexistent-dtui-ctx.sock"


def write_context(config_dir: Path, name: str, host: str, *, skip_tls_verify: bool = False) -> Path:
    """Store a context as ``docker context create`` does; returns its TLS dir."""
    meta = config_dir / "contexts" / "meta" / context_key(name)
    meta.mkdir(parents=True)
    endpoint = {"Host": host, "SkipTLSVerify": skip_tls_verify}
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}}))
    return config_dir / "contexts" / "tls" / context_key(name) / "docker"


def set_current(config_dir: Path, name: str) -> None:
    (config_dir / "config.json").write_text(json.dumps({"auths": {}, "currentContext": name}))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A docker config dir with contexts ``a`` (current), ``b`` and ``remote``."""
    write_context(tmp_path, "a", "unix:///a.sock")
    write_context(tmp_path, "b", "unix:///b.sock")
    write_context(tmp_path, "remote", "tcp://10.1.2.3:2376")
    set_current(tmp_path, "a")
    return tmp_path


def test_context_key_is_sha256_of_the_name() -> None:
    assert context_key("remote") == "b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a"


def test_load_context_reads_the_docker_endpoint(store: Path) -> None:
    stored = load_context("b", store)
    assert (stored.name, stored.host, stored.skip_tls_verify) == ("b", "unix:///b.sock", False)
    assert stored.tls_dir == store / "contexts" / "tls" / context_key("b") / "docker"


def test_current_context_from_config_json(store: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert current_context(store) == "a"
    assert current_context(tmp_path_factory.mktemp("empty")) is None
    assert current_context(None) is None


@pytest.mark.parametrize(
    ("cli_host", "context", "env", "expected"),
    [
        (None, None, {}, "unix:///a.sock"),  # currentContext
        (None, None, {"DOCKER_CONTEXT": "b"}, "unix:///b.sock"),
        (None, None, {"DOCKER_CONTEXT": "b", "DOCKER_HOST": "unix:///env.sock"}, "unix:///env.sock"),
        ("unix:///flag.sock", None, {"DOCKER_CONTEXT": "b", "DOCKER_HOST": "unix:///env.sock"}, "unix:///flag.sock"),
        (None, "b", {"DOCKER_CONTEXT": "a", "DOCKER_HOST": "unix:///env.sock"}, "unix:///b.sock"),
        (None, "default", {"DOCKER_CONTEXT": "b"}, "unix:///var/run/docker.sock"),
        (None, "default", {"DOCKER_HOST": "unix:///env.sock"}, "unix:///env.sock"),
        (None, None, {"DOCKER_CONTEXT": "default"}, "unix:///var/run/docker.sock"),
    ],
)
def test_precedence_is_the_docker_cli_one(
    store: Path, cli_host: str | None, context: str | None, env: dict[str, str], expected: str
) -> None:
    endpoint = resolve_host(cli_host, {"DOCKER_CONFIG": str(store), **env}, context=context)
    assert endpoint.host == expected


def test_the_endpoint_remembers_its_context(store: Path) -> None:
    assert resolve_host(None, {"DOCKER_CONFIG": str(store)}).context == "a"
    assert resolve_host(None, {"DOCKER_CONFIG": str(store), "DOCKER_HOST": "unix:///x.sock"}).context is None


def test_config_dir_defaults_to_home_dot_docker(tmp_path: Path) -> None:
    write_context(tmp_path / ".docker", "h", "unix:///h.sock")
    set_current(tmp_path / ".docker", "h")
    assert resolve_host(None, {"HOME": str(tmp_path)}).host == "unix:///h.sock"


def test_unknown_context_is_an_error(store: Path) -> None:
    with pytest.raises(EndpointError, match="context 'nope' not found"):
        resolve_host(None, {"DOCKER_CONFIG": str(store)}, context="nope")


def test_malformed_config_and_meta_are_errors(store: Path) -> None:
    (store / "contexts" / "meta" / context_key("b") / "meta.json").write_text('{"Endpoints": {}}')
    with pytest.raises(EndpointError, match="context 'b' has no docker endpoint"):
        resolve_host(None, {"DOCKER_CONFIG": str(store)}, context="b")
    (store / "config.json").write_text("{oops")
    with pytest.raises(EndpointError, match="docker config .*config.json is not valid JSON"):
        resolve_host(None, {"DOCKER_CONFIG": str(store)})


def test_tls_flags_do_not_apply_to_a_context(store: Path) -> None:
    with pytest.raises(EndpointError, match="context 'b' has its own TLS settings"):
        resolve_host(None, {"DOCKER_CONFIG": str(store)}, context="b", tls_flags=TlsFlags(verify=True))


def test_a_context_without_tls_files_is_plain(store: Path) -> None:
    assert resolve_host(None, {"DOCKER_CONFIG": str(store)}, context="remote").tls is None


def test_a_context_with_skip_tls_verify_warns(tmp_path: Path) -> None:
    write_context(tmp_path, "skip", "tcp://10.1.2.3", skip_tls_verify=True)
    endpoint = resolve_host(None, {"DOCKER_CONFIG": str(tmp_path)}, context="skip")
    assert endpoint.tls == TlsSettings(verify=False)
    assert (endpoint.address, endpoint.warnings) == ("10.1.2.3:2376", (NO_VERIFY_WARNING,))


def test_a_context_uses_its_stored_tls_files(tmp_path: Path) -> None:
    tls_dir = write_context(tmp_path, "tls", "tcp://10.1.2.3:2376")
    tls_dir.mkdir(parents=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(tls_dir / "key.pem"), "-out", str(tls_dir / "cert.pem"), "-days", "2", "-subj", "/CN=t"],
        check=True, capture_output=True, timeout=30,
    )
    (tls_dir / "ca.pem").write_bytes((tls_dir / "cert.pem").read_bytes())
    endpoint = resolve_host(None, {"DOCKER_CONFIG": str(tmp_path)}, context="tls")
    files = (str(tls_dir / name) for name in ("ca.pem", "cert.pem", "key.pem"))
    assert endpoint.tls == TlsSettings(True, *files)
    assert endpoint.base_url == "https://10.1.2.3:2376" and endpoint.warnings == ()


# --- the dtui command ----------------------------------------------------------------------


def run_dtui(*args: str, config_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DOCKER_")}
    return subprocess.run(
        [sys.executable, "-m", "dtui", *args],
        capture_output=True, text=True, timeout=30, env={**clean, "DOCKER_CONFIG": str(config_dir), **env},
    )


def test_cli_uses_the_current_context(tmp_path: Path) -> None:
    write_context(tmp_path, "gone", NOWHERE)
    set_current(tmp_path, "gone")
    result = run_dtui(config_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"dtui: cannot reach the Docker engine at {NOWHERE}: no such socket"


def test_cli_context_flag_beats_docker_host(tmp_path: Path) -> None:
    write_context(tmp_path, "gone", NOWHERE)
    result = run_dtui("--context", "gone", config_dir=tmp_path, DOCKER_HOST="unix:///elsewhere.sock")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"dtui: cannot reach the Docker engine at {NOWHERE}: no such socket"


def test_cli_context_with_host_names_both_engines(tmp_path: Path) -> None:
    """--context and -H together show both engines (issue 11): each must resolve."""
    result = run_dtui("--context", "x", "-H", NOWHERE, config_dir=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("dtui: context 'x' not found")


def test_cli_unknown_context(tmp_path: Path) -> None:
    result = run_dtui("--context", "nope", config_dir=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("dtui: context 'nope' not found")


def test_cli_missing_tls_file(tmp_path: Path) -> None:
    args = ("-H", "tcp://127.0.0.1:1", "--tlsverify", "--tlscacert", "/nonexistent/ca.pem")
    result = run_dtui(*args, config_dir=tmp_path)
    assert (result.returncode, result.stderr) == (1, "dtui: --tlscacert /nonexistent/ca.pem: no such file\n")


def test_cli_ssh_opt_with_a_space_is_one_value(tmp_path: Path) -> None:
    result = run_dtui("-H", "ssh://box", "--ssh-opt", "-F '/x", config_dir=tmp_path)
    assert (result.returncode, result.stderr) == (1, "dtui: --ssh-opt \"-F '/x\": No closing quotation\n")
