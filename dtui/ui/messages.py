"""Past-tense messages posted by workers to the widgets that show their results.

Listings and events reach views as live changes (:mod:`dtui.live.changes`, posted as
:class:`dtui.ui.views.live.LiveChanged`), not as messages of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from dtui.engine.errors import EngineError
from dtui.ui.stats_overview import OverviewSampled

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
    """A lifecycle action on one object ended.

    Attributes:
        key: The table row key of the object.
        verb: What was done ("stop", "kill", ...), as shown to the user.
        name: The object's name when the action started.
        error: The engine's error, or None on success.
    """

    key: str
    verb: str
    name: str
    error: EngineError | None = None
