"""Key-to-screen latency on the list."""

from __future__ import annotations

import re
import statistics

from tests.bench.harness import BenchContext, seconds_text
from tests.bench.registry import Figure, bench_row
from tests.bench.terminal import PtyProgram

DOWN, UP = b"\x1b[B", b"\x1b[A"
KEY_TIMEOUT = 2.0
QUIET_BETWEEN_KEYS = 0.1
MAX_RUN = 10
READY = re.compile(rb"ready")


def key_sequence(count: int, run_length: int) -> list[bytes]:
    """``count`` keys: Down ``run_length`` times, Up as many, repeated (every key moves)."""
    cycle = [DOWN] * run_length + [UP] * run_length
    return [cycle[index % len(cycle)] for index in range(count)]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def press_keys(program: PtyProgram, keys: list[bytes]) -> tuple[list[float], int]:
    """Press each key once the screen is quiet; latencies in seconds and the misses."""
    latencies, missed = [], 0
    for key in keys:
        program.wait_quiet(QUIET_BETWEEN_KEYS, timeout=KEY_TIMEOUT)
        latency = program.press(key, KEY_TIMEOUT)
        if latency is None:
            missed += 1
        else:
            latencies.append(latency)
    return latencies, missed


def pty_floor(ctx: BenchContext) -> float:
    """Median round trip of a key through `cat` on a raw pty: the method's own floor."""
    argv = ["sh", "-c", "stty raw -echo && echo ready && exec cat"]
    with PtyProgram(argv, columns=80, rows=24, env={"PATH": "/usr/bin:/bin"}) as program:
        program.wait_for(READY, timeout=5.0)
        latencies, _ = press_keys(program, [b"x"] * max(ctx.options.keys, 5))
        program.close(quit_key=None)
    return statistics.median(latencies) if latencies else 0.0


@bench_row("key latency", order=40)
def key_latency(ctx: BenchContext) -> list[Figure]:
    """Press Down/Up on the list; time from the key write to the first output byte."""
    run_length = max(1, min(MAX_RUN, ctx.container_count - 1))
    keys = key_sequence(ctx.options.keys, run_length)
    with ctx.dtui() as program:
        ctx.time_first_list(program)
        ctx.settle(program)
        latencies, missed = press_keys(program, keys)
    if not latencies:
        raise RuntimeError(f"no screen change after any of {len(keys)} keys")
    floor = ctx.cached("pty floor", lambda: pty_floor(ctx))
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    ctx.note(f"Key latency: {len(keys)} Down/Up presses on the list, each after {QUIET_BETWEEN_KEYS * 1000:.0f} ms "
             "without output; the time from writing the key to the pty until the first byte of "
             "dtui's repaint arrives (a reader thread timestamps every chunk; no tmux polling). "
             "The baseline is the same measurement through `cat` on a raw pty.")
    missed_text = f", {missed} keys without a repaint" if missed else ""
    return [Figure(
        f"key-to-screen latency on the list, p50 / p95 of {len(latencies)}{missed_text}",
        f"{seconds_text(p50)} / {seconds_text(p95)}",
        baseline=f"pty round trip via `cat` {seconds_text(floor)}",
        numbers=(p50, p95, float(missed)),
    )]
