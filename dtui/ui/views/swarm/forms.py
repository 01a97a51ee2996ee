"""The swarm dialogs: a typed replica count (``=``) and the create-service form (``c``).

The form is the container create form's kind (:class:`~dtui.ui.forms.workload.WorkloadForm`)
and reads the fields they share with its parser (:func:`~dtui.core.create_form.parse_workload`):
the same env, labels, command and port syntax; ports are published in ingress mode (the
routing mesh), so a host IP is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Checkbox, Input

from dtui.core.create_form import FieldError, WorkloadFields, parse_workload
from dtui.core.hosts import client_for
from dtui.engine.errors import EngineError
from dtui.engine.spec import SpecError
from dtui.engine.swarm_models import NewService
from dtui.ui.forms.workload import WorkloadForm, form_field, lines_area
from dtui.ui.safe_text import safe_line
from dtui.ui.screens.modals import ValuePrompt

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
class ServiceFields(WorkloadFields):
    """What the create-service form's fields hold, as typed."""

    replicas: str = "1"
    global_mode: bool = False


def build_service(fields: ServiceFields) -> NewService:
    """The service the fields describe.

    Raises:
        FieldError: Naming the field that is wrong.
    """
    workload = parse_workload(fields, missing_image="a service needs an image")
    try:
        replicas = parse_count(fields.replicas or "0")
    except ValueError as error:
        raise FieldError("replicas", f"replicas: {error}") from error
    try:
        return NewService(
            image=workload.image, name=workload.name, cmd=workload.cmd, env=workload.env, labels=workload.labels,
            ports=workload.ports, replicas=replicas, global_mode=fields.global_mode,
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


class ServiceCreateScreen(WorkloadForm):
    """The create-service form; its result is the new service's id, or None when cancelled.

    Args:
        host: The manager to create it on (None: the current host).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Create", priority=True, id="create_service.submit"),
        Binding("escape", "cancel", "Cancel", id="create_service.cancel"),
    ]

    def __init__(self, host: str | None = None) -> None:
        super().__init__()
        self.host = host

    def form_title(self) -> Text:
        """``Create service``."""
        return Text("Create service", style="bold")

    def compose_fields(self) -> ComposeResult:
        yield from form_field("Image", Input(placeholder="repo:tag (a local image works on one node)", id="image",
                                             compact=True))
        yield from form_field("Name", Input(placeholder="(engine picks)", id="name", compact=True))
        yield from form_field("Command", Input(placeholder="(image default) e.g. sleep 3600", id="command",
                                               compact=True))
        yield from form_field("Env", lines_area("", "env"))
        yield from form_field("Labels", lines_area("", "labels"))
        yield from form_field("Ports", Input(placeholder="8080:80 9000/udp (ingress: every node)", id="ports",
                                             compact=True))
        yield from form_field("Replicas", Input("1", id="replicas", restrict=r"[0-9]*", compact=True))
        yield Checkbox("Global (one task on every node; replicas ignored)", False, id="global")

    def on_mount(self) -> None:
        self.query_one("#image", Input).focus()

    def fields(self) -> ServiceFields:
        """What the form holds now."""
        return self.read_fields(
            ServiceFields,
            replicas=self.query_one("#replicas", Input).value,
            global_mode=self.query_one("#global", Checkbox).value,
        )

    def action_submit(self) -> None:
        """Check the form, then create the service."""
        if self._busy:
            return
        try:
            new = build_service(self.fields())
        except FieldError as error:
            self.refuse(error)
            return
        self.set_busy(True)
        self.create(new)

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
        self.set_busy(False)
        self.show_error(message.error.title, message.error.message)

    def on_service_created(self, message: ServiceCreated) -> None:
        for warning in message.warnings[:3]:
            self.notify(safe_line(warning, max_length=300).plain, title="Create service", severity="warning",
                        markup=False)
        self.dismiss(message.service_id)
