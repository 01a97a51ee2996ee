"""The shells pane on the real engine: keystroke-to-echo latency and ``seq`` throughput.

dtui runs on a pty filtered to one busybox container; ``E`` opens ``/bin/sh`` in the pane.
Latency: the time from writing a key to the first byte of dtui's repaint (the echo).
Throughput: ``seq 1 200000`` through the pane until the marker after it is on screen, beside
the same through ``docker exec -t`` on a raw pty (no emulator, no repaint).
"""

from __future__ import annotations

import os
import re
import shutil
import time

from tests.bench.harness import BenchContext, dtui_command, seconds_text
from tests.bench.registry import Figure, bench_row
from tests.bench.rows.latency import percentile
from tests.bench.terminal import PtyProgram

LINES = 200_000
KEYS = 30
QUIET = 0.1
KEY_TIMEOUT = 2.0
FLOOD_TIMEOUT = 120.0
LEAVE_KEY = b"\x1d"  # ctrl+]: the pane lets go of the keys, so ctrl+q can quit dtui
DONE = re.compile(rb"DONE-42")
FLOOD = f"seq 1 {LINES}; echo DONE-$((6*7))"


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TEXTUAL", "DOCKER_"))}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LANG="C.UTF-8")
    return env


def _open_shell(program: PtyProgram, name: str) -> None:
    if program.wait_for(re.compile(re.escape(name).encode()), 30.0) is None:
        raise RuntimeError("the container never showed")
    program.wait_quiet(0.3, timeout=5.0)
    since = program.received
    program.write(b"E")
    if program.wait_for(re.compile(rb"Run in"), 10.0, since) is None:
        raise RuntimeError("no shell prompt dialog")
    since = program.received
    program.write(b"\r")
    if program.wait_for(re.compile(rb"# "), 20.0, since) is None:
        raise RuntimeError("no shell prompt in the pane")
    program.wait_quiet(0.3, timeout=5.0)


def _latencies(program: PtyProgram) -> list[float]:
    found = []
    for _ in range(KEYS):
        program.wait_quiet(QUIET, timeout=KEY_TIMEOUT)
        latency = program.press(b"x", KEY_TIMEOUT)
        if latency is not None:
            found.append(latency)
    program.wait_quiet(QUIET, timeout=KEY_TIMEOUT)
    program.write(b"\x15")  # ctrl+u: the x's go
    return found


def _flood(program: PtyProgram) -> float:
    program.wait_quiet(QUIET, timeout=KEY_TIMEOUT)
    since = program.received
    started = program.write(FLOOD.encode() + b"\r")
    done = program.wait_for(DONE, FLOOD_TIMEOUT, since)
    if done is None:
        raise RuntimeError("the flood's end marker never showed in the pane")
    return done - started


def _docker_exec_flood(ctx: BenchContext, container_id: str) -> float | None:
    docker = shutil.which("docker")
    if docker is None:
        return None
    argv = [docker, "-H", ctx.host, "exec", "-t", container_id, "sh", "-c", FLOOD]
    started = time.monotonic()
    with PtyProgram(argv, columns=ctx.options.columns, rows=ctx.options.rows, env=_env()) as program:
        done = program.wait_for(DONE, FLOOD_TIMEOUT)
        program.close(quit_key=None)
    return None if done is None else done - started


@bench_row("shell pane on the engine", order=71, smoke=False)
def shell_engine(ctx: BenchContext) -> list[Figure]:
    """Key echo latency and flood throughput of a shell in the pane."""
    name = f"{ctx.fixture.prefix}shell"
    container_id = ctx.fixture.run(["sleep", "3600"], name=name)
    argv = [*dtui_command(), "-H", ctx.host, "--filter", f"name={name}"]
    with PtyProgram(argv, columns=ctx.options.columns, rows=ctx.options.rows, env=_env()) as program:
        _open_shell(program, name)
        latencies = _latencies(program)
        flood = _flood(program)
        program.write(LEAVE_KEY)
        program.wait_quiet(QUIET, timeout=KEY_TIMEOUT)
    if not latencies:
        raise RuntimeError("no echo after any key")
    baseline = _docker_exec_flood(ctx, container_id)
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    rate = LINES / flood
    ctx.note("Shell pane: keys typed into /bin/sh in the pane, each after 100 ms of quiet, timed to the first "
             "byte of the repaint; the flood is `seq 1 200000` until the marker after it is on screen.")
    base_text = "" if baseline is None else f"`docker exec -t` {LINES / baseline:,.0f} lines/s"
    return [
        Figure(f"shell pane: keystroke-to-echo latency, p50 / p95 of {len(latencies)}",
               f"{seconds_text(p50)} / {seconds_text(p95)}", target="p95 < 30 ms", met=p95 < 0.030,
               numbers=(p50, p95)),
        Figure(f"shell pane: seq 1 {LINES:,} through the pane, lines/s", f"{rate:,.0f}", target="≥ 50 000",
               baseline=base_text, ratio="" if baseline is None else f"{(LINES / baseline) / rate:.1f}× slower",
               met=rate >= 50_000, numbers=(rate,)),
    ]
