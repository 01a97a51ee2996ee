"""Pure parts of the exec/attach layer: detach keys, exec state, frame decoding in a session."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import httpcore
import pytest

from dtui.engine.errors import EngineUnreachable
from dtui.engine.exec import (
    DEFAULT_DETACH_KEYS,
    DetachKeysError,
    ExecState,
    TerminalSession,
    configured_detach_keys,
    parse_detach_keys,
)


class ScriptedStream:
    """Gives out the given chunks, then end of stream (or an error); records writes."""

    def __init__(self, chunks: list[bytes], error: Exception | None = None) -> None:
        self.chunks = list(chunks)
        self.error = error
        self.written = b""

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self.chunks:
            return self.chunks.pop(0)
        if self.error is not None:
            raise self.error
        return b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.written += buffer


def frame(kind: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxI", kind, len(payload)) + payload


def test_detach_keys_parse_like_the_docker_cli() -> None:
    assert parse_detach_keys("ctrl-p,ctrl-q") == b"\x10\x11"
    assert parse_detach_keys("ctrl-@, a ,ctrl-_") == b"\x00a\x1f"
    for bad in ("", "ctrl-", "ctrl-pq", "alt-x", "ctrl-1"):
        with pytest.raises(DetachKeysError):
            parse_detach_keys(bad)


def test_detach_keys_come_from_the_docker_config_or_default(tmp_path: Path) -> None:
    assert configured_detach_keys({"DOCKER_CONFIG": str(tmp_path)}) == DEFAULT_DETACH_KEYS
    (tmp_path / "config.json").write_text(json.dumps({"detachKeys": "ctrl-x,x"}))
    assert configured_detach_keys({"DOCKER_CONFIG": str(tmp_path)}) == "ctrl-x,x"
    (tmp_path / "config.json").write_text(json.dumps({"detachKeys": "meta-x"}))
    assert configured_detach_keys({"DOCKER_CONFIG": str(tmp_path)}) == DEFAULT_DETACH_KEYS
    (tmp_path / "config.json").write_text("{not json")
    assert configured_detach_keys({"DOCKER_CONFIG": str(tmp_path)}) == DEFAULT_DETACH_KEYS


def test_exec_state_from_api() -> None:
    done = ExecState.from_api({"ID": "e1", "ContainerID": "c1", "Running": False, "ExitCode": 3,
                               "ProcessConfig": {"tty": True}, "Pid": 0})
    assert (done.running, done.exit_code, done.tty) == (False, 3, True)
    running = ExecState.from_api({"ID": "e1", "Running": True, "ExitCode": 0, "Pid": 42})
    assert (running.exit_code, running.pid, running.tty) == (None, 42, False)
    assert ExecState.from_api({}).exit_code is None


async def test_a_tty_session_gives_raw_bytes_then_the_end() -> None:
    stream = ScriptedStream([b"\x1b[31mred", b"\r\n"])
    session = TerminalSession(stream, tty=True, host="unix:///x.sock")
    assert [await session.read(), await session.read(), await session.read()] == [b"\x1b[31mred", b"\r\n", b""]
    assert session.ended
    await session.write(b"ls\n")
    assert stream.written == b"ls\n"


async def test_a_non_tty_session_joins_frame_payloads_split_anywhere() -> None:
    data = frame(1, b"out ") + frame(2, b"err") + frame(1, b"!")
    stream = ScriptedStream([data[:3], data[3:13], data[13:]])
    session = TerminalSession(stream, tty=False, host="unix:///x.sock")
    seen = b""
    while piece := await session.read():
        seen += piece
    assert seen == b"out err!"


async def test_a_dropped_link_is_engine_unreachable() -> None:
    stream = ScriptedStream([b"x"], error=httpcore.ReadError("ssh failed (exit 255): gone"))
    session = TerminalSession(stream, tty=True, host="ssh://me@box")
    assert await session.read() == b"x"
    with pytest.raises(EngineUnreachable) as caught:
        await session.read()
    assert caught.value.message == "the connection to the Docker engine at ssh://me@box dropped: ssh failed (exit 255): gone"
