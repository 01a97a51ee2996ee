"""Two real engines in one table; one of them stopped and started again (issue 11 "Done when").

The session engine (``engine_host``) stays up; this module starts a second private dockerd with
its own socket, data-root, exec-root and pidfile, stops it with SIGTERM through its pidfile and
starts it again on the same socket and data-root. Every wait polls with a deadline.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from rich.text import Text

from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from dtui.ui.views.containers.screen import MainScreen
from dtui.ui.views.containers.table import ContainerTable, row_key
from dtui.ui.widgets.status_bar import StatusBar
from tests.support import engine as support
from tests.support.wait import wait_until

SIZE = (120, 30)
RECOVERY_SECONDS = 10.0


@pytest.fixture(scope="module")
def second_daemon(engine_host: str) -> Iterator[support.PrivateDaemon]:
    """A second private dockerd (never the user's socket), with the test image."""
    try:
        daemon = support.start_private_daemon()
        support.ensure_test_image(daemon.host)
    except support.EngineUnavailable as error:
        if os.environ.get("DTUI_REQUIRE_ENGINE", "") not in {"", "0"}:
            pytest.fail(f"DTUI_REQUIRE_ENGINE is set but a second engine cannot start: {error}")
        pytest.skip(f"no second Docker engine for the two-host tests: {error}")
    try:
        yield daemon
    finally:
        try:
            if daemon.process is None:
                daemon.start()
            support.remove_test_containers(daemon.host)
        except support.EngineUnavailable:
            pass
        finally:
            daemon.stop()
            support.remove_daemon_dir(daemon)


@pytest.fixture
def on_host(engine_host: str, second_daemon: support.PrivateDaemon) -> Iterator[Callable[..., str]]:
    """Factory: ``on_host(host, name)`` runs a labelled sleeping container there; removed after."""
    made: list[tuple[str, str]] = []

    def make(host: str, name: str) -> str:
        container_id = support.run_container(host, ["sleep", "600"], name=f"{name}-{support.SESSION_ID}")
        made.append((host, container_id))
        return container_id

    yield make
    for host, container_id in made:
        try:
            with support.sync_client(host) as client:
                client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})
        except Exception:  # the daemon may be the stopped one; its fixture removes what is left
            pass


def _app(first: str, second: str) -> DtuiApp:
    return DtuiApp(
        endpoint=parse_host(first),
        more_hosts=[parse_host(second)],
        show_all=True,  # a daemon stopping stops its containers: keep them listed
        filters=f"label={support.TEST_LABEL}={support.SESSION_ID}",
    )


def _table(app: DtuiApp) -> ContainerTable:
    return app.screen.query_one(ContainerTable)


def _status(app: DtuiApp) -> str:
    return app.screen.query_one(StatusBar).render().plain


def _state(app: DtuiApp, key: str) -> str:
    """The State cell's state word (``exited (137)`` reads ``exited``; a stale ``running?`` stays)."""
    cell = _table(app).get_cell(key, "state")
    assert isinstance(cell, Text)
    return cell.plain.split(" ")[0]


def _engine_state(host: str, container_id: str) -> str:
    with support.sync_client(host) as client:
        return str(client.get(f"/containers/{container_id}/json").json()["State"]["Status"])


