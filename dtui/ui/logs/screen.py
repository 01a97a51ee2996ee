"""The log screen: one log source, live, bounded, with options changeable while open.

Data flow: one worker (group ``logs``, exclusive: the latest request wins) reads the
source's stream (`LogSource.follow`) and puts its batches into the bounded pending buffer
(see ``base.py``); what happened to the stream (`SourceStatus`) arrives as a past-tense
message, after the lines before it are shown.

The source is one container's log (`ContainerLogSource`, when the screen is given a
container) or any other `LogSource` (a service's log...). A labelled source's lines start
with their label in its own colour, as in the merged view.

Resuming without duplicates is the source's: the screen keeps one `ResumeFilter` for its
buffer, reset when the buffer is cleared (tail, since or stream changed), kept when follow
is turned back on (the stream then resumes after the last line shown).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, replace
from typing import ClassVar, Final

from rich.text import Text
from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from dtui.engine.log_follow import ResumeFilter
from dtui.engine.models import ContainerSummary
from dtui.engine.streams import LogLine
from dtui.core.hosts import client_for
from dtui.ui.logs.base import DEFAULT_TAIL, Notice, PromptKind, StreamChoice
from dtui.ui.logs.labels import LabelColumn, unlabel
from dtui.ui.logs.options import parse_since, parse_tail
from dtui.ui.logs.save import LogSaveScreen
from dtui.ui.logs.source import (
    ContainerLogSource,
    LogRequest,
    LogSource,
    SourceStatus,
    Tail,
)
from dtui.ui.logs.view import DEFAULT_MAX_LINES
from dtui.ui.safe_text import safe_line
from dtui.ui.worker_errors import report_error

_STREAM_CYCLE: Final[dict[StreamChoice, StreamChoice]] = {
    "both": "stdout",
    "stdout": "stderr",
    "stderr": "both",
}


@dataclass
class LogSourceChanged(Message):
    """The stream of generation ``generation`` reported ``status``."""

    generation: int
    status: SourceStatus


class LogScreen(LogSaveScreen):
    """Live logs of one source (a container, or any `LogSource`).

    Args:
        source: The container whose log to show, or a source.
        max_lines: Lines kept in memory (the oldest are dropped beyond it).
        tail: Lines fetched when the screen opens (a count or ``"all"``).
        host: The engine a container lives on (None: the current one); unused with a
            source, which knows its engine.
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

    def __init__(
        self,
        source: ContainerSummary | LogSource,
        max_lines: int = DEFAULT_MAX_LINES,
        tail: Tail = DEFAULT_TAIL,
        *,
        host: str | None = None,
    ) -> None:
        super().__init__(max_lines, tail)
        self.host = host
        self.container = source if isinstance(source, ContainerSummary) else None
        if isinstance(source, ContainerSummary):
            source = ContainerLogSource(source, lambda: client_for(self.app, host))
        self.source: LogSource = source
        self.tty: bool | None = None
        self._generation = 0
        self._resume = ResumeFilter()
        self._labels = LabelColumn() if source.labelled else None

    def action_help(self) -> None:
        """List this screen's keys (after the user's remaps)."""
        from dtui.ui.screens.modals import HelpScreen, help_rows

        self.app.push_screen(HelpScreen("Logs: keys", help_rows(self, self.BINDINGS)))

    def _start(self) -> None:
        self._restart(clear=True)

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "logs")

    # -------------------------------------------------------------- status

    def _refresh_status(self) -> None:
        options = self.options
        since = options.since.strftime("%Y-%m-%d %H:%M:%S") if options.since else "—"
        stream = "tty" if self.tty else options.stream
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append_text(safe_line(self.source.name, max_length=30))
        line.append(f"  {self.state}", style="bold")
        line.append(
            f"  follow {'on' if options.follow else 'off'} · tail {options.tail} · since {since}"
            f" · {stream} · ts {'on' if options.timestamps else 'off'}"
            f" · wrap {'on' if options.wrap else 'off'}"
        )
        self.query_one("#logs-status", Static).update(line, layout=False)

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
        options = self.options
        request = LogRequest(
            follow=options.follow, tail=options.tail, since=options.since,
            stdout=options.stream != "stderr", stderr=options.stream != "stdout", resume=not clear,
        )
        self._stream_logs(self._generation, request)

    def _stop_stream(self) -> None:
        self._generation += 1
        self.workers.cancel_group(self, "logs")
        self._flush_pending()

    @work(group="logs", exclusive=True, exit_on_error=False)
    async def _stream_logs(self, generation: int, request: LogRequest) -> None:
        """Read the source's stream into the pending buffer until it ends (or forever).

        Args:
            generation: This stream's number; lines of an older one are never shown.
            request: What to read.
        """
        pending = self._pending
        async with aclosing(self.source.follow(request, self._resume)) as items:
            async for item in items:
                if generation != self._generation:
                    return
                if isinstance(item, list):
                    pending.extend(item)
                    # Buffered data never suspends the loop by itself: let keys and paints in.
                    await asyncio.sleep(0)
                    continue
                if item.notice is not None:
                    pending.append(Notice(item.notice))
                self.post_message(LogSourceChanged(generation, item))

    def on_log_source_changed(self, message: LogSourceChanged) -> None:
        if message.generation != self._generation:
            return
        self._flush_pending()
        status = message.status
        if status.tty is not None:
            self.tty = status.tty
            self.view.show_gutter = not status.tty
        self._set_state(status.state)
        if status.error is not None:
            self._report(status)

    def _report(self, status: SourceStatus) -> None:
        assert status.error is not None
        report_error(self, status.error, f"logs of {self.source.name}")

    def _for_view(self, lines: list[LogLine]) -> list[LogLine]:
        labels = self._labels
        if labels is None:
            return lines
        return [
            line if line.source is None else LogLine(labels.prefix(line.source) + line.text, line.stream, line.timestamp)
            for line in lines
        ]

    # -------------------------------------------------------------- save

    def _save_name(self) -> str:
        return self.source.name

    def _lines_to_save(self) -> list[str]:
        lines = super()._lines_to_save()
        return lines if self._labels is None else [unlabel(line) for line in lines]

    def _read_all(self) -> AsyncGenerator[list[LogLine], None]:
        return self.source.read_all()

    # -------------------------------------------------------------- actions

    def action_close(self) -> None:
        """Close the prompt if one is open, else stop the stream and leave the screen."""
        if self._prompt_kind is None:
            self._stop_stream()
        super().action_close()

    def action_toggle_follow(self) -> None:
        """Follow on: resume after the last line shown. Off: stop the stream, keep the lines."""
        self.options = replace(self.options, follow=not self.options.follow)
        if self.options.follow:
            self._restart(clear=False)
        else:
            self._stop_stream()
            self.view.append_notice("follow off: stream stopped (f to follow again)")
            self._set_state("paused")

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

    def _prompt_value_submitted(self, kind: PromptKind, value: str) -> None:
        if kind not in {"tail", "since"}:
            super()._prompt_value_submitted(kind, value)
            return
        try:
            if kind == "tail":
                options = replace(self.options, tail=parse_tail(value))
            else:
                options = replace(self.options, since=parse_since(value))
        except ValueError as error:
            self.notify(str(error), title="Invalid value", severity="warning", markup=False)
            return
        self._close_prompt()
        self.options = options
        self._restart(clear=True)
