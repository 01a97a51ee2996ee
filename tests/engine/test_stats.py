"""Stats maths against docker CLI semantics, on records shaped like real engine output."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from dtui.engine.stats import StatsSample, rate

DATA = Path(__file__).parent / "data"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def cgroup1() -> dict[str, Any]:
    """A second streamed record from dockerd 20.10 on cgroup v1 (busy loop)."""
    record: dict[str, Any] = _load("stats_cgroup1.json")
    return record


@pytest.fixture
def oneshot_pair() -> list[dict[str, Any]]:
    """Two one-shot records of one container on cgroup v2, taken 2 s apart."""
    records: list[dict[str, Any]] = _load("stats_cgroup2_oneshot.json")
    return records


STOPPED: dict[str, Any] = {
    "read": "0001-01-01T00:00:00Z",
    "preread": "0001-01-01T00:00:00Z",
    "pids_stats": {},
    "blkio_stats": {
        "io_service_bytes_recursive": None,
        "io_serviced_recursive": None,
        "sectors_recursive": None,
    },
    "num_procs": 0,
    "storage_stats": {},
    "cpu_stats": {
        "cpu_usage": {"total_usage": 0, "usage_in_kernelmode": 0, "usage_in_usermode": 0},
        "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0},
    },
    "precpu_stats": {
        "cpu_usage": {"total_usage": 0, "usage_in_kernelmode": 0, "usage_in_usermode": 0},
        "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0},
    },
    "memory_stats": {},
    "name": "/stopped",
    "id": "0123456789ab",
}


def test_cgroup1_streamed_record(cgroup1: dict[str, Any]) -> None:
    sample = StatsSample.from_api(cgroup1)

    assert sample.has_data
    assert sample.read == datetime(2026, 11, 28, 1, 0, 25, 231548, tzinfo=timezone.utc)
    assert sample.container_id.startswith("5f2c8e4b1a9d")
    assert sample.name == "busy"
    assert sample.online_cpus == 2
    # (41218765432 - 40220000000) / (853210000000 - 851200000000) * 2 * 100
    assert sample.cpu_percent == pytest.approx(99.37964497512438, rel=1e-12)
    assert sample.memory_used == 10485760 - 2097152
    assert sample.memory_limit == 2083807232
    assert sample.memory_percent == pytest.approx(0.40256161276246116, rel=1e-12)
    assert (sample.net_rx, sample.net_tx) == (1296 + 500, 0 + 300)
    # Read/Write counted per device; Sync, Async, Discard and Total ignored.
    assert (sample.block_read, sample.block_write) == (1048576 + 8192, 4096)
    assert sample.pids == 3


def test_cpu_scaled_by_percpu_count_without_online_cpus(cgroup1: dict[str, Any]) -> None:
    del cgroup1["cpu_stats"]["online_cpus"]
    cgroup1["cpu_stats"]["cpu_usage"]["percpu_usage"] = [1, 1, 1, 1]

    sample = StatsSample.from_api(cgroup1)

    assert sample.online_cpus == 4
    assert sample.cpu_percent == pytest.approx(99.37964497512438 * 2, rel=1e-12)


def test_cpu_falls_back_to_one_cpu(cgroup1: dict[str, Any]) -> None:
    del cgroup1["cpu_stats"]["online_cpus"]
    cgroup1["cpu_stats"]["cpu_usage"]["percpu_usage"] = None

    sample = StatsSample.from_api(cgroup1)

    assert sample.online_cpus == 1
    assert sample.cpu_percent == pytest.approx(99.37964497512438 / 2, rel=1e-12)


def test_cpu_zero_when_a_delta_is_not_positive(cgroup1: dict[str, Any]) -> None:
    cgroup1["precpu_stats"]["cpu_usage"]["total_usage"] = 41218765432
    assert StatsSample.from_api(cgroup1).cpu_percent == 0.0

    cgroup1["precpu_stats"]["cpu_usage"]["total_usage"] = 0
    cgroup1["precpu_stats"]["system_cpu_usage"] = 853210000000
    assert StatsSample.from_api(cgroup1).cpu_percent == 0.0


def test_first_streamed_record_has_no_cpu(cgroup1: dict[str, Any]) -> None:
    cgroup1["precpu_stats"] = {
        "cpu_usage": {"total_usage": 0, "usage_in_kernelmode": 0, "usage_in_usermode": 0},
        "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0},
    }
    cgroup1["preread"] = "0001-01-01T00:00:00Z"

    sample = StatsSample.from_api(cgroup1)

    assert sample.cpu_percent is None
    assert sample.has_data
    assert sample.memory_used == 8388608


def test_cgroup2_one_shot_alone_has_no_cpu(oneshot_pair: list[dict[str, Any]]) -> None:
    sample = StatsSample.from_api(oneshot_pair[1])

    assert sample.cpu_percent is None
    assert sample.online_cpus == 4
    assert sample.memory_used == 52428800 - 12582912  # inactive_file (v2)
    assert sample.memory_percent == pytest.approx(0.48325089553921863, rel=1e-12)
    assert (sample.block_read, sample.block_write) == (2101248, 65536)
    assert (sample.net_rx, sample.net_tx) == (12000, 4500)
    assert sample.pids == 7


def test_two_one_shot_samples_differenced(oneshot_pair: list[dict[str, Any]]) -> None:
    first, second = oneshot_pair

    sample = StatsSample.from_api(second, previous=first)

    # (6626456000 - 5123456000) / (1208000000000 - 1200000000000) * 4 * 100
    assert sample.cpu_percent == pytest.approx(75.15, rel=1e-12)


def test_previous_without_cpu_data_gives_none(oneshot_pair: list[dict[str, Any]]) -> None:
    assert StatsSample.from_api(oneshot_pair[1], previous=STOPPED).cpu_percent is None


def test_stopped_container_record_has_no_data() -> None:
    sample = StatsSample.from_api(STOPPED)

    assert not sample.has_data
    assert sample.read is None
    assert sample.cpu_percent is None
    assert sample.memory_used is None
    assert sample.memory_limit is None
    assert sample.memory_percent is None
    assert (sample.net_rx, sample.net_tx, sample.block_read, sample.block_write) == (0, 0, 0, 0)
    assert sample.pids is None
    assert sample.online_cpus == 1


def test_null_collections_never_crash(cgroup1: dict[str, Any]) -> None:
    cgroup1["networks"] = None
    cgroup1["blkio_stats"]["io_service_bytes_recursive"] = None

    sample = StatsSample.from_api(cgroup1)

    assert (sample.net_rx, sample.net_tx) == (0, 0)
    assert (sample.block_read, sample.block_write) == (0, 0)
    assert sample.cpu_percent == pytest.approx(99.37964497512438, rel=1e-12)


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"cpu_stats": None, "precpu_stats": None, "memory_stats": None, "blkio_stats": None},
        {"networks": {"eth0": None}, "pids_stats": None, "read": None, "name": None},
        {"blkio_stats": {"io_service_bytes_recursive": [None, {"op": None}, {"op": "", "value": 5}]}},
        {"memory_stats": {"usage": "12", "limit": None, "stats": None}},
        {"cpu_stats": {"online_cpus": None, "cpu_usage": {"percpu_usage": None}}},
    ],
)
def test_odd_shapes_never_crash(raw: dict[str, Any]) -> None:
    sample = StatsSample.from_api(raw)

    assert not sample.has_data
    assert sample.cpu_percent is None
    assert sample.memory_used is None
    assert (sample.net_rx, sample.block_read, sample.block_write) == (0, 0, 0)


def test_podman_record(cgroup1: dict[str, Any]) -> None:
    raw = copy.deepcopy(cgroup1)
    raw["Id"] = raw.pop("id")
    raw["memory_stats"]["stats"] = {}
    raw["read"] = "2026-11-28T02:00:25.231548312+01:00"

    sample = StatsSample.from_api(raw)

    assert sample.container_id == cgroup1["id"]
    assert sample.memory_used == 10485760  # nothing to subtract
    assert sample.read == datetime(2026, 11, 28, 1, 0, 25, 231548, tzinfo=timezone.utc)


def test_inactive_file_not_smaller_than_usage_is_ignored(cgroup1: dict[str, Any]) -> None:
    stats = cgroup1["memory_stats"]["stats"]
    stats["total_inactive_file"] = 10485760
    stats["inactive_file"] = 1048576

    # docker CLI: the v1 figure is unusable, so the v2 key is tried next.
    assert StatsSample.from_api(cgroup1).memory_used == 10485760 - 1048576

    stats["inactive_file"] = 20000000
    assert StatsSample.from_api(cgroup1).memory_used == 10485760


def test_memory_percent_none_without_limit(cgroup1: dict[str, Any]) -> None:
    cgroup1["memory_stats"]["limit"] = 0

    sample = StatsSample.from_api(cgroup1)

    assert sample.memory_used == 8388608
    assert sample.memory_percent is None


def test_rates_between_one_shot_samples(oneshot_pair: list[dict[str, Any]]) -> None:
    first, second = (StatsSample.from_api(raw) for raw in oneshot_pair)

    assert rate(first, second, "net_rx") == 1000.0
    assert rate(first, second, "net_tx") == 250.0
    assert rate(first, second, "block_read") == 2048.0
    assert rate(first, second, "block_write") == 32768.0


def test_rate_unknown_cases(oneshot_pair: list[dict[str, Any]]) -> None:
    first, second = (StatsSample.from_api(raw) for raw in oneshot_pair)
    stopped = StatsSample.from_api(STOPPED)

    assert rate(second, first, "net_rx") is None  # negative interval
    assert rate(first, first, "net_rx") is None  # zero interval
    assert rate(stopped, second, "net_rx") is None
    assert rate(first, stopped, "net_rx") is None

    restarted = StatsSample.from_api({**oneshot_pair[1], "networks": {"eth0": {"rx_bytes": 5}}})
    assert rate(first, restarted, "net_rx") is None  # counter went backwards
