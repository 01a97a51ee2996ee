"""The scale planner: indexes, names, ports, labels, removals."""

from __future__ import annotations

import pytest

from dtui.engine.models import ContainerSummary
from dtui.engine.spec import ContainerSpec, PortSpec
from dtui.core.scale import (
    GROUP_LABEL,
    INDEX_LABEL,
    ScaleError,
    base_name,
    default_first_ports,
    plan_scale,
    render_name,
    template_index,
)
from tests.fakes import container_json


def summary(name: str, labels: dict[str, str] | None = None) -> ContainerSummary:
    return ContainerSummary.from_api(container_json(name, labels=labels))


def copy(group: str, name: str, index: int) -> ContainerSummary:
    return summary(name, {GROUP_LABEL: group, INDEX_LABEL: str(index)})


WEB_PORTS = (PortSpec(80, "tcp", "9001", "127.0.0.1"),)


@pytest.mark.parametrize(
    ("name", "base"), [("web01", "web"), ("web-1", "web"), ("web", "web"), ("api-v2-03", "api-v"), ("0123", "0123")]
)
def test_base_name_strips_trailing_digits_and_dashes(name: str, base: str) -> None:
    assert base_name(name) == base


def test_template_fitting_the_pattern_is_index_1_and_copies_follow() -> None:
    plan = plan_scale(summary("web01"), [], 3, template_ports=WEB_PORTS)
    assert [(m.index, m.name, m.is_template) for m in plan.keep] == [(1, "web01", True)]
    assert [(c.index, c.name) for c in plan.create] == [(2, "web02"), (3, "web03")]
    assert [c.ports for c in plan.create] == [
        (PortSpec(80, "tcp", "9002", "127.0.0.1"),),
        (PortSpec(80, "tcp", "9003", "127.0.0.1"),),
    ]
    assert dict(plan.create[1].labels) == {GROUP_LABEL: "web01", INDEX_LABEL: "3"}
    assert plan.remove == ()


def test_template_outside_the_pattern_stays_outside_and_copies_start_at_1() -> None:
    plan = plan_scale(summary("web"), [], 2, template_ports=(PortSpec(80, "tcp", "9000"),))
    assert plan.keep == ()
    assert [(c.index, c.name, c.ports[0].host_port) for c in plan.create] == [(1, "web01", "9001"), (2, "web02", "9002")]


def test_first_ports_given_override_the_default_and_copy_n_gets_first_plus_n_minus_1() -> None:
    plan = plan_scale(summary("web01"), [], 4, template_ports=WEB_PORTS, first_ports={"80/tcp": 18000})
    assert [c.ports[0].host_port for c in plan.create] == ["18001", "18002", "18003"]


def test_a_port_without_first_is_left_to_the_engine() -> None:
    plan = plan_scale(summary("web01"), [], 2, template_ports=WEB_PORTS, first_ports={"80/tcp": None})
    assert plan.create[0].ports == (PortSpec(80, "tcp", "", "127.0.0.1"),)


def test_existing_copies_are_kept_and_missing_indexes_created() -> None:
    copies = [copy("web01", "web03", 3)]
    plan = plan_scale(summary("web01"), copies, 4)
    assert [m.name for m in plan.keep] == ["web01", "web03"]
    assert [c.name for c in plan.create] == ["web02", "web04"]


def test_scaling_down_removes_the_highest_indexes_first_never_the_template() -> None:
    copies = [copy("web01", "web02", 2), copy("web01", "web04", 4), copy("web01", "web03", 3)]
    plan = plan_scale(summary("web01"), copies, 2)
    assert [m.name for m in plan.remove] == ["web04", "web03"]
    assert [m.name for m in plan.keep] == ["web01", "web02"]
    assert plan.create == ()
    with pytest.raises(ScaleError, match="between 1 and"):
        plan_scale(summary("web01"), copies, 0)


