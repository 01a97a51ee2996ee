"""Small dialogs of the main screen, each returning a typed result.

Confirm ("... [y/N]"), signal picker, a typed single-value prompt (rename, engine filter),
remove options and a plain help list. Prompts reach the user as ``Text`` (never parsed as
markup): they may hold container names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from dtui.engine.spec import valid_name
from dtui.core.engine_filter import EngineFilter, parse_engine_filter
from dtui.ui.safe_text import safe_line

SIGNALS = ("TERM", "KILL", "HUP", "INT", "QUIT", "USR1", "USR2")
_SIGNAL_RULE = re.compile(r"^(?:SIG)?[A-Z0-9+-]+$|^\d+$")

ValueT = TypeVar("ValueT")
ResultT = TypeVar("ResultT")


def _prompt(text: Text | str) -> Text:
    return text if isinstance(text, Text) else Text(text)


def yes_no(question: Text) -> Text:
    """The question followed by a bold `` [y/N]``."""
    text = question.copy()
    text.append(" [y/N]", style="bold")
    return text


def named_question(before: str, name: str, after: str) -> Text:
    """``Rename <name> to:``: dtui's words around an untrusted name (sanitized, bold)."""
    question = Text(before)
    question.append_text(safe_line(name, max_length=60, style="bold"))
    question.append(after)
    return question


def option_line(chosen: bool, key: str, words: str) -> str:
    """``[x] f  force ...``: one option of an :class:`OptionsConfirm`."""
    return f"[{'x' if chosen else ' '}] {key}  {words}"


class QuestionScreen(ModalScreen[ResultT], Generic[ResultT]):
    """A dialog that asks a ``[y/N]`` question; subclasses add the keys and what else it shows.

    Args:
        question: The question (Text built with safe_line for container names).
    """

    def __init__(self, question: Text | str) -> None:
        super().__init__()
        self.question = _prompt(question)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(yes_no(self.question), id="question")
            yield from self.compose_more()

    def compose_more(self) -> ComposeResult:
        """What shows under the question (nothing by default)."""
        yield from ()


class ConfirmScreen(QuestionScreen[bool]):
    """Ask a yes/no question ending in "[y/N]": `y`/Enter confirm, `n`/Esc cancel.

    Args:
        question: The question (Text built with safe_line for container names).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)


def confirm_then(app: App[object], question: Text | str, then: Callable[[], object]) -> None:
    """Ask ``question`` with a :class:`ConfirmScreen`; run ``then`` on yes."""

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    app.push_screen(ConfirmScreen(question), answered)


@dataclass(frozen=True, slots=True)
class RemoveOptions:
    """What the remove dialog answered."""

    force: bool
    volumes: bool


class OptionsConfirm(QuestionScreen[ResultT | None], Generic[ResultT]):
    """A ``[y/N]`` question with options under it that keys toggle; Esc (or ``n``) gives None.

    A subclass declares the bindings, :meth:`options_text` (lines made with
    :func:`option_line`) and its confirm and toggle actions (a toggle calls
    :meth:`show_options`).

    Args:
        question: The question (callers sanitize the untrusted parts).
    """

    def compose_more(self) -> ComposeResult:
        yield Static(self.options_text(), id="options")

    def options_text(self) -> Text:
        """The options as they are chosen now."""
        raise NotImplementedError

    def show_options(self) -> None:
        """Show the options again (after a toggle)."""
        self.query_one("#options", Static).update(self.options_text())

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)


class RemoveScreen(OptionsConfirm[RemoveOptions]):
    """Confirm a removal with its options: `f` force, `v` anonymous volumes.

    Args:
        question: What will be removed.
        force: Preselect force (a running container cannot be removed without it).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "confirm", "Remove", id="remove.yes"),
        Binding("n,escape", "cancel", "Cancel", id="remove.no"),
        Binding("f", "toggle_force", "Force", id="remove.force"),
        Binding("v", "toggle_volumes", "Volumes", id="remove.volumes"),
    ]

    def __init__(self, question: Text | str, *, force: bool = False) -> None:
        super().__init__(question)
        self.force = force
        self.volumes = False

    def options_text(self) -> Text:
        """Force and volumes."""
        return Text("\n".join((
            option_line(self.force, "f", "force (kill a running container first)"),
            option_line(self.volumes, "v", "remove its anonymous volumes"),
        )))

    def action_toggle_force(self) -> None:
        """Flip the force option."""
        self.force = not self.force
        self.show_options()

    def action_toggle_volumes(self) -> None:
        """Flip the volumes option."""
        self.volumes = not self.volumes
        self.show_options()

    def action_confirm(self) -> None:
        """Remove with the chosen options."""
        self.dismiss(RemoveOptions(force=self.force, volumes=self.volumes))


