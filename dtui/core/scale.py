"""Scaling a template's group: a pure planner, and the executor of a plan (no UI).

The template is a container; N counts the whole group. The template is a member (at the
index its name renders to, 1 for ``web01``) when its name fits the name pattern, else it
stays outside the group and copies start at 1. Copies carry two labels:
``dtui.scale.group=<template name>`` and ``dtui.scale.index=<n>``. Copy n publishes each
port of the template on ``first + n - 1``.

:func:`plan_scale` does no I/O; :func:`execute_plan` carries a plan out against an engine
client, one copy at a time, reporting each result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dtui.engine.errors import EngineError

from dtui.engine.models import ContainerSummary
from dtui.engine.spec import ContainerSpec, PortSpec, valid_name

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

GROUP_LABEL = "dtui.scale.group"
INDEX_LABEL = "dtui.scale.index"
DEFAULT_PATTERN = "{base}{n:02d}"
MAX_INDEX = 999
"""Largest index a group may reach (and the search bound for a template's own index)."""


class ScaleError(ValueError):
    """The scale request cannot be planned (bad pattern, count or port)."""


def base_name(template_name: str) -> str:
    """The template's name without trailing digits or dashes (``web01`` -> ``web``).

    A name made only of digits and dashes is its own base.
    """
    return template_name.rstrip("0123456789-") or template_name


def render_name(pattern: str, base: str, index: int) -> str:
    """The name of copy ``index`` (``{base}{n:02d}`` -> ``web03``).

    Raises:
        ScaleError: When the pattern uses anything but ``{base}`` and ``{n}``, is malformed,
            or yields a name the engine would refuse.
    """
    try:
        name = pattern.format(base=base, n=index)
    except (KeyError, IndexError, ValueError, AttributeError) as error:
        raise ScaleError(f"bad name pattern {pattern!r}: use {{base}} and {{n}}, e.g. {DEFAULT_PATTERN}") from error
    if not valid_name(name):
        raise ScaleError(f"pattern gives an invalid container name {name!r}")
    return name


def template_index(template_name: str, pattern: str, base: str) -> int | None:
    """The index whose rendered name is the template's own name, or None (outside)."""
    for index in range(1, MAX_INDEX + 1):
        if render_name(pattern, base, index) == template_name:
            return index
    return None


def group_filters(template_name: str) -> dict[str, list[str]]:
    """The listing filter that finds the copies of a template."""
    return {"label": [f"{GROUP_LABEL}={template_name}"]}


@dataclass(frozen=True, slots=True)
class Member:
    """An existing member of the group (a copy, or the template itself)."""

    index: int
    name: str
    id: str
    is_template: bool = False


@dataclass(frozen=True, slots=True)
class PlannedCopy:
    """A copy to create: its index, name and what it differs in from the template."""

    index: int
    name: str
    ports: tuple[PortSpec, ...]
    labels: Mapping[str, str]

    def spec(self, template: ContainerSpec) -> ContainerSpec:
        """The template's spec with this copy's ports and labels."""
        return replace(template, ports=self.ports, labels={**template.labels, **self.labels})


@dataclass(frozen=True, slots=True)
class ScalePlan:
    """What scaling a group to ``target`` means.

    Attributes:
        group: The template's name (the value of the group label).
        target: N, the wanted size of the whole group.
        keep: Members that stay (the template when it is a member, and copies <= N).
        create: Copies to create and start, by increasing index.
        remove: Copies to remove, highest index first.
    """

    group: str
    target: int
    keep: tuple[Member, ...]
    create: tuple[PlannedCopy, ...]
    remove: tuple[Member, ...]

    @property
    def is_empty(self) -> bool:
        """True when nothing would change."""
        return not self.create and not self.remove


def members_of(copies: Sequence[ContainerSummary], group: str) -> list[Member]:
    """Members from a listing filtered on the group label (bad index labels are skipped)."""
    members = []
    for container in copies:
        text = container.labels.get(INDEX_LABEL, "")
        if container.labels.get(GROUP_LABEL) != group or not text.isdigit() or not 0 < int(text) <= MAX_INDEX:
            continue
        members.append(Member(int(text), container.name, container.id))
    return members


def default_first_ports(template_ports: Sequence[PortSpec], own_index: int | None) -> dict[str, int | None]:
    """Default first host port per published port, so copy n lands next to the template.

    A member template at index i on port p gives first = p - i + 1; an outside template
    gives first = p + 1. Ports the engine picks (no host port) default to None (picked).
    """
    firsts: dict[str, int | None] = {}
    for port in template_ports:
        if not port.host_port.isdigit() or int(port.host_port) == 0:
            firsts.setdefault(port.key, None)
            continue
        host = int(port.host_port)
        firsts.setdefault(port.key, host - own_index + 1 if own_index else host + 1)
    return firsts


def _copy_ports(template_ports: Sequence[PortSpec], firsts: Mapping[str, int | None], index: int) -> tuple[PortSpec, ...]:
    ports = []
    for port in template_ports:
        first = firsts.get(port.key)
        host_port = ""
        if first is not None:
            number = first + index - 1
            if not 0 < number < 65536:
                raise ScaleError(f"host port {number} for {port.key} of copy {index} is out of range")
            host_port = str(number)
        ports.append(replace(port, host_port=host_port))
    return tuple(ports)


_ANY_ADDRESS = ("", "0.0.0.0", "::")


def _refuse_port_clashes(template_name: str, template_ports: Sequence[PortSpec], create: Sequence[PlannedCopy]) -> None:
    """Refuse a plan publishing one host port twice (the copy would only fail when it starts).

    Several published ports a few numbers apart (``19001:80``, ``19002:9000``) make copy n of
    the first land on the port of copy n - 1 of the second, or on the template's own.

    Raises:
        ScaleError: Naming the port and the two containers that would both publish it.
    """
    users: dict[tuple[str, str], list[tuple[str, str, PortSpec]]] = {}
    owners = [(template_name, template_ports), *((copy.name, copy.ports) for copy in create)]
    for owner, ports in owners:
        for port in ports:
            if not port.host_port.isdigit() or int(port.host_port) == 0:
                continue
            for other, address, other_port in users.get((port.host_port, port.protocol), []):
                if other == owner and other_port.key == port.key:
                    continue  # one port on 0.0.0.0 and :: (how `docker run -p` publishes both)
                if address == port.host_ip or address in _ANY_ADDRESS or port.host_ip in _ANY_ADDRESS:
                    who = f"twice by {owner}" if other == owner else f"by both {other} and {owner}"
                    raise ScaleError(
                        f"host port {port.host_port}/{port.protocol} would be published {who}: change a first host port"
                    )
            users.setdefault((port.host_port, port.protocol), []).append((owner, port.host_ip, port))


def plan_scale(
    template: ContainerSummary,
    copies: Sequence[ContainerSummary],
    target: int,
    *,
    pattern: str = DEFAULT_PATTERN,
    template_ports: Sequence[PortSpec] = (),
    first_ports: Mapping[str, int | None] | None = None,
) -> ScalePlan:
    """Plan scaling the template's group to ``target`` members.

    Args:
        template: The container being scaled.
        copies: Containers carrying ``dtui.scale.group=<template name>``.
        target: N, counting the template when it is a member.
        pattern: Name pattern with ``{base}`` and ``{n}``.
        template_ports: The template's published ports (from its inspect).
        first_ports: First host port per port key (``80/tcp``); missing = the default.

    Raises:
        ScaleError: For a bad pattern, a target out of range, a name or port out of range.
    """
    base = base_name(template.name)
    if render_name(pattern, base, 1) == render_name(pattern, base, 2):
        raise ScaleError(f"name pattern {pattern!r} must use {{n}}")
    own_index = template_index(template.name, pattern, base)
    lowest = own_index or 0
    if not lowest <= target <= MAX_INDEX:
        raise ScaleError(f"N must be between {lowest} and {MAX_INDEX}")
    firsts = {**default_first_ports(template_ports, own_index), **(first_ports or {})}
    members = [m for m in members_of(copies, template.name) if m.id != template.id]
    taken = {m.index for m in members}
    keep = [m for m in members if m.index <= target]
    if own_index is not None:
        taken.add(own_index)
        keep.insert(0, Member(own_index, template.name, template.id, is_template=True))
    create = tuple(
        PlannedCopy(
            index,
            render_name(pattern, base, index),
            _copy_ports(template_ports, firsts, index),
            {GROUP_LABEL: template.name, INDEX_LABEL: str(index)},
        )
        for index in range(1, target + 1)
        if index not in taken
    )
    _refuse_port_clashes(template.name, template_ports, create)
    remove = tuple(sorted((m for m in members if m.index > target), key=lambda m: (-m.index, m.name)))
    return ScalePlan(template.name, target, tuple(sorted(keep, key=lambda m: m.index)), create, remove)


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What happened to one copy.

    Attributes:
        action: ``create`` or ``remove``.
        ok: True when the copy was created and started, or removed.
        message: The daemon's text on failure (untrusted), else "".
    """

    index: int
    name: str
    action: str
    ok: bool
    message: str = ""


async def _create_copy(client: EngineClient, copy: PlannedCopy, template: ContainerSpec) -> CopyResult:
    try:
        created = await client.containers.create(copy.spec(template), copy.name)
    except EngineError as error:
        return CopyResult(copy.index, copy.name, "create", False, error.message)
    try:
        await client.containers.start(created.id)
    except EngineError as error:
        message = f"start failed, copy removed: {error.message}"
        try:
            await client.containers.remove(created.id, force=True)
        except EngineError as remove_error:
            message = f"start failed ({error.message}); removing it failed too: {remove_error.message}"
        return CopyResult(copy.index, copy.name, "create", False, message)
    return CopyResult(copy.index, copy.name, "create", True)


async def _remove_member(client: EngineClient, member: Member) -> CopyResult:
    try:
        await client.containers.remove(member.id, force=True)
    except EngineError as error:
        return CopyResult(member.index, member.name, "remove", False, error.message)
    return CopyResult(member.index, member.name, "remove", True)


async def execute_plan(
    client: EngineClient,
    plan: ScalePlan,
    template: ContainerSpec,
    on_result: Callable[[CopyResult], None] | None = None,
) -> list[CopyResult]:
    """Remove the surplus copies, then create and start the missing ones.

    A failure affects only its copy: a copy that was created but failed to start is
    removed, and the others proceed.

    Args:
        client: A connected engine client.
        plan: What to do.
        template: The template's spec (:meth:`ContainerSpec.from_detail` of its inspect).
        on_result: Called after each copy (live progress).
    """
    results = []
    for member in plan.remove:
        results.append(await _remove_member(client, member))
        if on_result is not None:
            on_result(results[-1])
    for copy in plan.create:
        results.append(await _create_copy(client, copy, template))
        if on_result is not None:
            on_result(results[-1])
    return results
