"""The shells pane against a fake terminal source: keys to bytes, rendering, DSR, exit line, focus."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from dtui.engine.errors import Conflict, EngineUnreachable
from dtui.ui.app import DtuiApp
from dtui.ui.terminal import sources as terminal_sources
from dtui.ui.terminal.keys import key_bytes, paste_bytes
from dtui.ui.terminal.pane import ShellPane
from dtui.ui.terminal.prompt import ShellPrompt
from dtui.ui.terminal.sources import Outcome
from dtui.ui.terminal.view import TerminalView
from dtui.ui.views.containers.table import ContainerTable
from tests.support.wait import wait_until
from tests.ui.table_support import FakeDocker
from tests.ui.terminal_support import FakeSource
from tests.ui.test_type_ahead import send_burst

SIZE = (80, 24)


async def _settle(pilot: Pilot[Any], seconds: float = 0.2) -> None:
    await pilot.pause(seconds)


@pytest.fixture
def sources(monkeypatch: pytest.MonkeyPatch) -> list[FakeSource]:
    """Every source `E` and `A` open, fakes instead of engine execs."""
    made: list[FakeSource] = []

    def maker(intro: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> FakeSource:
            made.append(FakeSource(intro=intro))
            return made[-1]

        return make

    monkeypatch.setattr(terminal_sources, "ExecSource", maker(""))
    monkeypatch.setattr(terminal_sources, "AttachSource", maker("ctrl-c reaches it"))
    return made


def _docker() -> FakeDocker:
    docker = FakeDocker()
    docker.add("web")
    return docker


async def _open_shell(pilot: Pilot[Any], app: DtuiApp) -> TerminalView:
    await _settle(pilot)
    await pilot.press("E")
    await _settle(pilot, 0.1)
    assert isinstance(app.screen, ShellPrompt)
    await pilot.press("enter")
    await _settle(pilot)
    view = app.screen.query_one(TerminalView)
    assert app.focused is view
    return view


def test_keys_map_to_xterm_sequences() -> None:
    assert key_bytes("a", "a") == b"a"
    assert key_bytes("enter", "\r") == b"\r"
    assert key_bytes("backspace", "\x7f") == b"\x7f"
    assert key_bytes("ctrl+c", None) == b"\x03"
    assert key_bytes("up", None) == b"\x1b[A"
    assert key_bytes("up", None, app_cursor=True) == b"\x1bOA"
    assert key_bytes("ctrl+right", None) == b"\x1b[1;5C"
    assert key_bytes("shift+pageup", None) == b"\x1b[5;2~"
    assert key_bytes("home", None) == b"\x1b[H" and key_bytes("end", None) == b"\x1b[F"
    assert key_bytes("f1", None) == b"\x1bOP" and key_bytes("f12", None) == b"\x1b[24~"
    assert key_bytes("alt+b", "b") == b"\x1bb"
    assert key_bytes("é", "é") == "é".encode()
    assert key_bytes("ctrl+shift+f13", None) is None
    assert paste_bytes("ls\n\x1b[201~pwd", bracketed=True) == b"\x1b[200~ls\r[201~pwd\x1b[201~"
    assert paste_bytes("a\r\nb", bracketed=False) == b"a\rb"


async def test_shell_pane_types_renders_answers_and_reports_the_exit(sources: list[FakeSource]) -> None:
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _open_shell(pilot, app)
        source = sources[0]
        assert source.opened_at == (view.size.height, view.size.width)
        assert "-shells-open" in app.screen.classes
        source.write(b"\x1b[31mhello\x1b[0m \x1b]0;title\x07\x1b[6n")
        await _settle(pilot)
        assert view.screen_text()[0] == "hello"
        assert source.typed == b"\x1b[1;7R"  # the cursor position report, answered
        strip = view.render_line(0)
        assert strip.text.startswith("hello")
        assert any(seg.style is not None and seg.style.color is not None and seg.text == "hello" for seg in strip)
        await pilot.press("l", "s", "enter", "tab", "ctrl+c", "ctrl+p", "ctrl+q", "up", "f5", "escape", "ctrl+j")
        await _settle(pilot, 0.1)
        assert source.typed[6:] == b"ls\r\t\x03\x10\x11\x1b[A\x1b[15~\x1b\n"  # ctrl+j stays a line feed here
        assert isinstance(app.screen.query_one(ShellPane), ShellPane) and app.screen.is_current  # no palette
        source.write(b"\x1b[?1h")  # application cursor keys
        await _settle(pilot, 0.1)
        await pilot.press("up")
        await _settle(pilot, 0.1)
        assert source.typed.endswith(b"\x1bOA")
        source.end()
        await _settle(pilot)
        assert view.outcome == Outcome("The shell exited with code 0.")
        assert any("[dtui] The shell exited with code 0." in line for line in view.screen_text())
        await pilot.press("ctrl+w")
        await _settle(pilot)
        assert "-shells-open" not in app.screen.classes
        assert isinstance(app.focused, ContainerTable)


async def test_leaving_zooming_and_a_refused_start(sources: list[FakeSource], monkeypatch: pytest.MonkeyPatch) -> None:
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        view = await _open_shell(pilot, app)
        await pilot.press("ctrl+right_square_bracket")
        await _settle(pilot, 0.1)
        assert isinstance(app.focused, ContainerTable)
        await pilot.press("z")
        await _settle(pilot, 0.1)
        assert "-shells-full" in app.screen.classes and app.focused is view
        await pilot.press("z")  # inside the terminal: typed, not a zoom
        await _settle(pilot, 0.1)
        assert sources[0].typed == b"z" and "-shells-full" in app.screen.classes
        monkeypatch.setattr(terminal_sources, "ExecSource", lambda *a, **k: FakeSource(error=Conflict("container abc is paused")))
        await pilot.press("ctrl+right_square_bracket", "escape")  # Esc, outside the terminal, un-zooms too
        await _settle(pilot, 0.1)
        assert "-shells-full" not in app.screen.classes and isinstance(app.focused, ContainerTable)
        await pilot.press("E", "enter")
        await _settle(pilot)
        second = app.screen.query_one(ShellPane).active_view
        assert second is not None and second is not view
        assert second.outcome == Outcome("The engine refused: container abc is paused", failed=True)
        assert any("The engine refused: container abc is paused" in line for line in second.screen_text())
        assert app.is_running


async def test_attach_shows_the_ctrl_c_warning_and_resizes_follow(sources: list[FakeSource]) -> None:
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("A")
        await _settle(pilot)
        view = app.screen.query_one(TerminalView)
        assert "[dtui] ctrl-c reaches it" in view.screen_text()[0]
        await pilot.resize_terminal(100, 30)
        await _settle(pilot, 0.4)
        assert sources[0].sizes[-1] == (view.size.height, view.size.width)
        assert view.emulator.columns == view.size.width == 100


async def test_read_only_refuses_shells(sources: list[FakeSource]) -> None:
    app = _docker().app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("E", "A", "ctrl+e")
        await _settle(pilot)
        assert not sources and not app.screen.query(TerminalView)


async def test_the_full_terminal_is_refused_in_a_browser(
    sources: list[FakeSource], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DtuiApp, "is_web", property(lambda self: True))
    app = _docker().app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+e")
        await _settle(pilot, 0.1)
        assert not isinstance(app.screen, ShellPrompt) and not sources
        assert any("cannot run in a browser" in str(n.message) for n in app._notifications)


class _ViewApp(App[None]):
    def __init__(self, source: FakeSource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield TerminalView(self.source)


async def test_scrollback_stays_put_under_new_output_and_a_key_returns() -> None:
    source = FakeSource()
    app = _ViewApp(source)
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(TerminalView)
        view.focus()
        source.write(b"".join(b"line %d\r\n" % n for n in range(100)))
        await _settle(pilot, 0.1)
        await pilot.press("shift+pageup")
        await _settle(pilot, 0.05)
        assert view.scrolled == 5
        top = view.render_line(0).text.rstrip()
        source.write(b"more\r\nmore\r\n")
        await _settle(pilot, 0.1)
        assert view.scrolled == 7 and view.render_line(0).text.rstrip() == top
        await pilot.press("x")
        await _settle(pilot, 0.05)
        assert view.scrolled == 0 and source.typed.endswith(b"x")


async def test_an_engine_that_goes_away_leaves_a_line_and_the_app_alive() -> None:
    source = FakeSource()
    app = _ViewApp(source)
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(TerminalView)
        source.write(b"working\r\n")
        await _settle(pilot, 0.1)
        source.fail(EngineUnreachable("the connection to the Docker engine at unix:///x dropped: reset"))
        await _settle(pilot, 0.1)
        assert view.outcome is not None and view.outcome.failed
        assert view.screen_text()[0] == "working"
        assert view.screen_text()[1].startswith("[dtui] The engine went away: the connection to")
        assert not view.live and app.is_running


async def test_keys_typed_right_behind_e_reach_the_shell(sources: list[FakeSource]) -> None:
    docker = _docker()
    app = docker.app()
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        send_burst(app, "E", "enter", *"echo", "enter")  # on the table "e" exports and "c" creates
        await wait_until(pilot, lambda: sources and sources[0].typed == b"echo\r", what="the keys in the shell")
        assert app.focused is app.screen.query_one(TerminalView) and app.screen.is_current
    assert docker.mutations() == []
