"""A fake terminal source: output fed by the test, input recorded, outcome chosen."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from dtui.ui.terminal.sources import Outcome, Session


class FakeSession:
    """Output the test queues; input the widget wrote."""

    def __init__(self) -> None:
        self.output: asyncio.Queue[bytes | Exception] = asyncio.Queue()
        self.typed = bytearray()

    async def read(self) -> bytes:
        item = await self.output.get()
        if isinstance(item, Exception):
            raise item
        return item

    async def write(self, data: bytes) -> None:
        self.typed += data


class FakeSource:
    """A terminal source with no engine behind it.

    Args:
        outcome: What ``outcome()`` answers once the stream ended.
        error: Raised by ``open`` instead of starting (e.g. a ``Conflict``).
        intro: The line shown before output.
    """

    def __init__(
        self, outcome: Outcome | None = None, *, error: Exception | None = None, intro: str = ""
    ) -> None:
        self.session = FakeSession()
        self.sizes: list[tuple[int, int]] = []
        self.opened_at: tuple[int, int] | None = None
        self._outcome = outcome or Outcome("The shell exited with code 0.")
        self._error = error
        self._intro = intro

    @property
    def intro(self) -> str:
        return self._intro

    @asynccontextmanager
    async def _open(self, size: tuple[int, int]) -> AsyncIterator[Session]:
        self.opened_at = size
        if self._error is not None:
            raise self._error
        yield self.session

    def open(self, size: tuple[int, int]) -> AbstractAsyncContextManager[Session]:
        return self._open(size)

    async def resize(self, height: int, width: int) -> None:
        self.sizes.append((height, width))

    async def outcome(self) -> Outcome:
        return self._outcome

    def write(self, data: bytes) -> None:
        """The process writes ``data``."""
        self.session.output.put_nowait(data)

    def end(self) -> None:
        """The process exits (the stream ends)."""
        self.session.output.put_nowait(b"")

    def fail(self, error: Exception) -> None:
        """The next read raises ``error`` (the link dropped)."""
        self.session.output.put_nowait(error)

    @property
    def typed(self) -> bytes:
        return bytes(self.session.typed)
