"""Run a real command on a pseudo-terminal and keep every raw byte it writes.

Used by tests that must see what reaches the terminal itself (escape sequences included).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence


class PtyProcess:
    """A child process on its own pty, with its output collected by a thread.

    Args:
        argv: The command.
        columns: Terminal width.
        rows: Terminal height.
        env: Extra environment variables (added to a TERM=xterm-256color environment).
    """

    def __init__(self, argv: Sequence[str], *, columns: int = 80, rows: int = 24, env: Mapping[str, str] | None = None) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environ = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows), **(env or {})}
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=environ, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self._master = master
        self._lock = threading.Lock()
        self._output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.1)
                if not ready:
                    if self.process.poll() is not None:
                        return
                    continue
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._output += data

    @property
    def output(self) -> bytes:
        """Every byte written so far."""
        with self._lock:
            return bytes(self._output)

    def wait_for(self, needle: bytes, timeout: float = 15.0, start: int = 0) -> int:
        """Wait until ``needle`` appears in the output after offset ``start``.

        Returns:
            The offset just past the match.

        Raises:
            TimeoutError: With the output's tail, when it never appears.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            data = self.output
            index = data.find(needle, start)
            if index >= 0:
                return index + len(needle)
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        raise TimeoutError(f"{needle!r} not seen; exit={self.process.poll()}; tail={self.output[-600:]!r}")

    def send(self, keys: str | bytes, pause: float = 0.15) -> None:
        """Type keys (``"\\r"`` Enter, ``"\\x1b"`` Esc), then give the app a moment."""
        os.write(self._master, keys.encode() if isinstance(keys, str) else keys)
        time.sleep(pause)

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.poll() is None

    def close(self) -> int | None:
        """Stop the process (TERM, then KILL) and the reader."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._reader.join(timeout=2)
        os.close(self._master)
        return self.process.returncode
