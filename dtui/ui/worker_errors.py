"""One path for worker errors: every screen and widget reports them to the app.

Workers run with ``exit_on_error=False`` so a failure never ends the app, and Textual's
``Worker.StateChanged`` does not bubble, so a widget whose worker raised would otherwise
drop the error silently. `ReportsWorkerErrors` turns a worker that ended in error into one
`ErrorReported` message posted to the app; `report_error` does the same for an error a
worker caught itself. The app shows engine errors as a notification with the daemon's
text and anything else in an "Internal error" modal; it keeps running either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, WorkerState


@dataclass
class ErrorReported(Message, bubble=False):
    """Posted to the app: an error the user must see.

    Attributes:
        error: What was raised (an ``EngineError`` carries the daemon's message).
        context: What was being done, in dtui's words (e.g. ``"listing processes"``).
    """

    error: BaseException
    context: str


def report_error(node: DOMNode, error: BaseException, context: str) -> None:
    """Hand ``error`` to the app's one error handler (a no-op in an app without one)."""
    node.app.post_message(ErrorReported(error, context))


class ReportsWorkerErrors:
    """Mixin for a screen or widget: its workers that end in error are reported to the app.

    Put it first in the bases (``class MyScreen(ReportsWorkerErrors, ModalScreen[T])``);
    Textual calls this handler as well as any ``on_worker_state_changed`` of the class.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a worker that raised (the app decides how to show it)."""
        if event.state != WorkerState.ERROR or not isinstance(self, DOMNode):
            return
        error = event.worker.error
        if error is not None:
            report_error(self, error, f"{event.worker.name or 'a background task'} failed")
