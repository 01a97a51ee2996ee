"""The images kind: one row per tag, with the containers using each image.

dockerd 20.10 ignores ``shared-size`` and answers ``Containers: -1`` on ``/images/json``, so
"containers using it" is joined from the container list (``ImageID``). The feed follows
``image`` events and the container events that change that count (create, destroy); images
events do not carry every tag a row shows, so any of them re-lists everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dtui.engine.models import ContainerSummary, Event, ImageSummary
from dtui.live.kind import Kind
from dtui.live.users import container_label, group_users, with_containers

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

IMAGES = "images"
NONE_REFERENCE = "<none>"
"""What a dangling image shows as its repository:tag."""

CONTAINER_COUNT_ACTIONS = frozenset({"create", "destroy", "remove"})
"""Container events that change how many containers use an image (``remove``: Podman's ``destroy``)."""


@dataclass(frozen=True, slots=True)
class ImageRow:
    """One row of the images view: an image under one of its tags (or none, dangling).

    Attributes:
        image: The listed image.
        reference: ``repo:tag`` of this row; "" for an image without tags.
        containers: Names of the containers (any state) created from the image.
    """

    image: ImageSummary
    reference: str
    containers: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The row's id: the image id plus the tag (an image shows once per tag)."""
        return f"{self.image.id} {self.reference}" if self.reference else self.image.id

    @property
    def name(self) -> str:
        """``repo:tag``, or ``<none>`` for a dangling image."""
        return self.reference or NONE_REFERENCE

    @property
    def target(self) -> str:
        """What to remove or run: the tag (removing it untags only that one), else the image id."""
        return self.reference or self.image.id


def image_rows(images: Iterable[ImageSummary], containers: Iterable[ContainerSummary]) -> list[ImageRow]:
    """One row per tag of each image, each with the names of the containers using the image."""
    users = group_users(containers, lambda container: (container.image_id,), container_label)
    rows: list[ImageRow] = []
    for image in images:
        names = tuple(sorted(users.get(image.id, ())))
        rows.extend(ImageRow(image, tag, names) for tag in image.repo_tags or ("",))
    return rows


async def list_image_rows(client: EngineClient) -> Sequence[ImageRow]:
    """List the images and every container (for the usage count) side by side."""
    return image_rows(*await with_containers(client, client.images.list()))


def _actor(event: Event) -> str:
    if event.type == "container" and event.base_action not in CONTAINER_COUNT_ACTIONS:
        return ""
    return event.actor_id or event.attributes.get("name", "") or event.action


def images_kind() -> Kind[ImageRow]:
    """Images, one row per tag, live from ``image`` (and container create/destroy) events."""
    return Kind(
        name=IMAGES,
        event_types=frozenset({"image", "container"}),
        list_all=list_image_rows,
        id_of=lambda row: row.id,
        refresh=None,
        gone_actions=frozenset(),
        actor_of=_actor,
    )
