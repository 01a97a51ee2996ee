"""Compose projects from labels (headless): labels read, order, config drift, the project filter."""

from __future__ import annotations

from dtui.core.compose import (
    PROJECT_LABEL,
    ComposeLabels,
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
