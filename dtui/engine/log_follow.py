"""Following one container's log across stops, restarts and engine outages.

Pure engine-side logic (no UI): `ResumeFilter` drops the lines a resumed stream repeats,
and `LogFollower` keeps one container's stream going, yielding its lines (one by one with
`LogFollower.run`, or in the batches the engine's reads complete with
`LogFollower.batches`, the cheap way through a flood) and what happened to the container
in between as `FollowEvent` values. It is the only follower: the single and the merged log
screens both read through it.

Resuming without duplicates: ``timestamps=1`` is always requested. When a followed stream
ends, the container is inspected; once it runs again the lines ``since`` the last timestamp
seen are asked for, with a bounded ``tail`` (`RESUME_TAIL`: with ``tail=all`` the engine
reads the whole log file first), and those at or before the last one seen are dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from dtui.engine.backoff import Backoff
from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.engine.models import ContainerDetail
from dtui.engine.streams import LogLine

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

_SEEN_AT_LAST_MAX: Final = 1000
RESTART_POLL: Final = 1.0
"""Seconds between two checks for a stopped container having started again."""
RESUME_TAIL: Final = 5000
"""Lines asked for (with ``since``) when a stream resumes: the most a gap can hold."""

_LineKey = tuple[str, str, "str | None"]  # (stream, text, source): a line told apart from others


class ResumeFilter:
    """Drop the lines a resumed stream repeats.

    The engine's ``since`` includes lines stamped exactly at that time, and timestamps here
    are microseconds (the engine's nanoseconds truncated), so after a resume every line
    older than the last one seen is dropped, and so is a line stamped at that same
    microsecond that was already shown (same stream, text and source).
    Within one stream nothing is dropped: stdout and stderr may arrive slightly out of order.
    """

    def __init__(self) -> None:
        self.last: datetime | None = None
        self._seen_at_last: set[_LineKey] = set()
        self._threshold: datetime | None = None
        self._seen_at_threshold: frozenset[_LineKey] = frozenset()

    def reset(self) -> None:
        """Forget everything (the buffer was cleared)."""
        self.__init__()  # type: ignore[misc]

    def begin_resume(self) -> datetime | None:
        """Start filtering against what was seen so far.

        Returns:
            The time to ask the engine for (``since``), or None when nothing was seen.
        """
        self._threshold = self.last
        self._seen_at_threshold = frozenset(self._seen_at_last)
        return self.last

    def resume_since(self, since: datetime | None) -> datetime | None:
        """Start a resume (see `begin_resume`) and return the ``since`` to ask the engine for.

        Args:
            since: The user's own lower limit, used while nothing was seen yet.

        Returns:
            Just before the last line seen, or ``since``.
        """
        last = self.begin_resume()
        if last is None:
            return since
        # One microsecond earlier: float seconds may round up; the filter drops repeats.
        return last - timedelta(microseconds=1)

    def keep(self, line: LogLine) -> bool:
        """Whether to show a line, remembering the newest timestamp seen.

        Args:
            line: The next line of the stream.

        Returns:
            False for a line a resumed stream repeats.
        """
        stamp = line.timestamp
        if stamp is None:
            return True
        threshold = self._threshold
        key = (line.stream, line.text, line.source)
        if threshold is not None and (
            stamp < threshold or (stamp == threshold and key in self._seen_at_threshold)
        ):
            return False
        self._remember(stamp, key)
        return True

    def _remember(self, stamp: datetime, key: _LineKey) -> None:
        if self.last is None or stamp > self.last:
            self.last = stamp
            self._seen_at_last = {key}
        elif stamp == self.last and len(self._seen_at_last) < _SEEN_AT_LAST_MAX:
            self._seen_at_last.add(key)


# ------------------------------------------------------------------------ follow events


@dataclass(frozen=True, slots=True)
class LogsOpened:
    """The container was inspected and its stream is being opened (also after an outage)."""

    detail: ContainerDetail


@dataclass(frozen=True, slots=True)
class TailEnded:
    """Every line of the opening tail was yielded (only with ``tail_apart``)."""


@dataclass(frozen=True, slots=True)
class LogsEnded:
    """The stream ended; ``detail`` tells whether the container still runs."""

    detail: ContainerDetail


@dataclass(frozen=True, slots=True)
class LogsResumed:
    """The container runs again and the stream was reopened after the last line seen."""

    detail: ContainerDetail


@dataclass(frozen=True, slots=True)
class EngineLost:
    """The engine could not be reached; the next try comes after ``delay`` seconds.

    Attributes:
        error: What failed.
        delay: Seconds until the next try.
        failures: Tries failed in a row (1 for the first).
    """

    error: EngineError
    delay: float
    failures: int


@dataclass(frozen=True, slots=True)
class EngineBack:
    """The engine answers again after an `EngineLost`."""


FollowEvent = LogsOpened | TailEnded | LogsEnded | LogsResumed | EngineLost | EngineBack


class LogFollower:
    """One container's log, followed across stops, restarts and engine outages.

    `batches` yields lists of lines (``timestamps=1`` is always asked for) and
    `FollowEvent` values in stream order; `run` yields the same lines one by one. A removed
    container ends it with `NotFound`; any other engine error but an unreachable engine
    (retried with `Backoff` while following) ends it too.

    Args:
        client: The engine the container lives on.
        container: Its id.
        tail: Lines to start with (a count or ``"all"``).
        since: Only lines at or after this time.
        follow: Keep the stream open; else read once to the end.
        stdout: Ask for the container's standard output (a TTY container's is everything).
        stderr: Ask for its standard error (ignored for a TTY container).
        tail_apart: Read the opening tail as a request of its own, then yield `TailEnded`
            before following (a merged view orders every tail before the live lines).
        restart_poll: Seconds between two checks for a stopped container running again
            (default `RESTART_POLL`).
        resume_tail: Lines asked for on a resume (filtered by ``since`` by the engine): a
            gap of more lines than this (a flood while the container was restarting) loses
            its oldest lines; ``"all"`` never does but costs the engine a read of the whole
            log file.
        resume: The filter remembering the last line seen (shared with a caller that
            starts a new follower after the old one, so no line is repeated).
        resuming: Start after the last line ``resume`` saw (a bounded resume) instead of
            with ``tail``, when it saw any.
    """

    def __init__(
        self,
        client: EngineClient,
        container: str,
        *,
        tail: int | str,
        since: datetime | None = None,
        follow: bool = True,
        stdout: bool = True,
        stderr: bool = True,
        tail_apart: bool = False,
        restart_poll: float | None = None,
        resume_tail: int | str = RESUME_TAIL,
        resume: ResumeFilter | None = None,
        resuming: bool = False,
    ) -> None:
        self.client = client
        self.container = container
        self.tail = tail
        self.since = since
        self.follow = follow
        self.stdout = stdout
        self.stderr = stderr
        self.tail_apart = tail_apart
        self.restart_poll = RESTART_POLL if restart_poll is None else restart_poll
        self.resume_tail = resume_tail
        self.resume = resume or ResumeFilter()
        self.backoff = Backoff()
        # A read has started: later reads resume after the last line.
        self._opened = resuming and self.resume.last is not None
        self._tail_pending = tail_apart

    async def run(self) -> AsyncGenerator[LogLine | FollowEvent, None]:
        """Yield the lines one by one and the events, as `batches` does.

        Raises:
            NotFound: The container was removed.
            EngineError: The engine refused the stream (or, not following, was unreachable).
        """
        async with aclosing(self.batches()) as items:
            async for item in items:
                if isinstance(item, list):
                    for line in item:
                        yield line
                else:
                    yield item

    async def batches(self) -> AsyncGenerator[list[LogLine] | FollowEvent, None]:
        """Yield non-empty batches of lines and the events until the stream is over.

        A batch is what one read from the engine completed, repeated lines dropped: a
        flood costs one await per batch, not per line. Never over while following.

        Raises:
            NotFound: The container was removed.
            EngineError: The engine refused the stream (or, not following, was unreachable).
        """
        while True:
            try:
                async with aclosing(self._session()) as session:
                    async for item in session:
                        yield item
                return
            except EngineUnreachable as error:
                if not self.follow:
                    raise
                delay = self.backoff.next_delay()
                yield EngineLost(error, delay, self.backoff.failures)
                await asyncio.sleep(delay)

    async def _session(self) -> AsyncGenerator[list[LogLine] | FollowEvent, None]:
        """One connection's worth: inspect, read, and re-read after each restart."""
        client = self.client
        if client.api_version is None:
            await client.connect()
        detail = await client.containers.inspect(self.container)
        if self.backoff.failures:
            self.backoff.reset()
            yield EngineBack()
        yield LogsOpened(detail)
        if self._tail_pending:
            async with aclosing(self._read(detail.tty, follow=False)) as tail:
                async for batch in tail:
                    yield batch
            self._tail_pending = False
            yield TailEnded()
            if not self.follow:
                return
        while True:
            async with aclosing(self._read(detail.tty, follow=self.follow)) as lines:
                async for batch in lines:
                    yield batch
            detail = await client.containers.inspect(self.container)
            yield LogsEnded(detail)
            if not self.follow:
                return
            detail = await self._until_running(detail)
            yield LogsResumed(detail)

    async def _read(self, tty: bool, *, follow: bool) -> AsyncGenerator[list[LogLine], None]:
        since, tail = self._start_point()
        keep = self.resume.keep
        batches = self.client.containers.log_batches(
            self.container,
            tty=tty,
            follow=follow,
            stdout=tty or self.stdout,
            stderr=tty or self.stderr,
            tail=tail,
            since=since,
            timestamps=True,
        )
        async with aclosing(batches):
            async for batch in batches:
                kept = list(filter(keep, batch))
                if kept:
                    yield kept

    def _start_point(self) -> tuple[datetime | None, int | str]:
        """The ``since`` and ``tail`` of the next read: the opening tail, then resumes."""
        if not self._opened:
            self._opened = True
            return self.since, self.tail
        since = self.resume.resume_since(self.since)
        if since is None and self.tail == 0:
            return None, 0  # nothing was ever asked for: only new lines
        # Not "all": with since and tail=all the engine reads the whole log file from the
        # start (json-file: ~24 s for 3M lines); with a tail it reads backwards, then filters.
        return since, self.resume_tail

    async def _until_running(self, detail: ContainerDetail) -> ContainerDetail:
        """Wait a poll interval, then until the container runs (at once if it does)."""
        while True:
            await asyncio.sleep(self.restart_poll)
            if detail.running:
                return detail
            detail = await self.client.containers.inspect(self.container)
