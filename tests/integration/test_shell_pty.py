"""The real ``dtui`` on a pty against the real engine: a shell in the pane (E), then on the full terminal (ctrl+e).

In the pane the shell also writes a title and a clipboard sequence: neither may reach the terminal.
After the pane closes a new container shows in the table (it stayed live).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.support import engine as support
from tests.support.pty_run import PtyProcess

COLUMNS, ROWS = 100, 30


@pytest.fixture
def busybox(engine_host: str) -> Iterator[str]:
    """A running busybox container (name), removed afterwards."""
    name = f"shell-{support.SESSION_ID}"
    container_id = support.run_container(engine_host, ["sleep", "300"], name=name)
    try:
        yield name
    finally:
        with support.sync_client(engine_host) as client:
            client.delete(f"/containers/{container_id}", params={"force": "1"})
            client.delete(f"/containers/{name}-2", params={"force": "1"})  # made by the test (404 if not)


def test_shell_in_the_pane_then_on_the_full_terminal(engine_host: str, busybox: str) -> None:
    argv = [sys.executable, "-m", "dtui", "-H", engine_host, "--filter", f"name={busybox}"]
    terminal = PtyProcess(argv, columns=COLUMNS, rows=ROWS)
    try:
        terminal.wait_for(busybox.encode(), timeout=30)
        mark = len(terminal.output)
        terminal.send("E")
        mark = terminal.wait_for(b"Run in", timeout=10, start=mark)
        terminal.send("\r", pause=0.5)
        mark = terminal.wait_for(b"# ", timeout=20, start=mark)  # busybox sh's prompt, in the pane
        terminal.send("echo hi-$((6*7))\r")
        mark = terminal.wait_for(b"hi-42", timeout=15, start=mark)
        # A title and a clipboard write, split in the typed line so only the output could hold them whole.
        terminal.send("printf '\\033]0;PW''NED\\007\\033]52;c;ZXZp''bA==\\007'; echo after-$((1+1))\r")
        mark = terminal.wait_for(b"after-2", timeout=15, start=mark)
        terminal.send("exit 3\r")
        mark = terminal.wait_for(b"The shell exited with code 3.", timeout=15, start=mark)
        terminal.send("\x17", pause=0.5)  # ctrl+w closes the ended tab
        assert terminal.alive()
        support.run_container(engine_host, ["sleep", "300"], name=f"{busybox}-2")  # the table is still live
        mark = terminal.wait_for(f"{busybox}-2".encode(), timeout=15, start=mark)

        terminal.send("\x05")  # ctrl+e: the same shell on the whole terminal
        mark = terminal.wait_for(b"Run in", timeout=10, start=mark)
        terminal.send("\r", pause=0.5)
        mark = terminal.wait_for(b"ctrl-p ctrl-q detaches", timeout=15, start=mark)
        terminal.send("stty size\r")
        mark = terminal.wait_for(f"{ROWS} {COLUMNS}".encode(), timeout=15, start=mark)
        terminal.send("exit 5\r")
        terminal.wait_for(b"exited with code 5", timeout=15, start=mark)  # dtui is back: its notification
        terminal.send("q", pause=0.5)
        assert terminal.process.wait(timeout=10) == 0
        assert b"PWNED" not in terminal.output and b"ZXZpbA==" not in terminal.output
    finally:
        terminal.close()
