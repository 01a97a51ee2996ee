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

Search (``/``, ``n``/``N``, ``&`` to filter) lives in the `LogView`; this screen only owns
the prompt. Saving (``ctrl+s``) writes either the lines held (the buffer) or the complete
log fetched afresh from the engine, as raw line text (what ``docker logs`` prints), to a
new file: an existing file is never overwritten.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections import deque
from contextlib import aclosing
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

from dtui.engine.backoff import Backoff
from dtui.engine.errors import EngineError, EngineUnreachable, NotFound
from dtui.engine.log_follow import ResumeFilter
from dtui.engine.models import ContainerDetail, ContainerSummary
from dtui.engine.streams import LogLine, parse_rfc3339
from dtui.core.hosts import client_for
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.widgets.log_view import DEFAULT_MAX_LINES, REGEX_PREFIX, LogView, SearchPattern

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
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_DURATION = re.compile(r"(?:\d+(?:\.\d+)?[smhd])+")
_UNITS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86400}

SAVE_CHUNK: Final = 2000
"""Lines of a full-log fetch written (and reported as progress) at a time."""
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")

Tail = int | Literal["all"]
PromptKind = Literal["tail", "since", "search", "save"]


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


class LogStreamDisconnected(LogStreamEvent):
    """The engine could not be reached; the stream is tried again after ``delay`` seconds."""

    def __init__(self, generation: int, error: EngineError, delay: float) -> None:
        super().__init__(generation)
        self.error = error
        self.delay = delay


class LogSourceRemoved(LogStreamEvent):
    """The container no longer exists."""


class LogStreamFailed(LogStreamEvent):
    """The engine refused or dropped the stream."""

    def __init__(self, generation: int, error: EngineError) -> None:
        super().__init__(generation)
        self.error = error


class LogSaveProgressed(Message):
    """A full-log save wrote ``lines`` lines so far."""

    def __init__(self, path: str, lines: int) -> None:
        super().__init__()
        self.path = path
        self.lines = lines


class LogSaved(Message):
    """A save finished: ``lines`` lines written to ``path``."""

    def __init__(self, path: str, lines: int, full: bool) -> None:
        super().__init__()
        self.path = path
        self.lines = lines
        self.full = full


