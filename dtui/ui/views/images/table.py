"""The images table: one row per tag, declared as columns and sort keys."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from dtui.live.image_kinds import ImageRow
from dtui.ui.views.containers.table import human_size, relative_time
from dtui.ui.views.table import Column, ResourceTable, Sort


def _created(row: ImageRow, now: datetime) -> Text:
    return Text(relative_time(row.image.created, now))


def _used(row: ImageRow) -> str:
    return str(len(row.containers)) if row.containers else "-"


class ImageTable(ResourceTable[ImageRow]):
    """Images of every host shown, one row per ``repo:tag`` (``<none>`` when dangling)."""

    COLUMNS = (
        Column("name", "Repository:tag", 48, text=lambda r: r.name,
               style=lambda r: "dim italic" if not r.reference else ""),
        Column("id", "ID", text=lambda r: r.image.short_id, style="dim", priority=90),
        Column("size", "Size", text=lambda r: human_size(r.image.size)),
        Column("created", "Created", render=_created, relative=True),
        Column("used", "Used by", 14, text=_used),
    )
    SORTS = {
        "name": Sort("name", lambda r: (not r.reference, r.name.lower(), r.image.id)),
        "created": Sort("created", lambda r: (-(r.image.created.timestamp() if r.image.created else 0), r.name),
                        descending_first=True),
        "size": Sort("size", lambda r: (-r.image.size, r.name), descending_first=True),
        "used": Sort("used", lambda r: (-len(r.containers), r.name), descending_first=True),
    }
    STATUS_COLUMN = "used"
    HOST_AT = 1
    SEARCHED = (lambda r: r.image.id.removeprefix("sha256:"), lambda r: " ".join(r.containers))
