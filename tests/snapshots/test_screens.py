"""Full-app snapshots of dtui's screens and modals at 80x24 and 160x45, from fake engines.

Every picture is deterministic: the containers come from a ``FakeDocker``, the table's
"created" column is computed against a frozen clock (``FROZEN_NOW``), log lines and inspect
documents are canned. Each test's docstring says what the picture must show; when a snapshot
changes, look at the SVG diff (``pytest --snapshot-report``) against that sentence before
accepting it with ``--snapshot-update``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from textual.filter import Monochrome, NoColor
from textual.pilot import Pilot

from dtui.engine.models import EngineVersion
from dtui.ui.app import DtuiApp
from dtui.ui.logs.screen import LogScreen
from dtui.ui.views import table_time
from dtui.ui.logs.view import LogView
from tests.fakes import frame
from tests.ui.detail_support import inspect_document
from tests.ui.table_support import FakeDocker
from tests.support.wait import wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 45), id="160x45")]
FROZEN_NOW = datetime(2026, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
NOW_STAMP = int(FROZEN_NOW.timestamp())
IMAGES = [{"Id": "sha256:" + "2" * 64, "RepoTags": ["busybox:latest", "nginx:1.25"], "Created": 1, "Size": 5}]

NO_STATS = {"read": "0001-01-01T00:00:00Z", "cpu_stats": {}, "memory_stats": {}}
ENGINE_VERSION = EngineVersion.from_api({"Version": "27.3.1", "ApiVersion": "1.41"})

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


class _FrozenDateTime(datetime):
    """``datetime`` whose ``now()`` is always `FROZEN_NOW` (the table's relative times)."""

    @classmethod
    def now(cls, tz: Any = None) -> _FrozenDateTime:  # type: ignore[override]
        return cls.fromtimestamp(NOW_STAMP, tz)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Freeze the clock the container table measures "5m ago" against."""
    monkeypatch.setattr(table_time, "datetime", _FrozenDateTime)


def _port(private: int, public: int) -> dict[str, Any]:
    return {"IP": "0.0.0.0", "PrivatePort": private, "PublicPort": public, "Type": "tcp"}


def fleet() -> FakeDocker:
    """Five containers: three running web/db, one worker paused, one exited job."""
    docker = FakeDocker()
    docker.add("web01", image="nginx:1.25", created=NOW_STAMP - 300, status="Up 5 minutes",
               ports=[_port(80, 32768)], labels={"tier": "web"})
    docker.add("web02", image="nginx:1.25", created=NOW_STAMP - 240, status="Up 4 minutes",
               ports=[_port(80, 32769)], labels={"tier": "web"})
    docker.add("db", image="postgres:16", created=NOW_STAMP - 3 * 3600, status="Up 3 hours (healthy)",
               ports=[_port(5432, 32770)], labels={"tier": "db"})
    docker.add("worker", image="busybox:latest", state="paused", created=NOW_STAMP - 2 * 86400,
               status="Up 2 days (Paused)")
    docker.add("nightly-job", image="busybox:latest", state="exited", created=NOW_STAMP - 9 * 86400,
               status="Exited (0) 8 days ago")
    docker.engine.route("GET", "/images/json", json=IMAGES)
    # Usage sampling runs on a timer, so its figures would depend on when the picture is
    # taken: every container answers the engine's "no data" record and CPU/MEM stay "—".
    docker.engine.route("GET", "/containers/[^/]+/stats", json=NO_STATS)
    return docker


def web01_id(docker: FakeDocker) -> str:
    return next(cid for cid, item in docker.containers.items() if item["Names"] == ["/web01"])


async def settle(pilot: Pilot[Any]) -> None:
    """Let the listing land and timers (debounce, pane follow) fire."""
    await pilot.pause(0.3)
    await pilot.pause()


def keys(*pressed: str) -> RunBefore:
    """Settle, press the keys, settle again."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*pressed)
        await settle(pilot)

    return run_before


def app_of(docker: FakeDocker, **kwargs: Any) -> DtuiApp:
    app = docker.app(show_all=True, engine_version=ENGINE_VERSION, **kwargs)
    app.animation_level = "none"
    return app


@pytest.mark.parametrize("size", SIZES)
def test_table(snap_compare: Any, size: tuple[int, int]) -> None:
    """The table: status line ("4/5 running (all)", sort "name ▲", unix:///fake/docker.sock,
    Docker 27.3.1 · API 1.41), five rows sorted by name (db, nightly-job, web01, web02, worker);
    at 80 wide the columns that fit by priority: name, state (nightly-job "exited (0)"), CPU/MEM
    and the published ports in short form (32768->80/tcp); at 160 wide also ids, images,
    statuses and created ages 3h / 1w / 5m / 4m / 2d ago; CPU/MEM "—" (no usage data); the footer keys."""
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_table_with_marks(snap_compare: Any, size: tuple[int, int]) -> None:
    """Marks: db and nightly-job carry the "●" mark, the cursor is on web01 (third row), the
    status line says "2 marked"."""
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=keys("space", "space"))


@pytest.mark.parametrize("size", SIZES)
def test_confirm_stop(snap_compare: Any, size: tuple[int, int]) -> None:
    """The confirm dialog over the table after `x` on db: "Stop db? [y/N]"; the table stays
    visible behind the modal."""
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=keys("x"))


