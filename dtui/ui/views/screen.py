"""The resource screen: a live :class:`ResourceTable` driven by a declared :class:`ActionTable`.

What every view gets: the live feed of its kind on every host (subscribed on mount, stopped
on unmount), the quick filter (``/``), marks (space), sort keys, Esc, help and palette
entries from the declared actions, read-only refusal, and bulk actions run on the marked (or
selected) rows side by side with one confirmation, a pending state on each row and one
notification per object.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, ClassVar, Generic, TypeVar, cast

from rich.text import Text
from textual import on, work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from dtui.engine.errors import EngineError
from dtui.live.changes import (
    HostDown,
    HostUp,
    Listed,
    ListingRefused,
    RefreshFailed,
    Removed,
)
from dtui.live.kind import Kind
from dtui.ui.messages import ActionFinished
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.screens.modals import HelpScreen, confirm_then, current_keys
from dtui.ui.views.actions import Action, ActionContext, ActionTable
from dtui.ui.views.host import ViewHost
from dtui.ui.views.live import LiveChanged, post_to
from dtui.ui.views.help_keys import focused_groups, without_keys
from dtui.ui.views.status_line import StatusLine, status_text, table_figures
from dtui.ui.views.table import ResourceTable, row_key, split_row_key

T = TypeVar("T")

Call = Callable[[Any, str], Awaitable[object]]
"""One engine call on one object: (its host's client, its id)."""
Target = tuple[str, Any]
"""(row key, object)."""

EVERYWHERE_ROWS = (
    ("", "Everywhere"),
    ("Tab", "Move focus between the table and the detail pane"),
    ("q", "Quit"),
    ("ctrl+p", "Command palette (every action)"),
)


def standard_actions(noun: str) -> tuple[Action, ...]:
    """The view keys every resource screen has: filter, mark, sort, reload, Esc, help."""
    return (
        Action("quick_filter", "slash", "Filter", f"Quick filter the {noun} by name or id", show=True),
        Action("mark", "space", "Mark", f"Mark or unmark the selected {noun.rstrip('s')}", show=True),
        Action("sort", "o", "Sort", "Sort by the next column"),
        Action("reverse_sort", "O", "Reverse sort", "Reverse the sort order"),
        Action("reload", "ctrl+r", "Reload", f"Re-list the {noun}"),
        Action("escape", "escape", "Back", listed=False),
        Action("help", "question_mark", "Help", "Show the keys of this screen", show=True),
    )


class ResourceScreen(Screen[None], Generic[T]):
    """A screen showing one kind of object live; subclasses declare what differs.

    Class attributes a view declares:
        ACTIONS: Its actions (also its BINDINGS, built from them).
        NOUN: The objects' plural ("containers"), in confirmations.
        HELP_TITLE: The help screen's title.

    Methods a view provides: :meth:`kind` (what to list and follow), ``compose`` (yielding
    its :class:`ResourceTable` and an ``Input`` with id ``quick-filter``), and
    ``action_<id>`` for each action that has neither ``call`` nor ``run``. Following starts
    on mount, after the view's own ``on_mount``, and stops on unmount.
    """

    ACTIONS: ClassVar[ActionTable] = ActionTable("view", ())
    NOUN: ClassVar[str] = "objects"
    HELP_TITLE: ClassVar[str] = "Keys"
    CLOSES_ON_ESCAPE: ClassVar[bool] = False
    """Esc with nothing else to close goes back to the screen below (a view pushed on top)."""
    TITLE_TEXT: ClassVar[str] = ""
    """The view's name in its status line (``"Volumes"``), when it yields :meth:`status_line`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "ACTIONS" in cls.__dict__:
            cls.BINDINGS = list(cls.ACTIONS.bindings())
            for action in cls.ACTIONS:
                if action.call is not None or action.run is not None:
                    setattr(cls, f"action_{action.id}", _declared_action(action))
        super().__init_subclass__(**kwargs)

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: Callable[[], None] | None = None
        self._kind_name = ""

    def _compositor_refresh(self) -> None:
        """Render the screen, unless Textual would throw the frame away.

        Overrides a private method of Textual 8.2.8 (pinned): a layout refreshed inside an
        app batch update schedules this render (``Screen._refresh_layout``), and then
        ``App._display`` drops the frame because the batch is still open. The first listing
        lands inside the app's mount batch, so at start-up the whole table was rendered
        twice. Here the render waits for the batch to end.
        """
        if self.app._batch_count:
            self.app.call_later(self.refresh)
            return
        super()._compositor_refresh()

    # -- what a view provides ----------------------------------------------------------

    def kind(self) -> Kind[T]:
        """What the view lists and follows (built again on every :meth:`follow`)."""
        raise NotImplementedError

    def view_changed(self) -> None:
        """Rows were listed, filtered, sorted, marked or removed (status lines, samplers...)."""
        self.show_status()

    # -- the status line (a pushed view yields it first) -------------------------------

    def status_line(self) -> StatusLine:
        """The status line widget to yield first in ``compose``."""
        return StatusLine(self.status_title(), id="resource-status")

    def status_title(self) -> Text:
        """The status line's first part: the view's name."""
        return Text(self.TITLE_TEXT, style="bold")

    def status_figures(self) -> Text:
        """What the status line counts (rows shown, marks, filter, sort)."""
        return table_figures(self.table)

    def show_status(self) -> None:
        """Bring the status line up to date (a view without one has nothing to do)."""
        lines = self.query(StatusLine)
        if not lines or not self.is_mounted:
            return
        table = self.table
        lines.first().show(status_text(
            self.status_title(), self.status_figures(), hosts=self.view_host.hosts, down=table.stale_hosts,
            labels=table.host_labels, read_only=self.view_host.read_only))

    def escape_target(self) -> str | None:
        """What Esc would close now: ``quick_filter``, ``marks``, ``close`` or None (a view may add more)."""
        box = self.query_one("#quick-filter", Input)
        if box.has_focus or (box.display and box.value):
            return "quick_filter"
        if self.table.marks:
            return "marks"
        return "close" if self.CLOSES_ON_ESCAPE else None

    def action_context(self) -> ActionContext:
        """What bulk calls may need from the app."""
        return ActionContext(stop_timeout=self.view_host.stop_timeout)

    # -- reading -----------------------------------------------------------------------

    @property
    def view_host(self) -> ViewHost:
        """The app, as a view sees it."""
        return cast(ViewHost, self.app)

    @property
    def table(self) -> ResourceTable[T]:
        """The view's table."""
        return cast("ResourceTable[T]", self.query_one(ResourceTable))

    def targets(self) -> list[Target]:
        """The marked objects in display order, else the one under the cursor, as (key, object)."""
        table = self.table
        found = ((key, table.get(key)) for key in table.selected_keys())
        return [(key, item) for key, item in found if item is not None]

    def cursor_target(self) -> tuple[str, T] | None:
        """The (host, object) under the cursor."""
        key = self.table.cursor_key
        item = self.table.get(key) if key else None
        if key is None or item is None:
            return None
        return split_row_key(key)[0], item

    # -- live --------------------------------------------------------------------------

    def shown_hosts(self) -> list[str]:
        """The hosts the view lists: every host of the app (a view may list fewer)."""
        return self.view_host.hosts

    def follow(self) -> None:
        """(Re)start following the view's kind on :meth:`shown_hosts`."""
        kind = self.kind()
        live = self.view_host.live
        if self._unsubscribe is None or kind.name != self._kind_name:
            if self._unsubscribe is not None:
                self._unsubscribe()
            self._unsubscribe = live.subscribe(kind.name, post_to(self))
            self._kind_name = kind.name
        live.follow(kind, self.shown_hosts())

    def on_mount(self) -> None:
        """Start following (after the subclass's own ``on_mount``: Textual calls both)."""
        self.show_status()
        self.follow()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()  # the last listener of a kind stops its feeds
            self._unsubscribe = None

    def touch(self, host: str, object_id: str) -> None:
        """An object changed (an action ended on it): list it again soon."""
        self.view_host.live.touch(self._kind_name, host, object_id)

    def on_live_changed(self, message: LiveChanged) -> None:
        change = message.change
        if change.kind != self._kind_name:
            return
        if isinstance(change, Listed):
            self.live_listed(change)
        elif isinstance(change, Removed):
            self.live_removed(change)
        elif isinstance(change, HostUp):
            self.live_host_up(change)
        elif isinstance(change, HostDown):
            self.live_host_down(change)
        elif isinstance(change, ListingRefused):
            self.live_refused(change)
        elif isinstance(change, RefreshFailed):
            self.view_host.show_error(change.error, f"refreshing {self.NOUN}")

    def live_listed(self, change: Listed) -> None:
        """Apply a listing to the table (rows of a host no longer shown are ignored)."""
        if change.host not in self.view_host.hosts:
            return
        if change.complete:
            self.table.replace(change.host, change.objects)
        else:
            self.table.merge(change.host, change.objects, change.asked_ids)
        self.view_changed()

    def live_removed(self, change: Removed) -> None:
        """Drop the rows the engine destroyed."""
        self.table.discard(row_key(change.host, object_id) for object_id in change.ids)
        self.view_changed()

    def live_host_up(self, change: HostUp) -> None:
        """The host answers again: its rows are current."""
        self.table.set_host_stale(change.host, False)
        self.view_changed()

    def live_host_down(self, change: HostDown) -> None:
        """The host is unreachable: its rows may be out of date."""
        self.table.set_host_stale(change.host, True)
        self.view_changed()

    def live_refused(self, change: ListingRefused) -> None:
        """The engine refused the listing (a view with filters may undo the last one)."""
        self.view_host.show_error(change.error, f"listing {self.NOUN}")

    # -- view keys ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide and refuse mutating keys in read-only mode; Esc only when it has a use."""
        if action in self.ACTIONS.mutating and self.view_host.read_only:
            return False
        if action == "escape":
            return self.escape_target() is not None
        return True

    def action_reload(self) -> None:
        """Re-subscribe and re-list."""
        self.follow()

    def action_sort(self) -> None:
        """Sort by the next field."""
        self.table.set_sort(self.table.next_sort_field(), False)
        self.view_changed()

    def action_reverse_sort(self) -> None:
        """Reverse the order."""
        self.table.set_sort(self.table.sort_field, not self.table.sort_reverse)
        self.view_changed()

    def action_mark(self) -> None:
        """Mark or unmark the row under the cursor, then move down."""
        table = self.table
        key = table.cursor_key
        if key is None:
            return
        table.toggle_mark(key)
        table.action_cursor_down()
        self.view_changed()

    def action_quick_filter(self) -> None:
        """Open the quick filter box."""
        box = self.query_one("#quick-filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#quick-filter")
    def _quick_filter_changed(self, event: Input.Changed) -> None:
        self.table.set_quick_filter(event.value)
        self.view_changed()

    @on(Input.Submitted, "#quick-filter")
    def _quick_filter_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            event.input.display = False
        self.table.focus()

    def clear_quick_filter(self) -> None:
        """Empty and hide the quick filter box; every row shows again."""
        box = self.query_one("#quick-filter", Input)
        box.value = ""
        box.display = False
        self.table.set_quick_filter("")
        self.table.focus()
        self.view_changed()

    def action_escape(self) -> None:
        """Close the quick filter, else clear the marks, else (a pushed view) go back."""
        target = self.escape_target()
        if target == "quick_filter":
            self.clear_quick_filter()
        elif target == "marks":
            self.table.clear_marks()
            self.view_changed()
        elif target == "close":
            self.dismiss()

    # -- help and palette --------------------------------------------------------------

    def _binding(self, action: Action) -> Binding:
        return Binding(action.key, action.id, action.label, id=f"{self.ACTIONS.scope}.{action.id}")

    def _allowed(self, action_id: str) -> bool:
        return self.check_action(action_id, ()) is not False

    def key_rows(self) -> Iterator[tuple[str, str]]:
        """Help rows of the focused widget (a pane, the table), the declared actions, the keys that work everywhere.

        The screen's rows leave out the keys the focused widgets take (``/`` searches in
        the detail pane, it does not open the quick filter there).
        """
        focused = focused_groups(self)
        screen_rows = self.ACTIONS.help_rows(lambda a: current_keys(self, self._binding(a)), self._allowed)
        if self.focused is self.table:  # the usual focus: the screen's own keys come first
            yield from without_keys(screen_rows, focused)
            yield from focused
        else:
            yield from focused
            yield from without_keys(screen_rows, focused)
        yield from EVERYWHERE_ROWS

    def action_help(self) -> None:
        """List this screen's keys."""
        self.app.push_screen(HelpScreen(self.HELP_TITLE, list(self.key_rows())))

    def palette_commands(self) -> Iterator[SystemCommand]:
        """The palette entries of this screen: every action its keys run."""
        for action in self.ACTIONS.titled(self._allowed):
            key = current_keys(self, self._binding(action))
            yield SystemCommand(action.described, f"key: {key}", self._palette_callback(action.id))

    def _palette_callback(self, action: str) -> Callable[[], Awaitable[object]]:
        async def run() -> None:
            await self.run_action(action)

        return run

    # -- bulk actions ------------------------------------------------------------------

    def question(self, verb: str, targets: list[Target]) -> Text:
        """``Stop web?`` or ``Stop 3 containers (a, b, c)?`` (names sanitized)."""
        names = [self.table.name_of(item) for _, item in targets]
        text = Text(f"{verb.capitalize()} ")
        if len(targets) == 1:
            text.append_text(safe_line(names[0], max_length=60, style="bold"))
        else:
            listed = ", ".join(names[:5]) + (", …" if len(targets) > 5 else "")
            text.append(f"{len(targets)} {self.NOUN} (", style="bold")
            text.append_text(safe_line(listed, max_length=120))
            text.append(")")
        text.append("?")
        return text

    def confirmed(self, verb: str, targets: list[Target], then: Callable[[], None]) -> None:
        """Ask once about every target; run ``then`` on yes."""
        confirm_then(self.app, self.question(verb, targets), then)

    def run_on(self, targets: list[Target], verb: str, pending: str, call: Call) -> None:
        """Run ``call`` on every target side by side, each row showing ``pending`` meanwhile."""
        for key, item in targets:
            self.table.set_pending(key, pending)
            self._act(key, self.table.name_of(item), verb, call)

    def run_bulk(self, action: Action) -> None:
        """Run a declared bulk action on the targets (confirmed as declared, always for several)."""
        targets = self.targets()
        call = action.call
        if not targets or call is None:
            return
        context = self.action_context()
        objects = {self.table.id_of(item): item for _, item in targets}

        def one(client: Any, object_id: str) -> Awaitable[object]:
            return call(client, objects[object_id], context)

        def run() -> None:
            self.run_on(targets, action.id, action.pending or f"{action.id}…", one)

        asks = action.confirm is not None and self.view_host.config.confirms(action.confirm)
        if asks or len(targets) > 1:
            self.confirmed(action.id, targets, run)
        else:
            run()

    @work(group="actions", exit_on_error=False)
    async def _act(self, key: str, name: str, verb: str, call: Call) -> None:
        """Run one action on one object (never exclusive: actions run side by side)."""
        if self.view_host.read_only:
            self.post_message(ActionFinished(key, verb, name, EngineError("dtui runs read-only")))
            return
        try:
            host, object_id = split_row_key(key)
            await call(self.view_host.client_for(host), object_id)
        except EngineError as error:
            self.post_message(ActionFinished(key, verb, name, error))
            return
        self.post_message(ActionFinished(key, verb, name))

    def on_action_finished(self, message: ActionFinished) -> None:
        self.table.set_pending(message.key, None)
        self.touch(*split_row_key(message.key))
        if message.error is not None:
            self.view_host.show_error(message.error, f"{message.name}: {message.verb}")
            return
        self.notify(safe_plain(f"{message.name}: {message.verb} done", max_length=200), markup=False, timeout=3)


def _declared_action(action: Action) -> Callable[[ResourceScreen[Any]], None]:
    """The ``action_<id>`` method of a declared action (a bulk call or a run hook)."""

    def run(screen: ResourceScreen[Any]) -> None:
        if action.run is not None:
            action.run(screen)
        else:
            screen.run_bulk(action)

    run.__name__ = f"action_{action.id}"
    run.__doc__ = action.described
    return run
