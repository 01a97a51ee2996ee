"""Actions as data: each action of a view declared once, read by every place that shows or runs it.

The footer and the keymap read :meth:`ActionTable.bindings`; the help screen
:meth:`ActionTable.help_rows`; the palette :meth:`ActionTable.titled`; the read-only check
:attr:`ActionTable.mutating`. A view screen runs an action by its id (``action_<id>``): a
bulk ``call`` on every selected object (one confirmation), a ``run`` hook, or the screen's
own ``action_<id>`` method for an action with its own dialog.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


@dataclass(frozen=True, slots=True)
class ActionContext:
    """What a bulk call may need beside the object (settings of the running app).

    Attributes:
        stop_timeout: Seconds the engine waits before killing on stop/restart (None: its default).
    """

    stop_timeout: int | None = None


BulkCall = Callable[["EngineClient", Any, ActionContext], Awaitable[object]]
"""One object's engine call: (its host's client, the object, the context)."""
RunHook = Callable[[Any], None]
"""Runs an action that opens something: gets the view screen."""


@dataclass(frozen=True, slots=True)
class Action:
    """One action of a view.

    Attributes:
        id: The action's name (``action_<id>``, binding id ``<scope>.<id>``).
        key: Its default key(s), comma-separated (remappable in the config ``[keys]``).
        label: The short footer label.
        title: What it does, in words (help screen and palette).
        group: The help screen heading it is listed under.
        mutating: It changes the engine (hidden and refused with ``--read-only``).
        show: Shown in the footer.
        listed: Listed in help and palette (False for e.g. Esc).
        call: A bulk action: the engine call run on each selected object, side by side.
        pending: The row's status while ``call`` runs (``"stopping"``).
        confirm: The ``[confirm]`` setting asking before ``call`` on one object (None:
            ask only when several objects are selected).
        run: A hook run instead (opens a screen, a prompt...): gets the view screen.
    """

    id: str
    key: str
    label: str
    title: str = ""
    group: str = "View"
    mutating: bool = False
    show: bool = False
    listed: bool = True
    call: BulkCall | None = None
    pending: str = ""
    confirm: str | None = None
    run: RunHook | None = None

    @property
    def described(self) -> str:
        """The title, else the label."""
        return self.title or self.label


class ActionTable:
    """The actions of one view, in footer/help order.

    Args:
        scope: The binding id prefix (``"main"`` gives ``main.stop``).
        actions: The actions.
        groups: The help headings in order (every action's group must be one).
    """

    def __init__(self, scope: str, actions: Sequence[Action], groups: Sequence[str] = ("View",)) -> None:
        self.scope = scope
        self.actions = tuple(actions)
        self.groups = tuple(groups)
        self._by_id = {action.id: action for action in self.actions}
        unknown = {action.group for action in self.actions if action.listed} - set(self.groups)
        if unknown or len(self._by_id) != len(self.actions):
            raise ValueError(f"{scope}: duplicate action ids or unknown groups {sorted(unknown)}")

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def get(self, action_id: str) -> Action | None:
        """The action of an id, if declared."""
        return self._by_id.get(action_id)

    def plus(self, *actions: Action, before: str | None = None) -> ActionTable:
        """This table with more actions (inserted before ``before``'s id, else at the end)."""
        rows = list(self.actions)
        at = len(rows) if before is None else [a.id for a in rows].index(before)
        return ActionTable(self.scope, [*rows[:at], *actions, *rows[at:]], self.groups)

    def replaced(self, action_id: str, **changes: Any) -> ActionTable:
        """This table with one action's fields changed (e.g. another key)."""
        rows = [replace(a, **changes) if a.id == action_id else a for a in self.actions]
        return ActionTable(self.scope, rows, self.groups)

    @property
    def mutating(self) -> frozenset[str]:
        """Ids of the actions refused in read-only mode."""
        return frozenset(action.id for action in self.actions if action.mutating)

    def bindings(self) -> list[Binding]:
        """The Textual bindings (ids ``<scope>.<id>``, so the keymap can remap them)."""
        return [
            Binding(a.key, a.id, a.label, id=f"{self.scope}.{a.id}", show=a.show) for a in self.actions
        ]

    def titled(self, allowed: Callable[[str], bool]) -> Iterator[Action]:
        """The listed actions ``allowed`` lets run now, in order (help, palette)."""
        return (a for a in self.actions if a.listed and allowed(a.id))

    def help_rows(self, keys_of: Callable[[Action], str], allowed: Callable[[str], bool]) -> Iterable[tuple[str, str]]:
        """Help rows grouped by purpose; a row with an empty key is a group heading."""
        actions = list(self.titled(allowed))
        for group in self.groups:
            yield "", group
            for action in actions:
                if action.group == group:
                    yield keys_of(action), action.described


def open_screen(name: str, *args: Any, **kwargs: Any) -> RunHook:
    """A run hook pushing the screen a ``"package.module:Class"`` name gives (imported on use).

    Lets one view's action table open another view without importing its module::

        Action("images", "I", "Images", "Show the images", run=open_screen("dtui.ui.views.images:ImagesScreen"))
    """

    def run(screen: Any) -> None:
        module, _, attribute = name.partition(":")
        screen_class = getattr(importlib.import_module(module), attribute)
        screen.app.push_screen(screen_class(*args, **kwargs))

    return run
