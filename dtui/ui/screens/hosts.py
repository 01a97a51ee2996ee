"""The host switcher (`H`): connected hosts, Docker contexts and recently used hosts.

Enter shows the highlighted host alone; Space checks or unchecks hosts and ctrl+s shows the
checked ones together in one table; the input takes a new address (``tcp://``,
``unix://``, ``ssh://``). The dialog only answers what was picked (a :class:`HostChoice`):
the main screen connects in a worker and keeps the previous hosts when that fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dtui.engine.contexts import DockerContext
from dtui.engine.endpoint import EndpointError, parse_host
from dtui.core.hosts import CONTEXT_PREFIX, DOWN, UP, context_target, host_label, list_contexts, target_context
from dtui.ui.safe_text import safe_line
from dtui.ui.worker_errors import ReportsWorkerErrors

CONNECTED = "connected"
CONTEXT = "context"
RECENT = "recent"
_STATE_WORDS = {UP: "up", DOWN: "down - retrying"}


@dataclass(frozen=True, slots=True)
class HostEntry:
    """One row of the switcher.

    Attributes:
        target: What connecting uses: an address or ``context:NAME``.
        label: The short name shown.
        kind: :data:`CONNECTED`, :data:`CONTEXT` or :data:`RECENT`.
        detail: The address behind it, or the connection state of a connected host.
    """

    target: str
    label: str
    kind: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class HostChoice:
    """What the switcher answered: show exactly ``targets`` (the first is the current host)."""

    targets: tuple[str, ...]


def switcher_entries(
    connected: Sequence[HostEntry], contexts: Sequence[DockerContext], recent: Sequence[str]
) -> list[HostEntry]:
    """The rows: connected hosts, then contexts, then recent hosts, each target once."""
    entries = list(connected)
    seen = {entry.target for entry in entries}
    for context in contexts:
        target = context_target(context.name)
        if target not in seen:
            entries.append(HostEntry(target, context.name, CONTEXT, context.host or "local socket"))
            seen.add(target)
    for target in recent:
        if target not in seen:
            entries.append(HostEntry(target, _recent_label(target), RECENT))
            seen.add(target)
    return entries


def _recent_label(target: str) -> str:
    """A remembered target's short name, as the connected hosts are named."""
    name = target_context(target)
    if name is not None:
        return name
    try:
        return host_label(parse_host(target))
    except (EndpointError, ValueError):
        return target


def address_problem(text: str) -> str:
    """Why a typed address cannot be used ("" when it can)."""
    value = text.strip()
    if not value:
        return "type an address, e.g. tcp://10.0.0.5:2376, unix:///run/docker.sock, ssh://user@box"
    if value.startswith(CONTEXT_PREFIX):
        return "" if value[len(CONTEXT_PREFIX):] else "context: needs a name"
    try:
        parse_host(value)
    except (EndpointError, ValueError) as error:
        return str(error)
    return ""


class HostSwitcher(ReportsWorkerErrors, ModalScreen[HostChoice | None]):
    """Pick the host(s) the table shows.

    Args:
        connected: The hosts shown now (checked at first).
        recent: Recently used targets, most recent first.
        contexts: The Docker contexts (None: read from the docker config directory).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_checked", "Check", id="hosts.toggle"),
        Binding("ctrl+s", "show_checked", "Show checked", priority=True, id="hosts.show_checked"),
        Binding("escape", "cancel", "Cancel", id="hosts.cancel"),
    ]

    def __init__(
        self,
        connected: Sequence[HostEntry],
        recent: Sequence[str] = (),
        contexts: Sequence[DockerContext] | None = None,
    ) -> None:
        super().__init__()
        found = list_contexts() if contexts is None else list(contexts)
        self.entries = switcher_entries(connected, found, recent)
        self.checked: set[str] = {entry.target for entry in connected}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog hosts"):
            yield Static(Text("Hosts", style="bold"))
            yield Static(Text("Enter: alone · Space: check · ctrl+s: checked together · Esc: cancel"))
            yield OptionList(*self._options(), id="hosts")
            yield Input(placeholder="or type tcp://host:2376, unix:///path, ssh://user@host and Enter", id="address")
            yield Static("", id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _options(self) -> list[Option]:
        return [Option(self._prompt(entry), id=str(index)) for index, entry in enumerate(self.entries)]

    def _prompt(self, entry: HostEntry) -> Text:
        text = Text("[x] " if entry.target in self.checked else "[ ] ", style="bold")
        text.append_text(safe_line(entry.label, max_length=36, style="bold"))
        text.append(f"  {entry.kind}", style="dim")
        detail = _STATE_WORDS.get(entry.detail, entry.detail) if entry.kind == CONNECTED else entry.detail
        if detail:
            text.append("  ")
            text.append_text(safe_line(detail, max_length=40, style="red" if entry.detail == DOWN else "dim"))
        return text

    def _highlighted(self) -> HostEntry | None:
        index = self.query_one(OptionList).highlighted
        return self.entries[index] if index is not None and 0 <= index < len(self.entries) else None

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(HostChoice((self.entries[int(event.option.id or 0)].target,)))

    def action_toggle_checked(self) -> None:
        """Check or uncheck the highlighted host."""
        entry = self._highlighted()
        if entry is None:
            return
        self.checked.symmetric_difference_update({entry.target})
        options = self.query_one(OptionList)
        options.replace_option_prompt_at_index(self.entries.index(entry), self._prompt(entry))

    def action_show_checked(self) -> None:
        """Show the checked hosts (and a typed address) together."""
        typed = self.query_one("#address", Input).value.strip()
        if typed and (problem := address_problem(typed)):
            self._error(problem)
            return
        targets = [entry.target for entry in self.entries if entry.target in self.checked]
        if typed:
            targets.append(typed)
        if not targets:
            self._error("check at least one host (Space)")
            return
        self.dismiss(HostChoice(tuple(dict.fromkeys(targets))))

    @on(Input.Submitted, "#address")
    def _typed(self, event: Input.Submitted) -> None:
        problem = address_problem(event.value)
        if problem:
            self._error(problem)
            return
        self.dismiss(HostChoice((event.value.strip(),)))

    def _error(self, problem: str) -> None:
        self.query_one("#error", Static).update(safe_line(problem, max_length=200))

    def action_cancel(self) -> None:
        """Keep the hosts shown now."""
        self.dismiss(None)
