"""First list: from exec until a fixture row's name is on the screen.

The start-up target is relative to the import floor (a Python that only imports textual and
httpx): dtui may spend at most `FLOOR_MARGIN_SECONDS` more than that floor at the default
fixture, the floor being timed in the same run, one floor start before each dtui start (so
both see the same load). The large fixture has an absolute target.
"""

from __future__ import annotations

import statistics

from tests.bench.harness import BenchContext, ratio_text, seconds_text
from tests.bench.registry import Figure, bench_row

FLOOR_MARGIN_SECONDS = 0.15
LARGE_TARGET_SECONDS = 1.0
LARGE_ROW_ORDER = 1000


def first_list_figure(ctx: BenchContext, *, large: bool = False) -> Figure:
    """Start dtui ``options.samples`` times (each after one import-floor start); median and max."""
    count = ctx.container_count
    times, floors = [], []
    for _ in range(ctx.options.samples):
        floors.append(ctx.time_import_floor())
        with ctx.dtui() as program:
            times.append(ctx.time_first_list(program))
    median, floor = statistics.median(times), statistics.median(floors)
    if large:
        target, target_text = LARGE_TARGET_SECONDS, f"≤ {LARGE_TARGET_SECONDS} s"
    else:
        target = floor + FLOOR_MARGIN_SECONDS
        target_text = f"≤ floor + {FLOOR_MARGIN_SECONDS} s = {seconds_text(target)}"
    docker_times = ctx.docker_ps()
    docker_median = statistics.median(docker_times) if docker_times else None
    baseline = f"import floor {seconds_text(floor)} (median of {len(floors)}, interleaved)"
    if docker_median is not None:
        baseline = f"`docker ps -a` {seconds_text(docker_median)}; {baseline}"
    return Figure(
        f"first list, {count} containers: exec until a named row is on screen (median / max of {len(times)})",
        f"{seconds_text(median)} / {seconds_text(max(times))}",
        target=target_text,
        baseline=baseline,
        ratio=" · ".join(filter(None, [
            ratio_text(median, docker_median, "docker ps"),
            f"floor + {seconds_text(median - floor)}",
        ])),
        met=max(times) <= target if ctx.options.samples == 1 else median <= target,
        numbers=tuple(times),
    )


@bench_row("first list", order=20)
def first_list(ctx: BenchContext) -> list[Figure]:
    """First list at the default fixture."""
    ctx.note("First list: dtui runs on a pty; the clock stops when the raw output holds a fixture "
             "container's name (arrival time of that chunk), so it includes Python start-up, "
             "the engine probe, the listing and the first paint. Each dtui start follows one "
             "import-floor start (`python -c 'import textual.app, httpx'`), the floor beside it.")
    return [first_list_figure(ctx)]


@bench_row("first list, large fixture", order=LARGE_ROW_ORDER)
def first_list_large(ctx: BenchContext) -> list[Figure]:
    """First list with the fixture grown by created containers (``--containers 500``)."""
    large = ctx.options.large
    if not large:
        return [Figure("first list, 500 containers", "not run (ask with `--containers 500`)",
                       target=f"≤ {LARGE_TARGET_SECONDS} s")]
    extra = large - ctx.container_count
    ctx.note(f"The {large}-container listing adds {max(extra, 0)} created, never started containers "
             "to the fixture (500 running ones would not fit a 2-core machine's time budget).")
    try:
        if extra > 0:
            ctx.fixture.add_created(extra)
        return [first_list_figure(ctx, large=True)]
    finally:
        ctx.fixture.remove_created()
