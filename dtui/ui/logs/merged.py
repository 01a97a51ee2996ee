"""The merged log screen: the logs of several containers as one stream, in timestamp order.

Opened from the table with ``L`` (the marked containers, else every running one shown).

Data flow: one worker per container (group ``merged-<n>``) follows its log with a
`LogFollower` in batch mode (``timestamps=1``, the opening tail read apart, resumed without
duplicates after a stop, restart or engine outage) and hands lines and notices to one
`LogMerger`. The 50 ms flush timer of the log screens releases what the merger has due, in
the engine's timestamp order, into a bounded buffer of ``(source, item)`` pairs and, for
the containers shown, into the `LogView`. Nothing is shown until every opening tail is in
(at most `TAIL_WAIT` seconds), so the tails come out merged too.

Each line starts with its container's name (``labels.py``: safe, padded, coloured by a
hash of the name). Hiding a container (keys 1-9, or the picker) keeps its lines in the
buffer: the view is rebuilt from the buffer with the containers shown (in chunks of
`REBUILD_CHUNK` lines per event-loop turn when the buffer is large).

Search ``/ n N``, filter ``&``, save ``ctrl+s`` (the lines shown), live and scroll lock,
timestamps ``T``, wrap ``w`` and the prompts are the log screens' shared layers
(``base.py``, ``search.py``, ``save.py``); nothing of the single-source screen is used.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Coroutine, Iterable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from functools import partial
from time import monotonic
from typing import ClassVar, Final

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker

from dtui.engine.errors import EngineError, NotFound
from dtui.engine.log_follow import (
    EngineBack,
    EngineLost,
    FollowEvent,
    LogFollower,
    LogsEnded,
    LogsOpened,
    LogsResumed,
    TailEnded,
)
from dtui.engine.log_merge import DEFAULT_HOLD, LogMerger, Timed
from dtui.engine.models import ContainerSummary
from dtui.engine.streams import LogLine
from dtui.core.hosts import client_for
from dtui.ui.logs.base import Notice
from dtui.ui.logs.labels import (
    NAME_WIDTH_MAX,
    PALETTE,
    label_prefix,
    name_colour,
    name_label,
)
from dtui.ui.logs.picker import MergedSource, SourcePicker, source_status
from dtui.ui.logs.rows import format_timestamp
from dtui.ui.logs.save import LogSaveScreen
from dtui.ui.logs.view import DEFAULT_MAX_LINES
from dtui.ui.safe_text import safe_plain
from dtui.ui.worker_errors import report_error

__all__ = [
    "MERGED_TAIL", "NAME_WIDTH_MAX", "PALETTE", "REBUILD_CHUNK", "TAIL_WAIT", "MergedLogScreen",
    "MergedSource", "SourcePicker", "name_colour", "name_label",
]

MERGED_TAIL: Final = 200
"""Lines per container to start with."""

TAIL_WAIT: Final = 5.0
"""Seconds the view waits for every container's opening tail before showing what came."""

REBUILD_CHUNK: Final = 5000
"""Buffer items shown per event-loop turn when the view is rebuilt after a toggle."""

NUMBER_KEYS: Final = 9
"""Containers toggled by the keys 1-9; the picker (``c``) reaches every one."""

Item = LogLine | Notice


@dataclass
class MergedSourceChanged(Message):
    """A container's stream changed state (opened, stopped, resumed, removed...)."""

    index: int
    state: str


@dataclass
class MergedSourceFailed(Message):
    """The engine refused a container's stream."""

    index: int
    error: EngineError


