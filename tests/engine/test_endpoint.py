"""Endpoint parsing, resolution order, TLS settings, warnings and the ssh transport (no engine)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import (
    NO_TLS_WARNING,
    NO_VERIFY_WARNING,
    Endpoint,
    EndpointError,
    parse_host,
    resolve_host,
)
from dtui.engine.errors import EngineUnreachable
from dtui.engine.ssh import SshTransport, parse_ssh_url, split_ssh_options
from dtui.engine.tls import TlsFlags, TlsSettings

VERIFIED = TlsSettings(verify=True)
UNVERIFIED = TlsSettings(verify=False)


@pytest.fixture(scope="module")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DOCKER_CERT_PATH-style dir: self-signed ca.pem, and a cert.pem/key.pem pair."""
    directory = tmp_path_factory.mktemp("certs")
    for name, key in (("ca.pem", "ca-key.pem"), ("cert.pem", "key.pem")):
        subprocess.run(
            ["openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", str(directory / key), "-out", str(directory / name), "-days", "2",
             "-subj", "/CN=dtui-unit"],
            check=True, capture_output=True, timeout=30,
        )
    return directory


# --- parsing -------------------------------------------------------------------------------


def test_unix_and_bare_paths() -> None:
    assert parse_host("/x/d.sock") == Endpoint(host="unix:///x/d.sock", kind="unix", address="/x/d.sock")
    assert parse_host("unix:///x/d.sock").base_url == "http://docker"


def test_tcp_default_ports_and_schemes() -> None:
    assert parse_host("tcp://h").address == "h:2375"
    assert parse_host("tcp://h").base_url == "http://h:2375"
    assert parse_host("tcp://h", tls=VERIFIED).address == "h:2376"
    assert parse_host("tcp://h", tls=VERIFIED).base_url == "https://h:2376"
    assert parse_host("tcp://h:1234", tls=VERIFIED).host == "tcp://h:1234"
    assert parse_host("tcp://[::1]:5").address == "[::1]:5"


def test_tls_is_ignored_for_unix_sockets() -> None:
    assert parse_host("unix:///d.sock", tls=VERIFIED).tls is None


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("ftp://x", "unsupported host address"),
        ("tcp://", "no host name"),
        ("tcp://h:99999", "bad port"),
        ("unix://", "no socket path"),
        ("https://h", "use tcp:// with --tlsverify"),
        ("ssh://", "no host name"),
        ("ssh://-oProxyCommand=x", "no host name"),
        ("ssh://h:x", "bad port"),
        ("ssh://u:pw@h", "no password"),
        ("ssh://h/s?x=1", "no query"),
    ],
)
def test_malformed_hosts_are_refused(host: str, message: str) -> None:
    with pytest.raises(EndpointError, match=message):
        parse_host(host)


def test_ssh_address_is_parsed_and_normalised() -> None:
    endpoint = parse_host("ssh://me@box:2222/run/docker.sock", ssh_options=("-F", "/c"))
    assert (endpoint.kind, endpoint.address) == ("ssh", "me@box:2222")
    assert endpoint.host == "ssh://me@box:2222/run/docker.sock"
    assert endpoint.base_url == "http://docker"
    assert parse_host("ssh://box/").host == "ssh://box"


def test_ssh_command_is_the_docker_cli_one_with_user_options_first() -> None:
    target = parse_ssh_url("ssh://me@box:2222/run/docker.sock", ("-F", "/c"))
    assert target.command() == [
        "ssh", "-F", "/c", "-o", "ConnectTimeout=30", "-o", "BatchMode=yes", "-T",
        "-l", "me", "-p", "2222", "--", "box", "docker", "--host", "unix:///run/docker.sock", "system", "dial-stdio",
    ]
    assert parse_ssh_url("ssh://box").command() == [
        "ssh", "-o", "ConnectTimeout=30", "-o", "BatchMode=yes", "-T", "--", "box", "docker", "system", "dial-stdio",
    ]


def test_ssh_command_never_disables_host_key_checks_and_quotes_the_socket() -> None:
    command = parse_ssh_url("ssh://box/tmp/a%20b;rm -rf x.sock").command()
    assert not any("StrictHostKeyChecking" in arg or "KnownHostsFile" in arg for arg in command)
    assert command[command.index("--host") + 1] == "'unix:///tmp/a b;rm -rf x.sock'"


