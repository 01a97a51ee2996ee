"""The pane's sources on the real engine: how a session ended, in the words the pane shows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from dtui.engine.client import EngineClient
from dtui.engine.exec import parse_detach_keys
from dtui.ui.terminal.sources import AttachSource, ExecSource, Outcome, Session
from tests.support import engine as support

WAIT_SECONDS = 20


async def _read_until(session: Session, needle: bytes | None) -> bytes:
    """Output until ``needle`` (None: until the stream ends)."""

    async def collect() -> bytes:
        seen = b""
        while needle is None or needle not in seen:
            data = await session.read()
            if not data:
                assert needle is None, f"ended before {needle!r}: {seen[-300:]!r}"
                return seen
            seen += data
        return seen

    return await asyncio.wait_for(collect(), WAIT_SECONDS)


async def test_exit_codes_a_stopped_container_and_a_detached_attach(
    engine: EngineClient, make_container: Callable[..., str]
) -> None:
    sleeper = await asyncio.to_thread(make_container, ["sleep", "300"])
    missing = ExecSource(engine, sleeper, ["/no/such/shell"])
    async with missing.open((24, 80)) as session:
        await _read_until(session, None)
    # Podman reports a missing executable as 127, Docker as 126 (its runtime's exec failed).
    said = "127 (command not found)" if support.on_podman() else "126 (not executable)"
    assert await missing.outcome() == Outcome(f"The command exited with code {said}.", failed=True)

    shell = ExecSource(engine, sleeper)  # the first shell found: busybox has /bin/sh only
    async with shell.open((24, 80)) as session:
        await session.write(b"echo ready-$((1+1))\n")
        await _read_until(session, b"ready-2")
        await engine.containers.kill(sleeper, "KILL")  # the container stops mid-session
        await _read_until(session, None)
    assert shell.command == ("/bin/sh",)
    outcome = await shell.outcome()
    assert outcome.failed and outcome.text.startswith("The container stopped; the shell exited with code")

    cat = await asyncio.to_thread(make_container, ["cat"], OpenStdin=True, Tty=True)
    attach = AttachSource(engine, cat, "ctrl-p,ctrl-q")
    assert "ctrl-c reaches it" in attach.intro
    async with attach.open((30, 100)) as session:
        await session.write(b"stty size\n")  # cat echoes it: the tty line discipline shows it typed
        await _read_until(session, b"stty size")
        await session.write(parse_detach_keys("ctrl-p,ctrl-q"))
        await _read_until(session, None)
    assert await attach.outcome() == Outcome("Detached; the container keeps running.")
