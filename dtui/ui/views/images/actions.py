"""The images view's actions and detail tabs, declared once.

Binding ids are ``images.<id>``. Remove, tag, prune and create open a dialog first, so they
are ``action_<id>`` methods of :class:`~.screen.ImagesScreen`.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from dtui.engine.resource_models import ImageDetail
from dtui.live.image_kinds import ImageRow
from dtui.ui.views.actions import Action, ActionTable
from dtui.ui.views.containers.table import human_size, relative_time
from dtui.ui.views.detail import detail_actions
from dtui.ui.views.detail_tabs import Content, DetailTab, Document, Rows
from dtui.ui.views.screen import standard_actions

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

IMAGES = "Images"
VIEW = "View"

IMAGE_ACTIONS = ActionTable("images", standard_actions("images"), groups=(VIEW, IMAGES)).plus(
    Action("remove", "D", "Remove", "Remove the selected or marked images (f: force)", IMAGES, mutating=True,
           show=True),
    Action("tag", "t", "Tag", "Tag the selected image with another repository:tag", IMAGES, mutating=True),
    Action("prune", "p", "Prune", "Prune dangling or every unused image (shows what it reclaimed)", IMAGES,
           mutating=True),
    Action("create", "c", "Run", "Create a container from the selected image (create form pre-filled)", IMAGES,
           mutating=True, show=True),
    *detail_actions("images"),
    before="help",
)


def _summary(detail: ImageDetail, row: ImageRow) -> list[tuple[str, str]]:
    created = detail.created.strftime("%Y-%m-%d %H:%M:%S %Z") if detail.created else ""
    return [
        ("Tags", ", ".join(detail.repo_tags) or "<none>"),
        ("ID", detail.id),
        ("Created", created),
        ("Size", human_size(detail.size)),
        ("Platform", "/".join(part for part in (detail.os, detail.architecture) if part)),
        ("Command", shlex.join([*detail.entrypoint, *detail.cmd])),
        ("Used by", ", ".join(row.containers)),
        ("Labels", ", ".join(f"{key}={value}" for key, value in sorted(detail.labels.items()))),
    ]


async def load_inspect(client: EngineClient, row: ImageRow) -> Content:
    """The image's inspect document under a summary (tags, platform, command, who uses it)."""
    detail = await client.images.inspect(row.image.id)
    return Document(detail.raw, _summary(detail, row))


async def load_history(client: EngineClient, row: ImageRow) -> Content:
    """The layers, newest first, as ``docker history`` prints them."""
    entries = await client.images.history(row.image.id)
    return Rows(
        ("Layer", "Created", "Created by", "Size", "Comment"),
        tuple(
            (entry.id.removeprefix("sha256:")[:12], relative_time(entry.created), entry.created_by,
             human_size(entry.size), entry.comment)
            for entry in entries
        ),
    )


IMAGE_TABS = (
    DetailTab("inspect", "Inspect", load_inspect),
    DetailTab("history", "History", load_history),
)
