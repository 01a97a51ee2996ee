"""The images screen (``I``): every image of every host shown, one row per tag, live.

Remove asks once (with a force toggle) and removes each row's tag (the image itself when it
was the last tag, or by id when dangling); the engine's refusal (a container uses it) is
shown with its own text. Prune asks dangling-or-unused and says what it reclaimed. ``c``
opens the create form pre-filled with the image.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import Footer, Input

from dtui.engine.errors import EngineError
from dtui.engine.params import Filters
from dtui.engine.spec import ContainerSpec
from dtui.live.image_kinds import ImageRow, images_kind
from dtui.live.kind import Kind
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.views.actions import ActionTable
from dtui.ui.views.containers.table import human_size
from dtui.ui.views.detail import DetailScreen
from dtui.ui.views.detail_tabs import DetailTab
from dtui.ui.views.images.actions import IMAGE_ACTIONS, IMAGE_TABS
from dtui.ui.views.images.dialogs import ImageRemoveScreen, PruneScreen, TagPrompt, split_reference
from dtui.ui.views.images.table import ImageTable
from dtui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


def host_labels(app: object, hosts: list[str]) -> dict[str, str]:
    """Short names of the hosts shown (the app's connection labels when it has them)."""
    connections = getattr(app, "connections", None) or {}
    return {host: str(getattr(connections.get(host), "label", host) or host) for host in hosts}


def prune_summary(deleted: int, untagged: int, reclaimed: int) -> str:
    """``Pruned 3 images (2 tags untagged), reclaimed 12.5MB``."""
    untagged_text = f" ({untagged} tags untagged)" if untagged else ""
    return f"Pruned {deleted} images{untagged_text}, reclaimed {human_size(reclaimed)}"


class ImagesScreen(ReportsWorkerErrors, DetailScreen[ImageRow]):
    """Images, with the detail pane (Inspect, History) under the table."""

    ACTIONS: ClassVar[ActionTable] = IMAGE_ACTIONS
    NOUN: ClassVar[str] = "images"
    HELP_TITLE: ClassVar[str] = "Images: keys"
    CLOSES_ON_ESCAPE: ClassVar[bool] = True
    TITLE_TEXT: ClassVar[str] = "Images"
    DETAIL_TABS: ClassVar[tuple[DetailTab, ...]] = IMAGE_TABS

    def __init__(self) -> None:
        super().__init__()
        self.prune_filters: Filters | None = None
        """More ``/images/prune`` filters (``label``): tests on a shared engine prune only their own."""

    def compose(self) -> ComposeResult:
        yield self.status_line()
        yield ImageTable(id="images")
        yield self.detail_pane()
        yield Input(placeholder="quick filter: tag, id or container (Esc clears)", id="quick-filter")
        yield Footer()

    def on_mount(self) -> None:
        self.table.set_hosts(host_labels(self.app, self.view_host.hosts))
        # ResourceScreen.on_mount runs next and starts following the images.

    def kind(self) -> Kind[ImageRow]:
        """Images, one row per tag."""
        return images_kind()

    def copy_id(self, item: ImageRow) -> str:
        """``y`` in the pane copies the image id (the row id also holds the tag)."""
        return item.image.id

    def detail_title(self, item: ImageRow) -> Text:
        """``▶ repo:tag  id  size``."""
        title = super().detail_title(item)
        title.append(f"  {item.image.short_id}  {human_size(item.image.size)}", style="dim")
        return title

    # -- remove ------------------------------------------------------------------------

    def action_remove(self) -> None:
        """Remove the selected or marked rows' tags (one question, force toggle)."""
        targets = self.targets()
        if not targets:
            return

        def chosen(force: bool | None) -> None:
            if force is None:
                return
            rows = {row.id: row for _, row in targets}

            async def remove(client: EngineClient, row_id: str) -> None:
                await client.images.remove(rows[row_id].target, force=force)

            self.run_on(targets, "remove", "removing", remove)

        self.app.push_screen(ImageRemoveScreen(self.question("remove", targets)), chosen)

    # -- tag ---------------------------------------------------------------------------

    def action_tag(self) -> None:
        """Tag the image under the cursor with another reference."""
        target = self.cursor_target()
        if target is None:
            return
        host, row = target

        def chosen(reference: str | None) -> None:
            if reference:
                repository, tag = split_reference(reference)
                self._tag(host, row, repository, tag)

        self.app.push_screen(TagPrompt(row.name), chosen)

    @work(group="actions", exit_on_error=False)
    async def _tag(self, host: str, row: ImageRow, repository: str, tag: str) -> None:
        if self.view_host.read_only:
            return
        try:
            await self.view_host.client_for(host).images.tag(row.image.id, repository, tag)
        except EngineError as error:
            self.view_host.show_error(error, f"tagging {row.name}")
            return
        self.notify(safe_plain(f"{row.image.short_id} tagged {repository}:{tag}", max_length=200), markup=False)
        self.touch(host, row.id)

    # -- prune -------------------------------------------------------------------------

    def _prune_host(self) -> str:
        target = self.cursor_target()
        return target[0] if target is not None else self.view_host.hosts[0]

    def action_prune(self) -> None:
        """Prune the images of the cursor row's host: dangling only or every unused one."""
        host = self._prune_host()
        where = Text("")
        if len(self.view_host.hosts) > 1:
            where.append(" on ")
            where.append_text(safe_line(host_labels(self.app, [host])[host], max_length=40, style="bold"))

        def chosen(unused: bool | None) -> None:
            if unused is not None:
                self._prune(host, unused)

        self.app.push_screen(PruneScreen(where), chosen)

    @work(group="actions", exit_on_error=False)
    async def _prune(self, host: str, unused: bool) -> None:
        if self.view_host.read_only:
            return
        try:
            report = await self.view_host.client_for(host).images.prune(
                dangling_only=not unused, filters=self.prune_filters
            )
        except EngineError as error:
            self.view_host.show_error(error, "pruning images")
            return
        text = prune_summary(len(report.deleted), len(report.untagged), report.reclaimed)
        self.notify(text, title="Images", markup=False, timeout=8)
        self.touch(host, "*")  # any id: the images kind re-lists everything

    # -- create ------------------------------------------------------------------------

    def action_create(self) -> None:
        """Open the create form pre-filled with the image under the cursor."""
        from dtui.ui.forms.create import CreateScreen

        target = self.cursor_target()
        if target is None:
            return
        host, row = target

        def created(container_id: str | None) -> None:
            if container_id:
                self.touch(host, row.id)

        self.app.push_screen(CreateScreen(ContainerSpec(image=row.target), host=host), created)
