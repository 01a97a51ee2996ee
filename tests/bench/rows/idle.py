"""Idle on the list: dtui's CPU and memory, and what it costs the engine."""

from __future__ import annotations

from tests.bench import procstat
from tests.bench.harness import BenchContext, IdleReading
from tests.bench.registry import Figure, bench_row

TARGET_CPU = 5.0  # % of a core, dtui plus the engine's increase
TARGET_RSS_MB = 60.0


def near_one_ratio(value: float, baseline: float) -> str:
    """value / baseline as "1.05×" (two decimals: these ratios sit near 1)."""
    return f"{value / baseline:.2f}×" if baseline > 0 else ""


def measure_dtui_idle(ctx: BenchContext) -> tuple[IdleReading, int]:
    """dtui sitting on the list for the idle window: CPU reading and RSS at its end."""
    with ctx.dtui() as program:
        ctx.time_first_list(program)
        ctx.settle(program)
        reading = ctx.measure_idle(ctx.options.idle_seconds, dtui_pid=program.pid)
        rss = procstat.rss_bytes(procstat.process_tree(program.pid))
    return reading, rss


def engine_figures(ctx: BenchContext, before: IdleReading, after: IdleReading, reading: IdleReading) -> tuple[list[Figure], float]:
    """The engine baseline and its increase with dtui; returns them and the increase."""
    baseline = ctx.bracketed_engine_idle(before, after)
    if reading.engine is None or baseline.engine is None or before.engine is None or after.engine is None:
        return [], 0.0
    increase = reading.engine - baseline.engine
    return [
        Figure(
            f"baseline: engine idle CPU, no dtui ({baseline.seconds:.0f} s around the dtui window, dockerd + containerd)",
            f"{baseline.engine:.2f}% of a core (before {before.engine:.2f}%, after {after.engine:.2f}%)",
            numbers=(baseline.engine, before.engine, after.engine),
        ),
        Figure(
            f"idle {reading.seconds:.0f} s: engine CPU increase over no dtui",
            f"{increase:+.2f}% of a core",
            baseline=f"engine idle {baseline.engine:.2f}%",
            ratio=near_one_ratio(reading.engine, baseline.engine),
            numbers=(increase, reading.engine, baseline.engine),
        ),
    ], increase


@bench_row("idle", order=30)
def idle(ctx: BenchContext) -> list[Figure]:
    """Sit on the list for ``options.idle_seconds``, between two halves of a no-dtui baseline."""
    half = ctx.options.idle_seconds / 2
    before = ctx.measure_idle(half)
    reading, rss = measure_dtui_idle(ctx)
    after = ctx.measure_idle(half)
    dtui_cpu = reading.dtui or 0.0
    seconds = f"{reading.seconds:.0f} s"
    engine, increase = engine_figures(ctx, before, after, reading)
    figures = [*engine[:1], Figure(f"idle {seconds} on the list: dtui CPU (process tree)",
                                   f"{dtui_cpu:.2f}% of a core", numbers=(dtui_cpu,)), *engine[1:]]
    total = dtui_cpu + max(increase, 0.0)
    figures.append(Figure(
        f"idle {seconds}: total CPU (dtui + engine increase)",
        f"{total:.2f}% of a core",
        target=f"≤ {TARGET_CPU:.0f}% of a core",
        met=total <= TARGET_CPU,
        numbers=(total,),
    ))
    _, floor_rss = ctx.import_floor()
    figures.append(Figure(
        "RSS of dtui (process tree, end of idle)",
        f"{rss / 1e6:.1f} MB",
        target=f"≤ {TARGET_RSS_MB:.0f} MB",
        baseline=f"textual + httpx imported {floor_rss / 1e6:.1f} MB",
        ratio=near_one_ratio(rss, floor_rss),
        met=rss / 1e6 <= TARGET_RSS_MB,
        numbers=(float(rss),),
    ))
    ctx.note("Idle CPU: utime + stime from /proc/<pid>/stat of dtui's process tree and of the "
             "engine over the same wall-clock window. The engine baseline is the same fixture "
             "with no dtui, half the window length just before dtui starts and half just after "
             "it quits (so drift on a shared machine is averaged out). A negative increase is "
             "noise and counts as 0 in the total. MB = 10^6 bytes.")
    return figures