async def test_one_table_shows_both_engines_and_a_stop_reaches_the_right_one(
    engine_host: str, second_daemon: support.PrivateDaemon, on_host: Callable[..., str]
) -> None:
    first_id = on_host(engine_host, "first")
    second_id = on_host(second_daemon.host, "second")
    first_key, second_key = row_key(engine_host, first_id), row_key(second_daemon.host, second_id)
    app = _app(engine_host, second_daemon.host)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: {first_key, second_key} <= set(_table(app).visible_keys()), timeout=20.0, what="both rows")
        table = _table(app)
        assert table.show_host and "2 hosts" in _status(app)
        table.move_cursor(row=table.get_row_index(second_key))
        await pilot.press("x")
        await wait_until(pilot, lambda: not isinstance(app.screen, MainScreen), timeout=20.0, what="the stop confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: _engine_state(second_daemon.host, second_id) == "exited", timeout=20.0, what="second stopped")
        await wait_until(pilot, lambda: _state(app, second_key) == "exited", timeout=20.0, what="the row follows the event")
        assert _engine_state(engine_host, first_id) == "running"
        assert _state(app, first_key) == "running"


async def test_a_stopped_engine_marks_its_rows_and_recovers_by_itself(
    engine_host: str, second_daemon: support.PrivateDaemon, on_host: Callable[..., str]
) -> None:
    first_id = on_host(engine_host, "stays")
    second_id = on_host(second_daemon.host, "goes")
    first_key, second_key = row_key(engine_host, first_id), row_key(second_daemon.host, second_id)
    app = _app(engine_host, second_daemon.host)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: {first_key, second_key} <= set(_table(app).visible_keys()), timeout=20.0, what="both rows")
        second_daemon.terminate()
        await wait_until(pilot, lambda: _table(app).is_stale(second_key), timeout=20.0, what="the stopped engine's row marked")
        assert "2 hosts (1 down)" in _status(app) and "disconnected - retrying" in _status(app)
        assert _state(app, second_key).endswith("?")
        assert not _table(app).is_stale(first_key) and _state(app, first_key) == "running"
        # the other engine stays live: a container made there now shows up
        late_id = on_host(engine_host, "late")
        await wait_until(pilot, lambda: row_key(engine_host, late_id) in _table(app).visible_keys(), timeout=20.0, what="still live")
        # same socket, same data-root: the table comes back by itself
        second_daemon.start()
        await wait_until(pilot, lambda: not _table(app).is_stale(second_key) and "down" not in _status(app), timeout=RECOVERY_SECONDS, what="recovered")
        assert app.screen.query_one(StatusBar).connected
        assert _state(app, second_key) == _engine_state(second_daemon.host, second_id)
        assert app.is_running


def test_the_command_starts_with_one_of_two_hosts_down(engine_host: str, on_host: Callable[..., str]) -> None:
    """``dtui -H good -H gone``: the app runs, lists the good engine and says the other is down."""
    import sys

    from tests.support.pty_run import PtyProcess

    name = f"alive-{support.SESSION_ID}"
    on_host(engine_host, "alive")
    argv = [sys.executable, "-m", "dtui", "-H", engine_host, "-H", "unix:///nonexistent/dtui-gone.sock", "-a",
            "--filter", f"label={support.TEST_LABEL}={support.SESSION_ID}"]
    terminal = PtyProcess(argv, columns=120, env={"XDG_CONFIG_HOME": "/nonexistent", "XDG_STATE_HOME": "/nonexistent"})
    try:
        terminal.wait_for(name.encode(), timeout=30)
        terminal.wait_for(b"(1 down)", timeout=30)  # "2 hosts" and "(1 down)" are styled apart
        terminal.send("q", pause=0.5)
    finally:
        terminal.close()


async def test_a_following_log_view_resumes_after_its_engine_restarts(
    engine_host: str, second_daemon: support.PrivateDaemon
) -> None:
    """The log view of a container on the restarted engine says it lost the engine, then
    resumes by itself within 10 s of the engine's return, with no line shown twice."""
    from dtui.ui.logs.screen import LogScreen
    from dtui.ui.logs.view import LogView

    ticker = ["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"]
    container_id = support.run_container(
        second_daemon.host, ticker, name=f"ticker-{support.SESSION_ID}",
        HostConfig={"RestartPolicy": {"Name": "always"}},
    )
    key = row_key(second_daemon.host, container_id)
    app = _app(engine_host, second_daemon.host)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: key in _table(app).visible_keys(), timeout=20.0, what="the ticker row")
            table = _table(app)
            table.move_cursor(row=table.get_row_index(key))
            await pilot.press("l")
            await wait_until(pilot, lambda: isinstance(app.screen, LogScreen), timeout=20.0, what="the log screen")
            view = app.screen.query_one(LogView)

            def texts() -> list[str]:
                return [entry.text for entry in view.entries]

            await wait_until(pilot, lambda: len(texts()) >= 3, timeout=20.0, what="first lines")
            second_daemon.terminate()
            await wait_until(pilot, lambda: "engine unreachable: retrying" in texts(), timeout=20.0, what="the outage noticed")
            second_daemon.start()
            await wait_until(pilot, lambda: "engine back: stream resumed" in texts(), timeout=RECOVERY_SECONDS, what="resumed")
            back = texts().index("engine back: stream resumed")
            await wait_until(pilot, lambda: any(t.startswith("tick") for t in texts()[back:]), timeout=RECOVERY_SECONDS, what="new lines")
            stamps = [entry.timestamp for entry in view.entries if entry.kind != "notice"]
            assert all(stamp is not None for stamp in stamps)
            assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
            assert app.is_running
    finally:
        with support.sync_client(second_daemon.host) as client:
            client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})
