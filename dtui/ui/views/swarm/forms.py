"""The swarm dialogs: a typed replica count (``=``) and the create-service form (``c``).

The form reads its fields with the create form's parsers (:mod:`dtui.core.create_form`):
the same env, labels, command and port syntax; ports are published in ingress mode (the
routing mesh), so a host IP is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static, TextArea

from dtui.core.create_form import FieldError, check_name, parse_command, parse_env, parse_labels, parse_ports
from dtui.core.hosts import client_for
from dtui.engine.errors import EngineError
from dtui.engine.spec import SpecError
from dtui.engine.swarm_models import NewService
from dtui.ui.safe_text import safe_line
from dtui.ui.screens.modals import ValuePrompt
from dtui.ui.worker_errors import ReportsWorkerErrors

MAX_REPLICAS = 10_000
"""The most replicas the dialogs accept (a typo must not start a million tasks)."""


def parse_count(text: str) -> int:
    """A replica count typed by the user.

    Raises:
        ValueError: Not a whole number from 0 to :data:`MAX_REPLICAS`.
    """
    text = text.strip()
    if not text.isdigit() or int(text) > MAX_REPLICAS:
        raise ValueError(f"a whole number from 0 to {MAX_REPLICAS}")
    return int(text)


class CountPrompt(ValuePrompt[int]):
    """Ask for a replica count (Enter scales, Esc cancels).

    Args:
        question: What is scaled (sanitised by the caller).
        current: The count to start from.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="count.cancel")]

    def __init__(self, question: Text, current: int) -> None:
        super().__init__(question.copy().append(" Replicas:"), str(current), input_id="count", restrict=r"[0-9]*")
        self.current = current

    def parse(self, text: str) -> int:
        """The count (see :func:`parse_count`)."""
        return parse_count(text)


@dataclass(frozen=True, slots=True)
class ServiceFields:
    """What the create-service form's fields hold, as typed."""

    image: str = ""
    name: str = ""
    command: str = ""
    env: str = ""
    labels: str = ""
    ports: str = ""
    replicas: str = "1"
    global_mode: bool = False


def build_service(fields: ServiceFields) -> NewService:
    """The service the fields describe.

    Raises:
        FieldError: Naming the field that is wrong.
    """
    if not fields.image.strip():
        raise FieldError("image", "a service needs an image")
    name = fields.name.strip()
    problem = check_name(name) if name else None
    if problem:
        raise FieldError("name", problem)
    try:
        replicas = parse_count(fields.replicas or "0")
    except ValueError as error:
        raise FieldError("replicas", f"replicas: {error}") from error
    ports = parse_ports(fields.ports)
    try:
        return NewService(
            image=fields.image.strip(), name=name, cmd=parse_command(fields.command), env=parse_env(fields.env),
            labels=parse_labels(fields.labels), ports=ports, replicas=replicas, global_mode=fields.global_mode,
        )
    except SpecError as error:
        raise FieldError("ports" if "port" in str(error) else "image", str(error)) from error


@dataclass
class ServiceCreated(Message):
    """The engine created the service."""

    service_id: str
    warnings: tuple[str, ...]


@dataclass
class ServiceCreateFailed(Message):
    """The engine refused the service (nothing was created)."""

    error: EngineError


class ServiceCreateScreen(ReportsWorkerErrors, ModalScreen[str | None]):
    """The create-service form; its result is the new service's id, or None when cancelled.

    Args:
        host: The manager to create it on (None: the current host).
    """

    CSS_PATH = "../../forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Create", priority=True, id="create_service.submit"),
        Binding("escape", "cancel", "Cancel", id="create_service.cancel"),
    ]

    def __init__(self, host: str | None = None) -> None:
        super().__init__()
        self.host = host
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="create-panel", classes="panel"):
            yield Static(Text("Create service", style="bold"), classes="panel-title")
            with VerticalScroll(id="create-form"):
                yield from _field("Image", Input(placeholder="repo:tag (a local image works on one node)", id="image",
                                                 compact=True))
                yield from _field("Name", Input(placeholder="(engine picks)", id="name", compact=True))
                yield from _field("Command", Input(placeholder="(image default) e.g. sleep 3600", id="command",
                                                   compact=True))
                yield from _field("Env", _lines_area("env"))
                yield from _field("Labels", _lines_area("labels"))
                yield from _field("Ports", Input(placeholder="8080:80 9000/udp (ingress: every node)", id="ports",
                                                 compact=True))
                yield from _field("Replicas", Input("1", id="replicas", restrict=r"[0-9]*", compact=True))
                yield Checkbox("Global (one task on every node; replicas ignored)", False, id="global")
            yield Static("", id="create-error")
            with Horizontal(classes="buttons"):
                yield Button("Create", variant="primary", id="create-submit", compact=True)
                yield Button("Cancel", id="create-cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#image", Input).focus()

    def fields(self) -> ServiceFields:
        """What the form holds now."""
        return ServiceFields(
            image=self.query_one("#image", Input).value,
            name=self.query_one("#name", Input).value,
            command=self.query_one("#command", Input).value,
            env=self.query_one("#env", TextArea).text,
            labels=self.query_one("#labels", TextArea).text,
            ports=self.query_one("#ports", Input).value,
            replicas=self.query_one("#replicas", Input).value,
            global_mode=self.query_one("#global", Checkbox).value,
        )

    def show_error(self, title: str, message: str) -> None:
        """An error under the form (the message is untrusted: sanitised)."""
        text = Text(f"{title}: ", style="bold")
        text.append_text(safe_line(message, max_length=600))
        error = self.query_one("#create-error", Static)
        error.update(text)
        error.display = True

    def action_submit(self) -> None:
        """Check the form, then create the service."""
        if self._busy:
            return
        try:
            new = build_service(self.fields())
        except FieldError as error:
            self.show_error("Check the form", error.message)
            matches = self.query(f"#{error.field}")
            if matches:
                matches.first().focus()
            return
        self._busy = True
        self.query_one("#create-submit", Button).disabled = True
        self.create(new)

    def action_cancel(self) -> None:
        """Close without creating."""
        self.dismiss(None)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#create-submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#create-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @work(group="create-service", exit_on_error=False)
    async def create(self, new: NewService) -> None:
        """``POST /services/create`` (refused in read-only mode)."""
        if getattr(self.app, "read_only", False):
            self.post_message(ServiceCreateFailed(EngineError("dtui runs read-only")))
            return
        try:
            created = await client_for(self.app, self.host).swarm.create_service(new)
        except EngineError as error:
            self.post_message(ServiceCreateFailed(error))
            return
        self.post_message(ServiceCreated(created.id, created.warnings))

    def on_service_create_failed(self, message: ServiceCreateFailed) -> None:
        self._busy = False
        self.query_one("#create-submit", Button).disabled = False
        self.show_error(message.error.title, message.error.message)

    def on_service_created(self, message: ServiceCreated) -> None:
        for warning in message.warnings[:3]:
            self.notify(safe_line(warning, max_length=300).plain, title="Create service", severity="warning",
                        markup=False)
        self.dismiss(message.service_id)


def _field(label: str, widget: Input | TextArea) -> ComposeResult:
    with Horizontal(classes="field"):
        yield Label(label, classes="field-label")
        yield widget


def _lines_area(field_id: str) -> TextArea:
    return TextArea("", id=field_id, soft_wrap=False, compact=True, placeholder="KEY=VALUE, one per line")
