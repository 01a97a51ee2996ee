"""The volumes and networks kinds: joins of the container list, and which events they follow."""

from __future__ import annotations

from typing import Any

import pytest

from dtui.engine.models import ContainerSummary, Event
from dtui.engine.resource_models import Network, Volume
from dtui.live.network_kinds import join_attached, networks_kind
from dtui.live.volume_kinds import join_users, volumes_kind
from dtui.ui.forms.resource_create import FormProblem, parse_labels
from tests.fakes import container_json


def _container(name: str, *, mounts: list[dict[str, Any]] | None = None,
               networks: dict[str, Any] | None = None) -> ContainerSummary:
    item = container_json(name)
    item["Mounts"] = mounts
    item["NetworkSettings"] = {"Networks": networks}
    return ContainerSummary.from_api(item)


def _event(kind: str, action: str, actor: str = "x") -> Event:
    return Event.from_api({"Type": kind, "Action": action, "Actor": {"ID": actor, "Attributes": {}}})


def test_the_container_listing_says_which_volumes_and_networks_it_uses() -> None:
    mounts = [{"Type": "volume", "Name": "data", "Destination": "/d"}, {"Type": "bind", "Source": "/etc"}]
    networks = {"app": {"NetworkID": "n1"}, "never-started": {"NetworkID": ""}}
    container = _container("web", mounts=mounts, networks=networks)
    assert container.volume_names == ("data",)
    assert container.network_ids == ("n1",)  # a container never started is on no network yet
    assert _container("bare").mounts == () and _container("bare").network_ids == ()  # null lists


def test_joins_name_each_objects_containers() -> None:
    users = [_container(name, mounts=[{"Type": "volume", "Name": "data"}]) for name in ("web", "db")]
    rows = join_users([Volume.from_api({"Name": "data"}), Volume.from_api({"Name": "spare"})], users)
    assert [(row.name, row.users) for row in rows] == [("data", ("db", "web")), ("spare", ())]
    attached = [_container("web", networks={"app": {"NetworkID": "n1"}})]
    networks = join_attached([Network.from_api({"Id": "n1", "Name": "app"}), Network.from_api({"Id": "n2"})], attached)
    assert [[a.name for a in row.attached] for row in networks] == [["web"], []]
    on_podman = [_container("web", networks={"app": {"NetworkID": "app"}})]  # Podman: the name as NetworkID
    networks = join_attached([Network.from_api({"Id": "n1", "Name": "app"}), Network.from_api({"Id": "n2"})], on_podman)
    assert [[a.name for a in row.attached] for row in networks] == [["web"], []]


def test_volumes_follow_volume_events_and_container_create_and_destroy_only() -> None:
    kind = volumes_kind()
    assert kind.stream_filters() == {"type": ["container", "volume"], "event": ["create", "destroy", "remove"]}
    assert kind.concerns(_event("volume", "destroy")) and kind.concerns(_event("container", "destroy"))
    assert kind.concerns(_event("container", "remove")) and kind.concerns(_event("volume", "remove"))  # Podman
    assert not kind.concerns(_event("container", "start")) and not kind.concerns(_event("network", "create"))
    network = networks_kind()
    assert network.concerns(_event("network", "connect")) and network.concerns(_event("network", "disconnect"))
    assert not network.concerns(_event("volume", "create"))


def test_labels_are_key_value_words() -> None:
    assert parse_labels("a=1, b=two words=x c=") == {"a": "1", "b": "two", "words": "x", "c": ""}
    with pytest.raises(FormProblem, match="expected key=value"):
        parse_labels("team")
    with pytest.raises(FormProblem):
        parse_labels("=v")
