"""The log screen: one container's logs, live, bounded, with options changeable while open.

Data flow: one worker (group ``logs``, exclusive: the latest request wins) reads the stream
and puts lines into a bounded pending buffer; a 50 ms timer moves them into the ``LogView``
in one batch, so a flood costs one repaint per tick, not one per line. Everything else the
worker has to say (stream ended, container restarted or removed, failures) arrives as
past-tense messages.

Resuming without duplicates: ``timestamps=1`` is always requested (the column is shown only
when the user asks). When a followed stream ends because the container stopped, the worker
waits for it to run again and asks for the lines ``since`` the last timestamp seen, dropping
those at or before it (`ResumeFilter`).
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, ClassVar, Final, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from dtui.engine.errors import EngineError, NotFound
from dtui.engine.models import ContainerDetail, ContainerSummary
from dtui.engine.streams import LogLine, parse_rfc3339
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.widgets.log_view import DEFAULT_MAX_LINES, LogView

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

StreamChoice = Literal["both", "stdout", "stderr"]
_STREAM_CYCLE: Final[dict[StreamChoice, StreamChoice]] = {
    "both": "stdout",
    "stdout": "stderr",
    "stderr": "both",
}
DEFAULT_TAIL: Final = 1000
FLUSH_INTERVAL: Final = 0.05
"""Seconds between two batches moved from the stream into the view."""
RESTART_POLL: Final = 1.0
"""Seconds between two checks for a stopped container having started again."""
YIELD_EVERY: Final = 256
"""Lines read between two explicit yields to the event loop."""
_SEEN_AT_LAST_MAX: Final = 1000
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
_UNITS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86400}

Tail = int | Literal["all"]


# ------------------------------------------------------------------------ options


@dataclass(frozen=True, slots=True)
class LogOptions:
    """What the user asked to see.

    Attributes:
        follow: Keep the stream open for new lines.
        tail: Last N lines to start with, or ``"all"``.
        since: Only lines at or after this time.
        timestamps: Show the timestamp column (timestamps are always requested).
        stream: ``both``, ``stdout`` or ``stderr``.
        wrap: Wrap long lines instead of cropping them.
    """

    follow: bool = True
    tail: Tail = DEFAULT_TAIL
    since: datetime | None = None
    timestamps: bool = False
    stream: StreamChoice = "both"
    wrap: bool = False


def parse_tail(text: str) -> Tail:
    """Parse the tail prompt: a line count or ``all``.

    Args:
        text: What the user typed.

    Returns:
        A non-negative count, or ``"all"``.

    Raises:
        ValueError: With a message for the user.
    """
    value = text.strip().lower()
    if value in {"all", "*", ""}:
        return "all"
    if not value.isdigit():
        raise ValueError(f"tail must be a number of lines or 'all', not {value[:40]!r}")
    return int(value)


def parse_since(text: str, now: datetime | None = None) -> datetime | None:
    """Parse the since prompt: a duration back from now, an RFC 3339 time or Unix seconds.

    Args:
        text: ``10m``, ``1h30m``, ``2d``, ``2026-11-28T01:00:00Z``, ``1780000000``;
            empty (or ``none``) clears the limit.
        now: The current time (tests pass a fixed one).

    Returns:
        A timezone-aware datetime, or None for no limit.

    Raises:
        ValueError: With a message for the user.
    """
    value = text.strip()
    if value.lower() in {"", "none", "all"}:
        return None
    now = now or datetime.now(timezone.utc)
    if _DURATION.fullmatch(value):
        seconds = sum(float(n) * _UNITS[unit] for n, unit in _DURATION_PART.findall(value))
        return now - timedelta(seconds=seconds)
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return datetime.fromtimestamp(float(value), timezone.utc)
    stamp = parse_rfc3339(value)
    if stamp is None:
        raise ValueError(f"since must look like 10m, 1h or 2026-11-28T01:00:00Z, not {value[:40]!r}")
    return stamp


# ------------------------------------------------------------------------ resume


class ResumeFilter:
    """Drop the lines a resumed stream repeats.

    The engine's ``since`` includes lines stamped exactly at that time, and timestamps here
    are microseconds (the engine's nanoseconds truncated), so after a resume every line
    older than the last one seen is dropped, and so is a line stamped at that same
    microsecond that was already shown (same stream and text).
    Within one stream nothing is dropped: stdout and stderr may arrive slightly out of order.
    """

    def __init__(self) -> None:
        self.last: datetime | None = None
        self._seen_at_last: set[tuple[str, str]] = set()
        self._threshold: datetime | None = None
        self._seen_at_threshold: frozenset[tuple[str, str]] = frozenset()

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
        key = (line.stream, line.text)
        if threshold is not None and (
            stamp < threshold or (stamp == threshold and key in self._seen_at_threshold)
        ):
            return False
        self._remember(stamp, key)
        return True

    def _remember(self, stamp: datetime, key: tuple[str, str]) -> None:
        if self.last is None or stamp > self.last:
            self.last = stamp
            self._seen_at_last = {key}
        elif stamp == self.last and len(self._seen_at_last) < _SEEN_AT_LAST_MAX:
            self._seen_at_last.add(key)


# ------------------------------------------------------------------------ messages


@dataclass(frozen=True, slots=True)
class Notice:
    """A line of dtui's own, queued with the log lines so it lands in stream order."""

    text: str



class LogStreamEvent(Message):
    """Base of the worker's messages; ``generation`` tells stale ones apart."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class LogSourceInspected(LogStreamEvent):
    """The container was inspected (its TTY setting decides the stream format)."""

    def __init__(self, generation: int, detail: ContainerDetail) -> None:
        super().__init__(generation)
        self.detail = detail


class LogStreamEnded(LogStreamEvent):
    """The stream ended; ``exit_code`` is set when the container is no longer running."""

    def __init__(self, generation: int, running: bool, exit_code: int | None) -> None:
        super().__init__(generation)
        self.running = running
        self.exit_code = exit_code


class LogStreamResumed(LogStreamEvent):
    """The container runs again and the stream was reopened."""


class LogSourceRemoved(LogStreamEvent):
    """The container no longer exists."""


class LogStreamFailed(LogStreamEvent):
    """The engine refused or dropped the stream."""

    def __init__(self, generation: int, error: EngineError) -> None:
        super().__init__(generation)
        self.error = error


# ------------------------------------------------------------------------ screen


class LogScreen(Screen[None]):
    """Live logs of one container.

    Args:
        container: The container whose logs to show.
        max_lines: Lines kept in memory (the oldest are dropped beyond it).
        tail: Lines fetched when the screen opens (a count or ``"all"``).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="logs.close"),
        Binding("f", "toggle_follow", "Follow", id="logs.follow"),
        Binding("t", "prompt_tail", "Tail", id="logs.tail"),
        Binding("S", "prompt_since", "Since", id="logs.since"),
        Binding("T", "toggle_timestamps", "Times", id="logs.timestamps"),
        Binding("o", "cycle_stream", "Stream", id="logs.stream"),
        Binding("w", "toggle_wrap", "Wrap", id="logs.wrap"),
        Binding("g,home", "top", "Top", id="logs.top", show=False),
        Binding("G,end", "live", "Live", id="logs.live"),
    ]

    def __init__(
        self, container: ContainerSummary, max_lines: int = DEFAULT_MAX_LINES, tail: Tail = DEFAULT_TAIL
    ) -> None:
        super().__init__()
        self.container = container
        self.max_lines = max_lines
        self.options = LogOptions(tail=tail)
        self.tty: bool | None = None
        self.state = "connecting"
        self._generation = 0
        self._pending: deque[LogLine | Notice] = deque(maxlen=max_lines)
        self._resume = ResumeFilter()
        self._prompt_kind: Literal["tail", "since"] | None = None

    # -------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(id="logs-status")
        yield LogView(self.max_lines, id="logs-view")
        yield Static(id="logs-marker")
        yield Input(id="logs-prompt")
        yield Footer()

    @property
    def view(self) -> LogView:
        """The log view."""
        return self.query_one(LogView)

    def on_mount(self) -> None:
        self.query_one("#logs-prompt", Input).display = False
        self.watch(self.view, "new_lines", self._refresh_marker, init=False)
        self.watch(self.view, "live", self._refresh_marker, init=False)
        self.set_interval(FLUSH_INTERVAL, self._flush_pending)
        self.view.focus()
        self._refresh_status()
        self._refresh_marker()
        self._restart(clear=True)

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "logs")

    # -------------------------------------------------------------- status

    def _refresh_status(self) -> None:
        options = self.options
        since = options.since.strftime("%Y-%m-%d %H:%M:%S") if options.since else "—"
        stream = "tty" if self.tty else options.stream
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append_text(safe_line(self.container.name or self.container.short_id, max_length=30))
        line.append(f"  {self.state}", style="bold")
        line.append(
            f"  follow {'on' if options.follow else 'off'} · tail {options.tail} · since {since}"
            f" · {stream} · ts {'on' if options.timestamps else 'off'}"
            f" · wrap {'on' if options.wrap else 'off'}"
        )
        self.query_one("#logs-status", Static).update(line, layout=False)

    def _refresh_marker(self, *_: object) -> None:
        view = self.view
        marker = self.query_one("#logs-marker", Static)
        if view.live:
            marker.update(Text(f"live · {view.line_count} lines"), layout=False)
            marker.set_class(False, "-frozen")
        else:
            marker.update(Text(f"paused · +{view.new_lines} new lines · G/End: back to live"), layout=False)
            marker.set_class(True, "-frozen")

    def _set_state(self, state: str) -> None:
        self.state = state
        self._refresh_status()

    # -------------------------------------------------------------- stream

    def _restart(self, *, clear: bool) -> None:
        """Cancel the current stream and start a new one with the current options.

        Args:
            clear: Empty the view and fetch from scratch (tail/since/stream changed); else
                resume after the last line shown (follow turned back on).
        """
        self._generation += 1
        self._pending.clear()
        if clear:
            self.view.clear()
            self._resume.reset()
        self._set_state("connecting")
        self._stream_logs(self._generation, self.options, resume=not clear)

    def _stop_stream(self) -> None:
        self._generation += 1
        self.workers.cancel_group(self, "logs")
        self._flush_pending()

    def _flush_pending(self) -> None:
        if not self._pending:
            return
        items = list(self._pending)
        self._pending.clear()
        view = self.view
        run: list[LogLine] = []
        for item in items:
            if isinstance(item, Notice):
                view.append_lines(run)
                run = []
                view.append_notice(item.text)
            else:
                run.append(item)
        view.append_lines(run)
        if self.view.live:
            self._refresh_marker()

    @work(group="logs", exclusive=True, exit_on_error=False)
    async def _stream_logs(self, generation: int, options: LogOptions, resume: bool) -> None:
        """Read the log stream into the pending buffer until it ends (or forever, following).

        Args:
            generation: This stream's number; lines of an older one are never shown.
            options: The options to fetch with.
            resume: Start after the last line already shown instead of at ``tail``.
        """
        client: EngineClient = self.app.client  # type: ignore[attr-defined]
        try:
            if client.api_version is None:
                await client.connect()
            detail = await client.containers.inspect(self.container.id)
            self.post_message(LogSourceInspected(generation, detail))
            since, tail = options.since, options.tail
            if resume and self._resume.last is not None:
                since, tail = self._resume_point(since), "all"
            while True:
                await self._read(client, detail.tty, generation, options, since, tail)
                detail = await client.containers.inspect(self.container.id)
                self._pending.append(Notice(_end_notice(detail, options.follow)))
                self.post_message(LogStreamEnded(generation, detail.running, _exit_code(detail)))
                if not options.follow:
                    return
                if not detail.running:
                    detail = await self._wait_until_running(client)
                else:
                    await asyncio.sleep(RESTART_POLL)
                since, tail = self._resume_point(options.since), "all"
                self._pending.append(Notice("container running: stream resumed"))
                self.post_message(LogStreamResumed(generation))
        except NotFound:
            self._pending.append(Notice("the container was removed; the lines above stay readable"))
            self.post_message(LogSourceRemoved(generation))
        except EngineError as error:
            self._pending.append(Notice("stream failed: " + safe_plain(error.message, max_length=200)))
            self.post_message(LogStreamFailed(generation, error))

    def _resume_point(self, since: datetime | None) -> datetime | None:
        last = self._resume.begin_resume()
        if last is None:
            return since
        # One microsecond earlier: float seconds may round up; the filter drops repeats.
        return last - timedelta(microseconds=1)

    async def _read(
        self,
        client: EngineClient,
        tty: bool,
        generation: int,
        options: LogOptions,
        since: datetime | None,
        tail: Tail,
    ) -> None:
        pending = self._pending
        keep = self._resume.keep
        lines = client.containers.logs(
            self.container.id,
            tty=tty,
            follow=options.follow,
            stdout=tty or options.stream != "stderr",
            stderr=tty or options.stream != "stdout",
            tail=tail,
            since=since,
            timestamps=True,
        )
        count = 0
        async for line in lines:
            if generation != self._generation:
                return
            if keep(line):
                pending.append(line)
            count += 1
            if count % YIELD_EVERY == 0:
                # Buffered data never suspends the loop by itself: let keys and paints in.
                await asyncio.sleep(0)

    async def _wait_until_running(self, client: EngineClient) -> ContainerDetail:
        while True:
            await asyncio.sleep(RESTART_POLL)
            detail = await client.containers.inspect(self.container.id)
            if detail.running:
                return detail

    # -------------------------------------------------------------- worker messages

    def _is_current(self, message: LogStreamEvent) -> bool:
        if message.generation != self._generation:
            return False
        self._flush_pending()
        return True

    def on_log_source_inspected(self, message: LogSourceInspected) -> None:
        if not self._is_current(message):
            return
        self.tty = message.detail.tty
        self.view.show_gutter = not self.tty
        self._set_state("following" if self.options.follow else "reading")

    def on_log_stream_ended(self, message: LogStreamEnded) -> None:
        if not self._is_current(message):
            return
        if message.running:
            self._set_state("reconnecting" if self.options.follow else "ended")
        else:
            self._set_state("stopped")

    def on_log_stream_resumed(self, message: LogStreamResumed) -> None:
        if self._is_current(message):
            self._set_state("following")

    def on_log_source_removed(self, message: LogSourceRemoved) -> None:
        if self._is_current(message):
            self._set_state("removed")

    def on_log_stream_failed(self, message: LogStreamFailed) -> None:
        if not self._is_current(message):
            return
        self._set_state("failed")
        show_error = getattr(self.app, "show_error", None)
        if callable(show_error):
            show_error(message.error, f"logs of {self.container.name}")
        else:
            self.notify(safe_line(message.error.message, max_length=500), severity="error", markup=False)

    # -------------------------------------------------------------- actions

    def action_close(self) -> None:
        """Close the prompt if one is open, else leave the screen."""
        if self._prompt_kind is not None:
            self._close_prompt()
            return
        self._stop_stream()
        self.dismiss(None)

    def action_top(self) -> None:
        """Go to the first line held (freezes the view)."""
        self.view.go_top()

    def action_live(self) -> None:
        """Go to the last line and follow new ones."""
        self.view.go_live()

    def action_toggle_follow(self) -> None:
        """Follow on: resume after the last line shown. Off: stop the stream, keep the lines."""
        self.options = replace(self.options, follow=not self.options.follow)
        if self.options.follow:
            self._restart(clear=False)
        else:
            self._stop_stream()
            self.view.append_notice("follow off: stream stopped (f to follow again)")
            self._set_state("paused")

    def action_toggle_timestamps(self) -> None:
        """Show or hide the timestamp column (display only: no refetch)."""
        self.options = replace(self.options, timestamps=not self.options.timestamps)
        self.view.show_timestamps = self.options.timestamps
        self._refresh_status()

    def action_toggle_wrap(self) -> None:
        """Wrap long lines, or crop them and scroll sideways."""
        self.options = replace(self.options, wrap=not self.options.wrap)
        self.view.wrap = self.options.wrap
        self._refresh_status()

    def action_cycle_stream(self) -> None:
        """both -> stdout -> stderr -> both, refetching."""
        if self.tty:
            self.notify("A TTY container merges stdout and stderr", markup=False)
            return
        self.options = replace(self.options, stream=_STREAM_CYCLE[self.options.stream])
        self._restart(clear=True)

    def action_prompt_tail(self) -> None:
        """Ask how many lines to start with."""
        self._open_prompt("tail", str(self.options.tail), "lines to start with: a number or all")

    def action_prompt_since(self) -> None:
        """Ask from when to show lines."""
        since = self.options.since.isoformat() if self.options.since else ""
        self._open_prompt("since", since, "since: 10m, 1h, 2d, 2026-11-28T01:00:00Z (empty: no limit)")

    # -------------------------------------------------------------- prompt

    def _open_prompt(self, kind: Literal["tail", "since"], value: str, placeholder: str) -> None:
        prompt = self.query_one("#logs-prompt", Input)
        self._prompt_kind = kind
        prompt.placeholder = placeholder
        prompt.border_title = kind
        prompt.display = True
        prompt.focus()
        # The key that opened the prompt must not end up in it: set the value afterwards.
        self.call_after_refresh(self._fill_prompt, value)

    def _fill_prompt(self, value: str) -> None:
        prompt = self.query_one("#logs-prompt", Input)
        prompt.value = value
        prompt.cursor_position = len(value)

    def _close_prompt(self) -> None:
        prompt = self.query_one("#logs-prompt", Input)
        self._prompt_kind = None
        prompt.display = False
        self.view.focus()

    @on(Input.Submitted, "#logs-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            if self._prompt_kind == "tail":
                options = replace(self.options, tail=parse_tail(event.value))
            elif self._prompt_kind == "since":
                options = replace(self.options, since=parse_since(event.value))
            else:
                return
        except ValueError as error:
            self.notify(str(error), title="Invalid value", severity="warning", markup=False)
            return
        self._close_prompt()
        self.options = options
        self._restart(clear=True)


def _end_notice(detail: ContainerDetail, follow: bool) -> str:
    """The line shown when a stream ends."""
    if detail.running:
        if follow:
            return "stream ended (container still running): reconnecting"
        return "end of log (follow is off: f to follow)"
    waiting = ": waiting for it to start again" if follow else ""
    return f"stream ended (container stopped, exit code {detail.exit_code}){waiting}"


def _exit_code(detail: ContainerDetail) -> int | None:
    return None if detail.running else detail.exit_code