class MergedLogScreen(LogSaveScreen, inherit_bindings=False):
    """Live logs of several containers, merged by the engine's timestamps.

    Args:
        sources: ``(host, container)`` pairs, in the order to number them.
        max_lines: Lines kept in memory, all containers together.
        tail: Lines per container to start with.
        hold: Seconds a live line waits for earlier-stamped lines of other containers.
    """

    CSS_PATH = "merged_logs.tcss"
    can_save_full = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="merged.close"),
        Binding("g,home", "top", "Top", id="merged.top", show=False),
        Binding("G,end", "live", "Live", id="merged.live"),
        Binding("T", "toggle_timestamps", "Times", id="merged.timestamps", show=False),
        Binding("w", "toggle_wrap", "Wrap", id="merged.wrap", show=False),
        Binding("slash", "prompt_search", "Search", id="merged.search"),
        Binding("n", "next_match", "Next", id="merged.next_match", show=False),
        Binding("N", "previous_match", "Previous", id="merged.previous_match", show=False),
        Binding("ampersand", "toggle_filter", "Filter", id="merged.filter"),
        Binding("ctrl+r", "toggle_regex", "Regex", id="merged.search_regex", show=False),
        Binding("ctrl+s", "save", "Save", id="merged.save"),
        Binding("c", "pick_sources", "Containers", id="merged.pick"),
        *(
            Binding(str(number), f"toggle_source({number - 1})", f"Show/hide container {number}",
                    id=f"merged.toggle_{number}", show=False)
            for number in range(1, NUMBER_KEYS + 1)
        ),
        Binding("0", "show_all", "Show every container", id="merged.show_all", show=False),
        Binding("question_mark", "help", "Help", id="merged.help"),
    ]

    def __init__(
        self,
        sources: Sequence[tuple[str, ContainerSummary]],
        max_lines: int = DEFAULT_MAX_LINES,
        tail: int = MERGED_TAIL,
        hold: float = DEFAULT_HOLD,
    ) -> None:
        if not sources:
            raise ValueError("a merged view needs at least one container")
        super().__init__(max_lines, tail)
        self.sources = [self._source(host, container) for host, container in sources]
        width = max(cell_len(source.label) for source in self.sources)
        for source in self.sources:
            source.prefix = label_prefix(source.label, source.colour, width)
        self.tail_lines = tail
        self._merger: LogMerger[Item] = LogMerger(len(self.sources), hold=hold, max_held=max_lines)
        self._merged: deque[tuple[int, Item]] = deque(maxlen=max_lines)
        self._released = 0  # items ever released into _merged
        self._rebuilds = 0  # the view was rebuilt this many times (a newer rebuild wins)
        self._rebuilding = False  # a chunked rebuild runs: released items wait for it

    @staticmethod
    def _source(host: str, container: ContainerSummary) -> MergedSource:
        name = container.name or container.short_id
        return MergedSource(host, container, name_label(name), name_colour(name))

    def on_unmount(self) -> None:
        for index in range(len(self.sources)):
            self.workers.cancel_group(self, f"merged-{index}")
        self.workers.cancel_group(self, "merged-rebuild")

    def action_help(self) -> None:
        """List this screen's keys (after the user's remaps)."""
        from dtui.ui.screens.modals import HelpScreen, current_keys, help_rows

        bindings = [b for b in self.BINDINGS if isinstance(b, Binding)]
        toggles = [b for b in bindings if b.action.startswith("toggle_source")]
        rows = help_rows(self, [b for b in bindings if b not in toggles])
        rows.append((" ".join(current_keys(self, b) for b in toggles), "Show/hide the container of that number"))
        self.app.push_screen(HelpScreen("Merged logs: keys", rows))

    # -------------------------------------------------------------- streams

    def _start(self) -> None:
        """Start one follower per container (once: the merged view never refetches)."""
        self._set_state("connecting")
        for index, source in enumerate(self.sources):
            self._run(partial(self._follow, index, source), f"merged-{index}", "follow a container's log")
        self.set_timer(TAIL_WAIT, self._stop_waiting_for_tails)

    def _run(
        self, work: Callable[[], Coroutine[None, None, None]], group: str, description: str, *, exclusive: bool = False
    ) -> Worker[None]:
        """Run ``work`` in a worker of ``group``.

        A name and description are given: Textual would otherwise ``repr()`` the work and
        its arguments (the whole buffer, for a rebuild).
        """
        return self.run_worker(
            work, name=group, description=description, group=group, exclusive=exclusive, exit_on_error=False
        )

    def _stop_waiting_for_tails(self) -> None:
        """Show what came: a tail still being read joins later (out of order if need be)."""
        for index in self._merger.waiting:
            self._merger.give_up(index)

    async def _follow(self, index: int, source: MergedSource) -> None:
        """Follow one container's log into the merger until the screen closes."""
        merger = self._merger
        tail: list[Timed[Item]] | None = []
        try:
            client = client_for(self.app, source.host)
            follower = LogFollower(client, source.container.id, tail=self.tail_lines, tail_apart=True)
            async with aclosing(follower.batches()) as items:
                async for item in items:
                    if isinstance(item, list):
                        if tail is not None:
                            tail.extend((line.timestamp, line) for line in item)
                        else:
                            now = monotonic()
                            for line in item:
                                merger.push(index, line.timestamp, line, now)
                        # Buffered data never suspends the loop by itself: let keys and paints in.
                        await asyncio.sleep(0)
                    elif isinstance(item, TailEnded):
                        merger.add_tail(index, tail or [])
                        tail = None
                    else:
                        self._followed(index, item)
        except NotFound:
            self._notice(index, "removed; its lines above stay readable")
            self.post_message(MergedSourceChanged(index, "removed"))
        except EngineError as error:
            self._notice(index, "stream failed: " + safe_plain(error.message, max_length=200))
            self.post_message(MergedSourceFailed(index, error))
        finally:
            merger.give_up(index)

    def _followed(self, index: int, event: FollowEvent) -> None:
        """Turn what happened to a container's stream into a notice and a state."""
        if isinstance(event, LogsOpened):
            self.post_message(MergedSourceChanged(index, "following"))
        elif isinstance(event, LogsEnded):
            if event.detail.running:
                self._notice(index, "stream ended (still running): reconnecting")
                self.post_message(MergedSourceChanged(index, "reconnecting"))
            else:
                self._notice(index, f"stopped (exit code {event.detail.exit_code}): waiting for it to start again")
                self.post_message(MergedSourceChanged(index, f"exited {event.detail.exit_code}"))
        elif isinstance(event, LogsResumed):
            self._notice(index, "running again: stream resumed")
            self.post_message(MergedSourceChanged(index, "following"))
        elif isinstance(event, EngineLost):
            if event.failures == 1:
                self._notice(index, "engine unreachable: retrying")
            self.post_message(MergedSourceChanged(index, "disconnected"))
        elif isinstance(event, EngineBack):
            self._notice(index, "engine back: stream resumed")

    def _notice(self, index: int, text: str) -> None:
        """Queue a line of dtui's own about one container, after its newest line."""
        self._merger.push(index, None, Notice(f"{self.sources[index].label}: {text}"), monotonic())

    def on_merged_source_changed(self, message: MergedSourceChanged) -> None:
        self.sources[message.index].state = message.state
        states = {source.state for source in self.sources}
        self._set_state("following" if "following" in states else min(states))

    def on_merged_source_failed(self, message: MergedSourceFailed) -> None:
        self.sources[message.index].state = "failed"
        self._refresh_status()
        report_error(self, message.error, f"logs of {self.sources[message.index].container.name}")

    # -------------------------------------------------------------- view

    def _flush_pending(self) -> None:
        """Move the lines the merger has due into the buffer and the view."""
        released = self._merger.release(monotonic())
        if not released:
            return
        self._merged.extend(released)
        self._released += len(released)
        if self._rebuilding:
            return  # the rebuild shows them when it is done
        self._show(released)
        if self.view.live:
            self._refresh_marker()

    def _show(self, items: Iterable[tuple[int, Item]]) -> None:
        """Append the items of the containers shown to the view, notices in place."""
        view = self.view
        sources = self.sources
        run: list[LogLine] = []
        for index, item in items:
            source = sources[index]
            if not source.shown:
                continue
            if isinstance(item, Notice):
                view.append_lines(run)
                run = []
                view.append_notice(item.text)
            else:
                run.append(LogLine(source.prefix + item.text, item.stream, item.timestamp))
        view.append_lines(run)

    def _set_shown(self, shown: Iterable[int]) -> None:
        """Show exactly these containers: the view is rebuilt from the buffer."""
        wanted = set(shown)
        for index, source in enumerate(self.sources):
            source.shown = index in wanted
        self.view.clear()
        self._rebuilds += 1
        items = list(self._merged)
        if len(items) <= REBUILD_CHUNK:
            self._rebuilding = False
            self._show(items)
        else:
            # Building view entries costs a few microseconds a line: in chunks, keys stay live.
            self._rebuilding = True
            rebuild = partial(self._rebuild, items, self._released, self._rebuilds)
            self._run(rebuild, "merged-rebuild", "rebuild the merged view", exclusive=True)
        self._refresh_status()
        self._refresh_marker()

    async def _rebuild(self, items: list[tuple[int, Item]], released: int, rebuild: int) -> None:
        """Show the buffer chunk by chunk, then what was released meanwhile.

        Args:
            items: The buffer when the rebuild started.
            released: Lines released until then (`_released`).
            rebuild: This rebuild's number; a newer one makes it stop.
        """
        for start in range(0, len(items), REBUILD_CHUNK):
            self._show(items[start : start + REBUILD_CHUNK])
            await asyncio.sleep(0)
            if rebuild != self._rebuilds:
                return
        meanwhile = min(self._released - released, len(self._merged))
        if meanwhile:
            self._show(list(self._merged)[-meanwhile:])
        self._rebuilding = False
        self._refresh_marker()

    def action_toggle_source(self, index: int) -> None:
        """Show or hide the container numbered ``index + 1``."""
        if index >= len(self.sources):
            self.notify(f"There is no container {index + 1} here", markup=False)
            return
        shown = {i for i, source in enumerate(self.sources) if source.shown}
        self._set_shown(shown ^ {index})

    def action_show_all(self) -> None:
        """Show every container again."""
        self._set_shown(range(len(self.sources)))

    def action_pick_sources(self) -> None:
        """Choose the containers shown from a list (space toggles, enter applies)."""

        def picked(shown: frozenset[int] | None) -> None:
            if shown is not None:
                self._set_shown(shown)

        self.app.push_screen(SourcePicker(self.sources), picked)

    # -------------------------------------------------------------- status

    def _refresh_status(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        shown = sum(source.shown for source in self.sources)
        line.append(f"merged {shown}/{len(self.sources)}", style="bold")
        line.append(f"  {self.state}  ")
        for number, source in enumerate(self.sources, 1):
            line.append_text(source_status(number, source))
            line.append(" ")
        options = self.options
        line.append(f" · ts {'on' if options.timestamps else 'off'} · wrap {'on' if options.wrap else 'off'}")
        self.query_one("#logs-status", Static).update(line, layout=False)

    # -------------------------------------------------------------- save

    def _save_name(self) -> str:
        return "merged"

    def _lines_to_save(self) -> list[str]:
        """Each line shown as ``[timestamp ]name  text`` (timestamp when ``T`` is on)."""
        width = max(cell_len(source.label) for source in self.sources)
        stamps = self.options.timestamps
        lines: list[str] = []
        for index, item in self._merged:
            source = self.sources[index]
            if isinstance(item, Notice) or not source.shown:
                continue
            stamp = format_timestamp(item.timestamp) if stamps else ""
            lines.append(f"{stamp}{source.label}{' ' * (width - cell_len(source.label))} {item.text}")
        return lines

