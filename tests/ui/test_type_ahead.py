"""Keys read in one burst reach the prompt or screen the first of them opens, in order.

A burst is what the terminal driver delivers from one read: every key is in the app's
queue before the first one's action has run (`dtui.ui.type_ahead`).
"""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from dtui.ui.app import DtuiApp
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.screens.modals import RenamePrompt
from tests.support.wait import wait_until
from tests.ui.table_support import FakeDocker

CHARACTERS = {"enter": "\r", "escape": "\x1b", "ctrl+u": "\x15"}


def send_burst(app: DtuiApp, *keys: str) -> None:
    """Queue these keys on the app at once, as the driver does with one read of the terminal."""
    for key in keys:
        if len(key) == 1:
            event = events.Key(key if key.isalnum() else _character_to_key(key), key)
        else:
            event = events.Key(key, CHARACTERS.get(key))
        app.post_message(event)


def _docker() -> FakeDocker:
    docker = FakeDocker()
    docker.add("web01")
    docker.add("db01", state="exited")
    return docker


async def test_engine_filter_prompt_gets_the_keys_typed_with_f() -> None:
    docker = _docker()
    app = docker.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: docker.list_calls, what="first listing")
        send_burst(app, "f", *"status=exited", "enter")
        await wait_until(pilot, lambda: docker.list_calls[-1]["filters"], what="a filtered listing")
        assert docker.list_calls[-1]["filters"] == {"status": ["exited"]}
        assert isinstance(app.screen, MainScreen)
    # "s" and "t" of "status" went to the prompt, not to the table's start and stop keys.
    assert docker.mutations() == []


async def test_rename_prompt_and_quick_filter_get_their_keys_in_order() -> None:
    docker = _docker()
    app = docker.app(show_all=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_until(pilot, lambda: len(screen.table.visible_keys()) == 2, what="two rows")
        send_burst(app, "/", *"db", "enter")
        box = screen.query_one("#quick-filter", Input)
        await wait_until(pilot, lambda: box.value and screen.table.has_focus, what="Enter back on the table")
        assert box.value == "db"
        assert [screen.table.objects[key].name for key in screen.table.visible_keys()] == ["db01"]
        send_burst(app, "n", "ctrl+u", *"db-02", "enter")
        await wait_until(pilot, lambda: docker.mutations(), what="the rename")
        assert not isinstance(app.screen, RenamePrompt)
    db01 = next(key for key, item in docker.containers.items() if item["Names"] == ["/db01"])
    assert [path.split("/", 2)[2] for _, path in docker.mutations()] == [f"containers/{db01}/rename?name=db-02"]


async def test_a_line_feed_typed_before_raw_mode_is_enter_outside_a_terminal() -> None:
    """Keys typed while dtui starts pass the tty's ICRNL before raw mode: their Enter arrives as ctrl+j."""
    docker = _docker()
    app = docker.app(show_all=True)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        send_burst(app, "/", *"db", "ctrl+j", "D")  # before even the first listing
        box = screen.query_one("#quick-filter", Input)
        await wait_until(pilot, lambda: not isinstance(app.screen, MainScreen), what="D's question")
        assert box.value == "db" and "Remove db01" in str(app.screen.query_one("#question").render())
