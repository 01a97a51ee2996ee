"""Images, volumes, networks and disk usage against the real engine.

Everything made here carries the session label (``dtui.test=<session>``) or is tagged into
the session repository, so the session's clean-up removes only what this run made.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.errors import Conflict, EngineError, NotFound
from dtui.engine.resource_models import UsageLine
from tests.support import engine as support

SESSION_LABEL = f"{support.TEST_LABEL}={support.SESSION_ID}"
OURS = {"label": [SESSION_LABEL]}


def _reference(name: str) -> str:
    return f"{support.session_repository()}:{name}"


def _tags(references: tuple[str, ...]) -> tuple[str, ...]:
    """References as Docker writes them (Podman prefixes ``docker.io/`` or ``localhost/``)."""
    return tuple(support.short_image(reference) for reference in references)


def _id(image_id: str) -> str:
    """An image id with its ``sha256:`` (Podman gives the bare hex in /commit, history, prune, df)."""
    return image_id if image_id.startswith("sha256:") else f"sha256:{image_id}"


async def test_tag_made_in_the_test_is_listed_one_row_per_tag(engine: EngineClient) -> None:
    await engine.images.tag(support.TEST_IMAGE, support.session_repository(), "listed")
    images = await engine.images.list()
    tagged = [image for image in images if _reference("listed") in _tags(image.repo_tags)]
    assert len(tagged) == 1
    assert support.TEST_IMAGE in _tags(tagged[0].repo_tags)  # one image, two tags
    removal = await engine.images.remove(_reference("listed"))
    assert _tags(removal.untagged) == (_reference("listed"),) and removal.deleted == ()
    assert all(_reference("listed") not in _tags(image.repo_tags) for image in await engine.images.list())


async def test_inspect_and_history_of_the_test_image(engine: EngineClient) -> None:
    detail = await engine.images.inspect(support.TEST_IMAGE)
    assert support.TEST_IMAGE in _tags(detail.repo_tags)
    assert detail.cmd == ("sh",)
    assert detail.env == ()  # imported with no ENV: the engine sends null
    history = await engine.images.history(support.TEST_IMAGE)
    assert history and _id(history[0].id) == _id(detail.id)
    layers = sum(layer.size for layer in history)
    if support.on_podman():  # Podman's layer sizes leave out the image config (1107 bytes here)
        assert 0 < detail.size - layers < 10_000
    else:
        assert layers == detail.size
    with pytest.raises(NotFound, match="(?i)no such image|image not known"):
        await engine.images.inspect(_reference("never-made"))


async def test_image_a_container_uses_refuses_removal_with_the_engines_message(
    engine: EngineClient, engine_host: str, make_container: Callable[..., str]
) -> None:
    source = make_container(["true"], start=False)
    image_id = _id(support.commit_image(engine_host, source, _reference("used")))
    user = make_container(["true"], start=False, Image=_reference("used"))
    with pytest.raises(Conflict) as refused:
        await engine.images.remove(_reference("used"))
    said = "image is in use by a container" if support.on_podman() else "is using its referenced image"
    assert user[:12] in refused.value.message and said in refused.value.message
    counted = {_id(image.id): image.containers for image in (await engine.system.df()).images}
    assert counted[image_id] == 1  # /images/json counts only with shared-size (API 1.42+)
    remove_container(engine_host, user)
    removal = await engine.images.remove(_reference("used"))
    assert image_id in map(_id, removal.deleted)


def remove_container(host: str, container_id: str) -> None:
    """Remove one container through the fixture client (the test's own set-up object)."""
    with support.sync_client(host) as client:
        client.delete(f"/containers/{container_id}", params={"force": "1"}).raise_for_status()


async def test_dangling_prune_frees_the_dangling_image(
    engine: EngineClient, engine_host: str, make_container: Callable[..., str]
) -> None:
    writer = make_container(["sh", "-c", "head -c 200000 /dev/urandom > /blob"])
    with support.sync_client(engine_host) as client:
        client.post(f"/containers/{writer}/wait").raise_for_status()
    image_id = _id(support.commit_image(engine_host, writer))  # no reference: dangling
    dangling = await engine.images.list(filters={"dangling": ["true"], **OURS})
    assert [image.id for image in dangling] == [image_id] and dangling[0].dangling
    report = await engine.images.prune(dangling_only=True, filters=OURS)
    assert image_id in map(_id, report.deleted)
    assert report.reclaimed >= 200_000
    with pytest.raises(NotFound):
        await engine.images.inspect(image_id)


async def test_volume_create_list_in_use_remove(engine: EngineClient, make_container: Callable[..., str]) -> None:
    name = f"dtui-test-vol-{support.SESSION_ID}"
    made = await engine.volumes.create(name, labels={support.TEST_LABEL: support.SESSION_ID, "k": "v"})
    assert made.name == name and made.driver == "local" and made.labels["k"] == "v"
    assert name in [volume.name for volume in await engine.volumes.list(filters=OURS)]
    user = make_container(["true"], start=False, HostConfig={"Binds": [f"{name}:/data"]})
    with pytest.raises(Conflict, match="in use|is being used") as refused:  # Docker's, Podman's
        await engine.volumes.remove(name)
    assert user in refused.value.message
    usage = await engine.system.df()
    assert [v.ref_count for v in usage.volumes if v.name == name] == [1]
    remove_container(engine.endpoint.host, user)
    await engine.volumes.remove(name)
    with pytest.raises(NotFound):
        await engine.volumes.inspect(name)


async def test_volume_prune_removes_only_unused_labelled_volumes(engine: EngineClient) -> None:
    name = f"dtui-test-prune-{support.SESSION_ID}"
    await engine.volumes.create(name, labels={support.TEST_LABEL: support.SESSION_ID})
    report = await engine.volumes.prune(filters=OURS)
    assert name in report.deleted
    assert name not in [volume.name for volume in await engine.volumes.list()]


async def test_network_create_connect_disconnect_remove(
    engine: EngineClient, make_container: Callable[..., str]
) -> None:
    name = f"dtui-test-net-{support.SESSION_ID}"
    labels = {support.TEST_LABEL: support.SESSION_ID}
    subnet, gateway = support.free_subnet("10.231")
    created = await engine.networks.create(name, labels=labels, subnets=[(subnet, gateway)])
    container = make_container(["sleep", "60"])
    await engine.networks.connect(created.id, container)
    network = await engine.networks.inspect(name)
    assert [endpoint.container_id for endpoint in network.containers] == [container]
    assert network.subnets[0].subnet == subnet and network.subnets[0].gateway == gateway
    with pytest.raises(EngineError, match="active endpoints|network is being used"):  # Docker's, Podman's
        await engine.networks.remove(name)
    await engine.networks.disconnect(name, container)
    assert (await engine.networks.inspect(name)).containers == ()
    await engine.networks.remove(created.id)
    assert name not in [n.name for n in await engine.networks.list(filters=OURS)]


async def test_network_prune_removes_unused_labelled_networks(engine: EngineClient) -> None:
    name = f"dtui-test-netprune-{support.SESSION_ID}"
    await engine.networks.create(name, labels={support.TEST_LABEL: support.SESSION_ID})
    report = await engine.networks.prune(filters=OURS)
    assert report.deleted == (name,)


def _cli_df(host: str) -> list[dict[str, str]]:
    result = subprocess.run(
        ["docker", "-H", host, "system", "df", "--format", "{{json .}}"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def go_human_size(size: float) -> str:
    """The docker CLI's ``units.HumanSize``: 4 significant digits, powers of 1000."""
    units = ["B", "kB", "MB", "GB", "TB", "PB"]
    index = 0
    while size >= 1000 and index < len(units) - 1:
        size /= 1000
        index += 1
    return f"{size:.4g}{units[index]}"


def _cli_line(line: UsageLine) -> dict[str, str]:
    reclaimable = go_human_size(line.reclaimable)
    if line.size > 0:
        reclaimable = f"{reclaimable} ({line.reclaimable_percent}%)"
    return {
        "Type": line.kind,
        "TotalCount": str(line.total),
        "Active": str(line.active),
        "Size": go_human_size(line.size),
        "Reclaimable": reclaimable,
    }


@pytest.mark.not_on_podman(
    "podman 4.3's /system/df reports LayersSize 0, so the docker CLI prints a negative Reclaimable to compare with"
)
async def test_disk_usage_matches_docker_system_df(
    engine: EngineClient, engine_host: str, make_container: Callable[..., str]
) -> None:
    make_container(["sleep", "60"])
    name = f"dtui-test-dfvol-{support.SESSION_ID}"
    await engine.volumes.create(name, labels={support.TEST_LABEL: support.SESSION_ID})
    for _attempt in range(5):  # the shared engine may change between the two readings
        before = [_cli_line(line) for line in (await engine.system.df()).summary()]
        cli = _cli_df(engine_host)
        after = [_cli_line(line) for line in (await engine.system.df()).summary()]
        if before == after:
            break
    assert before == after == cli
    assert any(line["Type"] == "Containers" and int(line["Active"]) >= 1 for line in cli)
