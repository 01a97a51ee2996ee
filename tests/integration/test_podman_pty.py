"""The real ``dtui -H unix:///...podman.sock`` on a pseudo-terminal, driven by its keys.

One session on the Podman run's engine: the table lists the container and the status line
says Podman; stop and start (confirmed) reach the engine; the log screen follows new lines;
the detail pane shows Inspect, Processes, Changes and Stats (Podman's 5 s cadence said);
a shell in the pane (E) runs a command and reports its exit code.
"""

from __future__ import annotations

import sys
import time

import pytest

from tests.support import engine as support
from tests.support.pty_run import PtyProcess

TICKER = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick-$i; sleep 0.5; done"]


def _state(host: str, container_id: str) -> str:
    with support.sync_client(host) as client:
        state: str = client.get(f"/containers/{container_id}/json").json()["State"]["Status"]
    return state


def _until_state(host: str, container_id: str, wanted: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while _state(host, container_id) != wanted:
        assert time.monotonic() < deadline, f"container never became {wanted}"
        time.sleep(0.2)


def _new_output(terminal: PtyProcess, needle: bytes, timeout: float = 20.0) -> None:
    """Wait for ``needle`` in what the terminal writes from now on."""
    terminal.wait_for(needle, timeout=timeout, start=len(terminal.output))


def test_dtui_on_the_podman_socket_lists_stops_starts_follows_and_shows_the_pane(
    engine_host: str, make_container
) -> None:  # type: ignore[no-untyped-def]
    if not support.on_podman():
        pytest.skip("drives the Podman socket: runs in the Podman run (DTUI_TEST_ENGINE=podman)")
    name = f"ptypod-{support.SESSION_ID}"
    container_id = make_container(TICKER, name=name)
    argv = [sys.executable, "-m", "dtui", "-H", engine_host, "-a",
            "--filter", f"label={support.TEST_LABEL}={support.SESSION_ID}", "--filter", f"name={name}"]
    terminal = PtyProcess(argv, columns=160, rows=40,  # wide enough for the status line after the filters
                          env={"XDG_CONFIG_HOME": "/nonexistent", "XDG_STATE_HOME": "/nonexistent"})
    try:
        terminal.wait_for(name.encode(), timeout=30)
        terminal.wait_for(b"Podman", timeout=15)  # the status line names the engine

        mark = len(terminal.output)
        terminal.send("x", pause=0.5)  # stop, confirmed
        terminal.send("y", pause=0.3)
        _until_state(engine_host, container_id, "exited")
        terminal.wait_for(b"exited", timeout=20, start=mark)
        mark = len(terminal.output)
        terminal.send("s", pause=0.3)  # start
        _until_state(engine_host, container_id, "running")
        terminal.wait_for(b"running", timeout=20, start=mark)

        mark = len(terminal.output)
        terminal.send("l", pause=0.5)  # the log screen follows the ticker
        terminal.wait_for(b"tick-", timeout=20, start=mark)
        _new_output(terminal, b"tick-")  # ...and keeps following
        terminal.send("\x1b", pause=0.5)

        terminal.send("\r", pause=1.0)  # detail pane, Inspect first
        terminal.send("\t", pause=0.5)
        for tab, shown in (("1", b"busybox"), ("2", b"PID"), ("3", None), ("4", b"every 5 s")):
            mark = len(terminal.output)
            terminal.send(tab, pause=0.8)
            if shown is not None:
                terminal.wait_for(shown, timeout=20, start=mark)
        terminal.send("\x1b", pause=0.5)
        terminal.send("\x1b", pause=0.5)

        mark = len(terminal.output)
        terminal.send("E")  # a shell in the pane, exec'd through Podman
        mark = terminal.wait_for(b"Run in", timeout=10, start=mark)
        terminal.send("\r", pause=0.5)
        mark = terminal.wait_for(b"# ", timeout=20, start=mark)
        terminal.send("echo hi-$((6*7))\r")
        mark = terminal.wait_for(b"hi-42", timeout=15, start=mark)
        terminal.send("exit 4\r")
        terminal.wait_for(b"The shell exited with code 4.", timeout=15, start=mark)
        terminal.send("\x17", pause=0.5)  # ctrl+w closes the ended tab
        assert terminal.alive(), "dtui died"
        terminal.send("q", pause=0.5)
        assert terminal.process.wait(timeout=10) == 0
    finally:
        terminal.close()