def test_ssh_opt_values_are_split_and_bare_options_become_dash_o() -> None:
    assert split_ssh_options(["-F '/tmp/my config'", "ControlMaster=auto", "-o 'UserKnownHostsFile=/k h'"]) == (
        "-F", "/tmp/my config", "-o", "ControlMaster=auto", "-o", "UserKnownHostsFile=/k h",
    )
    assert split_ssh_options([]) == ()


# --- warnings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "tls", "expected"),
    [
        ("tcp://10.0.0.2:2375", None, (NO_TLS_WARNING,)),
        ("tcp://docker.example:2375", None, (NO_TLS_WARNING,)),
        ("tcp://0.0.0.0:2375", None, (NO_TLS_WARNING,)),
        ("tcp://127.0.0.1:2375", None, ()),
        ("tcp://127.3.4.5:2375", None, ()),
        ("tcp://localhost:2375", None, ()),
        ("tcp://[::1]:2375", None, ()),
        ("tcp://10.0.0.2", VERIFIED, ()),
        ("tcp://10.0.0.2", UNVERIFIED, (NO_VERIFY_WARNING,)),
        ("tcp://127.0.0.1", UNVERIFIED, (NO_VERIFY_WARNING,)),
        ("unix:///d.sock", None, ()),
        ("ssh://box", None, ()),
    ],
)
def test_warnings_appear_exactly_when_they_should(
    host: str, tls: TlsSettings | None, expected: tuple[str, ...]
) -> None:
    assert parse_host(host, tls=tls).warnings == expected


def test_warning_texts() -> None:
    assert NO_TLS_WARNING == "no TLS: anyone who can reach this port is root on this host"
    assert NO_VERIFY_WARNING == "TLS without verification: the engine's identity is not checked"


# --- resolution order and TLS from flags/environment --------------------------------------


def test_host_flag_beats_docker_host_which_beats_the_local_socket() -> None:
    env = {"DOCKER_HOST": "tcp://h:1"}
    assert resolve_host(None, env).host == "tcp://h:1"
    assert resolve_host("unix:///a.sock", env).host == "unix:///a.sock"
    assert resolve_host(None, {}).host == "unix:///var/run/docker.sock"


def test_context_with_host_is_an_error() -> None:
    with pytest.raises(EndpointError, match="cannot specify both --host and --context"):
        resolve_host("unix:///a.sock", {}, context="x")


def test_tls_verify_variable_with_cert_path(cert_dir: Path) -> None:
    env = {"DOCKER_HOST": "tcp://h", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": str(cert_dir)}
    endpoint = resolve_host(None, env)
    files = (str(cert_dir / name) for name in ("ca.pem", "cert.pem", "key.pem"))
    assert endpoint.tls == TlsSettings(True, *files)
    assert (endpoint.address, endpoint.warnings) == ("h:2376", ())


def test_cert_path_alone_means_tls_without_verification(cert_dir: Path) -> None:
    endpoint = resolve_host(None, {"DOCKER_HOST": "tcp://h", "DOCKER_CERT_PATH": str(cert_dir)})
    assert endpoint.tls is not None and endpoint.tls.verify is False
    assert endpoint.warnings == (NO_VERIFY_WARNING,)


def test_no_tls_settings_means_plain_http(cert_dir: Path) -> None:
    assert resolve_host("tcp://h", {"DOCKER_TLS_VERIFY": ""}).tls is None


def test_tls_flags(cert_dir: Path) -> None:
    flags = TlsFlags(verify=True, ca_cert=str(cert_dir / "ca.pem"))
    endpoint = resolve_host("tcp://h:9", {}, tls_flags=flags)
    assert endpoint.tls == TlsSettings(True, str(cert_dir / "ca.pem"), None, None)
    assert resolve_host("tcp://h", {}, tls_flags=TlsFlags(tls=True)).warnings == (NO_VERIFY_WARNING,)


def test_default_files_come_from_the_docker_config_dir(cert_dir: Path) -> None:
    endpoint = resolve_host("tcp://h", {"DOCKER_CONFIG": str(cert_dir)}, tls_flags=TlsFlags(verify=True))
    assert endpoint.tls is not None and endpoint.tls.cert == str(cert_dir / "cert.pem")


def test_tls_with_no_host_defaults_to_localhost_2376() -> None:
    assert resolve_host(None, {"DOCKER_TLS_VERIFY": "1", "HOME": "/nonexistent"}).host == "tcp://localhost:2376"


def test_a_missing_flag_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EndpointError, match=r"--tlscacert /nonexistent/ca.pem: no such file"):
        resolve_host("tcp://h", {}, tls_flags=TlsFlags(verify=True, ca_cert="/nonexistent/ca.pem"))


