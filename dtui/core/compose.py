"""Compose projects read from container labels alone (no compose CLI, no compose file).

``docker compose`` labels every container it makes with its project, service, replica
number and a hash of the service's configuration. These labels are all dtui knows about a
project: a project is the set of containers sharing a ``com.docker.compose.project`` value on
one host. Label values come from the containers, so they are untrusted text: the UI sanitises
them before showing them.
"""

from __future__ import annotations

import asyncio
import shlex
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from dtui.core.engine_filter import EngineFilter, parse_engine_filter

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
NUMBER_LABEL = "com.docker.compose.container-number"
CONFIG_HASH_LABEL = "com.docker.compose.config-hash"
DEPENDS_LABEL = "com.docker.compose.depends_on"
"""``db:service_started:false,cache:service_healthy:true`` (compose 2.22 and later)."""

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class ComposeLabels:
    """What the compose labels of one container say.

    Attributes:
        project: The project name (never empty).
        service: The service name ("" when the label is missing).
        number: The replica number (0 when missing or not a number).
        config_hash: The hash of the service configuration the container was made from.
        depends_on: The services this one starts after.
    """

    project: str
    service: str = ""
    number: int = 0
    config_hash: str = ""
    depends_on: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, labels: Mapping[str, str]) -> ComposeLabels | None:
        """The compose labels of a container, or None when it belongs to no project."""
        project = labels.get(PROJECT_LABEL, "")
        if not project:
            return None
        number = labels.get(NUMBER_LABEL, "")
        return cls(
            project=project,
            service=labels.get(SERVICE_LABEL, ""),
            number=int(number) if number.isdigit() and len(number) < 10 else 0,
            config_hash=labels.get(CONFIG_HASH_LABEL, ""),
            depends_on=frozenset(
                service for part in labels.get(DEPENDS_LABEL, "").split(",") if (service := part.split(":")[0].strip())
            ),
        )


def service_order(labels: Mapping[str, str], name: str) -> tuple[str, int, str]:
    """Where a container goes inside its project: by service, then replica number, then name."""
    compose = ComposeLabels.of(labels)
    if compose is None:
        return ("", 0, name.lower())
    return (compose.service.lower(), compose.number, name.lower())


def mixed_services(members: Iterable[Mapping[str, str]]) -> list[str]:
    """Services whose containers carry different config hashes (some were made from an older config)."""
    hashes: dict[str, set[str]] = {}
    for labels in members:
        compose = ComposeLabels.of(labels)
        if compose is not None and compose.config_hash:
            hashes.setdefault(compose.service, set()).add(compose.config_hash)
    return sorted(service for service, seen in hashes.items() if len(seen) > 1)


def project_label(project: str) -> str:
    """The engine ``label`` filter value selecting one project's containers."""
    return f"{PROJECT_LABEL}={project}"


def _is_project_word(word: str) -> bool:
    return word.startswith(f"label={PROJECT_LABEL}=")


def project_of_filter(engine_filter: EngineFilter) -> str | None:
    """The project an engine filter is narrowed to (by :func:`with_project`), if any."""
    for label in engine_filter.filters.get("label", []):
        if label.startswith(f"{PROJECT_LABEL}="):
            return label.partition("=")[2]
    return None


def without_project(engine_filter: EngineFilter) -> EngineFilter:
    """The engine filter with its project condition dropped (what it was before `P`)."""
    words = [word for word in shlex.split(engine_filter.text) if not _is_project_word(word)]
    return parse_engine_filter(shlex.join(words))


def with_project(engine_filter: EngineFilter, project: str) -> EngineFilter:
    """The engine filter narrowed to one project (replacing a project chosen before)."""
    words = [word for word in shlex.split(engine_filter.text) if not _is_project_word(word)]
    words.append(f"label={project_label(project)}")
    return parse_engine_filter(shlex.join(words))


def dependency_waves(depends_on: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The services in start order: each wave after every service its members depend on.

    Dependencies on services not in ``depends_on`` are ignored; services caught in a cycle
    go together in the last wave.
    """
    left = {service: set(needs) & set(depends_on) - {service} for service, needs in depends_on.items()}
    waves: list[list[str]] = []
    while left:
        ready = sorted(service for service, needs in left.items() if not needs)
        if not ready:
            waves.append(sorted(left))
            break
        waves.append(ready)
        left = {service: needs - set(ready) for service, needs in left.items() if service not in ready}
    return waves


@dataclass
class WaveGate:
    """Lets calls run wave by wave: a call of wave N starts when every call of the waves before ended.

    All calls may be started at once (one worker each); each waits for its turn. A failed
    call ends too (the next wave goes on, as each result is reported on its own).

    Args:
        wave_of: The wave of each object id (0 first).
    """

    wave_of: Mapping[str, int]
    _left: Counter[int] = field(init=False)
    _ended: list[asyncio.Event] = field(init=False)

    def __post_init__(self) -> None:
        self._left = Counter(self.wave_of.values())
        self._ended = [asyncio.Event() for _ in range(max(self.wave_of.values(), default=-1) + 1)]
        self._release_empty()

    def _release_empty(self) -> None:
        for wave, ended in enumerate(self._ended):
            if self._left[wave] or not all(e.is_set() for e in self._ended[:wave]):
                break
            ended.set()

    async def run(self, object_id: str, call: Callable[[], Awaitable[R]]) -> R:
        """Wait for the waves before this object's, then make its call."""
        if object_id not in self.wave_of:
            return await call()
        wave = self.wave_of[object_id]
        if wave:
            await self._ended[wave - 1].wait()
        try:
            return await call()
        finally:
            self._left[wave] -= 1
            self._release_empty()
