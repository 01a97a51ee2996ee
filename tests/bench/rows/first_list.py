"""First list: from exec until a fixture row's name is on the screen."""

from __future__ import annotations

import statistics

from tests.bench.harness import BenchContext, ratio_text, seconds_text
from tests.bench.registry import Figure, bench_row

TARGET_SECONDS = {60: 0.6, 500: 1.5}
LARGE_ROW_ORDER = 1000


def first_list_figure(ctx: BenchContext) -> Figure:
    """Start dtui ``options.samples`` times; median and max against `docker ps -a`."""
    count = ctx.container_count
    times = []
    for _ in range(ctx.options.samples):
        with ctx.dtui() as program:
            times.append(ctx.time_first_list(program))
    median = statistics.median(times)
    target = TARGET_SECONDS.get(count)
    docker_times = ctx.docker_ps()
    docker_median = statistics.median(docker_times) if docker_times else None
    floor_seconds, _ = ctx.import_floor()
    baseline = f"import floor {seconds_text(floor_seconds)}"
    if docker_median is not None:
        baseline = f"`docker ps -a` {seconds_text(docker_median)}; {baseline}"
    return Figure(
        f"first list, {count} containers: exec until a named row is on screen (median / max of {len(times)})",
        f"{seconds_text(median)} / {seconds_text(max(times))}",
        target=f"≤ {target} s" if target else "",
        baseline=baseline,
        ratio=" · ".join(filter(None, [ratio_text(median, docker_median, "docker ps"), ratio_text(median, floor_seconds, "floor")])),
        met=(max(times) <= target if ctx.options.samples == 1 else median <= target) if target else None,
        numbers=tuple(times),
    )


@bench_row("first list", order=20)
def first_list(ctx: BenchContext) -> list[Figure]:
    """First list at the default fixture."""
    ctx.note("First list: dtui runs on a pty; the clock stops when the raw output holds a fixture "
             "container's name (arrival time of that chunk), so it includes Python start-up, "
             "the engine probe, the listing and the first paint.")
    return [first_list_figure(ctx)]


@bench_row("first list, large fixture", order=LARGE_ROW_ORDER)
def first_list_large(ctx: BenchContext) -> list[Figure]:
    """First list with the fixture grown by created containers (``--containers 500``)."""
    large = ctx.options.large
    if not large:
        return [Figure("first list, 500 containers", "not run (ask with `--containers 500`)", target="≤ 1.5 s")]
    extra = large - ctx.container_count
    ctx.note(f"The {large}-container listing adds {max(extra, 0)} created, never started containers "
             "to the fixture (500 running ones would not fit a 2-core machine's time budget).")
    try:
        if extra > 0:
            ctx.fixture.add_created(extra)
        return [first_list_figure(ctx)]
    finally:
        ctx.fixture.remove_created()
