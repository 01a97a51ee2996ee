"""Compose projects from labels (headless): labels read, order, config drift, the project filter."""

from __future__ import annotations

import asyncio

from dtui.core.compose import (
    DEPENDS_LABEL,
    PROJECT_LABEL,
    ComposeLabels,
    WaveGate,
    dependency_waves,
    mixed_services,
    project_of_filter,
    service_order,
    with_project,
    without_project,
)
from dtui.core.engine_filter import parse_engine_filter
from tests.ui.compose_support import compose_labels


def test_labels_are_read_and_bad_numbers_are_zero() -> None:
    assert ComposeLabels.of({}) is None and ComposeLabels.of({PROJECT_LABEL: ""}) is None
    assert ComposeLabels.of(compose_labels("shop", "web", 3, "abc")) == ComposeLabels("shop", "web", 3, "abc")
    hostile = {**compose_labels("shop", "web", 1), "com.docker.compose.container-number": "-1e99"}
    assert ComposeLabels.of(hostile) == ComposeLabels("shop", "web", 0, "h1")


def test_order_is_service_then_number_and_drift_is_per_service() -> None:
    names = {"shop-web-10": compose_labels("shop", "web", 10), "shop-web-2": compose_labels("shop", "web", 2),
             "shop-db-1": compose_labels("shop", "db", 1)}
    assert sorted(names, key=lambda name: service_order(names[name], name)) == ["shop-db-1", "shop-web-2", "shop-web-10"]
    members = [compose_labels("shop", "web", 1, "a"), compose_labels("shop", "web", 2, "b"), compose_labels("shop", "db", 1)]
    assert mixed_services(members) == ["web"]


def test_project_filter_is_added_replaced_and_dropped_keeping_the_rest() -> None:
    before = parse_engine_filter("status=running label='team=a b' limit=5")
    shop = with_project(before, "shop")
    assert shop.filters == {"status": ["running"], "label": ["team=a b", f"{PROJECT_LABEL}=shop"]}
    assert shop.limit == 5 and project_of_filter(shop) == "shop" and project_of_filter(before) is None
    odd = with_project(shop, "it's; rm -rf")  # a label value with quotes survives the text round trip
    assert project_of_filter(odd) == "it's; rm -rf" and odd.filters["label"].count(f"{PROJECT_LABEL}=shop") == 0
    back = without_project(odd)
    assert back.filters == before.filters and back.limit == 5


def test_depends_on_label_and_waves() -> None:
    labels = {**compose_labels("shop", "web", 1), DEPENDS_LABEL: "db:service_healthy:false, cache:service_started:true"}
    assert ComposeLabels.of(labels).depends_on == {"db", "cache"}  # type: ignore[union-attr]
    assert dependency_waves({"web": {"db", "cache"}, "db": set(), "cache": {"db"}, "job": {"gone"}}) == [
        ["db", "job"], ["cache"], ["web"],
    ]
    assert dependency_waves({"a": {"b"}, "b": {"a"}, "c": set()}) == [["c"], ["a", "b"]]  # a cycle goes last


async def test_wave_gate_runs_a_wave_after_the_one_before_even_when_it_fails() -> None:
    gate = WaveGate({"db": 0, "web1": 1, "web2": 1, "proxy": 2})
    order: list[str] = []

    async def call(name: str, fail: bool = False) -> str:
        order.append(f"{name} start")
        await asyncio.sleep(0.01)
        order.append(f"{name} end")
        if fail:
            raise RuntimeError(name)
        return name

    results = await asyncio.gather(
        gate.run("proxy", lambda: call("proxy")), gate.run("web1", lambda: call("web1", fail=True)),
        gate.run("web2", lambda: call("web2")), gate.run("db", lambda: call("db")),
        gate.run("other", lambda: call("other")), return_exceptions=True,
    )
    assert results[0] == "proxy" and isinstance(results[1], RuntimeError)
    assert order.index("db end") < order.index("web1 start") and order.index("db end") < order.index("web2 start")
    assert order.index("proxy start") > max(order.index("web1 end"), order.index("web2 end"))
    assert order.index("other start") < order.index("db end")  # not in a wave: not held
