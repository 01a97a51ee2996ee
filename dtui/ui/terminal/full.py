"""The full-terminal exec (``ctrl+e``): dtui steps aside and the process gets the real terminal.

The app is suspended (``App.suspend``) with its repaints held (a live table must not write
while the shell owns the terminal), the local tty goes raw, bytes are relayed both ways,
SIGWINCH resizes the exec, and the detach keys (or the process exiting) bring dtui back.
Here the process writes straight to the user's terminal, exactly as ``docker exec -it`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import termios
import tty
from typing import Final

from textual.app import App, SuspendNotSupported

from dtui.engine.errors import EngineError
from dtui.ui.terminal.sources import Outcome, Session, TerminalSource, failure

MAX_QUEUED_READS: Final = 256
READ_SIZE: Final = 4096


def _terminal_fds() -> tuple[int, int]:
    """(input fd, output fd) of the user's terminal."""
    out = sys.__stdout__ if sys.__stdout__ is not None and sys.__stdout__.isatty() else sys.__stderr__
    if sys.__stdin__ is None or out is None:
        raise OSError("no terminal")
    return sys.__stdin__.fileno(), out.fileno()


def _size(fd: int) -> tuple[int, int]:
    size = os.get_terminal_size(fd)
    return size.lines, size.columns


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            continue


async def run_full_terminal(app: App[object], source: TerminalSource, banner: str) -> Outcome:
    """Run ``source`` on the real terminal; returns how it ended (dtui is back by then).

    Args:
        app: The app to suspend.
        source: What to run.
        banner: A trusted, sanitized line printed first (which container, how to detach).
    """
    try:
        with app.batch_update(), app.suspend():
            return await relay(source, banner, *_terminal_fds())
    except SuspendNotSupported:
        return Outcome("The full-terminal mode needs a real terminal.", failed=True)
    except (OSError, termios.error) as error:
        return Outcome(f"The full-terminal mode failed: {error}", failed=True)


async def relay(source: TerminalSource, banner: str, fd_in: int, fd_out: int) -> Outcome:
    """Raw tty, both directions, until the stream ends; the tty is restored whatever happens."""
    saved = termios.tcgetattr(fd_in)
    _write_all(fd_out, banner.encode("utf-8", "replace") + b"\r\n")
    loop = asyncio.get_running_loop()
    typed: asyncio.Queue[bytes] = asyncio.Queue(MAX_QUEUED_READS)
    resized = asyncio.Event()
    tty.setraw(fd_in)
    loop.add_reader(fd_in, _read_typed, fd_in, typed)
    previous = signal.signal(signal.SIGWINCH, lambda *_: loop.call_soon_threadsafe(resized.set))
    try:
        async with source.open(_size(fd_out)) as session:
            await _pump(session, source, typed, resized, fd_out)
        return await source.outcome()
    except EngineError as error:
        return failure(error)
    finally:
        loop.remove_reader(fd_in)
        signal.signal(signal.SIGWINCH, previous)
        termios.tcsetattr(fd_in, termios.TCSADRAIN, saved)


def _read_typed(fd: int, typed: asyncio.Queue[bytes]) -> None:
    with contextlib.suppress(BlockingIOError, asyncio.QueueFull):
        data = os.read(fd, READ_SIZE)
        if data:
            typed.put_nowait(data)


async def _pump(
    session: Session, source: TerminalSource, typed: asyncio.Queue[bytes], resized: asyncio.Event, fd_out: int
) -> None:
    async def keys() -> None:
        while True:
            await session.write(await typed.get())

    async def sizes() -> None:
        while True:
            await resized.wait()
            resized.clear()
            with contextlib.suppress(EngineError, OSError):
                await source.resize(*_size(fd_out))

    helpers = [asyncio.create_task(keys()), asyncio.create_task(sizes())]
    try:
        while data := await session.read():
            _write_all(fd_out, data)
    finally:
        for helper in helpers:
            helper.cancel()
