"""The raw log reader gives exactly what the httpx path gives, on the real engine."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.streams import LogLine
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
