"""The real dtui on a pty: a container stopped with `x` stays in the running-only view and `s` starts it."""

from __future__ import annotations

import sys
import time

from tests.support import engine as support
from tests.support.pty_run import PtyProcess


def _running(engine_host: str, container_id: str) -> bool:
    with support.sync_client(engine_host) as client:
        return bool(client.get(f"/containers/{container_id}/json").json()["State"]["Running"])


def test_a_container_stopped_with_x_stays_selectable_and_s_starts_it(engine_host: str, make_container) -> None:  # type: ignore[no-untyped-def]
    name = f"kept-{support.SESSION_ID}"
    label = {"dtui.test.kept": support.SESSION_ID}
    container_id = make_container(["sleep", "600"], name=name, labels=label, StopTimeout=1)
    argv = [sys.executable, "-m", "dtui", "-H", engine_host,  # no -a: the default running-only view
            "--filter", f"label=dtui.test.kept={support.SESSION_ID}"]
    terminal = PtyProcess(argv, env={"XDG_CONFIG_HOME": "/nonexistent", "XDG_STATE_HOME": "/nonexistent"})
    try:
        terminal.wait_for(b"1/1 running", timeout=30)
        terminal.wait_for(name.encode(), timeout=10)
        start = len(terminal.output)
        terminal.send("x", pause=0.5)
        terminal.send("y")  # "Stop kept-...? [y/N]"
        stopped = terminal.wait_for(b"exited (137)", timeout=20, start=start)  # sleep ignores TERM: killed after 1 s
        terminal.wait_for(b"stopped containers hidden: a shows all", timeout=5, start=start)
        terminal.wait_for(b"0/1 running", timeout=5, start=start)  # the row is still there, not running
        assert not _running(engine_host, container_id)
        time.sleep(0.5)
        terminal.send("s")
        terminal.wait_for(b"1/1 running", timeout=20, start=stopped)
        assert _running(engine_host, container_id)
        terminal.send("q", pause=0.5)
    finally:
        terminal.close()
