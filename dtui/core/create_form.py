"""The create forms' text fields, parsed (pure: no I/O, no widgets).

The container form's fields <-> a ContainerSpec; the fields it shares with the create-service
form (image, name, command, env, labels, ports) are parsed once, by :func:`parse_workload`.
Every parser raises :class:`FieldError` naming the field, so the form can show which
field is wrong while keeping everything the user typed.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any

from dtui.engine.spec import ContainerSpec, PortSpec, SpecError, valid_name

NAME_HINT = "letters, digits, _ . - (first a letter or digit), at least 2 characters"
_BIND_MODE = r"(ro|rw|z|Z|nocopy|r?shared|r?slave|r?private|r?bind|(no)?(suid|dev|exec))"
_BIND_MODES = re.compile(rf"^{_BIND_MODE}(,{_BIND_MODE})*$")
"""Docker's bind modes, plus the mount options Podman writes into ``HostConfig.Binds``."""


class FieldError(ValueError):
    """One form field holds something that cannot become part of a spec.

    Attributes:
        field: The form field's id (``ports``, ``env``...).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class WorkloadFields:
    """The fields the container and the service create forms share, as typed."""

    image: str = ""
    name: str = ""
    command: str = ""
    env: str = ""
    labels: str = ""
    ports: str = ""


WORKLOAD_FIELDS = tuple(item.name for item in fields(WorkloadFields))
"""The shared fields' names (also the forms' widget ids)."""


@dataclass(frozen=True, slots=True)
class FormValues(WorkloadFields):
    """What the container form's fields hold, as typed."""

    working_dir: str = ""
    volumes: str = ""
    restart_policy: str = "no"
    start: bool = True


@dataclass(frozen=True, slots=True)
class Workload:
    """The shared fields, parsed: what a container or a service runs."""

    image: str
    name: str
    cmd: tuple[str, ...]
    env: tuple[str, ...]
    labels: dict[str, str]
    ports: tuple[PortSpec, ...]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_env(text: str) -> tuple[str, ...]:
    """``KEY=VALUE`` lines (blank lines skipped; ``KEY`` alone is kept, as docker does)."""
    env = []
    for line in _lines(text):
        if line.startswith("="):
            raise FieldError("env", f"env line {line!r} has no variable name")
        env.append(line)
    return tuple(env)


def parse_labels(text: str) -> dict[str, str]:
    """``KEY=VALUE`` lines; ``KEY`` alone gives an empty value."""
    labels = {}
    for line in _lines(text):
        key, _, value = line.partition("=")
        if not key.strip():
            raise FieldError("labels", f"label line {line!r} has no key")
        labels[key.strip()] = value
    return labels


def parse_command(text: str) -> tuple[str, ...]:
    """Split the command as a POSIX shell would (quotes respected)."""
    try:
        return tuple(shlex.split(text))
    except ValueError as error:
        raise FieldError("command", f"command: {error}") from error


def parse_ports(text: str) -> tuple[PortSpec, ...]:
    """Port mappings separated by spaces or commas (``9001:80/tcp 127.0.0.1:9002:81``)."""
    try:
        return tuple(PortSpec.parse(token) for token in re.split(r"[\s,]+", text.strip()) if token)
    except SpecError as error:
        raise FieldError("ports", str(error)) from error


