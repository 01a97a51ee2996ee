"""Scale a container: the selected one is the template, N counts the whole group.

The screen reads the template and its existing copies, asks for N, the name pattern and
the first host port of each published port, previews the plan as it is typed, confirms
removals, then runs it copy by copy and shows each result. The result is the list of
per-copy results (empty when nothing ran), or None when closed before applying.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from dtui.config import Config
from dtui.engine.errors import EngineError
from dtui.engine.models import ContainerDetail, ContainerSummary
from dtui.engine.spec import ContainerSpec
from dtui.core.hosts import client_for
from dtui.ui.safe_text import safe_line
from dtui.core.scale import (
    DEFAULT_PATTERN,
    CopyResult,
    ScaleError,
    ScalePlan,
    base_name,
    default_first_ports,
    execute_plan,
    group_filters,
    plan_scale,
    template_index,
)
from dtui.ui.screens.choice import ChoiceScreen
from dtui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


@dataclass
class GroupLoaded(Message):
    """The template was inspected and its copies listed."""

    detail: ContainerDetail
    copies: list[ContainerSummary]


@dataclass
class GroupLoadFailed(Message):
    """Reading the template or its copies failed."""

    error: EngineError


@dataclass
class CopyFinished(Message):
    """One copy was created/started or removed (or failed)."""

    result: CopyResult


@dataclass
class ScaleFinished(Message):
    """Every copy of the plan was handled."""

    results: list[CopyResult]


class ScaleScreen(ReportsWorkerErrors, ModalScreen[list[CopyResult] | None]):
    """Ask for N, pattern and first ports; preview; apply.

    Args:
        container: The template.
    """

    CSS_PATH = "../forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", priority=True, id="scale.apply"),
        Binding("escape", "close", "Close", id="scale.close"),
    ]

    def __init__(self, container: ContainerSummary, *, host: str | None = None) -> None:
        super().__init__()
        self.container = container
        self.host = host  # the engine the container lives on (None: the current one)
        self._detail: ContainerDetail | None = None
        self._template_spec: ContainerSpec | None = None
        self._copies: list[ContainerSummary] = []
        self._results: list[CopyResult] | None = None
        self._applying = False

    @property
    def client(self) -> EngineClient:
        """The engine client of this screen's host (``DtuiApp.client_for``)."""
        return client_for(self.app, self.host)

    def compose(self) -> ComposeResult:
        title = Text("Scale ", style="bold")
        title.append_text(safe_line(self.container.name, max_length=50))
        with Vertical(id="scale-panel", classes="panel"):
            yield Static(title, classes="panel-title")
            with VerticalScroll(id="scale-form"):
                with Horizontal(classes="field"):
                    yield Label("N", classes="field-label")
                    yield Input("", type="integer", placeholder="how many in the group", id="scale-count", compact=True)
                with Horizontal(classes="field"):
                    yield Label("Pattern", classes="field-label")
                    yield Input(DEFAULT_PATTERN, id="scale-pattern", compact=True)
                yield Vertical(id="scale-ports")
                yield Static(Text("Reading the group…"), id="scale-plan")
                yield Static("", id="scale-results")
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="scale-apply", compact=True, disabled=True)
                yield Button("Close", id="scale-close", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scale-ports").styles.height = "auto"
        self.query_one("#scale-count", Input).focus()
        self.load_group()

    # ----- reading the group ------------------------------------------------

    @work(group="scale-load", exclusive=True, exit_on_error=False)
    async def load_group(self) -> None:
        """Inspect the template and list its copies (latest request wins)."""
        try:
            detail = await self.client.containers.inspect(self.container.id)
            copies = await self.client.containers.list(all=True, filters=group_filters(self.container.name))
        except EngineError as error:
            self.post_message(GroupLoadFailed(error))
            return
        self.post_message(GroupLoaded(detail, copies))

    async def on_group_loaded(self, message: GroupLoaded) -> None:
        first_time = self._detail is None
        self._detail = message.detail
        self._template_spec = ContainerSpec.from_detail(message.detail)
        self._copies = message.copies
        if first_time:
            await self._mount_port_fields()
            count = self.query_one("#scale-count", Input)
            if not count.value:
                count.value = str(self._group_size())
        self.query_one("#scale-apply", Button).disabled = False
        self._preview()

    def on_group_load_failed(self, message: GroupLoadFailed) -> None:
        text = Text("Could not read the group: ", style="bold")
        text.append_text(safe_line(message.error.message, max_length=400))
        self.query_one("#scale-plan", Static).update(text)

    def _group_size(self) -> int:
        """N as it is now (the template counts when it is a member)."""
        try:
            plan = plan_scale(self.container, self._copies, 0, pattern=DEFAULT_PATTERN)
        except ScaleError:
            plan = plan_scale(self.container, self._copies, 1, pattern=DEFAULT_PATTERN)
        return len(plan.keep) + len(plan.remove)

    async def _mount_port_fields(self) -> None:
        assert self._template_spec is not None
        ports = self._template_spec.ports
        own = template_index(self.container.name, DEFAULT_PATTERN, base_name(self.container.name))
        firsts = default_first_ports(ports, own)
        rows = []
        for position, port in enumerate(dict.fromkeys(p.key for p in ports)):
            first = firsts.get(port)
            field = Input(
                "" if first is None else str(first),
                type="integer",
                placeholder="engine picks",
                id=f"scale-port-{position}",
                compact=True,
            )
            field.port_key = port  # type: ignore[attr-defined]
            rows.append(Horizontal(Label(safe_line(f"{port} ←"), classes="field-label"), field, classes="field"))
        if rows:
            await self.query_one("#scale-ports").mount_all(rows)

    # ----- the plan ---------------------------------------------------------

    def current_plan(self) -> ScalePlan:
        """The plan for what the fields hold now.

        Raises:
            ScaleError: When a field is wrong (the message says which).
        """
        if self._template_spec is None:
            raise ScaleError("the group is still being read")
        count_text = self.query_one("#scale-count", Input).value.strip()
        if not count_text.lstrip("-").isdigit():
            raise ScaleError("N must be a whole number")
        firsts: dict[str, int | None] = {}
        for field in self.query("#scale-ports Input").results(Input):
            text = field.value.strip()
            if text and not text.isdigit():
                raise ScaleError(f"first port for {field.port_key} must be a number")  # type: ignore[attr-defined]
            firsts[field.port_key] = int(text) if text else None  # type: ignore[attr-defined]
        return plan_scale(
            self.container,
            self._copies,
            int(count_text),
            pattern=self.query_one("#scale-pattern", Input).value,
            template_ports=self._template_spec.ports,
            first_ports=firsts,
        )

    @on(Input.Changed)
    def _fields_changed(self, event: Input.Changed) -> None:
        if self._template_spec is not None:
            self._preview()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def _preview(self) -> None:
        plan_view = self.query_one("#scale-plan", Static)
        try:
            plan = self.current_plan()
        except ScaleError as error:
            plan_view.update(Text(str(error), style="bold"))
            return
        plan_view.update(describe_plan(plan))

    # ----- applying ---------------------------------------------------------

    def action_apply(self) -> None:
        """Confirm removals if any, then run the plan."""
        if self._applying or self._template_spec is None:
            return
        try:
            plan = self.current_plan()
        except ScaleError as error:
            self.query_one("#scale-plan", Static).update(Text(str(error), style="bold"))
            return
        if plan.is_empty:
            self.query_one("#scale-plan", Static).update(Text("Nothing to do: the group already has N members."))
            return
        if plan.remove and asks_before_removing(self.app):
            question = Text("Remove (force) these copies?\n")
            for member in plan.remove:
                question.append("  ")
                question.append_text(safe_line(member.name, max_length=60))
                question.append("\n")
            choices = [("Remove", True, "error"), ("Keep them", False, "default")]
            self.app.push_screen(
                ChoiceScreen("Scale down", question, choices), lambda yes: self._run(plan) if yes else None
            )
            return
        self._run(plan)

    def _run(self, plan: ScalePlan) -> None:
        self._applying = True
        self._results = []
        self.query_one("#scale-apply", Button).disabled = True
        self.query_one("#scale-results", Static).update(Text("Working…"))
        self.run_plan(plan)

    @work(group="scale", exit_on_error=False)
    async def run_plan(self, plan: ScalePlan) -> None:
        """Carry the plan out copy by copy, posting each result."""
        assert self._template_spec is not None

        def finished(result: CopyResult) -> None:
            self.post_message(CopyFinished(result))

        results = await execute_plan(self.client, plan, self._template_spec, finished)
        self.post_message(ScaleFinished(results))

    def on_copy_finished(self, message: CopyFinished) -> None:
        assert self._results is not None
        self._results.append(message.result)
        self.query_one("#scale-results", Static).update(describe_results(self._results))

    def on_scale_finished(self, message: ScaleFinished) -> None:
        self._applying = False
        self._results = message.results
        self.query_one("#scale-results", Static).update(describe_results(message.results))
        self.load_group()

    @on(Button.Pressed, "#scale-apply")
    def _apply_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_apply()

    @on(Button.Pressed, "#scale-close")
    def _close_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        """Close with the results (refused while a plan is running: it must finish first)."""
        if self._applying:
            self.app.notify("Scaling is in progress; wait for it to finish.", severity="warning", markup=False)
            return
        self.dismiss(self._results)


def asks_before_removing(app: object) -> bool:
    """``[confirm] scale_down`` of the app's config (apps without one ask): confirm removing copies."""
    config = getattr(app, "config", None)
    return not isinstance(config, Config) or config.confirms("scale_down")


def describe_plan(plan: ScalePlan) -> Text:
    """The plan as the preview shows it (names are untrusted: sanitized)."""
    text = Text()
    kept = ", ".join(member.name for member in plan.keep) or "none"
    text.append("Keep: ", style="bold")
    text.append_text(safe_line(kept, max_length=300))
    text.append("\nCreate: ", style="bold")
    if not plan.create:
        text.append("none")
    for copy in plan.create:
        ports = ", ".join(f"{p.host_port or 'auto'}→{p.key}" for p in copy.ports)
        text.append("\n  ")
        text.append_text(safe_line(copy.name, max_length=60))
        if ports:
            text.append(f"  {ports}")
    text.append("\nRemove: ", style="bold")
    removed = ", ".join(member.name for member in plan.remove) or "none"
    text.append_text(safe_line(removed, max_length=300))
    return text


def describe_results(results: list[CopyResult]) -> Text:
    """One line per copy: ✓/✗, action, name, and the daemon's text on failure."""
    text = Text()
    for number, result in enumerate(results):
        if number:
            text.append("\n")
        verb = "created" if result.action == "create" else "removed"
        if result.ok:
            text.append("✓ ", style="green")
            text.append(f"{verb} ")
            text.append_text(safe_line(result.name, max_length=60))
        else:
            text.append("✗ ", style="red")
            text.append(f"{result.action} ")
            text.append_text(safe_line(result.name, max_length=60))
            text.append(": ")
            text.append_text(safe_line(result.message, max_length=300))
    return text
