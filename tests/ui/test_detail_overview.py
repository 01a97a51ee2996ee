"""The overview sampler: recorded one-shot pairs -> exact percentages; rounds; bounds."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from dtui.core.overview import (
    OverviewFigures,
    OverviewSampler,
    figures_from_records,
)
from dtui.ui.widgets.stats_panel import bar_for, format_bytes
from tests.fakes import FakeEngine

DATA = Path(__file__).parent / "data"
ENGINE_DATA = Path(__file__).parents[1] / "engine" / "data"


def _pair(path: Path) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return records


def test_recorded_half_core_busy_loop_pair_gives_exact_percent() -> None:
    """dockerd 20.10 / cgroup v1, NanoCpus=5e8, busy loop, one-shot records 2 s apart."""
    first, second = _pair(DATA / "detail_oneshot_halfcore.json")
    figures = figures_from_records("c1", second, first)
    # (2069917890 - 1068153858) / (8286120000000 - 8282090000000) * 2 CPUs * 100
    assert figures.cpu_percent == pytest.approx(1001764032 / 4030000000 * 2 * 100, rel=1e-12)
    assert figures.cpu_percent == pytest.approx(49.715336575682386, abs=1e-9)
    assert figures.online_cpus == 2
    assert figures.memory_used == 380928 - 8192  # usage - total_inactive_file
    assert figures.memory_limit == 25276514304
    assert figures.memory_percent == pytest.approx(372736 / 25276514304 * 100)


def test_recorded_cgroup2_pair_gives_exact_percent() -> None:
    first, second = _pair(ENGINE_DATA / "stats_cgroup2_oneshot.json")
    figures = figures_from_records("web", second, first)
    # (6626456000 - 5123456000) / (1208000000000 - 1200000000000) * 4 * 100 = 75.15
    assert figures.cpu_percent == pytest.approx(75.15, abs=1e-9)
    assert figures.memory_used == 52428800 - 12582912
    assert figures.memory_percent == pytest.approx((52428800 - 12582912) / 8245383168 * 100)


def test_single_record_has_no_cpu_figure() -> None:
    first, _second = _pair(DATA / "detail_oneshot_halfcore.json")
    figures = figures_from_records("c1", first, None)
    assert figures.cpu_percent is None
    assert figures.memory_used == 385024 - 8192


def _sequenced_engine(container_id: str, records: list[dict[str, Any]]) -> FakeEngine:
    engine = FakeEngine()
    queue = list(records)

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.params["one-shot"] == "1"
        assert request.url.params["stream"] == "0"
        return httpx.Response(200, json=queue.pop(0) if len(queue) > 1 else queue[0])

    engine.route("GET", f"/containers/{container_id}/stats", handler=answer)
    return engine


async def test_sampler_differences_consecutive_rounds() -> None:
    first, second = _pair(DATA / "detail_oneshot_halfcore.json")
    engine = _sequenced_engine("c1", [first, second])
    client = engine.client()
    await client.connect()
    rounds: list[list[OverviewFigures]] = []
    sampler = OverviewSampler(client, rounds.append, interval=5.0)
    sampler.set_containers(["c1"])
    one = await sampler.sample_round()
    two = await sampler.sample_round()
    assert one[0].cpu_percent is None
    assert one[0].memory_used == 385024 - 8192
    assert two[0].cpu_percent == pytest.approx(49.715336575682386, abs=1e-9)
    await client.aclose()


async def test_sampler_skips_removed_containers_and_forgets_baselines() -> None:
    first, second = _pair(DATA / "detail_oneshot_halfcore.json")
    engine = _sequenced_engine("c1", [first, second])
    engine.route("GET", "/containers/gone/stats", status=404, json={"message": "No such container: gone"})
    client = engine.client()
    await client.connect()
    sampler = OverviewSampler(client, lambda figures: None)
    sampler.set_containers(["c1", "gone"])
    figures = await sampler.sample_round()
    assert [f.container_id for f in figures] == ["c1"]
    assert set(sampler._baselines) == {"c1"}
    sampler.set_containers(["other"])
    assert sampler._baselines == {}
    await client.aclose()


async def test_sampler_run_calls_back_each_round_with_bounded_concurrency() -> None:
    first, _second = _pair(DATA / "detail_oneshot_halfcore.json")
    engine = FakeEngine()
    engine.route("GET", r"/containers/[^/]+/stats", json=first)
    client = engine.client()
    await client.connect()
    real_stats_once = client.containers.stats_once
    in_flight = peak = 0

    async def counted(container_id: str, previous: Any = None) -> Any:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        try:
            return await real_stats_once(container_id, previous)
        finally:
            in_flight -= 1

    client.containers.stats_once = counted  # type: ignore[method-assign]
    rounds: list[list[OverviewFigures]] = []
    sampler = OverviewSampler(client, rounds.append, interval=0.1, first_interval=0.01, concurrency=2)
    sampler.set_containers([f"c{i}" for i in range(6)])
    task = asyncio.create_task(sampler.run())
    await asyncio.sleep(0.4)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(rounds) >= 2
    assert [f.container_id for f in rounds[0]] == [f"c{i}" for i in range(6)]
    assert all(f.cpu_percent is None for f in rounds[0])
    assert all(f.cpu_percent == 0.0 for f in rounds[1])  # identical records: no CPU used
    assert peak == 2
    await client.aclose()


def test_sampler_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        OverviewSampler(FakeEngine().client(), lambda f: None, interval=0)


def test_fixed_scale_bars_and_sizes() -> None:
    assert bar_for(None, 100) == " "
    assert bar_for(0, 100) == "▁"
    assert bar_for(50, 100) == "▄"
    assert bar_for(100, 100) == "█"
    assert bar_for(250, 100) == "█"
    assert bar_for(50, 200) == "▂"
    assert format_bytes(0) == "0B"
    assert format_bytes(1536) == "1.5KiB"
    assert format_bytes(64 * 1024 * 1024) == "64.0MiB"
