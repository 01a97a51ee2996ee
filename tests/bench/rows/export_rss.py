"""Exporting a container with a 200 MB file: dtui's RSS growth while it streams the tar."""

from __future__ import annotations

import re
import tempfile
import threading
import time
from pathlib import Path

from tests.bench import procstat
from tests.bench.harness import BenchContext, BenchError, seconds_text
from tests.bench.registry import Figure, bench_row
from tests.bench.rows.log_flood import open_container
from tests.support import engine as support

BIG_BYTES = 200_000_000
READY_TIMEOUT = 120.0
EXPORT_TIMEOUT = 300.0
SAMPLE_EVERY = 0.05
GROWTH_TARGET = 20e6
EXPORT_KEY, CLEAR_LINE, ENTER = b"e", b"\x15", b"\r"  # \x15 = ctrl+u: delete to the start
COMMAND = ["sh", "-c", f"head -c {BIG_BYTES} /dev/urandom > /big && echo big-ready && exec sleep 86400"]


def wait_ready(host: str, container_id: str, timeout: float) -> None:
    """Wait until the container has written its big file."""
    deadline = time.monotonic() + timeout
    with support.sync_client(host) as client:
        while time.monotonic() < deadline:
            logs = client.get(f"/containers/{container_id}/logs", params={"stdout": "1"}).content
            if b"big-ready" in logs:
                return
            time.sleep(0.5)
    raise BenchError(f"the {BIG_BYTES / 1e6:.0f} MB file was not written within {timeout:.0f} s")


class RssSampler(threading.Thread):
    """Samples the RSS of a process tree until stopped; keeps the peak."""

    def __init__(self, root: int) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self._root = root
        self._stop_event = threading.Event()
        self.peak = 0

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, procstat.rss_bytes(procstat.process_tree(self._root)))
            self._stop_event.wait(SAMPLE_EVERY)

    def stop(self) -> int:
        """Stop sampling and return the peak in bytes."""
        self._stop_event.set()
        self.join()
        return self.peak


def wait_for_file(path: Path, timeout: float) -> float:
    """Monotonic time at which ``path`` exists (the export renames its .part there when done)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise BenchError(f"{path.name} not written within {timeout:.0f} s")
        time.sleep(0.02)
    return time.monotonic()


@bench_row("export RSS", order=80, smoke=False)
def export_rss(ctx: BenchContext) -> list[Figure]:
    """Export a container holding a 200 MB random file through dtui's export screen."""
    name = f"{ctx.fixture.prefix}export"
    container_id = ctx.fixture.run(COMMAND, name=name)
    wait_ready(ctx.host, container_id, READY_TIMEOUT)
    with tempfile.TemporaryDirectory(prefix="dtui-bench-export-") as directory:
        target = Path(directory) / "export.tar"
        with ctx.dtui() as program:
            open_container(ctx, program, name)
            program.write(EXPORT_KEY)
            if program.wait_for(re.compile(rb"\.tar"), 10.0, since=program.received) is None:
                raise BenchError("the export screen did not open")
            program.wait_quiet(0.5, timeout=5.0)
            before = procstat.rss_bytes(procstat.process_tree(program.process.pid))
            sampler = RssSampler(program.process.pid)
            sampler.start()
            program.write(CLEAR_LINE)
            time.sleep(0.2)
            program.write(str(target).encode())
            time.sleep(0.3)
            started_at = program.write(ENTER)
            try:
                finished_at = wait_for_file(target, EXPORT_TIMEOUT)
            finally:
                peak = sampler.stop()
            size = target.stat().st_size
            target.unlink()
    seconds = finished_at - started_at
    growth = peak - before
    rate = size / 1e6 / seconds
    ctx.note(f"Export: a container holding a {BIG_BYTES / 1e6:.0f} MB random file, exported through the "
             "export screen (`/` name Enter, `e`, path replaced by a temp file, Enter). RSS of dtui's "
             f"process tree sampled every {SAMPLE_EVERY * 1000:.0f} ms; growth = peak during the export "
             "minus RSS on the open export screen; time from Enter until the finished tar exists. "
             "The tar is deleted afterwards.")
    return [
        Figure(f"export of a {size / 1e6:.0f} MB tar: dtui RSS growth (peak − before)",
               f"{growth / 1e6:.1f} MB (before {before / 1e6:.1f} MB, peak {peak / 1e6:.1f} MB)",
               target=f"< {GROWTH_TARGET / 1e6:.0f} MB", met=growth < GROWTH_TARGET,
               numbers=(float(growth), float(before), float(peak))),
        Figure("export: throughput", f"{rate:.1f} MB/s ({seconds_text(seconds)})", numbers=(rate, seconds)),
    ]
