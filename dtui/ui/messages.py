"""Past-tense messages posted by workers to the widgets that show their results."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from dtui.engine.errors import EngineError
from dtui.core.overview import OverviewFigures

__all__ = [
    "ActionFinished",
    "EngineFailed",
    "OverviewSampled",
]


@dataclass
class EngineFailed(Message):
    """A call to the engine failed; ``context`` says what was being done."""

    error: EngineError
    context: str


@dataclass
class ActionFinished(Message):
    """A lifecycle action on one container ended.

    Attributes:
        key: The table row key of the container.
        verb: What was done ("stop", "kill", ...), as shown to the user.
        name: The container's name when the action started.
        error: The engine's error, or None on success.
    """

    key: str
    verb: str
    name: str
    error: EngineError | None = None


@dataclass
class OverviewSampled(Message):
    """A sampling round finished: figures for every container that answered.

    Attributes:
        figures: One entry per container that answered.
        host: The engine they were sampled on ("" : the current host).
    """

    figures: list[OverviewFigures]
    host: str = ""
