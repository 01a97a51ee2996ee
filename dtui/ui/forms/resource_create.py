"""Small create forms of the volumes and networks views, each returning a typed request.

The forms only check what they can (a name the engine accepts, ``key=value`` labels, an
IP network); the engine's own refusal is shown by the view when the create fails.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual._path import CSSPathType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from dtui.engine.spec import valid_name
from dtui.ui.resources_css import RESOURCES_CSS, UI_DIR
from dtui.ui.safe_text import safe_line

RequestT = TypeVar("RequestT")


class FormProblem(ValueError):
    """What is wrong with the form, in words for the user."""


def parse_labels(text: str) -> dict[str, str]:
    """``a=1 b=2`` or ``a=1, b=2`` -> ``{"a": "1", "b": "2"}``.

    Raises:
        FormProblem: A word has no ``=`` or no key.
    """
    labels: dict[str, str] = {}
    for word in text.replace(",", " ").split():
        key, equals, value = word.partition("=")
        if not equals or not key:
            raise FormProblem(f"label {word!r}: expected key=value")
        labels[key] = value
    return labels


@dataclass(frozen=True, slots=True)
class VolumeRequest:
    """What the volume form asks the engine to create (an empty name: the engine picks one)."""

    name: str
    driver: str = "local"
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NetworkRequest:
    """What the network form asks the engine to create (subnet and gateway may be empty)."""

    name: str
    driver: str = "bridge"
    subnet: str = ""
    gateway: str = ""


class SmallForm(ModalScreen[RequestT | None], Generic[RequestT]):
    """A titled column of labelled inputs; ``ctrl+s`` or Enter in the last one creates.

    Subclasses declare :attr:`FIELDS` (id, label, default, placeholder) and :meth:`request`.

    Args:
        title: Trusted heading (dtui's words).
        where: The host it will be made on ("" with one host), untrusted.
    """

    CSS_PATH: ClassVar[CSSPathType | None] = [str(UI_DIR / "forms.tcss"), RESOURCES_CSS]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "Create", priority=True, id="form.create"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    FIELDS: ClassVar[tuple[tuple[str, str, str, str], ...]] = ()

    def __init__(self, title: str, where: str = "") -> None:
        super().__init__()
        self._title = title
        self._where = where

    def compose(self) -> ComposeResult:
        title = Text(self._title, style="bold")
        if self._where:
            title.append(" on ")
            title.append_text(safe_line(self._where, max_length=40))
        with Vertical(classes="panel small-form"):
            yield Static(title, classes="panel-title")
            for field_id, label, default, placeholder in self.FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label, classes="field-label")
                    yield Input(default, placeholder=placeholder, id=field_id, compact=True)
            yield Static("", id="form-problem", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Create", variant="primary", id="form-create", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def value(self, field_id: str) -> str:
        """The stripped text of one field."""
        return self.query_one(f"#{field_id}", Input).value.strip()

    def request(self) -> RequestT:
        """The typed request of the form (raises :class:`FormProblem`)."""
        raise NotImplementedError

    def action_create(self) -> None:
        """Close with the request, or say what is wrong."""
        try:
            request = self.request()
        except FormProblem as problem:
            self.query_one("#form-problem", Static).update(safe_line(str(problem), style="red"))
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        """Create nothing."""
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_create()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-create":
            self.action_create()
        else:
            self.action_cancel()


def _check_volume_name(name: str) -> None:
    if name and not valid_name(name):
        raise FormProblem("name: 2+ characters: a letter or digit, then letters, digits, _ . -")


class VolumeForm(SmallForm[VolumeRequest]):
    """Name (empty: the engine picks one), driver, labels."""

    FIELDS = (
        ("volume-name", "Name", "", "empty: the engine picks one"),
        ("volume-driver", "Driver", "local", ""),
        ("volume-labels", "Labels", "", "key=value key2=value2"),
    )

    def request(self) -> VolumeRequest:
        name = self.value("volume-name")
        _check_volume_name(name)
        labels = parse_labels(self.value("volume-labels"))
        return VolumeRequest(name, self.value("volume-driver") or "local", labels)


class NetworkForm(SmallForm[NetworkRequest]):
    """Name, driver, optional subnet and gateway."""

    FIELDS = (
        ("network-name", "Name", "", "required"),
        ("network-driver", "Driver", "bridge", "bridge, overlay, macvlan…"),
        ("network-subnet", "Subnet", "", "optional, e.g. 10.10.0.0/24"),
        ("network-gateway", "Gateway", "", "optional, e.g. 10.10.0.1"),
    )

    def request(self) -> NetworkRequest:
        name = self.value("network-name")
        if not name:
            raise FormProblem("a name is needed")
        subnet, gateway = self.value("network-subnet"), self.value("network-gateway")
        if gateway and not subnet:
            raise FormProblem("a gateway needs a subnet")
        try:
            network = ipaddress.ip_network(subnet, strict=False) if subnet else None
            if gateway and network is not None and ipaddress.ip_address(gateway) not in network:
                raise FormProblem(f"gateway {gateway} is not in {subnet}")
        except ValueError as error:
            if isinstance(error, FormProblem):
                raise
            raise FormProblem(str(error)) from error
        return NetworkRequest(name, self.value("network-driver") or "bridge", subnet, gateway)
