"""What every log screen shares: the layout, the batched intake, the marker line, prompts.

Layout: a status line, the `LogView`, a marker line (live or paused, lines held, search,
save progress) and a prompt that opens under it. Intake: lines (and notices of dtui's own)
arrive into a bounded pending buffer from the screen's workers; a 50 ms timer moves them
into the view in one batch, so a flood costs one repaint per tick, not one per line.

The screens are built in layers, each a module: this base; ``search.py`` adds search and
filter; ``save.py`` saving; ``screen.py`` (`LogScreen`, over any `LogSource`) and
``merged.py`` (`MergedLogScreen`, several containers in timestamp order) are the screens.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from dtui.engine.streams import LogLine
from dtui.ui.logs.source import Tail
from dtui.ui.logs.view import DEFAULT_MAX_LINES, LogView
from dtui.ui.worker_errors import ReportsWorkerErrors

StreamChoice = Literal["both", "stdout", "stderr"]
DEFAULT_TAIL: Final = 1000
FLUSH_INTERVAL: Final = 0.05
"""Seconds between two batches moved from the stream into the view."""
YIELD_EVERY: Final = 256
"""Lines read between two explicit yields to the event loop."""

PromptKind = Literal["tail", "since", "search", "save"]


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


@dataclass(frozen=True, slots=True)
class Notice:
    """A line of dtui's own, queued with the log lines so it lands in stream order."""

    text: str


class LogScreenBase(ReportsWorkerErrors, Screen[None]):
    """Layout, intake, marker and prompts of a log screen (subclasses start the streams).

    Args:
        max_lines: Lines kept in memory (the oldest are dropped beyond it).
        tail: Lines to start with.
    """


    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, tail: Tail = DEFAULT_TAIL) -> None:
        super().__init__()
        self.max_lines = max_lines
        self.options = LogOptions(tail=tail)
        self.state = "connecting"
        self._pending: deque[LogLine | Notice] = deque(maxlen=max_lines)
        self._prompt_kind: PromptKind | None = None

    # -------------------------------------------------------------- hooks

    def _start(self) -> None:
        """Start reading (called once the screen is mounted)."""

    def _refresh_status(self) -> None:
        """Redraw the status line."""

    def _marker_extra(self) -> Text:
        """What the marker line says after live/paused (search, save progress)."""
        return Text()

    def _prompt_value_submitted(self, kind: PromptKind, value: str) -> None:
        """A prompt of ``kind`` was submitted with ``value``."""

    # -------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Static(id="logs-status")
        yield LogView(self.max_lines, id="logs-view")
        yield Static(id="logs-marker")
        yield Input(id="logs-prompt", select_on_focus=False)
        yield Footer()

    @property
    def view(self) -> LogView:
        """The log view."""
        return self.query_one(LogView)

    @property
    def prompt(self) -> Input:
        """The prompt under the view (hidden while not asking)."""
        return self.query_one("#logs-prompt", Input)

    def on_mount(self) -> None:
        self.prompt.display = False
        for name in ("new_lines", "live", "match_count", "match_position", "searching"):
            self.watch(self.view, name, self._refresh_marker, init=False)
        self.set_interval(FLUSH_INTERVAL, self._flush_pending)
        self.view.focus()
        self._refresh_status()
        self._refresh_marker()
        self._start()

    def _refresh_marker(self, *_: object) -> None:
        view = self.view
        marker = self.query_one("#logs-marker", Static)
        if view.live:
            line = Text(f"live · {view.line_count} lines", no_wrap=True, overflow="ellipsis")
        else:
            line = Text(
                f"paused · +{view.new_lines} new lines · G/End: back to live", no_wrap=True, overflow="ellipsis"
            )
        line.append_text(self._marker_extra())
        marker.update(line, layout=False)
        marker.set_class(not view.live, "-frozen")

    def _set_state(self, state: str) -> None:
        self.state = state
        self._refresh_status()

    # -------------------------------------------------------------- intake

    def _flush_pending(self) -> None:
        """Move what the workers queued into the view, in one batch."""
        if not self._pending:
            return
        items = list(self._pending)
        self._pending.clear()
        self._show_items(items)
        if self.view.live:
            self._refresh_marker()

    def _show_items(self, items: Iterable[LogLine | Notice]) -> None:
        """Append lines to the view in runs, notices in place."""
        view = self.view
        run: list[LogLine] = []
        for item in items:
            if isinstance(item, Notice):
                view.append_lines(self._for_view(run))
                run = []
                view.append_notice(item.text)
            else:
                run.append(item)
        view.append_lines(self._for_view(run))

    def _for_view(self, lines: list[LogLine]) -> list[LogLine]:
        """The lines as the view shows them (a labelled source prefixes its labels)."""
        return lines

    # -------------------------------------------------------------- common actions

    def action_close(self) -> None:
        """Close the prompt if one is open, else leave the screen."""
        if self._prompt_kind is not None:
            self._close_prompt()
            return
        self.dismiss(None)

    def action_top(self) -> None:
        """Go to the first line held (freezes the view)."""
        self.view.go_top()

    def action_live(self) -> None:
        """Go to the last line and follow new ones."""
        self.view.go_live()

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

    # -------------------------------------------------------------- prompt

    def _open_prompt(self, kind: PromptKind, value: str, placeholder: str) -> None:
        prompt = self.prompt
        self._prompt_kind = kind
        prompt.placeholder = placeholder
        prompt.border_title = kind
        prompt.display = True
        # Filled now, not after a refresh: keys typed right after the one that opened the
        # prompt reach it once it has focus (`dtui.ui.type_ahead`) and must not be overwritten.
        self._fill_prompt(value)
        prompt.focus()

    def _fill_prompt(self, value: str) -> None:
        prompt = self.prompt
        prompt.value = value
        prompt.cursor_position = len(value)

    def _close_prompt(self) -> None:
        self._prompt_kind = None
        self.prompt.display = False
        self.view.focus()

    @on(Input.Submitted, "#logs-prompt")
    def _prompt_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._prompt_kind is not None:
            self._prompt_value_submitted(self._prompt_kind, event.value)
