"""What a terminal pane runs: an exec (a shell or a command) or an attach, and how it ended.

Headless (engine calls only): the widget drives a :class:`TerminalSource` without knowing
which it is, and tests drive the widget with a fake one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.engine.exec import SHELL_CANDIDATES, Terminals

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

EXIT_HINTS = {126: "not executable", 127: "command not found", 130: "interrupted", 137: "killed"}


class Session(Protocol):
    """A live two-way byte stream (``dtui.engine.exec.TerminalSession`` or a test fake)."""

    async def read(self) -> bytes:
        """The next output bytes; ``b""`` at the end."""
        ...

    async def write(self, data: bytes) -> None:
        """Send input bytes."""
        ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a session ended, in one line for the pane.

    Attributes:
        text: What to tell the user (plain; sanitized when shown).
        failed: True for an error (shown in red) rather than a normal end.
    """

    text: str
    failed: bool = False


DETACHED_MARK = b"read escape sequence"
"""What the engine writes when the detach keys end an exec (it then ends the process: exit code 126)."""
TAIL_BYTES = 256


class _WatchedSession:
    """A session that keeps the last bytes it read (to tell a detach from an exit)."""

    def __init__(self, session: Session, tty: bool) -> None:
        self._session = session
        self.tty = tty
        self.tail = b""

    async def read(self) -> bytes:
        data = await self._session.read()
        self.tail = (self.tail + data)[-TAIL_BYTES:]
        return data

    async def write(self, data: bytes) -> None:
        await self._session.write(data)


class NoShell(EngineError):
    """None of the candidate shells runs in the container."""


class TerminalSource(Protocol):
    """Something a terminal pane can run and report on."""

    @property
    def intro(self) -> str:
        """A line shown before any output ("" for none)."""
        ...

    def open(self, size: tuple[int, int]) -> AbstractAsyncContextManager[Session]:
        """Start the session at ``(height, width)``; leaving the context ends it."""
        ...

    async def resize(self, height: int, width: int) -> None:
        """Tell the process its terminal has a new size."""
        ...

    async def outcome(self) -> Outcome:
        """Once the stream ended: why (exit code, detached, container stopped)."""
        ...


def exit_line(what: str, code: int | None) -> str:
    """``The shell exited with code 127 (command not found).``"""
    if code is None:
        return f"{what} ended (no exit code)."
    hint = EXIT_HINTS.get(code)
    return f"{what} exited with code {code}" + (f" ({hint})." if hint else ".")


def failure(error: BaseException) -> Outcome:
    """The pane line for an error that ended or prevented a session."""
    if isinstance(error, NoShell):
        return Outcome(error.message, failed=True)
    if isinstance(error, EngineUnreachable):
        return Outcome(f"The engine went away: {error.message}", failed=True)
    if isinstance(error, EngineError):
        return Outcome(f"The engine refused: {error.message}", failed=True)
    return Outcome(f"{type(error).__name__}: {error}", failed=True)


class ExecSource:
    """A process started in a running container (``docker exec -it``).

    Args:
        client: The container's host client.
        container: Its id.
        command: The command; empty for the first shell of ``SHELL_CANDIDATES`` that runs.
        detach_keys: Keys that detach (full-terminal mode); None for the engine's default.
    """

    def __init__(
        self, client: EngineClient, container: str, command: Sequence[str] = (), *, detach_keys: str | None = None
    ) -> None:
        self._client = client
        self._terminals = Terminals(client)
        self._container = container
        self.command = tuple(command)
        self._what = "The command" if self.command else "The shell"
        self._detach_keys = detach_keys
        self._exec_id = ""
        self._watched: _WatchedSession | None = None

    @property
    def intro(self) -> str:
        return ""

    async def _command(self) -> Sequence[str]:
        if self.command:
            return self.command
        shell = await self._terminals.find_shell(self._container)
        if shell is None:
            tried = ", ".join(SHELL_CANDIDATES)
            raise NoShell(f"No shell found in the container (tried {tried}); press E and type a command.")
        self.command = (shell,)
        return self.command

    @asynccontextmanager
    async def _open(self, size: tuple[int, int]) -> AsyncIterator[Session]:
        command = await self._command()
        self._exec_id = await self._terminals.exec_create(self._container, command, detach_keys=self._detach_keys)
        async with self._terminals.exec_start(self._exec_id, size=size) as session:
            self._watched = _WatchedSession(session, session.tty)
            yield self._watched

    def open(self, size: tuple[int, int]) -> AbstractAsyncContextManager[Session]:
        return self._open(size)

    async def resize(self, height: int, width: int) -> None:
        if self._exec_id:
            await self._terminals.exec_resize(self._exec_id, height, width)

    async def outcome(self) -> Outcome:
        what = self._what
        try:
            state = await self._terminals.exec_inspect(self._exec_id)
            if state.running:
                return Outcome(f"Detached; {what.lower()} keeps running in the container.")
            if state.exit_code == 126 and self._watched is not None and DETACHED_MARK in self._watched.tail:
                return Outcome(f"Detached (the detach keys); the engine ended {what.lower()}.")
            if not (await self._client.containers.inspect(self._container)).running:
                return Outcome(f"The container stopped; {exit_line(what.lower(), state.exit_code)}", failed=True)
        except EngineError as error:
            return Outcome(f"{what} ended; its exit code is unknown: {error.message}", failed=True)
        return Outcome(exit_line(what, state.exit_code), failed=state.exit_code not in (0, None))


class AttachSource:
    """The container's main process (``docker attach``): detaching leaves it running.

    Args:
        client: The container's host client.
        container: Its id.
        detach_keys: The docker config's detach keys (``ctrl-p,ctrl-q`` by default).
    """

    def __init__(self, client: EngineClient, container: str, detach_keys: str) -> None:
        self._client = client
        self._terminals = Terminals(client)
        self._container = container
        self._detach_keys = detach_keys
        self._tty = False

    @property
    def intro(self) -> str:
        keys = " ".join(self._detach_keys.split(","))
        return f"Attached to the main process: ctrl-c reaches it (and may stop the container); {keys} detaches."

    @asynccontextmanager
    async def _open(self, size: tuple[int, int]) -> AsyncIterator[Session]:
        self._tty = (await self._client.containers.inspect(self._container)).tty
        async with self._terminals.attach(self._container, tty=self._tty, detach_keys=self._detach_keys) as session:
            if self._tty:
                await self.resize(*size)
            yield session

    def open(self, size: tuple[int, int]) -> AbstractAsyncContextManager[Session]:
        return self._open(size)

    async def resize(self, height: int, width: int) -> None:
        if self._tty:
            await self._terminals.resize(self._container, height, width)

    async def outcome(self) -> Outcome:
        try:
            detail = await self._client.containers.inspect(self._container)
        except EngineError as error:
            return Outcome(f"The attach ended: {error.message}", failed=True)
        if detail.running:
            return Outcome("Detached; the container keeps running.")
        return Outcome(exit_line("The container", detail.exit_code), failed=detail.exit_code != 0)
