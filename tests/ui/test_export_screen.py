"""The export screen against a fake engine: progress, cancel, overwrite."""

from __future__ import annotations

import itertools
from pathlib import Path

from textual.widgets import Static
from textual.widgets._toast import Toast

from dtui.engine.models import ContainerSummary
from dtui.ui.screens.choice import ChoiceScreen
from dtui.ui.forms.export import ExportScreen, default_path, format_bytes
from tests.fakes import FakeEngine, container_json
from tests.ui.screen_host import ScreenHost, type_text
from tests.support.wait import wait_until

CHUNK = b"x" * 32768


def exporting_engine(*, hang: bool) -> tuple[FakeEngine, ContainerSummary]:
    data = container_json("web01")
    fake = FakeEngine()
    fake.route("GET", "/containers/[0-9a-f]+/json", json={"Id": data["Id"], "Name": "/web01", "SizeRootFs": 262144})
    fake.route("GET", "/containers/[0-9a-f]+/export", chunks=[CHUNK] * 3, hang=hang)
    return fake, ContainerSummary.from_api(data)


def fixed_clock() -> object:
    """100 s at the start, 104 s ever after: a rate of written / 4 s."""
    times = itertools.chain([100.0], itertools.repeat(104.0))
    return lambda: next(times)


def status(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-status", Static).render())


async def start_export(pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+u")
    await type_text(pilot, str(path))
    await pilot.press("enter")


def test_helpers() -> None:
    assert default_path("web01") == "./web01.tar"
    assert format_bytes(512) == "512 B" and format_bytes(98304) == "96.0 KiB"
    assert format_bytes(3 * 1024**3) == "3.0 GiB"


def test_progress_bar_snapshot(snap_compare, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # the default ./web01.tar lands here
    fake, container = exporting_engine(hang=True)
    screen = ExportScreen(container, clock=fixed_clock())  # type: ignore[arg-type]
    app = ScreenHost(fake.client(), screen)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("enter")
        await wait_until(pilot, lambda: "96.0 KiB of ~256.0 KiB" in status(screen))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_export_writes_the_file_and_reports_the_rate(tmp_path: Path) -> None:
    fake, container = exporting_engine(hang=False)
    screen = ExportScreen(container)
    app = ScreenHost(fake.client(), screen)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await start_export(pilot, tmp_path / "w.tar")
        await wait_until(pilot, lambda: bool(app.results))
        # The success toast must paint (a Rich Text message raised in Textual 8.2.8 here).
        await wait_until(pilot, lambda: bool(app.screen.query(Toast)))
        toast = app.screen.query_one(Toast)
        await pilot.pause()
        assert "Exported 96.0 KiB to" in toast.render_line(0).text + toast.render_line(1).text
        assert app.is_running
    assert app.results == [str(tmp_path / "w.tar")]
    assert (tmp_path / "w.tar").read_bytes() == CHUNK * 3
    assert list(tmp_path.iterdir()) == [tmp_path / "w.tar"]


async def test_escape_cancels_and_removes_the_partial_file(tmp_path: Path) -> None:
    fake, container = exporting_engine(hang=True)
    screen = ExportScreen(container, clock=fixed_clock())  # type: ignore[arg-type]
    app = ScreenHost(fake.client(), screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_export(pilot, tmp_path / "w.tar")
        await wait_until(pilot, lambda: "96.0 KiB" in status(screen))
        assert (tmp_path / "w.tar.part").stat().st_size == 3 * len(CHUNK)
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(app.results) and not list(tmp_path.iterdir()))
    assert app.results == [None]


async def test_overwrite_is_confirmed(tmp_path: Path) -> None:
    target = tmp_path / "w.tar"
    target.write_bytes(b"keep me")
    fake, container = exporting_engine(hang=False)
    screen = ExportScreen(container)
    app = ScreenHost(fake.client(), screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_export(pilot, target)
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("right", "enter")  # "Keep it"
        await wait_until(pilot, lambda: app.screen is screen)
        assert target.read_bytes() == b"keep me"
        assert "/export" not in " ".join(fake.paths())
        await pilot.press("enter")  # export again from the path field
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("enter")  # "Overwrite"
        await wait_until(pilot, lambda: bool(app.results))
    assert target.read_bytes() == CHUNK * 3


async def test_engine_error_is_shown_and_nothing_left(tmp_path: Path) -> None:
    fake, container = exporting_engine(hang=False)
    fake.route("GET", "/containers/[0-9a-f]+/export", status=404, json={"message": "No such container: \x1b[31mweb"})
    screen = ExportScreen(container)
    app = ScreenHost(fake.client(), screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_export(pilot, tmp_path / "w.tar")
        await wait_until(pilot, lambda: "Export failed" in status(screen))
        assert "Export failed: No such container: web" in status(screen)
        assert "\x1b" not in status(screen)
    assert list(tmp_path.iterdir()) == []
