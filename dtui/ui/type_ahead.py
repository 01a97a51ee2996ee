"""Keys typed ahead reach what they were typed for, in order.

Textual hands each key to the widget focused *when the app reads it*. A burst (a fast
typist, a paste of keys, a laggy SSH link delivering ``/ERROR⏎`` in one read) is read in
one go, so every key of it goes to the widget that had focus before the first key's action
ran: the letters meant for a prompt that ``/`` opens land on the table, where ``s`` starts a
container. Focus changes are queued callbacks too (``Widget.focus`` uses ``call_later``),
and a pushed screen focuses its first widget only once it has composed.

:class:`OrdersKeys` makes the app take one key at a time: a key read while the previous one
is still being handled is held, and handed on only once that one has gone its whole way
(the focused widget, its ancestors, the screen, the app's bindings), the current screen is
mounted (a pushed one has composed and focused its first widget) and the focus changes
queued meanwhile have run (the next key goes through the app's queue behind them). Held keys are then dispatched one by one, each to whatever is
focused by then. A single key (nothing held) costs nothing extra: it is dispatched at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ScreenStackError
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

MAX_HELD_KEYS = 512
"""Keys held at most while one is handled (more are dropped: memory stays bounded)."""

SETTLE_SECONDS = 1.0
"""A key still unsettled after this long lets the held ones go (a pump that closed with our
callback queued never answers; waiting longer would freeze the keyboard)."""

HOLD_SECONDS = 3.0
"""A hold (:meth:`OrdersKeys.hold_keys`) not released after this long lets the keys go."""


class OrdersKeys:
    """Mixin for the App: keys are handed on one at a time, after focus has settled.

    Put it before ``App`` in the bases (``class MyApp(OrdersKeys, App[int])``).
    """

    _held_keys: deque[events.Key]
    _key_round = 0
    _key_busy = False
    _key_deadline: asyncio.TimerHandle | None = None
    _key_holds = 0

    def hold_keys(self) -> Callable[[], None]:
        """Hold the keys typed from now on until the returned function is called.

        For a key whose action focuses its target later, in a worker (a shell pane opens a
        tab, then focuses its terminal): the keys typed behind it wait for that focus.
        Calling the function again does nothing; after :data:`HOLD_SECONDS` it releases itself.
        """
        self._key_holds += 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            timer.cancel()
            self._key_holds -= 1
            if not self._key_holds and not self._key_busy and self._held_keys_or_none():
                # Through the app's queue: behind the focus change the holder just asked for.
                self._app_self.call_later(self._release_held)

        timer = asyncio.get_running_loop().call_later(HOLD_SECONDS, release)
        return release

    def _as_enter(self, event: events.Key) -> events.Key:
        """``ctrl+j`` (a line feed) is Enter, except in a terminal pane (its shell gets the byte).

        Keys typed while dtui starts reach the terminal before it is switched to raw mode, so
        its line discipline has already turned their Enter (CR) into a line feed.
        """
        if event.key != "ctrl+j" or getattr(self._app_self.focused, "holds_app_keys", False):
            return event
        return events.Key("enter", "\r")

    def _held_keys_or_none(self) -> deque[events.Key] | None:
        return getattr(self, "_held_keys", None) or None

    async def _release_held(self) -> None:
        if not self._key_holds and not self._key_busy and self._held_keys_or_none():
            await self._dispatch_key(self._held_keys.popleft())

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._take_key(self._as_enter(event))
            return
        await super().on_event(event)  # type: ignore[misc]

    async def _take_key(self, event: events.Key) -> None:
        if not hasattr(self, "_held_keys"):
            self._held_keys = deque()
        if self._key_busy or self._held_keys or self._key_holds:
            if len(self._held_keys) < MAX_HELD_KEYS:
                self._held_keys.append(event)
            return
        await self._dispatch_key(event)

    async def _dispatch_key(self, event: events.Key) -> None:
        """Hand ``event`` on as Textual does, then follow it until it has been handled."""
        app = self._app_self
        self._key_busy = True
        self._key_round += 1
        current = self._key_round
        path = self._key_path(app)
        self._key_deadline = asyncio.get_running_loop().call_later(
            SETTLE_SECONDS, app.call_later, self._key_settled, current
        )
        await super().on_event(event)  # type: ignore[misc]
        await self._follow(path, 0, current)

    @property
    def _app_self(self) -> App[Any]:
        return self  # type: ignore[return-value]

    @staticmethod
    def _key_path(app: App[Any]) -> list[MessagePump]:
        """The pumps a key goes through: the focused widget (or screen) up to the app."""
        try:
            start: Widget = app.focused or app.screen
        except ScreenStackError:  # no screen yet: the key stays with the app
            return [app]
        return [start, *start.ancestors]

    async def _follow(self, path: list[MessagePump], index: int, current: int, again: bool = True) -> None:
        """Queue a callback behind the key on each pump of its path, one after the other.

        Then once more along the path focused by then: a binding the app ran for the key may
        have posted a message back down (Enter in an Input posts ``Submitted`` to it, which
        bubbles to the screen that dismisses the prompt); the next key waits for that too.
        """
        if current != self._key_round:
            return
        while index < len(path):
            if path[index].call_later(self._follow, path, index + 1, current, again):
                return
            index += 1  # that pump is closed: the key cannot be waiting there
        if again:
            await self._follow(self._key_path(self._app_self), 0, current, False)
            return
        await self._settle(current)

    async def _settle(self, current: int) -> None:
        """Let the next key go once the current screen is mounted (a pushed one has composed).

        It goes through the app's queue once more, behind the focus changes the key's action
        and the screen's mount queued there (``Widget.focus`` is a ``call_later``).
        """
        if current != self._key_round:
            return
        app = self._app_self
        try:
            screen: Screen[Any] | None = app.screen
        except ScreenStackError:  # no screen yet
            screen = None
        if screen is None or screen.is_mounted:  # no screen: the keys go to the app itself
            app.call_later(self._key_settled, current)
        elif not screen.call_later(app.call_later, self._settle, current):
            app.call_later(self._settle, current)

    async def _key_settled(self, current: int) -> None:
        if current != self._key_round or not self._key_busy:
            return
        self._key_busy = False
        if self._key_deadline is not None:
            self._key_deadline.cancel()
            self._key_deadline = None
        if self._held_keys and not self._key_holds:
            await self._dispatch_key(self._held_keys.popleft())