class LogSaveFailed(Message):
    """A save failed (file or engine error); ``reason`` is for the user (untrusted parts)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__()
        self.path = path
        self.reason = reason


def default_save_path(name: str, now: datetime | None = None) -> str:
    """The save prompt's default: ``./<name>-<YYYYmmdd-HHMMSS>.log`` in local time.

    Args:
        name: The container's name (untrusted: reduced to safe file-name characters).
        now: The current time (tests pass a fixed one).

    Returns:
        A relative path.
    """
    stem = _UNSAFE_FILE_CHARS.sub("_", name).lstrip(".")[:60] or "container"
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"./{stem}-{stamp}.log"


def write_new_file(path: str, lines: list[str]) -> int:
    """Write lines (each followed by a newline) to a file that must not exist yet.

    Args:
        path: Where to write.
        lines: Raw line text.

    Returns:
        The number of lines written.

    Raises:
        OSError: Including FileExistsError: nothing is ever overwritten.
    """
    with open(path, "x", encoding="utf-8", errors="surrogateescape", newline="") as handle:
        for start in range(0, len(lines), SAVE_CHUNK):
            handle.write("".join(line + "\n" for line in lines[start : start + SAVE_CHUNK]))
    return len(lines)


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
        Binding("t", "prompt_tail", "Tail", id="logs.tail", show=False),
        Binding("S", "prompt_since", "Since", id="logs.since", show=False),
        Binding("T", "toggle_timestamps", "Times", id="logs.timestamps", show=False),
        Binding("o", "cycle_stream", "Stream", id="logs.stream", show=False),
        Binding("w", "toggle_wrap", "Wrap", id="logs.wrap", show=False),
        Binding("g,home", "top", "Top", id="logs.top", show=False),
        Binding("G,end", "live", "Live", id="logs.live"),
        Binding("slash", "prompt_search", "Search", id="logs.search"),
        Binding("n", "next_match", "Next", id="logs.next_match", show=False),
        Binding("N", "previous_match", "Previous", id="logs.previous_match", show=False),
        Binding("ampersand", "toggle_filter", "Filter", id="logs.filter"),
        Binding("ctrl+r", "toggle_regex", "Regex", id="logs.search_regex", show=False),
        Binding("ctrl+s", "save", "Save", id="logs.save"),
        Binding("question_mark", "help", "Help", id="logs.help"),
    ]

    def action_help(self) -> None:
        """List this screen's keys (after the user's remaps)."""
        from dtui.ui.screens.modals import HelpScreen, help_rows

        self.app.push_screen(HelpScreen("Logs: keys", help_rows(self, self.BINDINGS)))

    def __init__(
        self,
        container: ContainerSummary,
        max_lines: int = DEFAULT_MAX_LINES,
        tail: Tail = DEFAULT_TAIL,
        *,
        host: str | None = None,
    ) -> None:
        super().__init__()
        self.container = container
        self.host = host  # the engine the container lives on (None: the current one)
        self.max_lines = max_lines
        self.options = LogOptions(tail=tail)
        self.tty: bool | None = None
        self.state = "connecting"
        self._generation = 0
        self._pending: deque[LogLine | Notice] = deque(maxlen=max_lines)
        self._resume = ResumeFilter()
        self._prompt_kind: PromptKind | None = None
        self._save_full = False
        self._save_status = ""

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
        self.on_mount_search()
        self.view.focus()
        self._refresh_status()
        self._refresh_marker()
        self._restart(clear=True)

    def on_mount_search(self) -> None:
        """Keep the marker's search part current."""
        for name in ("match_count", "match_position", "searching"):
            self.watch(self.view, name, self._refresh_marker, init=False)

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "logs")
        self.workers.cancel_group(self, "logs-save")

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
            line = Text(f"live · {view.line_count} lines", no_wrap=True, overflow="ellipsis")
        else:
            line = Text(
                f"paused · +{view.new_lines} new lines · G/End: back to live", no_wrap=True, overflow="ellipsis"
            )
        line.append_text(self._search_summary())
        if self._save_status:
            line.append(f" · {self._save_status}")
        marker.update(line, layout=False)
        marker.set_class(not view.live, "-frozen")

    def _search_summary(self) -> Text:
        """`` · /query 3/120`` (plus ``filter``, ``…`` while scanning), or nothing."""
        view = self.view
        search = view.search
        summary = Text()
        if search is None:
            return summary
        summary.append(" · " + ("re:" if search.regex else "/"))
        summary.append_text(safe_line(search.query, max_length=20))
        position = view.match_position or "-"
        summary.append(f" {position}/{view.match_count}{'…' if view.searching else ''}")
        if view.filter_matches:
            summary.append(" · filter")
        return summary

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

        While following, an unreachable engine is retried with backoff and the stream
        resumes after the last line shown once the engine answers again.

        Args:
            generation: This stream's number; lines of an older one are never shown.
            options: The options to fetch with.
            resume: Start after the last line already shown instead of at ``tail``.
        """
        client: EngineClient = client_for(self.app, self.host)
        backoff = Backoff()
        while True:
            try:
                await self._follow_source(client, generation, options, resume, backoff)
                return
            except NotFound:
                self._pending.append(Notice("the container was removed; the lines above stay readable"))
                self.post_message(LogSourceRemoved(generation))
                return
            except EngineUnreachable as error:
                if not options.follow:
                    self._fail(generation, error)
                    return
                delay = backoff.next_delay()
                if backoff.failures == 1:
                    self._pending.append(Notice("engine unreachable: retrying"))
                self.post_message(LogStreamDisconnected(generation, error, delay))
                await asyncio.sleep(delay)
                resume = True
            except EngineError as error:
                self._fail(generation, error)
                return

    def _fail(self, generation: int, error: EngineError) -> None:
        self._pending.append(Notice("stream failed: " + safe_plain(error.message, max_length=200)))
        self.post_message(LogStreamFailed(generation, error))

    async def _follow_source(
        self, client: EngineClient, generation: int, options: LogOptions, resume: bool, backoff: Backoff
    ) -> None:
        """Inspect, then read (and, following, re-read after each restart) the log stream."""
        if client.api_version is None:
            await client.connect()
        detail = await client.containers.inspect(self.container.id)
        if backoff.failures:
            backoff.reset()
            self._pending.append(Notice("engine back: stream resumed"))
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

    def _resume_point(self, since: datetime | None) -> datetime | None:
        return self._resume.resume_since(since)

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
        batches = client.containers.log_batches(
            self.container.id,
            tty=tty,
            follow=options.follow,
            stdout=tty or options.stream != "stderr",
            stderr=tty or options.stream != "stdout",
            tail=tail,
            since=since,
            timestamps=True,
        )
        async with aclosing(batches):
            async for batch in batches:
                if generation != self._generation:
                    return
                pending.extend(filter(keep, batch))
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

    def on_log_stream_disconnected(self, message: LogStreamDisconnected) -> None:
        if self._is_current(message):
            self._set_state(f"disconnected - retrying in {message.delay:g}s")

    def on_log_stream_failed(self, message: LogStreamFailed) -> None:
        if not self._is_current(message):
            return
        self._set_state("failed")
        show_error = getattr(self.app, "show_error", None)
        if callable(show_error):
            show_error(message.error, f"logs of {self.container.name}")
        else:
            self.notify(safe_plain(message.error.message, max_length=500), severity="error", markup=False)

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

    def action_prompt_search(self) -> None:
        """Ask what to search for (``re:`` prefix or ctrl+r: regular expression)."""
        search = self.view.search
        value = "" if search is None else (REGEX_PREFIX if search.regex else "") + search.query
        self._open_prompt("search", value, "search: text, or re:<regex> (ctrl+r); empty: clear")
        self._refresh_search_title(value)

    def action_next_match(self) -> None:
        """Show the next matching line."""
        self._step_match(backwards=False)

    def action_previous_match(self) -> None:
        """Show the previous matching line."""
        self._step_match(backwards=True)

    def _step_match(self, *, backwards: bool) -> None:
        view = self.view
        if view.search is None:
            self.notify("No search: press / to search", markup=False)
        elif not view.next_match(backwards=backwards):
            self.notify("No match (yet)", markup=False)

    def action_toggle_filter(self) -> None:
        """Show only the matching lines, or every line again."""
        view = self.view
        if view.search is None:
            self.notify("No search: press / to search, then & to filter", markup=False)
            return
        view.filter_matches = not view.filter_matches
        self._refresh_marker()

    def action_toggle_regex(self) -> None:
        """In the search prompt: switch between plain text and regular expression."""
        if self._prompt_kind != "search":
            return
        prompt = self.query_one("#logs-prompt", Input)
        value = prompt.value
        value = value[len(REGEX_PREFIX) :] if value.startswith(REGEX_PREFIX) else REGEX_PREFIX + value
        self._fill_prompt(value)
        self._refresh_search_title(value)

    def _refresh_search_title(self, value: str) -> None:
        regex = value.startswith(REGEX_PREFIX)
        self.query_one("#logs-prompt", Input).border_title = "search (regex)" if regex else "search (text)"

    def _search_submitted(self, value: str) -> None:
        if value in {"", REGEX_PREFIX}:
            self._close_prompt()
            self.view.set_search(None)
            self._refresh_marker()
            return
        try:
            pattern = SearchPattern.parse(value)
        except ValueError as error:
            self.notify(str(error), title="Invalid search", severity="warning", markup=False)
            return
        self._close_prompt()
        self.view.set_search(pattern)
        self._refresh_marker()

    def action_save(self) -> None:
        """Ask where to save; ctrl+s again in the prompt switches buffer / complete log."""
        if self._prompt_kind == "save":
            self._save_full = not self._save_full
            self._refresh_save_title()
            return
        self._save_full = False
        name = self.container.name or self.container.short_id
        self._open_prompt("save", default_save_path(name), "file to write (never overwritten)")
        self._refresh_save_title()

    def _refresh_save_title(self) -> None:
        if self._save_full:
            title = "save full log from engine (ctrl+s: buffer)"
        else:
            title = "save buffer (ctrl+s: full log)"
        self.query_one("#logs-prompt", Input).border_title = title

    def _save_submitted(self, value: str) -> None:
        path = os.path.expanduser(value.strip())
        if not path:
            self.notify("Give a file name", severity="warning", markup=False)
            return
        if os.path.lexists(path):
            self.notify(
                f"{path} exists: it is never overwritten; choose another name",
                title="File exists", severity="warning", markup=False,
            )
            return
        self._close_prompt()
        if self._save_full:
            self._set_save_status("saving full log: 0 lines")
            self._save_full_log(path)
        else:
            lines = self._lines_to_save()
            self._set_save_status(f"saving {len(lines)} lines")
            self._save_buffer(path, lines)

    def _lines_to_save(self) -> list[str]:
        """The buffer as saved: each line's raw text, without dtui's notices."""
        return [entry.text for entry in self.view.entries if entry.kind != "notice"]

    def _set_save_status(self, status: str) -> None:
        self._save_status = status
        self._refresh_marker()

    @work(group="logs-save", thread=True, exit_on_error=False)
    def _save_buffer(self, path: str, lines: list[str]) -> None:
        """Write the buffer's lines to a new file (in a thread: file I/O)."""
        try:
            written = write_new_file(path, lines)
        except OSError as error:
            self.post_message(LogSaveFailed(path, error.strerror or str(error)))
            return
        self.post_message(LogSaved(path, written, full=False))

    @work(group="logs-save", exit_on_error=False)
    async def _save_full_log(self, path: str) -> None:
        """Fetch the complete log afresh (both streams, no timestamps) into a new file."""
        client: EngineClient = client_for(self.app, self.host)
        try:
            handle = await asyncio.to_thread(
                open, path, "x", encoding="utf-8", errors="surrogateescape", newline=""
            )
        except OSError as error:
            self.post_message(LogSaveFailed(path, error.strerror or str(error)))
            return
        written = 0
        try:
            tty = self.tty
            if tty is None:
                tty = (await client.containers.inspect(self.container.id)).tty
            chunk: list[str] = []
            async for line in client.containers.logs(self.container.id, tty=tty, tail="all"):
                chunk.append(line.text + "\n")
                if len(chunk) >= SAVE_CHUNK:
                    await asyncio.to_thread(handle.write, "".join(chunk))
                    written += len(chunk)
                    chunk = []
                    self.post_message(LogSaveProgressed(path, written))
            await asyncio.to_thread(handle.write, "".join(chunk))
            written += len(chunk)
        except EngineError as error:
            self.post_message(LogSaveFailed(path, "engine: " + error.message))
            return
        except OSError as error:
            self.post_message(LogSaveFailed(path, error.strerror or str(error)))
            return
        finally:
            await asyncio.to_thread(handle.close)
        self.post_message(LogSaved(path, written, full=True))

    def on_log_save_progressed(self, message: LogSaveProgressed) -> None:
        self._set_save_status(f"saving full log: {message.lines} lines")

    def on_log_saved(self, message: LogSaved) -> None:
        self._set_save_status("")
        what = "full log" if message.full else "buffer"
        self.notify(f"Saved {what}: {message.lines} lines to {message.path}", markup=False)

    def on_log_save_failed(self, message: LogSaveFailed) -> None:
        self._set_save_status("")
        reason = safe_plain(message.reason, max_length=300)
        self.notify(f"Could not save {message.path}: {reason}", severity="error", markup=False)

    def action_prompt_since(self) -> None:
        """Ask from when to show lines."""
        since = self.options.since.isoformat() if self.options.since else ""
        self._open_prompt("since", since, "since: 10m, 1h, 2d, 2026-11-28T01:00:00Z (empty: no limit)")

    # -------------------------------------------------------------- prompt

    def _open_prompt(self, kind: PromptKind, value: str, placeholder: str) -> None:
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
        if self._prompt_kind == "search":
            self._search_submitted(event.value)
            return
        if self._prompt_kind == "save":
            self._save_submitted(event.value)
            return
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
