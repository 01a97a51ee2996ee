"""Past-tense messages posted by workers to the widgets that show their results."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from dtui.engine.errors import EngineError
from dtui.engine.models import ContainerSummary


@dataclass
class ContainersListed(Message):
    """A container listing arrived."""

    containers: list[ContainerSummary]


@dataclass
class EngineFailed(Message):
    """A call to the engine failed; ``context`` says what was being done."""

    error: EngineError
    context: str
