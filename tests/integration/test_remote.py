"""Reaching the real engine the remote ways: a context, plain tcp, tcp+TLS and ssh://.

Everything lives in temp dirs: a TCP (or TLS) proxy in front of the engine's unix socket,
certificates made with the openssl CLI, a private sshd on a free port with its own host key,
authorized key and known_hosts. The real ``~/.ssh`` and ``~/.docker`` are never read: ssh gets
``-F <tmp config>`` (which also skips the system config) and the remote docker CLI gets a
temp ``DOCKER_CONFIG`` through sshd's ``SetEnv``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import NO_VERIFY_WARNING, Endpoint, resolve_host
from dtui.engine.errors import EngineUnreachable
from dtui.engine.tls import TlsFlags
from tests.support import engine as support

PROXY_MAX_CONNECTIONS = 16
PROXY_CHUNK = 65536
EVENT_WAIT_SECONDS = 20


def _socket_path(engine_host: str) -> str:
    assert engine_host.startswith("unix://"), f"these tests proxy a unix socket, got {engine_host}"
    return engine_host.removeprefix("unix://")


def _mine() -> dict[str, list[str]]:
    return {"label": [f"{support.TEST_LABEL}={support.SESSION_ID}"]}


async def _listed_ids(endpoint: Endpoint) -> set[str]:
    async with EngineClient(endpoint) as client:
        await client.connect()
        return {row.id for row in await client.containers.list(all=True, filters=_mine())}


# --- a bounded TCP/TLS -> unix socket proxy ------------------------------------------------


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(PROXY_CHUNK):
            writer.write(chunk)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
        else:  # TLS cannot half-close: end the connection, as a TLS engine does
            writer.close()
    except (ConnectionError, ssl.SSLError):
        pass


@contextlib.asynccontextmanager
async def engine_proxy(socket_path: str, server_ssl: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """Serve the engine socket on 127.0.0.1:<ephemeral port> (TLS when ``server_ssl``)."""
    handlers: set[asyncio.Task[None]] = set()

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        try:
            if len(handlers) > PROXY_MAX_CONNECTIONS:
                return
            engine_reader, engine_writer = await asyncio.open_unix_connection(socket_path)
            try:
                await asyncio.gather(_pipe(client_reader, engine_writer), _pipe(engine_reader, client_writer))
            finally:
                engine_writer.close()
        finally:
            handlers.discard(task)
            client_writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ssl)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        for task in list(handlers):
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


# --- certificates --------------------------------------------------------------------------


@dataclass(frozen=True)
class Certs:
    """A CA, a server certificate for 127.0.0.1, and a client cert dir as DOCKER_CERT_PATH."""

    server_cert: Path
    server_key: Path
    client_dir: Path  # ca.pem, cert.pem, key.pem
    wrong_ca: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.server_cert, self.server_key)
        context.load_verify_locations(self.client_dir / "ca.pem")
        context.verify_mode = ssl.CERT_REQUIRED
        return context


def _openssl(*args: str | Path, cwd: Path) -> None:
    subprocess.run(["openssl", *map(str, args)], cwd=cwd, check=True, capture_output=True, timeout=30)


def _make_ca(directory: Path, name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}.pem", directory / f"{name}-key.pem"
    _openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", cert, "-days", "2", "-subj", f"/CN={name}", cwd=directory)
    return cert, key


def _make_signed(directory: Path, name: str, ca: tuple[Path, Path], extensions: str) -> tuple[Path, Path]:
    cert, key, csr, ext = (directory / f"{name}{suffix}" for suffix in ("-cert.pem", "-key.pem", ".csr", ".ext"))
    ext.write_text(extensions)
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", key, "-out", csr, "-subj", f"/CN={name}", cwd=directory)
    _openssl("x509", "-req", "-in", csr, "-CA", ca[0], "-CAkey", ca[1], "-CAcreateserial",
             "-out", cert, "-days", "2", "-extfile", ext, cwd=directory)
    return cert, key


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    directory = tmp_path_factory.mktemp("tls")
    ca = _make_ca(directory, "ca")
    wrong_ca, _ = _make_ca(directory, "wrong-ca")
    server = _make_signed(directory, "server", ca, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    client = _make_signed(directory, "client", ca, "extendedKeyUsage=clientAuth\n")
    client_dir = directory / "client"
    client_dir.mkdir()
    shutil.copy(ca[0], client_dir / "ca.pem")
    shutil.copy(client[0], client_dir / "cert.pem")
    shutil.copy(client[1], client_dir / "key.pem")
    return Certs(server[0], server[1], client_dir, wrong_ca)


# --- a private sshd ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sshd:
    """A running private sshd and the client-side files that reach it."""

    port: int
    user: str
    ssh_config: Path  # -F: identity, known_hosts, no agent
    empty_known_hosts: Path

    def url(self, socket_path: str) -> str:
        return f"ssh://{self.user}@127.0.0.1:{self.port}{socket_path}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dtui-test", "-f", str(path)],
                   check=True, capture_output=True, timeout=30)


def _write_sshd_files(directory: Path, port: int) -> Path:
    _keygen(directory / "host_key")
    _keygen(directory / "client_key")
    shutil.copy(directory / "client_key.pub", directory / "authorized_keys")
    (directory / "remote-docker").mkdir()
    config = directory / "sshd_config"
    config.write_text(
        f"ListenAddress 127.0.0.1\nHostKey {directory / 'host_key'}\n"
        f"AuthorizedKeysFile {directory / 'authorized_keys'}\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        f"PidFile {directory / 'sshd.pid'}\nSetEnv DOCKER_CONFIG={directory / 'remote-docker'}\n"
    )
    host_key = (directory / "host_key.pub").read_text().strip()
    (directory / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key}\n")
    (directory / "empty_known_hosts").write_text("")
    (directory / "ssh_config").write_text(
        f"Host *\n  UserKnownHostsFile {directory / 'known_hosts'}\n  GlobalKnownHostsFile /dev/null\n"
        f"  IdentityFile {directory / 'client_key'}\n  IdentitiesOnly yes\n  IdentityAgent none\n"
    )
    return config


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"sshd exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)
    pytest.fail(f"sshd did not listen on {port}: {log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    binary = shutil.which("sshd") or "/usr/sbin/sshd"
    if not Path(binary).exists():
        pytest.fail("sshd is not installed (apt-get install openssh-server)")
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege-separation dir
    directory = tmp_path_factory.mktemp("ssh")
    port = _free_port()
    config = _write_sshd_files(directory, port)
    log = directory / "sshd.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen([binary, "-D", "-e", "-f", str(config), "-p", str(port)],
                                   stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield Sshd(port, pwd.getpwuid(os.getuid()).pw_name, directory / "ssh_config",
                   directory / "empty_known_hosts")
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- a temp docker config with contexts ----------------------------------------------------


def write_context(config_dir: Path, name: str, host: str, *, current: bool = False) -> None:
    """Store a context the way ``docker context create`` does."""
    meta = config_dir / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True, exist_ok=True)
    endpoint = {"Host": host, "SkipTLSVerify": False}
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}}))
    if current:
        (config_dir / "config.json").write_text(json.dumps({"currentContext": name}))


# --- tests ---------------------------------------------------------------------------------


async def test_unix_engine_through_the_current_context_and_the_context_flag(
    engine_host: str, make_container: Callable[..., str], tmp_path: Path
) -> None:
    container_id = make_container(["sleep", "30"])
    write_context(tmp_path, "it-local", engine_host, current=True)
    write_context(tmp_path, "it-other", "unix:///nonexistent-dtui.sock")
    current = resolve_host(None, {"DOCKER_CONFIG": str(tmp_path)})
    assert (current.context, current.host) == ("it-local", engine_host)
    assert container_id in await _listed_ids(current)
    chosen = resolve_host(None, {"DOCKER_CONFIG": str(tmp_path), "DOCKER_CONTEXT": "it-other"}, context="it-local")
    assert container_id in await _listed_ids(chosen)


async def test_plain_tcp_on_loopback_lists_containers(
    engine_host: str, make_container: Callable[..., str]
) -> None:
    container_id = make_container(["sleep", "30"])
    async with engine_proxy(_socket_path(engine_host)) as port:
        endpoint = resolve_host(f"tcp://127.0.0.1:{port}", {})
        assert endpoint.warnings == ()
        assert container_id in await _listed_ids(endpoint)


async def test_tls_verified_from_cert_path_and_tls_verify_variables(
    engine_host: str, make_container: Callable[..., str], certs: Certs
) -> None:
    container_id = make_container(["sleep", "30"])
    async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
        environ = {"DOCKER_HOST": f"tcp://127.0.0.1:{port}", "DOCKER_TLS_VERIFY": "1",
                   "DOCKER_CERT_PATH": str(certs.client_dir)}
        endpoint = resolve_host(None, environ)
        assert endpoint.base_url == f"https://127.0.0.1:{port}"
        assert endpoint.warnings == ()
        assert container_id in await _listed_ids(endpoint)


async def test_tls_verified_from_flags(
    engine_host: str, make_container: Callable[..., str], certs: Certs
) -> None:
    container_id = make_container(["sleep", "30"])
    flags = TlsFlags(verify=True, ca_cert=str(certs.client_dir / "ca.pem"),
                     cert=str(certs.client_dir / "cert.pem"), key=str(certs.client_dir / "key.pem"))
    async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
        endpoint = resolve_host(f"tcp://127.0.0.1:{port}", {}, tls_flags=flags)
        assert container_id in await _listed_ids(endpoint)


async def test_tls_with_the_wrong_ca_is_unreachable_with_the_tls_reason(engine_host: str, certs: Certs) -> None:
    flags = TlsFlags(verify=True, ca_cert=str(certs.wrong_ca),
                     cert=str(certs.client_dir / "cert.pem"), key=str(certs.client_dir / "key.pem"))
    async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
        endpoint = resolve_host(f"tcp://127.0.0.1:{port}", {}, tls_flags=flags)
        with pytest.raises(EngineUnreachable) as caught:
            await _listed_ids(endpoint)
    assert caught.value.message.startswith(f"cannot reach the Docker engine at tcp://127.0.0.1:{port}: ")
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.message


async def test_tls_without_a_client_certificate_is_refused(engine_host: str, certs: Certs) -> None:
    flags = TlsFlags(verify=True, ca_cert=str(certs.client_dir / "ca.pem"))
    async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
        with pytest.raises(EngineUnreachable):
            await _listed_ids(resolve_host(f"tcp://127.0.0.1:{port}", {}, tls_flags=flags))


async def test_tls_from_a_cert_path_alone_connects_unverified_and_warns(
    engine_host: str, make_container: Callable[..., str], certs: Certs
) -> None:
    container_id = make_container(["sleep", "30"])
    async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
        environ = {"DOCKER_HOST": f"tcp://127.0.0.1:{port}", "DOCKER_CERT_PATH": str(certs.client_dir)}
        endpoint = resolve_host(None, environ)
        assert endpoint.warnings == (NO_VERIFY_WARNING,)
        assert container_id in await _listed_ids(endpoint)


async def test_ssh_ping_list_and_events(
    engine_host: str, make_container: Callable[..., str], sshd: Sshd
) -> None:
    endpoint = resolve_host(sshd.url(_socket_path(engine_host)), {}, ssh_options=("-F", str(sshd.ssh_config)))
    assert endpoint.kind == "ssh" and endpoint.warnings == ()
    async with EngineClient(endpoint) as client:
        await client.connect()
        ping = await client.ping()
        assert ping.api_version
        async with client.open_events({"type": ["container"], **_mine()}) as events:
            container_id = await asyncio.to_thread(make_container, ["sleep", "30"], start=False)
            listed = {row.id for row in await client.containers.list(all=True, filters=_mine())}
            assert container_id in listed
            event = await asyncio.wait_for(anext(aiter(events)), EVENT_WAIT_SECONDS)
    assert (event.action, event.actor_id) == ("create", container_id)


async def test_ssh_through_a_context(
    engine_host: str, make_container: Callable[..., str], sshd: Sshd, tmp_path: Path
) -> None:
    container_id = make_container(["sleep", "30"])
    write_context(tmp_path, "it-ssh", sshd.url(_socket_path(engine_host)), current=True)
    endpoint = resolve_host(None, {"DOCKER_CONFIG": str(tmp_path)}, ssh_options=("-F", str(sshd.ssh_config)))
    assert (endpoint.context, endpoint.kind) == ("it-ssh", "ssh")
    assert container_id in await _listed_ids(endpoint)


async def test_ssh_with_an_unknown_host_key_fails(engine_host: str, sshd: Sshd) -> None:
    options = ("-F", str(sshd.ssh_config), "-o", f"UserKnownHostsFile={sshd.empty_known_hosts}")
    endpoint = resolve_host(sshd.url(_socket_path(engine_host)), {}, ssh_options=options)
    with pytest.raises(EngineUnreachable) as caught:
        await _listed_ids(endpoint)
    assert caught.value.message.endswith("ssh failed (exit 255): Host key verification failed.")
    assert sshd.empty_known_hosts.read_text() == ""
