"""The UI side of the live state: each change becomes a Textual message to one node."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.message_pump import MessagePump

from dtui.live.changes import Change, Listener


@dataclass
class LiveChanged(Message):
    """The live state reported a change (a listing, a removal, a host up or down...)."""

    change: Change


def post_to(node: MessagePump) -> Listener:
    """A listener posting every change to ``node`` as :class:`LiveChanged` (in order)."""

    def listener(change: Change) -> None:
        node.post_message(LiveChanged(change))

    return listener
