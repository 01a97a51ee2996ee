"""The config file in the running app: remaps reach footer, help and behaviour; problems show."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer

from dtui.config import Config, Defaults, load_config
from dtui.ui.app import DtuiApp
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.screens.modals import ConfirmScreen, HelpScreen, SignalPicker
from dtui.ui.views.containers.table import ContainerTable
from tests.ui.table_support import FakeDocker

SIZE = (80, 24)


def _docker() -> FakeDocker:
    docker = FakeDocker()
    docker.add("web")
    docker.add("db")
    return docker


def _notes(app: DtuiApp) -> list[str]:
    return [str(note.message) for note in app._notifications]


def _footer_text(app: DtuiApp) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(child.render()) for child in footer.query("FooterKey"))


async def test_remap_changes_footer_help_and_behaviour() -> None:
    app = _docker().app(config=Config(keys={"main.stop": "X"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert "X Stop" in _footer_text(app) and "x Stop" not in _footer_text(app)
        await pilot.press("x")
        await pilot.pause(0.1)
        assert isinstance(app.screen, MainScreen), "the old key must do nothing"
        await pilot.press("X")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, key) for key, desc in app.screen.rows)
        assert rows["Stop the selected or marked containers"] == "X"


async def test_collision_is_reported_and_rest_applies() -> None:
    app = _docker().app(config=Config(keys={"main.stop": "s", "main.restart": "R"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert any("main.stop = 's' collides with main.start" in note for note in _notes(app))
        await pilot.press("R")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen), "the valid remap still applies"


async def test_malformed_file_is_named_with_its_line_and_defaults_apply(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[defaults]\nsort = "created"\nshow_all = tru\n')
    app = _docker().app(config=load_config(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        notes = _notes(app)
        assert any(str(path) in note and "line 3" in note for note in notes), notes
        assert app.screen.query_one(ContainerTable).sort_field == "name"


async def test_defaults_choose_sort_and_unknown_theme_is_reported() -> None:
    app = _docker().app(config=Config(theme="no-such-theme", defaults=Defaults(sort="created")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert app.screen.query_one(ContainerTable).sort_field == "created"
        assert any("unknown theme 'no-such-theme'" in note for note in _notes(app))


async def test_theme_from_config_and_remembered(tmp_path: Path) -> None:
    theme_file = tmp_path / "state" / "theme"
    app = _docker().app(config=Config(theme="nord"), theme_file=theme_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert app.theme == "nord"
        app.theme = "gruvbox"
        await pilot.pause(0.1)
    assert theme_file.read_text().strip() == "gruvbox"
    again = _docker().app(theme_file=theme_file)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert again.theme == "gruvbox"


async def test_stop_confirmation_can_be_turned_off() -> None:
    docker = _docker()
    app = docker.app(config=Config(confirm={"stop": False}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        await pilot.press("x")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen)
    assert any(r.method == "POST" and r.url.path.endswith("/stop") for r in docker.engine.requests)


def test_help_snapshot(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The help screen at 80x24: every key of the main screen, with a remap (X for stop)."""
    app = _docker().app(config=Config(keys={"main.stop": "X"}))
    assert snap_compare(app, press=["question_mark"], terminal_size=SIZE)


async def test_log_screen_help_reflects_remaps() -> None:
    docker = _docker()
    app = docker.app(config=Config(keys={"logs.wrap": "W"}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        await pilot.press("l")
        await pilot.pause(0.3)
        await pilot.press("question_mark")
        await pilot.pause(0.2)
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, key) for key, desc in app.screen.rows)
        assert rows["Wrap"] == "W" and rows["Search"] == "/" and rows["Save"] == "^s"


def _posts(docker: FakeDocker, suffix: str) -> list[str]:
    return [str(r.url) for r in docker.engine.requests if r.method == "POST" and r.url.path.endswith(suffix)]


async def test_kill_and_pause_follow_their_confirm_settings() -> None:
    """kill = true is the signal picker, false sends SIGKILL at once; pause asks only when told to."""
    docker = _docker()
    app = docker.app(config=Config(confirm={"kill": False, "pause": True}))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        await pilot.press("p")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen) and not _posts(docker, "/pause")
        await pilot.press("n", "K")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen)
        assert [url.endswith("signal=SIGKILL") for url in _posts(docker, "/kill")] == [True]
    docker = _docker()
    app = docker.app()  # the defaults: the picker, and one pause goes at once
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        await pilot.press("p")
        await pilot.pause(0.3)
        assert isinstance(app.screen, MainScreen) and len(_posts(docker, "/pause")) == 1
        await pilot.press("K")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SignalPicker) and not _posts(docker, "/kill")
