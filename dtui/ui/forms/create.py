"""The create form: a new container, or a duplicate of an existing one.

Push :class:`CreateScreen` (``c``) or :meth:`CreateScreen.duplicate` (``C``); the result is
the created container's id, or None when cancelled. Engine errors are shown under the
form with everything typed kept. When the create succeeds but the start right after it
fails (a busy host port answers 500 on start, not on create), the daemon's text is shown
and the user chooses to remove that container or keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from dtui.engine.errors import EngineError
from dtui.engine.models import ContainerDetail, ContainerSummary
from dtui.engine.spec import RESTART_POLICIES, ContainerSpec
from dtui.core.hosts import client_for
from dtui.core.create_form import FieldError, FormValues, build_spec, check_name, displayable, values_from_spec
from dtui.ui.safe_text import safe_line, safe_plain, strip_controls
from dtui.ui.forms.workload import WorkloadForm, form_field, lines_area
from dtui.ui.screens.choice import ChoiceScreen

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

MAX_IMAGES = 500
"""Local image tags offered in the picker (bounded: hosts can hold thousands)."""


@dataclass
class ImagesListed(Message):
    """The local image tags arrived."""

    tags: list[str]


@dataclass
class SourceInspected(Message):
    """The container to duplicate was inspected."""

    detail: ContainerDetail


@dataclass
class CreateFailed(Message):
    """The engine refused the create (nothing was created)."""

    error: EngineError
    context: str


@dataclass
class StartFailed(Message):
    """The container was created but did not start (a busy host port, typically)."""

    container_id: str
    error: EngineError


@dataclass
class ContainerCreated(Message):
    """Created (and started when asked)."""

    container_id: str
    warnings: tuple[str, ...]


@dataclass
class FailedContainerRemoved(Message):
    """The container that failed to start was removed (error None) or could not be."""

    container_id: str
    error: EngineError | None


class CreateScreen(WorkloadForm):
    """The create form.

    Args:
        prefill: Values to start from; fields the form does not show (tty, CPU cap) are
            carried over from it into the new container.
        name: The name to pre-fill.
        source: A container to duplicate: inspected on mount, then the form is pre-filled.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Create", priority=True, id="create.submit"),
        Binding("escape", "cancel", "Cancel", id="create.cancel"),
    ]

    def __init__(
        self,
        prefill: ContainerSpec | None = None,
        name: str = "",
        *,
        source: ContainerSummary | None = None,
        host: str | None = None,
    ) -> None:
        super().__init__()
        self.host = host  # the engine to create on (None: the current one)
        self._base = prefill
        self._values, self._stripped = displayable(
            values_from_spec(prefill, name) if prefill else FormValues(name=name), strip_controls
        )
        self._source = source
        self._start_error = ""

    @classmethod
    def from_detail(cls, detail: ContainerDetail, *, host: str | None = None) -> CreateScreen:
        """A form pre-filled from an inspected container, named ``<name>-copy``."""
        return cls(ContainerSpec.from_detail(detail), duplicate_name(detail.name), host=host)

    @classmethod
    def duplicate(cls, container: ContainerSummary, *, host: str | None = None) -> CreateScreen:
        """A form that inspects ``container`` (on ``host``) and pre-fills itself from it (``C``)."""
        return cls(source=container, host=host)

    @property
    def client(self) -> EngineClient:
        """The engine client of this screen's host (``DtuiApp.client_for``)."""
        return client_for(self.app, self.host)

    def form_title(self) -> Text:
        """``Create container``, or ``Duplicate <name>``."""
        if self._source is not None:
            return Text("Duplicate " + safe_plain(self._source.name, max_length=40), style="bold")
        return Text("Create container", style="bold")

    def compose_fields(self) -> ComposeResult:
        values = self._values
        yield from form_field("Image", Input(values.image, placeholder="repo:tag", id="image", compact=True))
        yield from form_field("Local", Select[str]([], prompt="pick a local image", id="image-picker", compact=True))
        yield from form_field("Name", Input(values.name, placeholder="(engine picks)", id="name", compact=True))
        yield Static("", id="name-error", classes="field-error")
        yield from form_field("Command", Input(values.command, placeholder="(image default)", id="command", compact=True))
        yield from form_field("Env", lines_area(values.env, "env"))
        yield from form_field("Labels", lines_area(values.labels, "labels"))
        yield from form_field("Workdir", Input(values.working_dir, id="working-dir", compact=True))
        yield from form_field(
            "Ports", Input(values.ports, placeholder="9001:80/tcp 127.0.0.1:9002:80", id="ports", compact=True)
        )
        yield from form_field(
            "Volumes", Input(values.volumes, placeholder="/host:/ctr:ro name:/data /anon", id="volumes", compact=True)
        )
        yield from form_field("Restart", self._restart_select(values.restart_policy))
        yield Checkbox("Start after create", values.start, id="start")

    @staticmethod
    def _restart_select(current: str) -> Select[str]:
        policies = list(RESTART_POLICIES)
        if current and current not in policies:
            policies.append(current)
        return Select[str](
            [(policy, policy) for policy in policies], value=current or "no", allow_blank=False, id="restart", compact=True
        )

    def on_mount(self) -> None:
        self.query_one("#image", Input).focus()
        self._show_name_problem(self._values.name)
        self._warn_if_stripped()
        self.list_images()
        if self._source is not None:
            self.set_busy(True, "Reading the container to duplicate…")
            self.inspect_source(self._source.id)

    # ----- reading the form -------------------------------------------------

    def form_values(self) -> FormValues:
        """What the fields hold now."""
        return self.read_fields(
            FormValues,
            working_dir=self.query_one("#working-dir", Input).value,
            volumes=self.query_one("#volumes", Input).value,
            restart_policy=str(self.query_one("#restart", Select).value),
            start=self.query_one("#start", Checkbox).value,
        )

    def fill(self, values: FormValues) -> None:
        """Replace every field's content."""
        for field_id, text in (
            ("image", values.image),
            ("name", values.name),
            ("command", values.command),
            ("working-dir", values.working_dir),
            ("ports", values.ports),
            ("volumes", values.volumes),
        ):
            self.query_one(f"#{field_id}", Input).value = text
        self.query_one("#env", TextArea).text = values.env
        self.query_one("#labels", TextArea).text = values.labels
        restart = self.query_one("#restart", Select)
        if values.restart_policy not in RESTART_POLICIES:
            restart.set_options([(p, p) for p in (*RESTART_POLICIES, values.restart_policy)])
        restart.value = values.restart_policy
        self.query_one("#start", Checkbox).value = values.start

    # ----- inline feedback --------------------------------------------------

    @on(Input.Changed, "#name")
    def _name_changed(self, event: Input.Changed) -> None:
        self._show_name_problem(event.value)

    def _show_name_problem(self, name: str) -> None:
        problem = check_name(name.strip())
        self.query_one("#name-error", Static).update(Text(problem or ""))
        self.query_one("#name-error").display = problem is not None

    @on(Select.Changed, "#image-picker")
    def _image_picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#image", Input).value = event.value

    def _clear_error(self) -> None:
        self.query_one("#create-error", Static).display = False

    # ----- actions ----------------------------------------------------------

    def action_submit(self) -> None:
        """Validate the form and create the container."""
        if self._busy:
            return
        values = self.form_values()
        try:
            spec = build_spec(values, self._base)
        except FieldError as error:
            self.refuse(error)
            return
        self._clear_error()
        self.set_busy(True, "Creating…")
        self.create_container(spec, values.name.strip(), values.start)

    # ----- workers ----------------------------------------------------------

    @work(group="create-images", exclusive=True, exit_on_error=False)
    async def list_images(self) -> None:
        """Fetch local image tags for the picker (a failure just leaves it empty)."""
        try:
            images = await self.client.images()
        except EngineError:
            return
        tags = sorted({tag for image in images for tag in image.repo_tags})[:MAX_IMAGES]
        self.post_message(ImagesListed(tags))

    @work(group="create-inspect", exclusive=True, exit_on_error=False)
    async def inspect_source(self, container_id: str) -> None:
        """Inspect the container to duplicate."""
        try:
            detail = await self.client.containers.inspect(container_id)
        except EngineError as error:
            self.post_message(CreateFailed(error, "Reading the container to duplicate"))
            return
        self.post_message(SourceInspected(detail))

    @work(group="create", exit_on_error=False)
    async def create_container(self, spec: ContainerSpec, name: str, start: bool) -> None:
        """Create, then start when asked; report through messages."""
        try:
            created = await self.client.containers.create(spec, name or None)
        except EngineError as error:
            self.post_message(CreateFailed(error, "Create failed"))
            return
        if start:
            try:
                await self.client.containers.start(created.id)
            except EngineError as error:
                self.post_message(StartFailed(created.id, error))
                return
        self.post_message(ContainerCreated(created.id, created.warnings))

    @work(group="create", exit_on_error=False)
    async def remove_failed(self, container_id: str) -> None:
        """Remove the container that was created but failed to start."""
        try:
            await self.client.containers.remove(container_id, force=True)
        except EngineError as error:
            self.post_message(FailedContainerRemoved(container_id, error))
            return
        self.post_message(FailedContainerRemoved(container_id, None))

    # ----- worker results ---------------------------------------------------

    def on_images_listed(self, message: ImagesListed) -> None:
        tags = [safe_plain(tag) for tag in message.tags]
        self.query_one("#image", Input).suggester = SuggestFromList(tags, case_sensitive=False)
        self.query_one("#image-picker", Select).set_options([(safe_line(tag), tag) for tag in tags])

    def on_source_inspected(self, message: SourceInspected) -> None:
        self._base = ContainerSpec.from_detail(message.detail)
        values, self._stripped = displayable(
            values_from_spec(self._base, duplicate_name(message.detail.name)), strip_controls
        )
        self.fill(values)
        self.set_busy(False)
        self._clear_error()
        self._warn_if_stripped()

    def _warn_if_stripped(self) -> None:
        if self._stripped:
            self.app.notify(
                "Control characters were removed from the copied values.", severity="warning", markup=False
            )

    def on_create_failed(self, message: CreateFailed) -> None:
        self.set_busy(False)
        self.show_error(message.context, message.error.message)

    def on_start_failed(self, message: StartFailed) -> None:
        self.set_busy(True)
        self._start_error = message.error.message
        self.show_error("Created, but start failed", message.error.message)
        body = Text("The container was created but did not start:\n\n")
        body.append_text(safe_line(message.error.message, max_length=600))
        body.append("\n\nRemove it, or keep it (stopped)?")
        choices = [("Remove it", "remove", "error"), ("Keep it", "keep", "default")]
        self.app.push_screen(
            ChoiceScreen("Start failed", body, choices),
            lambda answer: self._after_start_failure(message.container_id, answer),
        )

    def _after_start_failure(self, container_id: str, answer: str | None) -> None:
        if answer == "remove":
            self.remove_failed(container_id)
            return
        self.dismiss(container_id)  # kept (Esc keeps too: the safe answer)

    def on_failed_container_removed(self, message: FailedContainerRemoved) -> None:
        self.set_busy(False)
        if message.error is not None:
            self.show_error("Could not remove the failed container", message.error.message)
            return
        note = Text("Start failed: ", style="bold")
        note.append_text(safe_line(self._start_error, max_length=600))
        note.append("\nThat container was removed; fix the form and create again.")
        self.query_one("#create-error", Static).update(note)

    def on_container_created(self, message: ContainerCreated) -> None:
        self.set_busy(False)
        for warning in message.warnings:
            self.app.notify(safe_plain(warning, max_length=300), title="Engine warning", severity="warning", markup=False)
        self.dismiss(message.container_id)


def duplicate_name(name: str) -> str:
    """The name suggested for a duplicate: ``<name>-copy``."""
    return f"{name}-copy" if name else ""
