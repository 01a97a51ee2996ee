"""Exec and attach on the real engine, over the unix socket, tcp+TLS and ssh dial-stdio.

The TLS proxy, certificates and private sshd are the fixtures of ``test_remote``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import Endpoint, parse_host, resolve_host
from dtui.engine.errors import Conflict
from dtui.engine.exec import Terminals, TerminalSession, parse_detach_keys
from dtui.engine.tls import TlsFlags
from tests.support import engine as support
from tests.integration.test_remote import (
    Certs,
    Sshd,
    _socket_path,
    certs,
    engine_proxy,
    sshd,
)

__all__ = ["certs", "sshd"]  # fixtures, imported for their registration

READ_WAIT_SECONDS = 20
TRANSPORTS = ["unix", "tls", "ssh"]


class Output:
    """Everything a session wrote so far, read on demand."""

    def __init__(self, session: TerminalSession) -> None:
        self.session = session
        self.seen = b""

    async def until(self, needle: bytes) -> bytes:
        """Read until ``needle`` shows up in all output; fail after a while or at the end."""

        async def collect() -> bytes:
            while needle not in self.seen:
                data = await self.session.read()
                if not data:
                    raise AssertionError(f"stream ended before {needle!r}; got {self.seen[-500:]!r}")
                self.seen += data
            return self.seen

        return await asyncio.wait_for(collect(), READ_WAIT_SECONDS)


async def _read_to_end(session: TerminalSession) -> bytes:
    async def collect() -> bytes:
        seen = b""
        while data := await session.read():
            seen += data
        return seen

    return await asyncio.wait_for(collect(), READ_WAIT_SECONDS)


@pytest.fixture(params=TRANSPORTS)
async def client(
    request: pytest.FixtureRequest, engine_host: str, certs: Certs, sshd: Sshd
) -> AsyncIterator[EngineClient]:
    """A connected client reaching the engine over each transport in turn."""
    kind = request.param
    if kind == "unix":
        async with _connected(parse_host(engine_host)) as connected:
            yield connected
    elif kind == "ssh":
        endpoint = resolve_host(sshd.url(_socket_path(engine_host)), {}, ssh_options=("-F", str(sshd.ssh_config)))
        async with _connected(endpoint) as connected:
            yield connected
    else:
        flags = TlsFlags(verify=True, ca_cert=str(certs.client_dir / "ca.pem"),
                         cert=str(certs.client_dir / "cert.pem"), key=str(certs.client_dir / "key.pem"))
        async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
            endpoint = resolve_host(f"tcp://127.0.0.1:{port}", {}, tls_flags=flags)
            async with _connected(endpoint) as connected:
                yield connected


class _connected:
    def __init__(self, endpoint: Endpoint) -> None:
        self._client = EngineClient(endpoint)

    async def __aenter__(self) -> EngineClient:
        await self._client.connect()
        return self._client

    async def __aexit__(self, *exc_info: object) -> None:
        await self._client.aclose()


async def test_exec_shell_computes_resizes_and_exits_with_its_code(
    client: EngineClient, make_container: Callable[..., str]
) -> None:
    container_id = await asyncio.to_thread(make_container, ["sleep", "300"])
    terminals = Terminals(client)
    exec_id = await terminals.exec_create(container_id, ["/bin/sh"])
    async with terminals.exec_start(exec_id, size=(30, 100)) as session:
        output = Output(session)
        await session.write(b"echo $((6*7))\n")
        await output.until(b"\n42\r\n")
        await session.write(b"stty size\n")
        await output.until(b"30 100\r\n")
        await terminals.exec_resize(exec_id, 40, 120)
        await session.write(b"stty size\n")
        await output.until(b"40 120\r\n")
        assert (await terminals.exec_inspect(exec_id)).running
        await session.write(b"exit 3\n")
        await _read_to_end(session)
    state = await terminals.exec_inspect(exec_id)
    assert (state.running, state.exit_code, state.tty) == (False, 3, True)


NO_TTY_ON_PODMAN = pytest.mark.not_on_podman(
    "podman 4.3 closes a non-TTY container's stdin when an API attach ends, so cat exits"
)


@pytest.mark.parametrize("tty", [True, pytest.param(False, marks=NO_TTY_ON_PODMAN)], ids=["tty", "no-tty"])
async def test_attach_to_cat_echoes_a_line_and_detaching_leaves_it_running(
    client: EngineClient, make_container: Callable[..., str], tty: bool
) -> None:
    container_id = await asyncio.to_thread(make_container, ["cat"], OpenStdin=True, Tty=tty)
    async with Terminals(client).attach(container_id, tty=tty, detach_keys="ctrl-p,ctrl-q") as session:
        output = Output(session)
        await session.write(b"a line for cat\n")
        if tty:
            # The tty echoes the input, then cat writes it back: twice, CR LF each.
            assert (await output.until(b"a line for cat\r\na line for cat\r\n")).count(b"a line") == 2
            await session.write(parse_detach_keys("ctrl-p,ctrl-q"))
            await _read_to_end(session)
        else:  # no tty: exactly what cat wrote, frames decoded
            assert await output.until(b"a line for cat\n") == b"a line for cat\n"
    detail = await client.containers.inspect(container_id)
    assert detail.running


async def test_container_resize_reaches_an_attached_tty(
    engine: EngineClient, make_container: Callable[..., str]
) -> None:
    container_id = await asyncio.to_thread(make_container, ["/bin/sh"], OpenStdin=True, Tty=True)
    async with Terminals(engine).attach(container_id, tty=True) as session:
        await Terminals(engine).resize(container_id, 30, 100)
        await session.write(b"stty size\n")
        await Output(session).until(b"30 100\r\n")


async def test_shell_probe_finds_sh_and_a_missing_command_exits_126(
    engine: EngineClient, make_container: Callable[..., str]
) -> None:
    container_id = await asyncio.to_thread(make_container, ["sleep", "300"])
    assert await Terminals(engine).find_shell(container_id) == "/bin/sh"  # busybox has no bash
    assert await Terminals(engine).find_shell(container_id, ["/nonexistent/sh"]) is None
    exec_id = await Terminals(engine).exec_create(container_id, ["/nonexistent/sh"])
    async with Terminals(engine).exec_start(exec_id) as session:
        assert b"no such file or directory" in await _read_to_end(session)
    # Docker: 126 (found nothing to run); Podman: 127, the shell's "command not found"
    assert (await Terminals(engine).exec_inspect(exec_id)).exit_code == (127 if support.on_podman() else 126)


async def test_exec_in_a_stopped_container_is_a_conflict(
    engine: EngineClient, make_container: Callable[..., str]
) -> None:
    container_id = await asyncio.to_thread(make_container, ["sleep", "300"], start=False)
    with pytest.raises(Conflict) as caught:
        await Terminals(engine).exec_create(container_id, ["/bin/sh"])
    said = "can only create exec sessions on running containers" if support.on_podman() else "is not running"
    assert said in caught.value.message
