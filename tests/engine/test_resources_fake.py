"""Images, volumes, networks and df calls against the fake engine: what a real one will not send.

Nulls in every collection, ``-1`` sizes, hostile error text, request encoding, and the
disk-usage arithmetic on a canned ``/system/df`` with build cache (the test engine has none).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from dtui.engine.client import EngineClient
from dtui.engine.errors import Conflict, Forbidden, NotFound
from dtui.engine.resource_models import (
    DiskUsage,
    HistoryEntry,
    ImageDetail,
    Network,
    Volume,
)
from tests.fakes import FakeEngine


@pytest.fixture
def fake() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
async def client(fake: FakeEngine) -> AsyncIterator[EngineClient]:
    async with fake.client() as engine_client:
        await engine_client.connect()
        yield engine_client


def _query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


def _body(request: httpx.Request) -> Any:
    return json.loads(request.content)


async def test_image_list_sends_digests_shared_size_and_filters(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", "/images/json", json=[{"Id": "sha256:" + "a" * 64, "RepoTags": None, "RepoDigests": None,
                                              "Labels": None, "SharedSize": -1, "Containers": -1, "Size": 3}])
    [image] = await client.images.list(shared_size=True, filters={"dangling": ["true"]})
    assert _query(fake.requests[-1]) == {"digests": "1", "shared-size": "1", "filters": '{"dangling":["true"]}'}
    assert image.dangling and image.repo_digests == () and dict(image.labels) == {}
    assert image.shared_size is None and image.containers is None and image.unique_size is None
    assert image.short_id == "a" * 12


def test_image_detail_and_history_survive_nulls() -> None:
    detail = ImageDetail.from_api({"Id": "sha256:1", "Config": None, "RepoTags": None})
    assert detail.cmd == () and detail.env == () and detail.exposed_ports == () and detail.repo_tags == ()
    layer = HistoryEntry.from_api({"Id": "<missing>", "Created": 0, "CreatedBy": None, "Tags": None, "Size": 9})
    assert layer.created is None and layer.tags == () and layer.created_by == ""


async def test_image_calls_encode_paths_and_parameters(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("POST", "/images/.*/tag", status=201)
    fake.route("DELETE", "/images/.*", json=[{"Untagged": "r:t"}, {"Deleted": "sha256:1"}, {"Deleted": "sha256:2"}])
    fake.route("POST", "/images/prune", json={"ImagesDeleted": None, "SpaceReclaimed": 0})
    await client.images.tag("sha256:1", "reg:5000/team/app", "v1")
    assert fake.requests[-1].url.raw_path.split(b"?")[0].endswith(b"/images/sha256%3A1/tag")
    assert _query(fake.requests[-1]) == {"repo": "reg:5000/team/app", "tag": "v1"}
    removal = await client.images.remove("reg/app:v1", force=True, prune_parents=False)
    assert fake.requests[-1].url.raw_path.split(b"?")[0].endswith(b"/images/reg%2Fapp%3Av1")
    assert _query(fake.requests[-1]) == {"force": "1", "noprune": "1"}
    assert removal.untagged == ("r:t",) and removal.deleted == ("sha256:1", "sha256:2")
    report = await client.images.prune(dangling_only=False, filters={"label": ["a=b"]})
    assert json.loads(_query(fake.requests[-1])["filters"]) == {"label": ["a=b"], "dangling": ["false"]}
    assert report.deleted == () and report.reclaimed == 0


async def test_refusals_carry_the_engines_message(fake: FakeEngine, client: EngineClient) -> None:
    hostile = "conflict: container \x1b]0;owned\x07 is using it"
    fake.route("DELETE", "/images/.*", status=409, json={"message": hostile})
    fake.route("DELETE", "/networks/.*", status=403, json={"message": "error while removing network: has active endpoints"})
    fake.route("GET", "/volumes/.*", status=404, json={"message": "get v: no such volume"})
    with pytest.raises(Conflict) as refused:
        await client.images.remove("x")
    assert refused.value.message == hostile  # kept verbatim: the UI sanitises it
    with pytest.raises(Forbidden, match="active endpoints"):
        await client.networks.remove("n")
    with pytest.raises(NotFound, match="no such volume"):
        await client.volumes.inspect("v")


async def test_volume_list_tolerates_null_and_create_sends_labels(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("GET", "/volumes", json={"Volumes": None, "Warnings": None})
    fake.route("POST", "/volumes/create", status=201, json={"Name": "v", "Driver": "local", "Labels": None,
                                                            "Options": None, "UsageData": None})
    fake.route("POST", "/volumes/prune", json={"VolumesDeleted": None, "SpaceReclaimed": 12})
    assert await client.volumes.list() == []
    made = await client.volumes.create("v", labels={"a": "b"})
    assert _body(fake.requests[-1]) == {"Name": "v", "Driver": "local", "Labels": {"a": "b"}, "DriverOpts": {}}
    assert made.size is None and made.ref_count is None and dict(made.options) == {}
    report = await client.volumes.prune()
    assert report.deleted == () and report.reclaimed == 12


async def test_network_calls_send_the_engines_bodies(fake: FakeEngine, client: EngineClient) -> None:
    fake.route("POST", "/networks/create", status=201, json={"Id": "n1", "Warning": ""})
    fake.route("POST", "/networks/.*/(connect|disconnect)", status=200)
    fake.route("POST", "/networks/prune", json={"NetworksDeleted": ["a", "b"]})
    await client.networks.create("front", labels={"x": "y"}, subnets=[("10.9.0.0/24", "")])
    body = _body(fake.requests[-1])
    assert body["IPAM"] == {"Driver": "default", "Config": [{"Subnet": "10.9.0.0/24"}]}
    assert body["Labels"] == {"x": "y"} and body["Name"] == "front"
    await client.networks.connect("front", "c1", aliases=["web"])
    assert _body(fake.requests[-1]) == {"Container": "c1", "EndpointConfig": {"Aliases": ["web"]}}
    await client.networks.disconnect("front", "c1", force=True)
    assert _body(fake.requests[-1]) == {"Container": "c1", "Force": True}
    assert (await client.networks.prune()).deleted == ("a", "b")


def test_network_model_reads_endpoints_and_nulls() -> None:
    network = Network.from_api({
        "Id": "n" * 64, "Name": "bridge", "IPAM": {"Config": None}, "Labels": None,
        "Containers": {"c2": {"Name": "zeta", "IPv4Address": "10.0.0.3/16"}, "c1": {"Name": "alpha"}},
    })
    assert [e.name for e in network.containers] == ["alpha", "zeta"]
    assert network.subnets == () and network.builtin and network.short_id == "n" * 12
    assert Network.from_api({"Containers": None, "IPAM": None}).containers == ()


DF = {
    "LayersSize": 1000,
    "Images": [
        {"Id": "i1", "Size": 600, "SharedSize": 100, "Containers": 2},
        {"Id": "i2", "Size": 400, "SharedSize": 100, "Containers": 0},
        {"Id": "i3", "Size": 50, "SharedSize": -1, "Containers": 1},  # not measured: not counted as used
    ],
    "Containers": [
        {"Id": "c1", "State": "running", "SizeRw": 10},
        {"Id": "c2", "State": "exited", "SizeRw": 30},
        {"Id": "c3", "State": "paused"},
    ],
    "Volumes": [
        {"Name": "v1", "UsageData": {"Size": 70, "RefCount": 1}},
        {"Name": "v2", "UsageData": {"Size": 20, "RefCount": 0}},
        {"Name": "v3", "UsageData": {"Size": -1, "RefCount": -1}},
    ],
    "BuildCache": [
        {"ID": "b1", "Size": 5, "InUse": True, "Shared": False},
        {"ID": "b2", "Size": 7, "InUse": False, "Shared": False},
        {"ID": "b3", "Size": 100, "InUse": False, "Shared": True},
    ],
}


def test_disk_usage_summary_follows_the_docker_cli() -> None:
    lines = {line.kind: line for line in DiskUsage.from_api(DF).summary()}
    images = lines["Images"]
    assert (images.total, images.active, images.size, images.reclaimable) == (3, 2, 1000, 500)
    assert images.reclaimable_percent == 50
    containers = lines["Containers"]
    assert (containers.total, containers.active, containers.size, containers.reclaimable) == (3, 2, 40, 30)
    volumes = lines["Local Volumes"]
    assert (volumes.total, volumes.active, volumes.size, volumes.reclaimable) == (3, 1, 90, 20)
    cache = lines["Build Cache"]
    assert (cache.total, cache.active, cache.size, cache.reclaimable) == (3, 1, 12, 7)


def test_disk_usage_of_an_empty_answer() -> None:
    usage = DiskUsage.from_api({"Images": None, "Containers": None, "Volumes": None, "BuildCache": None})
    assert [(line.total, line.size, line.reclaimable_percent) for line in usage.summary()] == [(0, 0, 0)] * 4
    assert dict(DiskUsage.from_api(DF).volume_sizes()) == {"v1": 70, "v2": 20}
    assert Volume.from_api({}).id == ""
