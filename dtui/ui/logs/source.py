"""What a log screen follows: the `LogSource` protocol, and one container's log as one.

A log screen knows nothing of containers. It asks its source for a stream with a
`LogRequest` (follow or not, tail, since, which streams) and reads what comes: batches of
`LogLine` (a batch is what one read from the engine completed, already in order) and
`SourceStatus` values (a state for the status line, a notice to show in stream order, whether
the stream is a TTY's, an error to report). A stream that ends by itself (not following, or
the source is gone) simply stops; the screen cancels it when it closes or restarts.

A line's optional ``source`` label (`LogLine.source`) says which of several writers it
came from (a service's task, e.g. ``web.2``); a source whose lines carry one says so with
``labelled``, and the screen draws the label in its own colour before each line, as the
merged view does with container names.

Resuming without duplicates is the source's job, with the `ResumeFilter` the screen hands
it: the screen keeps one per buffer (and resets it when it clears the buffer), so after
"follow off, follow on" (``request.resume``) the source starts after the last line seen.

This module is headless (no Textual), like the engine it reads from.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from dtui.engine.errors import EngineError, NotFound
from dtui.engine.log_follow import (
    EngineBack,
    EngineLost,
    FollowEvent,
    LogFollower,
    LogsEnded,
    LogsOpened,
    LogsResumed,
    ResumeFilter,
)
from dtui.engine.models import ContainerDetail, ContainerSummary
from dtui.engine.streams import LogLine
from dtui.ui.safe_text import safe_plain

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

Tail = int | Literal["all"]
LogBatch = list[LogLine]
"""Lines in stream order, never empty."""


@dataclass(frozen=True, slots=True)
class LogRequest:
    """What the screen asks its source for.

    Attributes:
        follow: Keep the stream open for new lines (and across restarts or outages).
        tail: Last N lines to start with, or ``"all"``.
        since: Only lines at or after this time.
        stdout: Standard output wanted (a TTY stream has nothing else).
        stderr: Standard error wanted.
        resume: Start after the last line the `ResumeFilter` saw (follow turned back on)
            instead of with ``tail``.
    """

    follow: bool = True
    tail: Tail = 1000
    since: datetime | None = None
    stdout: bool = True
    stderr: bool = True
    resume: bool = False


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """Something that happened to the stream, between two batches.

    Attributes:
        state: For the status line: ``following``, ``reading``, ``ended``, ``stopped``,
            ``reconnecting``, ``removed``, ``failed``, ``disconnected - retrying in 2s``...
        notice: A line of dtui's own to show after the lines so far (trusted text).
        tty: Set when the stream was (re)opened: whether it is a TTY's (no stderr apart).
        error: Set when the stream failed: the screen reports it (then the stream ends).
    """

    state: str
    notice: str | None = None
    tty: bool | None = None
    error: EngineError | None = None


class LogSource(Protocol):
    """A log a `LogScreen` can follow (one container, a service's tasks...).

    Attributes:
        name: What the log is of, for the status line and the save file's name (untrusted:
            the screen sanitises it).
        labelled: Its lines carry a per-line ``source`` label to draw before each line.
    """

    name: str
    labelled: bool

    def follow(self, request: LogRequest, resume: ResumeFilter) -> AsyncGenerator[LogBatch | SourceStatus, None]:
        """Stream batches and statuses for ``request`` until over (never, when following).

        Args:
            request: What to read.
            resume: The screen's filter: lines it says are repeats must not be yielded; it
                also tells where to resume (``request.resume``, and after a restart).

        Yields:
            Non-empty batches of lines and statuses, in stream order. Errors are yielded
            as a status with ``error`` set (then the generator ends), never raised.
        """
        ...

    def read_all(self) -> AsyncGenerator[LogBatch, None]:
        """The complete log afresh (both streams, no follow), for saving it.

        Raises:
            EngineError: The engine refused it.
        """
        ...


# ------------------------------------------------------------------------ one container


class ContainerLogSource:
    """One container's log, followed by a `LogFollower` in batch mode.

    Args:
        container: The container as the table listed it.
        client: Gives the engine client it lives on, when the stream opens (a screen's
            app is known only once it is mounted).
    """

    labelled = False

    def __init__(self, container: ContainerSummary, client: Callable[[], EngineClient]) -> None:
        self.container = container
        self.name = container.name or container.short_id
        self._client = client
        self.tty: bool | None = None

    async def follow(self, request: LogRequest, resume: ResumeFilter) -> AsyncGenerator[LogBatch | SourceStatus, None]:
        """Follow the container's log (see `LogSource.follow`)."""
        follower = LogFollower(
            self._client(), self.container.id, tail=request.tail, since=request.since,
            follow=request.follow, stdout=request.stdout, stderr=request.stderr,
            resume=resume, resuming=request.resume,
        )
        try:
            async with aclosing(follower.batches()) as items:
                async for item in items:
                    yield item if isinstance(item, list) else self._status(item, request.follow)
        except NotFound:
            yield SourceStatus("removed", "the container was removed; the lines above stay readable")
        except EngineError as error:
            yield failed(error)

    def _status(self, event: FollowEvent, follow: bool) -> SourceStatus:
        """What a follower's event means for the screen."""
        if isinstance(event, LogsOpened):
            self.tty = event.detail.tty
            return SourceStatus("following" if follow else "reading", tty=event.detail.tty)
        if isinstance(event, LogsEnded):
            return SourceStatus(_end_state(event.detail, follow), _end_notice(event.detail, follow))
        if isinstance(event, LogsResumed):
            return SourceStatus("following", "container running: stream resumed")
        if isinstance(event, EngineLost):
            notice = "engine unreachable: retrying" if event.failures == 1 else None
            return SourceStatus(f"disconnected - retrying in {event.delay:g}s", notice)
        if isinstance(event, EngineBack):
            return SourceStatus("connecting", "engine back: stream resumed")
        return SourceStatus("following")  # TailEnded: only asked for by merged views

    async def read_all(self) -> AsyncGenerator[LogBatch, None]:
        """Every line the engine holds, both streams, without timestamps."""
        client = self._client()
        tty = self.tty
        if tty is None:
            tty = (await client.containers.inspect(self.container.id)).tty
        batches = client.containers.log_batches(self.container.id, tty=tty, tail="all")
        async with aclosing(batches):
            async for batch in batches:
                yield batch


def failed(error: EngineError) -> SourceStatus:
    """The status of a stream the engine refused or dropped."""
    return SourceStatus("failed", "stream failed: " + safe_plain(error.message, max_length=200), error=error)


def _end_state(detail: ContainerDetail, follow: bool) -> str:
    if not detail.running:
        return "stopped"
    return "reconnecting" if follow else "ended"


def _end_notice(detail: ContainerDetail, follow: bool) -> str:
    """The line shown when a stream ends."""
    if detail.running:
        if follow:
            return "stream ended (container still running): reconnecting"
        return "end of log (follow is off: f to follow)"
    waiting = ": waiting for it to start again" if follow else ""
    return f"stream ended (container stopped, exit code {detail.exit_code}){waiting}"
