"""A live log flood (~10 000 lines/s, followed) on dtui's log screen: CPU, RSS, key latency."""

from __future__ import annotations

import re
import time

from tests.bench import procstat
from tests.bench.harness import BenchContext, BenchError, seconds_text
from tests.bench.registry import Figure, bench_row
from tests.bench.rows.latency import QUIET_BETWEEN_KEYS, percentile
from tests.bench.terminal import PtyProgram
from tests.support import engine as support

LINES_PER_BATCH = 1000
BATCH_PAUSE = "0.1"  # seconds between batches: ~10 000 lines/s nominal
FLOOD_COMMAND = ["sh", "-c", f'i=1; while :; do seq $i $((i+{LINES_PER_BATCH - 1})); '
                             f'i=$((i+{LINES_PER_BATCH})); sleep {BATCH_PAUSE}; done']
CPU_WINDOW = 10.0
TIMESTAMP_PRESSES = 20
WRAP_PRESSES = 10
KEY_TIMEOUT = 2.0
ENTER, TIMESTAMPS, WRAP, LOGS, FILTER = b"\r", b"T", b"w", b"l", b"/"
RSS_TARGET = 200e6
P95_TARGET = 0.1
SCREEN_TIMEOUT = 15.0
LOG_SCREEN = re.compile(rb"Follow")  # a footer key only the log screen shows


def open_container(ctx: BenchContext, program: PtyProgram, name: str) -> None:
    """Narrow the list to ``name`` with the quick filter; its row is then the cursor row."""
    ctx.time_first_list(program)
    ctx.settle(program)
    program.write(FILTER)
    time.sleep(0.3)
    program.write(name.encode())
    time.sleep(0.5)
    program.write(ENTER)
    program.wait_quiet(0.5, timeout=5.0)


def last_line_number(host: str, container_id: str) -> int:
    """The flood's last emitted number: the lines it has written so far."""
    with support.sync_client(host) as client:
        response = client.get(f"/containers/{container_id}/logs", params={"stdout": "1", "tail": "1"})
    digits = re.findall(rb"\d+", response.content[8:])
    return int(digits[-1]) if digits else 0


def press_repaints(program: PtyProgram, key: bytes, count: int) -> tuple[list[float], int]:
    """Press ``key`` ``count`` times; latency to the first byte after the write.

    The flood repaints on its own, so the first byte may be a flood repaint: the figure is
    an upper bound on dtui's responsiveness only in the sense that the loop must be free.
    """
    latencies, missed = [], 0
    for _ in range(count):
        time.sleep(QUIET_BETWEEN_KEYS * 2)
        latency = program.press(key, KEY_TIMEOUT)
        if latency is None:
            missed += 1
        else:
            latencies.append(latency)
    return latencies, missed


def latency_figure(key: str, latencies: list[float], missed: int) -> Figure:
    """The key-to-screen latency figure for presses of one key."""
    missed_text = f", {missed} without output" if missed else ""
    name = f"log flood: key-to-screen latency ({key}), p50 / p95 of {len(latencies)}{missed_text}"
    target = f"p95 < {P95_TARGET * 1000:.0f} ms"
    if not latencies:
        return Figure(name, "no output", target=target, met=False, numbers=(float(missed),))
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    return Figure(name, f"{seconds_text(p50)} / {seconds_text(p95)}", target=target, met=p95 < P95_TARGET,
                  numbers=(p50, p95, float(missed)))


@bench_row("log flood", order=70, smoke=False)
def log_flood(ctx: BenchContext) -> list[Figure]:
    """Follow a ~10k lines/s container on the log screen; measure dtui while it floods."""
    name = f"{ctx.fixture.prefix}flood"
    container_id = ctx.fixture.run(FLOOD_COMMAND, name=name)
    with ctx.dtui() as program:
        open_container(ctx, program, name)
        opened_at = program.write(LOGS)
        if program.wait_for(LOG_SCREEN, SCREEN_TIMEOUT, since=program.received) is None:
            raise BenchError("the log screen did not open (no `Follow` key in the footer)")
        if program.wait_for(re.compile(rb"\d{4,}"), SCREEN_TIMEOUT, since=program.received) is None:
            raise BenchError("no flood lines on the log screen")
        time.sleep(2.0)
        window = procstat.measure_cpu(lambda: procstat.process_tree(program.process.pid), CPU_WINDOW)
        latencies, missed = press_repaints(program, TIMESTAMPS, TIMESTAMP_PRESSES)
        wrap_latencies, wrap_missed = press_repaints(program, WRAP, WRAP_PRESSES)
        rss = procstat.rss_bytes(procstat.process_tree(program.process.pid))
        followed = time.monotonic() - opened_at
        emitted = last_line_number(ctx.host, container_id)
    if not latencies:
        raise BenchError(f"no output after any of {TIMESTAMP_PRESSES} T presses")
    rate = emitted / max(followed, 1e-9)
    ctx.note(f"Log flood: a container printing `seq` batches of {LINES_PER_BATCH} every {BATCH_PAUSE} s "
             "(json-file max-size 1m), opened with `/` name Enter then `l` (follow on). CPU over "
             f"{CPU_WINDOW:.0f} s of dtui's process tree; then {TIMESTAMP_PRESSES} `T` (timestamps) presses, "
             "latency = key write to the first output byte (with the flood repainting too, this "
             f"shows whether the event loop is free, not the T repaint alone); then {WRAP_PRESSES} `w` "
             "(wrap, which re-measures every line held) the same way; RSS at the end. "
             "Lines = the flood's counter when dtui quit.")
    return [
        Figure(f"log flood ({emitted:,} lines at ~{rate:,.0f}/s, follow): dtui CPU over {CPU_WINDOW:.0f} s",
               f"{window.watched:.1f}% of a core", numbers=(window.watched, float(emitted))),
        latency_figure("`T`", latencies, missed),
        latency_figure("`w`, wrap", wrap_latencies, wrap_missed),
        Figure(f"log flood: RSS of dtui after {emitted:,} lines", f"{rss / 1e6:.1f} MB",
               target=f"< {RSS_TARGET / 1e6:.0f} MB", met=rss < RSS_TARGET, numbers=(float(rss),)),
    ]