def parse_volumes(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split volume entries into binds and anonymous volumes.

    ``/host:/ctr[:ro]`` and ``name:/ctr[:ro]`` are binds; ``/ctr`` alone is an anonymous
    volume. Entries are separated by spaces (shell quoting allowed for paths with spaces).

    Returns:
        ``(binds, volumes)``.
    """
    try:
        tokens = shlex.split(text)
    except ValueError as error:
        raise FieldError("volumes", f"volumes: {error}") from error
    binds, volumes = [], []
    for token in tokens:
        parts = token.split(":")
        if len(parts) == 1 and token.startswith("/"):
            volumes.append(token)
        elif len(parts) in (2, 3) and parts[0] and parts[1].startswith("/") and (
            len(parts) == 2 or _BIND_MODES.match(parts[2])
        ):
            binds.append(token)
        else:
            raise FieldError("volumes", f"bad volume {token!r} (use /host:/ctr[:ro], name:/ctr or /ctr)")
    return tuple(binds), tuple(volumes)


def check_name(name: str) -> str | None:
    """The problem with a container name, or None when the engine would accept it (or empty)."""
    if not name or valid_name(name):
        return None
    return f"invalid name: {NAME_HINT}"


def parse_workload(values: WorkloadFields, *, missing_image: str) -> Workload:
    """Parse the shared fields, checking them in the forms' order (image first).

    Args:
        values: The form's fields.
        missing_image: What to say when no image is given.

    Raises:
        FieldError: Naming the first field that is wrong.
    """
    if not values.image.strip():
        raise FieldError("image", missing_image)
    name = values.name.strip()
    problem = check_name(name)
    if problem:
        raise FieldError("name", problem)
    return Workload(
        image=values.image.strip(),
        name=name,
        cmd=parse_command(values.command),
        env=parse_env(values.env),
        labels=parse_labels(values.labels),
        ports=parse_ports(values.ports),
    )


def build_spec(values: FormValues, base: ContainerSpec | None = None) -> ContainerSpec:
    """Turn the form into a spec; fields the form does not show come from ``base``.

    Raises:
        FieldError: Naming the first field that is wrong.
    """
    workload = parse_workload(values, missing_image="an image is required")
    binds, volumes = parse_volumes(values.volumes)
    policy = values.restart_policy if values.restart_policy != "no" else ""
    try:
        return replace(
            base or ContainerSpec(image=""),
            image=workload.image,
            cmd=workload.cmd,
            env=workload.env,
            labels=workload.labels,
            working_dir=values.working_dir.strip(),
            ports=workload.ports,
            binds=binds,
            volumes=volumes,
            restart_policy=policy,
        )
    except SpecError as error:
        raise FieldError("restart", str(error)) from error


def format_port(port: PortSpec) -> str:
    """The text form of a port mapping, as :meth:`PortSpec.parse` reads it."""
    ip = f"[{port.host_ip}]" if ":" in port.host_ip else port.host_ip
    target = f"{port.container_port}/{port.protocol}"
    if ip:
        return f"{ip}:{port.host_port}:{target}"
    return f"{port.host_port}:{target}" if port.host_port else target


def values_from_spec(spec: ContainerSpec, name: str = "", start: bool = True) -> FormValues:
    """The form's text for a spec (pre-filling a duplicate)."""
    return FormValues(
        image=spec.image,
        name=name,
        command=shlex.join(spec.cmd),
        env="\n".join(spec.env),
        labels="\n".join(f"{key}={value}" for key, value in spec.labels.items()),
        working_dir=spec.working_dir,
        ports=" ".join(format_port(port) for port in spec.ports),
        volumes=" ".join(shlex.quote(item) for item in (*spec.binds, *spec.volumes)),
        restart_policy=spec.restart_policy or "no",
        start=start,
    )


def displayable(values: FormValues, clean: Callable[[str], str]) -> tuple[FormValues, bool]:
    """The values with escape sequences and control characters removed (tab, newline kept).

    Pre-filled text comes from a container (env, labels, cmd are untrusted) and input
    widgets would send an ESC in it straight to the terminal.

    Args:
        values: The form values to clean.
        clean: The sanitizer (the UI passes ``safe_text.strip_controls``).

    Returns:
        The cleaned values, and True when anything was removed.
    """
    cleaned: dict[str, Any] = {
        item.name: clean(value)
        for item in fields(values)
        if isinstance(value := getattr(values, item.name), str)
    }
    result = replace(values, **cleaned)
    return result, result != values