class SignalPicker(ModalScreen[str | None]):
    """Pick a signal from the list or type one (name like ``USR1``/``SIGUSR1``, or number)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="signal.cancel"),
    ]

    def __init__(self, question: Text | str) -> None:
        super().__init__()
        self.question = _prompt(question)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield OptionList(*(Option(Text(name), id=name) for name in SIGNALS), id="signals")
            yield Input(placeholder="or type a signal (e.g. WINCH, 10) and Enter", id="typed")
            yield Static("", id="error", classes="error")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        signal = event.value.strip().upper()
        if _SIGNAL_RULE.match(signal):
            self.dismiss(signal)
        else:
            self.query_one("#error", Static).update(Text("not a signal name or number", style="red"))

    def action_cancel(self) -> None:
        """Send nothing."""
        self.dismiss(None)


class ValuePrompt(ModalScreen[ValueT | None], Generic[ValueT]):
    """Ask for one typed value: Enter closes with it once :meth:`parse` accepts it, Esc with None.

    A subclass declares its own ``escape`` binding to :meth:`action_cancel` (the binding id is
    its keymap name) and :meth:`parse`; with :attr:`CHECK_AS_TYPED` the problem shows as
    the user types, else when Enter is refused.

    Args:
        question: The prompt (callers sanitize the untrusted parts).
        value: The text to start from.
        input_id: The input's id.
        placeholder: What the empty input shows.
        restrict: A regular expression the input's text must match.
    """

    CHECK_AS_TYPED: ClassVar[bool] = False

    def __init__(
        self, question: Text, value: str = "", *, input_id: str = "value", placeholder: str = "",
        restrict: str | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self._start = value
        self._input_id = input_id
        self._placeholder = placeholder
        self._restrict = restrict

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Input(self._start, placeholder=self._placeholder, id=self._input_id, restrict=self._restrict)
            yield Static("", id="error", classes="error")

    def parse(self, text: str) -> ValueT:
        """The value the input's text stands for.

        Raises:
            ValueError: What is wrong with it, in words for the user.
        """
        raise NotImplementedError

    def _problem(self, text: str) -> str:
        try:
            self.parse(text)
        except ValueError as error:
            return str(error)
        return ""

    def _show_problem(self, problem: str) -> None:
        self.query_one("#error", Static).update(safe_line(problem, style="red"))

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        if self.CHECK_AS_TYPED:
            self._show_problem(self._problem(event.value))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            value = self.parse(event.value)
        except ValueError as error:
            self._show_problem(str(error))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)


class RenamePrompt(ValuePrompt[str]):
    """Ask for a new container name, checked as you type against the engine's rule.

    Args:
        current: The container's current name (prefilled).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="rename.cancel"),
    ]
    CHECK_AS_TYPED = True

    def __init__(self, current: str) -> None:
        super().__init__(named_question("Rename ", current, " to:"), current, input_id="name")
        self.current = current

    @staticmethod
    def problem(name: str) -> str:
        """Why the engine would refuse ``name`` ("" when it is acceptable)."""
        if valid_name(name):
            return ""
        return "2+ characters: a letter or digit, then letters, digits, _ . -"

    def parse(self, text: str) -> str:
        """The new name (refused when the engine would refuse it)."""
        problem = self.problem(text)
        if problem:
            raise ValueError(problem)
        return text


class FilterPrompt(ValuePrompt[EngineFilter]):
    """Ask for the engine filter (``status=exited label=env=prod limit=5 size=1``).

    Args:
        current: The filter text in use (prefilled).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
    ]

    def __init__(self, current: str) -> None:
        question = Text(
            "Engine filter (key=value words; empty clears), e.g.\n"
            "status=exited label=env=prod ancestor=nginx name=web publish=9001 limit=5 size=1"
        )
        super().__init__(question, current, input_id="filter")
        self.current = current

    def parse(self, text: str) -> EngineFilter:
        """The filter (raises :class:`FilterSyntaxError`, a ValueError)."""
        return parse_engine_filter(text)


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened from (Esc, q or ? closes).

    Args:
        title: What the keys belong to.
        rows: (key, description) pairs.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        text = Text(f"{self.title_text}\n\n", style="bold")
        width = max((len(key) for key, _ in self.rows), default=0)
        for key, description in self.rows:
            if not key:
                text.append(f"\n{description}\n", style="bold underline")
                continue
            text.append(f"{key:>{width}}  ", style="bold cyan")
            text.append(f"{description}\n", style="")
        text.append("\nEsc closes", style="dim")
        with VerticalScroll(classes="dialog help"):
            yield Static(text)

    def action_close(self) -> None:
        """Back to the screen."""
        self.dismiss(None)


def current_keys(node: DOMNode, binding: Binding) -> str:
    """The keys bound to ``binding`` on ``node`` now, after the user's remaps."""
    remapped = node._bindings.copy()
    remapped.apply_keymap(node.app._keymap)
    keys = [
        node.app.get_key_display(bound)
        for bound_list in remapped.key_to_bindings.values()
        for bound in bound_list
        if bound.id == binding.id and bound.action == binding.action
    ]
    return ", ".join(dict.fromkeys(keys)) or node.app.get_key_display(binding)


def help_rows(node: DOMNode, bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) rows for a node's bindings, with the user's remaps applied."""
    return [(current_keys(node, b), b.description) for b in bindings if isinstance(b, Binding)]
