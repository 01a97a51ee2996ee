"""A program on a pseudo-terminal, its raw output recorded with arrival times.

No terminal emulator: the harness looks for bytes (a container name) in what the program
wrote, and times output arriving after a key is written. A reader thread drains the pty
continuously so the program never blocks on a full buffer.
"""

from __future__ import annotations

import bisect
import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Mapping, Sequence

KEEP_BYTES = 4 * 1024 * 1024
QUIT_KEY = b"\x11"  # ctrl+q, Textual's quit binding


def _take_controlling_terminal() -> None:
    """In the child, after setsid: make the pty (fd 0) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyProgram:
    """Runs ``argv`` on a new pty of ``columns`` x ``rows``.

    Attributes:
        started_at: ``time.monotonic()`` just before the exec.
        process: The child process (its own session and process group).
    """

    def __init__(self, argv: Sequence[str], *, columns: int, rows: int, env: Mapping[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self._lock = threading.Condition()
        self._buffer = bytearray()
        self._buffer_base = 0  # absolute offset of _buffer[0]
        self._chunk_ends: list[int] = []  # absolute end offset of each chunk read
        self._chunk_times: list[float] = []  # its arrival time
        self._closed = False
        self.started_at = time.monotonic()
        try:
            self.process = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                start_new_session=True,
                preexec_fn=_take_controlling_terminal,  # noqa: PLW1509 - ioctl only
            )
        finally:
            os.close(slave)
        self._reader = threading.Thread(target=self._read_forever, name="pty-reader", daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    @property
    def received(self) -> int:
        """Bytes received so far (an absolute offset)."""
        with self._lock:
            return self._buffer_base + len(self._buffer)

    @property
    def last_output_at(self) -> float:
        """When output last arrived (``started_at`` if never)."""
        with self._lock:
            return self._chunk_times[-1] if self._chunk_times else self.started_at

    def _read_forever(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # EIO: the child closed the pty
                chunk = b""
            arrived = time.monotonic()
            with self._lock:
                if not chunk:
                    self._closed = True
                    self._lock.notify_all()
                    return
                self._buffer += chunk
                self._chunk_ends.append(self._buffer_base + len(self._buffer))
                self._chunk_times.append(arrived)
                self._trim()
                self._lock.notify_all()

    def _trim(self) -> None:
        """Keep memory bounded: drop the oldest output beyond ``KEEP_BYTES``."""
        excess = len(self._buffer) - KEEP_BYTES
        if excess > 0:
            del self._buffer[:excess]
            self._buffer_base += excess
            first_kept = bisect.bisect_left(self._chunk_ends, self._buffer_base)
            del self._chunk_ends[:first_kept], self._chunk_times[:first_kept]

    def _arrival_of(self, offset: int) -> float:
        """Arrival time of the chunk holding absolute byte ``offset``."""
        index = bisect.bisect_right(self._chunk_ends, offset)
        return self._chunk_times[min(index, len(self._chunk_times) - 1)]

    def wait_for(self, pattern: re.Pattern[bytes], timeout: float, since: int = 0) -> float | None:
        """Wait until ``pattern`` appears in the output after offset ``since``.

        Returns:
            The arrival time (monotonic) of the chunk completing the first match, or None
            on timeout or when the program ended first.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                start = max(since - self._buffer_base, 0)
                match = pattern.search(self._buffer, start)
                if match:
                    return self._arrival_of(self._buffer_base + match.end() - 1)
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    return None
                self._lock.wait(remaining)

    def wait_quiet(self, quiet: float, timeout: float) -> bool:
        """Wait until no output has arrived for ``quiet`` seconds; False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            silent_for = now - self.last_output_at
            if silent_for >= quiet:
                return True
            if now >= deadline:
                return False
            time.sleep(min(quiet - silent_for, max(deadline - now, 0.0)) + 0.001)

    def write(self, data: bytes) -> float:
        """Write ``data`` as typed input; returns the monotonic time just before the write."""
        written_at = time.monotonic()
        os.write(self._master, data)
        return written_at

    def press(self, key: bytes, timeout: float) -> float | None:
        """Write ``key`` and return the seconds until the first output byte, or None."""
        offset = self.received
        written_at = self.write(key)
        deadline = written_at + timeout
        with self._lock:
            while self._buffer_base + len(self._buffer) <= offset:
                remaining = deadline - time.monotonic()
                if self._closed or remaining <= 0:
                    return None
                self._lock.wait(remaining)
            return self._arrival_of(offset) - written_at

    def output_text(self) -> str:
        """The kept output, decoded (for error messages)."""
        with self._lock:
            return bytes(self._buffer).decode(errors="replace")

    def close(self, quit_key: bytes | None = QUIT_KEY, grace: float = 5.0) -> None:
        """Ask the program to quit with ``quit_key`` (None: SIGTERM); then TERM, KILL its group."""
        if self._master < 0:
            return
        try:
            if self.process.poll() is None:
                if quit_key is None:
                    self._signal_group(signal.SIGTERM)
                else:
                    self.write(quit_key)
                self._wait_or_signal(grace, signal.SIGTERM)
                self._wait_or_signal(grace, signal.SIGKILL)
                self.process.wait()
        finally:
            self._reader.join(2.0)
            os.close(self._master)
            self._master = -1

    def _wait_or_signal(self, grace: float, signum: int) -> None:
        """Signal the group with ``signum`` unless the program ends within ``grace``."""
        if self.process.poll() is not None:
            return
        try:
            self.process.wait(grace)
        except subprocess.TimeoutExpired:
            self._signal_group(signum)

    def _signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def __enter__(self) -> PtyProgram:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
