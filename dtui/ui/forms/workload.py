"""What the create-container and create-service forms share: the panel, its fields, its errors.

A form derives from :class:`WorkloadForm`, declares its ``ctrl+s``/``escape`` bindings (their
ids are its keymap names), :meth:`~WorkloadForm.form_title`,
:meth:`~WorkloadForm.compose_fields` and ``action_submit``. The shared fields (image, name,
command, env, labels, ports) have their names as widget ids, so
:meth:`~WorkloadForm.read_fields` reads them for any
:class:`~dtui.core.create_form.WorkloadFields` subclass.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual._path import CSSPathType
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static, TextArea

from dtui.core.create_form import WORKLOAD_FIELDS, FieldError, WorkloadFields
from dtui.ui.resources_css import UI_DIR
from dtui.ui.safe_text import safe_line
from dtui.ui.worker_errors import ReportsWorkerErrors

FieldsT = TypeVar("FieldsT", bound=WorkloadFields)


def form_field(label: str, widget: Input | TextArea | Select[str]) -> ComposeResult:
    """One labelled row of a form."""
    with Horizontal(classes="field"):
        yield Label(label, classes="field-label")
        yield widget


def lines_area(text: str, field_id: str) -> TextArea:
    """A ``KEY=VALUE`` per line field (env, labels)."""
    return TextArea(text, id=field_id, soft_wrap=False, compact=True, placeholder="KEY=VALUE, one per line")


class WorkloadForm(ReportsWorkerErrors, ModalScreen[str | None]):
    """A create form: a titled panel of fields, an error line, Create and Cancel.

    The result is the created object's id, or None when cancelled.
    """

    CSS_PATH: ClassVar[CSSPathType | None] = str(UI_DIR / "forms.tcss")

    def __init__(self) -> None:
        super().__init__()
        self._busy = False

    def form_title(self) -> Text:
        """The panel's title line."""
        raise NotImplementedError

    def compose_fields(self) -> ComposeResult:
        """The form's fields (inside the scrolling ``#create-form``)."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="create-panel", classes="panel"):
            yield Static(self.form_title(), id="create-title", classes="panel-title")
            with VerticalScroll(id="create-form"):
                yield from self.compose_fields()
            yield Static("", id="create-error")
            with Horizontal(classes="buttons"):
                yield Button("Create", variant="primary", id="create-submit", compact=True)
                yield Button("Cancel", id="create-cancel", compact=True)
        yield Footer()

    def read_fields(self, fields_type: type[FieldsT], **more: Any) -> FieldsT:
        """The shared fields as they are now, plus ``more``, as a ``fields_type``."""
        shared: dict[str, Any] = {}
        for name in WORKLOAD_FIELDS:
            widget = self.query_one(f"#{name}")
            shared[name] = widget.text if isinstance(widget, TextArea) else self.query_one(f"#{name}", Input).value
        return fields_type(**shared, **more)

    def show_error(self, title: str, message: str) -> None:
        """Show an error under the form (the message is untrusted: sanitized)."""
        text = Text(f"{title}: ", style="bold")
        text.append_text(safe_line(message, max_length=600))
        error = self.query_one("#create-error", Static)
        error.update(text)
        error.display = True

    def refuse(self, error: FieldError) -> None:
        """Say what is wrong with a field and put the cursor in it."""
        self.show_error("Check the form", error.message)
        matches = self.query(f"#{error.field}")
        if matches:
            matches.first().focus()

    def set_busy(self, busy: bool, note: str = "") -> None:
        """Refuse (or accept again) Create while the engine works; ``note`` says what it does."""
        self._busy = busy
        self.query_one("#create-submit", Button).disabled = busy
        if note:
            self.query_one("#create-error", Static).update(Text(note, style="italic"))
            self.query_one("#create-error").display = True

    def action_cancel(self) -> None:
        """Close without creating (workers of this screen end with it)."""
        self.dismiss(None)

    def action_submit(self) -> None:
        """Check the form, then create."""
        raise NotImplementedError

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
