"""Baselines measured in the same run: `docker ps` and the import floor.

The engine's idle CPU baseline is taken by the idle row, around its dtui window.
"""

from __future__ import annotations

import statistics

from tests.bench.harness import BenchContext, seconds_text
from tests.bench.registry import Figure, bench_row


@bench_row("baselines", order=10)
def baselines(ctx: BenchContext) -> list[Figure]:
    """`docker ps -a` wall time and a Python that only imports textual + httpx."""
    figures = []
    count = ctx.container_count
    times = ctx.docker_ps()
    if times is not None:
        figures.append(Figure(
            f"baseline: `docker ps -a` wall time, {count} containers (median / max of {len(times)})",
            f"{seconds_text(statistics.median(times))} / {seconds_text(max(times))}",
            numbers=tuple(times),
        ))
    floor_seconds, floor_rss = ctx.import_floor()
    figures.append(Figure(
        "baseline: `python -c 'import textual.app, httpx'` wall time / peak RSS",
        f"{seconds_text(floor_seconds)} / {floor_rss / 1e6:.1f} MB",
        numbers=(floor_seconds, float(floor_rss)),
    ))
    return figures