def test_outside_template_can_scale_to_zero() -> None:
    plan = plan_scale(summary("web"), [copy("web", "web01", 1)], 0)
    assert [m.name for m in plan.remove] == ["web01"] and plan.keep == ()


def test_copies_of_another_group_and_bad_index_labels_are_ignored() -> None:
    copies = [copy("other", "web02", 2), summary("web03", {GROUP_LABEL: "web01", INDEX_LABEL: "x"})]
    plan = plan_scale(summary("web01"), copies, 2)
    assert [c.name for c in plan.create] == ["web02"] and plan.remove == ()


def test_custom_pattern_and_its_errors() -> None:
    plan = plan_scale(summary("web"), [], 2, pattern="{base}-{n}")
    assert [c.name for c in plan.create] == ["web-1", "web-2"]
    assert template_index("web-2", "{base}-{n}", "web") == 2
    for bad in ("{base}{x}", "{base", "{base}"):
        with pytest.raises(ScaleError):
            plan_scale(summary("web"), [], 2, pattern=bad)
    with pytest.raises(ScaleError, match="invalid container name"):
        render_name("{base} {n}", "web", 1)


def test_port_out_of_range_is_refused() -> None:
    with pytest.raises(ScaleError, match="out of range"):
        plan_scale(summary("web01"), [], 3, template_ports=WEB_PORTS, first_ports={"80/tcp": 65534})


def test_default_first_ports() -> None:
    ports = (PortSpec(80, "tcp", "9005"), PortSpec(53, "udp", ""))
    assert default_first_ports(ports, 5) == {"80/tcp": 9001, "53/udp": None}
    assert default_first_ports(ports, None) == {"80/tcp": 9006, "53/udp": None}


def test_copy_spec_keeps_the_template_and_adds_ports_and_labels() -> None:
    template = ContainerSpec("busybox", cmd=("sleep", "9"), labels={"a": "1", GROUP_LABEL: "old"}, ports=WEB_PORTS)
    plan = plan_scale(summary("web01"), [], 2, template_ports=WEB_PORTS)
    spec = plan.create[0].spec(template)
    assert spec.cmd == ("sleep", "9")
    assert spec.labels == {"a": "1", GROUP_LABEL: "web01", INDEX_LABEL: "2"}
    assert spec.ports == (PortSpec(80, "tcp", "9002", "127.0.0.1"),)


def test_ports_a_few_numbers_apart_that_would_clash_are_refused_before_anything_is_made() -> None:
    ports = (PortSpec(80, "tcp", "19001", "127.0.0.1"), PortSpec(9000, "tcp", "19002"), PortSpec(53, "udp", "19003"))
    with pytest.raises(ScaleError, match="19002/tcp would be published by both walk and walk01"):
        plan_scale(summary("walk"), [], 1, template_ports=ports)  # 80 of copy 1 lands on the template's 9000
    with pytest.raises(ScaleError, match="19003/tcp would be published twice by walk01"):
        plan_scale(summary("walk"), [], 2, template_ports=ports, first_ports={"80/tcp": 19003})
    with pytest.raises(ScaleError, match="19011/tcp would be published by both walk01 and walk02"):
        plan_scale(summary("walk"), [], 2, template_ports=ports, first_ports={"80/tcp": 19010, "9000/tcp": 19011})
    spread = plan_scale(summary("walk"), [], 3, template_ports=ports, first_ports={"80/tcp": 19010})
    assert [c.ports[0].host_port for c in spread.create] == ["19010", "19011", "19012"]  # udp 19003 is no clash
    both = (PortSpec(80, "tcp", "8080", "0.0.0.0"), PortSpec(80, "tcp", "8080", "::"))
    assert len(plan_scale(summary("web"), [], 2, template_ports=both).create) == 2  # one container, two families
    apart = (PortSpec(80, "tcp", "8080", "127.0.0.1"), PortSpec(81, "tcp", "8081", "127.0.0.2"))
    assert len(plan_scale(summary("web"), [], 1, template_ports=apart).create) == 1  # other addresses
