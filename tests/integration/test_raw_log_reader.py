"""The raw log reader gives exactly what the httpx path gives, on the real engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import resolve_host
from dtui.engine.errors import EngineUnreachable
from dtui.engine.streams import LogLine
from dtui.engine.tls import TlsFlags
from tests.integration.test_remote import Certs, _socket_path, certs, engine_proxy  # noqa: F401 (fixture)
from tests.support import engine as support

# stdout and stderr, SGR and a hostile OSC, a \r progress line, a 40 000-byte line (cut into
# 16 KiB frames by json-file), invalid UTF-8, many short lines, and a last line without newline
SCRIPT = (
    "echo out1; echo err1 >&2; printf '\\033[31mred\\033[0m \\033]0;title\\007x\\n'; "
    "printf '10%%\\r50%%\\r100%%\\n'; yes x | head -c 80000 | tr -d '\\n'; echo; "
    "printf 'bad \\377\\376 utf8\\n' >&2; seq 1 20000; printf 'no-newline'"
)


def _wait_exited(host: str, container_id: str) -> None:
    with support.sync_client(host) as client:
        client.post(f"/containers/{container_id}/wait", timeout=60).raise_for_status()


async def _both_ways(engine: EngineClient, container_id: str, **kwargs: object) -> tuple[list[LogLine], list[LogLine]]:
    assert engine.raw_streams, "the test engine should be reachable by the raw reader"
    raw = [line async for line in engine.containers.logs(container_id, **kwargs)]  # type: ignore[arg-type]
    engine.raw_streams = False
    try:
        old = [line async for line in engine.containers.logs(container_id, **kwargs)]  # type: ignore[arg-type]
    finally:
        engine.raw_streams = True
    return raw, old


@pytest.mark.parametrize("tty", [False, True])
@pytest.mark.parametrize("timestamps", [False, True])
async def test_raw_reader_equals_httpx_path(
    engine: EngineClient, engine_host: str, make_container: Callable[..., str], tty: bool, timestamps: bool
) -> None:
    cid = make_container(["sh", "-c", SCRIPT], Tty=tty)
    _wait_exited(engine_host, cid)
    raw, old = await _both_ways(engine, cid, tty=tty, timestamps=timestamps, tail="all")
    assert len(raw) > 20_000
    assert raw == old
    texts = [line.text for line in raw]
    assert texts[-1] == "no-newline"
    if not (tty and timestamps):  # a TTY body keeps the engine's inner stamps of a cut line
        assert "x" * 40_000 in texts
    assert any("\ufffd" in text for text in texts)


async def test_raw_reader_errors_match(engine: EngineClient) -> None:
    with pytest.raises(Exception) as raw_error:
        await _both_ways(engine, "no-such-container-dtui", tty=False)
    engine.raw_streams = False
    with pytest.raises(Exception) as old_error:
        [line async for line in engine.containers.logs("no-such-container-dtui", tty=False)]
    engine.raw_streams = True
    assert type(raw_error.value) is type(old_error.value)
    assert str(raw_error.value) == str(old_error.value)


async def _logs_over(host: str, container_id: str, **resolve: Any) -> tuple[list[LogLine], list[LogLine]]:
    client = EngineClient(resolve_host(host, {}, **resolve))
    async with client:
        await client.connect()
        return await _both_ways(client, container_id, tty=False, timestamps=True, tail="all")


async def test_raw_reader_over_tcp_and_verified_tls(
    engine_host: str, make_container: Callable[..., str], certs: Certs
) -> None:
    cid = make_container(["sh", "-c", SCRIPT])
    _wait_exited(engine_host, cid)
    flags = TlsFlags(verify=True, ca_cert=str(certs.client_dir / "ca.pem"),
                     cert=str(certs.client_dir / "cert.pem"), key=str(certs.client_dir / "key.pem"))
    async with engine_proxy(_socket_path(engine_host)) as port:
        raw, old = await _logs_over(f"tcp://127.0.0.1:{port}", cid)
        assert raw == old and len(raw) > 20_000
    async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
        raw, old = await _logs_over(f"tcp://127.0.0.1:{port}", cid, tls_flags=flags)
        assert raw == old and len(raw) > 20_000


async def test_raw_reader_refuses_a_server_signed_by_another_ca(
    engine_host: str, make_container: Callable[..., str], certs: Certs
) -> None:
    cid = make_container(["true"])
    flags = TlsFlags(verify=True, ca_cert=str(certs.wrong_ca), cert=str(certs.client_dir / "cert.pem"),
                     key=str(certs.client_dir / "key.pem"))
    async with engine_proxy(_socket_path(engine_host), certs.server_context()) as port:
        client = EngineClient(resolve_host(f"tcp://127.0.0.1:{port}", {}, tls_flags=flags))
        client.api_version = "1.41"
        async with client:
            with pytest.raises(EngineUnreachable, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
                [line async for line in client.containers.logs(cid, tty=False)]