def test_an_unusable_cert_file_is_an_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "cert.pem"
    bad.write_text("not a certificate")
    with pytest.raises(EndpointError, match=f"TLS files unusable \\(cert {bad}\\)"):
        resolve_host("tcp://h", {}, tls_flags=TlsFlags(verify=True, cert=str(bad)))


def test_ssl_context_verifies_only_when_asked(cert_dir: Path) -> None:
    verified = TlsSettings(True, str(cert_dir / "ca.pem")).ssl_context()
    unverified = TlsSettings(False).ssl_context()
    assert verified.check_hostname is True and verified.verify_mode.name == "CERT_REQUIRED"
    assert unverified.check_hostname is False and unverified.verify_mode.name == "CERT_NONE"


# --- transports ----------------------------------------------------------------------------


def test_transport_kinds(cert_dir: Path) -> None:
    assert isinstance(parse_host("unix:///d.sock").make_transport(), httpx.AsyncHTTPTransport)
    assert isinstance(parse_host("tcp://h", tls=VERIFIED).make_transport(), httpx.AsyncHTTPTransport)
    assert isinstance(parse_host("ssh://box").make_transport(), SshTransport)


FAKE_SSH_ENGINE = """#!{python}
# Answers each HTTP request on stdin with its request line as the body, until EOF.
import sys
sys.stderr.write(" ".join(sys.argv[1:]) + "\\n")
pending = b""
while True:
    while b"\\r\\n\\r\\n" not in pending:
        chunk = sys.stdin.buffer.read1(4096)
        if not chunk:
            sys.exit(0)
        pending += chunk
    request, pending = pending.split(b"\\r\\n\\r\\n", 1)
    line = request.split(b"\\r\\n", 1)[0]
    body = b"" if line.startswith(b"HEAD") else line
    head = b"HTTP/1.1 200 OK\\r\\nApi-Version: 1.41\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(line)
    sys.stdout.buffer.write(head + body)
    sys.stdout.buffer.flush()
"""

FAKE_SSH_REFUSED = """#!/bin/sh
echo "Warning: something chatty" >&2
echo "Host key verification failed." >&2
exit 255
"""


def _fake_ssh(directory: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = directory / "ssh"
    path.write_text(script.replace("{python}", os.path.realpath(sys.executable)))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ['PATH']}")


async def test_ssh_transport_speaks_http_over_the_process_stdio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_ssh(tmp_path, FAKE_SSH_ENGINE, monkeypatch)
    async with EngineClient(parse_host("ssh://box/d.sock")) as client:
        ping = await client.ping()
        response = await client._request("GET", "/containers/json", versioned=False)
    assert ping.api_version == "1.41"
    assert response.text == "GET /containers/json HTTP/1.1"


async def test_ssh_failure_reports_ssh_last_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_ssh(tmp_path, FAKE_SSH_REFUSED, monkeypatch)
    async with EngineClient(parse_host("ssh://box")) as client:
        with pytest.raises(EngineUnreachable) as caught:
            await client.ping()
    assert caught.value.message == (
        "cannot reach the Docker engine at ssh://box: "
        "ssh failed (exit 255): Warning: something chatty / Host key verification failed."
    )


async def test_missing_ssh_binary_is_unreachable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    async with EngineClient(parse_host("ssh://box")) as client:
        with pytest.raises(EngineUnreachable, match=r"^cannot reach .* ssh://box: cannot run ssh: it is not installed"):
            await client.ping()
