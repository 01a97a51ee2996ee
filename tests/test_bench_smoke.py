"""The benchmark harness cannot rot: its pieces, and a tiny run against the real engine."""

from __future__ import annotations

import re
import time

import pytest

from tests.bench.fixture import BENCH_LABEL, SMOKE_SPEC
from tests.bench.harness import Options, render_markdown, run, seconds_text
from tests.bench.registry import Figure, bench_row, load_rows
from tests.bench.rows.latency import DOWN, UP, key_sequence, percentile
from tests.support import engine as support

CORE_ROWS = ["baselines", "first list", "idle", "key latency", "first list, large fixture"]


def test_rows_are_discovered_in_run_order() -> None:
    titles = [row.title for row in load_rows()]
    assert [title for title in titles if title in CORE_ROWS] == CORE_ROWS


def test_a_title_cannot_be_registered_twice() -> None:
    load_rows()
    with pytest.raises(ValueError, match="already registered"):
        bench_row("first list")(lambda ctx: [])


def test_markdown_escapes_pipes_and_marks_missed_targets() -> None:
    text = render_markdown(["commit `abc`"], [Figure("a|b", "1 s", target="≤ 0.5 s", met=False)], ["a note"])
    assert "| a\\|b | 1 s | ≤ 0.5 s |  |  | **no** |" in text.splitlines()
    assert text.splitlines()[-1] == "- a note"


def test_key_sequence_moves_down_then_back_up() -> None:
    assert key_sequence(5, 2) == [DOWN, DOWN, UP, UP, DOWN]


def test_percentile_is_nearest_rank() -> None:
    values = [float(value) for value in range(1, 21)]
    assert (percentile(values, 0.5), percentile(values, 0.95)) == (10.0, 19.0)
    assert seconds_text(0.0123) == "12.3 ms" and seconds_text(0.456) == "0.46 s"


def _figure(figures: list[Figure], prefix: str, *parts: str) -> Figure:
    matching = [f for f in figures if f.name.startswith(prefix) and all(part in f.name for part in parts)]
    assert len(matching) == 1, f"{prefix!r} {parts} in {[figure.name for figure in figures]}"
    return matching[0]


@pytest.mark.integration
def test_smoke_run_prints_every_figure_and_cleans_up(engine_host: str) -> None:
    options = Options(spec=SMOKE_SPEC, large=SMOKE_SPEC.total + 2, samples=1, idle_seconds=1.5, keys=4, smoke=True)
    started = time.monotonic()
    report = run(engine_host, options, "smoke test")
    elapsed = time.monotonic() - started

    assert report.errors == []
    assert re.search(r"^commit `[0-9a-f]+", report.markdown, re.MULTILINE)
    assert "| Figure | Measured | Target | Baseline (same run) | Ratio | Met |" in report.markdown
    first = _figure(report.figures, f"first list, {SMOKE_SPEC.total} containers")
    assert 0.0 < first.numbers[0] < options.list_timeout and first.baseline.startswith("`docker ps -a`")
    large = _figure(report.figures, f"first list, {SMOKE_SPEC.total + 2} containers")
    assert len(large.numbers) == 1
    dtui_cpu = _figure(report.figures, "idle ", "dtui CPU")
    assert dtui_cpu.numbers[0] >= 0.0
    assert _figure(report.figures, "idle ", "total CPU").met is not None
    rss = _figure(report.figures, "RSS of dtui")
    assert 10e6 < rss.numbers[0] < 1e9
    latency = _figure(report.figures, "key-to-screen latency")
    assert 0.0 < latency.numbers[0] <= latency.numbers[1] < 2.0
    engine_idle = _figure(report.figures, "baseline: engine idle CPU")
    assert engine_idle.numbers[0] >= 0.0 and len(engine_idle.numbers) == 3
    assert "ERROR" not in report.markdown
    with support.sync_client(engine_host) as client:
        left = client.get("/containers/json", params={"all": "1", "filters": f'{{"label":["{BENCH_LABEL}={report.run_id}"]}}'})
    assert left.json() == []
    # ~25 s on an idle 2-core machine; the bound only catches a harness that hangs or sprawls.
    assert elapsed < 120, f"the smoke run took {elapsed:.0f} s"