@pytest.mark.parametrize("size", SIZES)
def test_signal_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    """The signal picker after `K` on db: "Send a signal to db?", the list TERM, KILL, HUP,
    INT, QUIT, USR1, USR2 and the box "or type a signal (e.g. WINCH, 10) and Enter"."""
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=keys("K"))


@pytest.mark.parametrize("size", SIZES)
def test_engine_filter_prompt(snap_compare: Any, size: tuple[int, int]) -> None:
    """The engine filter prompt after `f`: the syntax example (status=exited label=env=prod
    ancestor=nginx name=web publish=9001 limit=5 size=1) and "label=tier=web" typed in."""
    run_before = keys("f", *"label=tier=web")
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, size: tuple[int, int]) -> None:
    """The help screen after `?`: "Containers: keys" and one row per main-screen key with
    what it does ("/  Quick filter by name, image or id", "x  Stop the selected or marked
    containers", ...); at 80x24 the list scrolls, at 160x45 it shows more rows."""
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_detail_pane_inspect(snap_compare: Any, size: tuple[int, int]) -> None:
    """The detail pane open under the table on web01 (down, down, Enter): header
    "▶ web01  776562303177  running", tabs "1 Inspect 2 Top 3 Changes 4 Stats" with Inspect
    active, the summary (Image busybox:latest, Command sh -c 'sleep 600'; at 160x45 also
    Created, State running · health: healthy · restart: unless-stopped, IPs, Ports
    127.0.0.1:32768->80/tcp, Mounts data:/data, Labels with "[@click=app.quit]x[/]" shown
    literally) and the inspect tree (Id, Name: /web01, Created, Path, ...)."""
    docker = fleet()
    document = {**inspect_document(), "Id": web01_id(docker), "Name": "/web01"}
    docker.engine.route("GET", "/containers/[^/]+/json", json=document)
    assert snap_compare(app_of(docker), terminal_size=size, run_before=keys("down", "down", "enter"))


def _log_frames() -> list[bytes]:
    lines = [
        (1, "GET / 200 0.4ms"),
        (1, "GET /health 200 0.1ms"),
        (2, "warning: upstream slow (1203 ms)"),
        (1, "GET /api/items 200 3.2ms"),
        (2, "error: connection refused to db:5432"),
        (1, "[bold]not markup[/] stays literal"),
    ]
    return [
        frame(stream, f"2026-05-01T11:59:{index:02d}.000000000Z {text}\n".encode())
        for index, (stream, text) in enumerate(lines)
    ]


async def _wait_for_lines(pilot: Pilot[Any], count: int) -> None:
    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, LogScreen) and screen.query_one(LogView).line_count >= count

    await wait_until(pilot, shown, timeout=5.0, what=f"{count} lines on the log screen")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_log_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    """The log screen of web01 (`l` on the third row): header "web01  following  follow on ·
    tail 1000 · since — · both · ts off · wrap off", six lines in order where the two stderr
    lines (warning, error) carry the "E" gutter, "[bold]not markup[/] stays literal" shown
    literally, and the marker "live · 6 lines"."""
    docker = fleet()
    document = {**inspect_document(), "Id": web01_id(docker), "Name": "/web01"}
    docker.engine.route("GET", "/containers/[^/]+/json", json=document)
    docker.engine.route("GET", "/containers/[^/]+/logs", chunks=_log_frames(), hang=True)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "down", "l")
        await _wait_for_lines(pilot, 6)

    assert snap_compare(app_of(docker), terminal_size=size, run_before=run_before)


def test_create_form(snap_compare: Any) -> None:
    """The create form after `c`, at 160x45 over the full app: "Create container" with empty
    Image, Local (image picker), Name, Command, Env, Labels, Workdir, Ports, Volumes fields
    showing their placeholders, Restart "no", "Start after create" checked, Create/Cancel
    buttons and the footer "^s Create  esc Cancel"."""
    docker = fleet()

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("c")
        for _ in range(100):
            if "/images/json" in docker.engine.paths():
                break
            await pilot.pause(0.02)
        await settle(pilot)

    assert snap_compare(app_of(docker), terminal_size=(160, 45), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_disconnected(snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine went away (stream closed, connections refused): the status line starts with
    "disconnected - retrying in 3s" (the countdown held still for the picture); the last known
    five rows stay in the table, each state followed by "?" and dimmed, CPU/MEM "—"."""
    from dtui.live.feed import Feed
    from tests.ui.host_support import FakeHost
    from tests.ui.host_support import app_of as hosts_app

    async def hold(self: Feed[Any], error: object, delay: float) -> None:
        self.report_down(None, 3)
        await asyncio.Event().wait()

    monkeypatch.setattr(Feed, "_wait_to_retry", hold)
    engine = FakeHost("unix:///fake/docker.sock", docker=fleet())
    app = hosts_app(engine, show_all=True, engine_version=ENGINE_VERSION)
    app.animation_level = "none"

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        engine.transport.go_down()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_no_color(snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR=1: the table as in test_table with no colour at all (dtui swaps Textual's grey
    Monochrome filter for NoColor): only the default foreground and background."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_of(fleet())
    assert any(isinstance(f, NoColor) for f in app._filters)
    assert not any(isinstance(f, Monochrome) for f in app._filters)
    assert snap_compare(app, terminal_size=size, run_before=settle)
