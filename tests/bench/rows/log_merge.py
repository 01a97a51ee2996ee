"""Merged logs: how many lines a second `LogMerger` orders (pure, in-process).

Three sources, each a steady stream of timestamped lines arriving a little out of order
across sources, pushed in batches and released every 50 ms of simulated time, as the merged
log screen does.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from dtui.engine.log_merge import LogMerger
from dtui.engine.streams import LogLine
from tests.bench.harness import BenchContext
from tests.bench.registry import Figure, bench_row

SOURCES = 3
LINES = 300_000
BATCH = 500
TICK = 0.05


@bench_row("log merge", order=60)
def log_merge(ctx: BenchContext) -> list[Figure]:
    """Lines/s through push + release of the merger (no terminal, no engine)."""
    base = datetime(2026, 11, 28, tzinfo=timezone.utc)
    lines = [
        (index % SOURCES, LogLine(f"line {index}", "stdout", base + timedelta(microseconds=index * 10 + (index % SOURCES) * 7)))
        for index in range(LINES)
    ]
    merger: LogMerger[LogLine] = LogMerger(SOURCES, max_held=100_000)
    for source in range(SOURCES):
        merger.add_tail(source, [])
    released = 0
    now = 0.0
    started = time.perf_counter()
    for start in range(0, LINES, BATCH):
        for source, line in lines[start : start + BATCH]:
            merger.push(source, line.timestamp, line, now)
        now += TICK
        released += len(merger.release(now))
    released += len(merger.drain())
    elapsed = time.perf_counter() - started
    rate = released / elapsed
    return [Figure(
        f"merged logs: lines/s ordered by LogMerger, {SOURCES} sources, {LINES:,} lines",
        f"{rate:,.0f}",
        numbers=(rate, float(merger.late)),
    )]
