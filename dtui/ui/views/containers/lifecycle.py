"""The container actions that ask first (kill, pause, rename, remove) or open another screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from dtui.ui.screens.modals import (
    RemoveOptions,
    RemoveScreen,
    RenamePrompt,
    SignalPicker,
)
from dtui.ui.views.containers.overview import OverviewMixin
from dtui.ui.views.table import split_row_key

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


class LifecycleMixin(OverviewMixin):
    """``action_<id>`` of the container actions declared without a bulk call."""

    def action_pause(self) -> None:
        """Pause running containers, unpause paused ones."""
        targets = self.targets()
        if not targets:
            return

        async def pause(client: EngineClient, container_id: str) -> None:
            await client.containers.pause(container_id)

        async def unpause(client: EngineClient, container_id: str) -> None:
            await client.containers.unpause(container_id)

        def run() -> None:
            for key, container in targets:
                if container.state == "paused":
                    self.run_on([(key, container)], "unpause", "unpausing", unpause)
                else:
                    self.run_on([(key, container)], "pause", "pausing", pause)

        if len(targets) > 1 or self.dtui.config.confirms("pause"):
            self.confirmed("pause/unpause", targets, run)
        else:
            run()

    def action_kill(self) -> None:
        """Pick a signal, then send it to the selected or marked containers.

        With ``[confirm] kill = false`` no picker: one container gets SIGKILL (what ``docker kill``
        sends) at once, several after the usual one question.
        """
        targets = self.targets()
        if not targets:
            return

        def picked(signal: str | None) -> None:
            if not signal:
                return

            async def kill(client: EngineClient, container_id: str) -> None:
                await client.containers.kill(container_id, signal)

            self.run_on(targets, f"kill ({signal})", "killing", kill)

        if self.dtui.config.confirms("kill"):
            self.app.push_screen(SignalPicker(self.question("send a signal to", targets)), picked)
        elif len(targets) > 1:
            self.confirmed("kill (SIGKILL)", targets, lambda: picked("SIGKILL"))
        else:
            picked("SIGKILL")

    def action_rename(self) -> None:
        """Rename the container under the cursor."""
        key = self.table.cursor_key
        container = self.table.get(key) if key else None
        if key is None or container is None:
            return

        def chosen(new_name: str | None) -> None:
            if not new_name or new_name == container.name:
                return

            async def rename(client: EngineClient, container_id: str) -> None:
                await client.containers.rename(container_id, new_name)

            self.run_on([(key, container)], f"rename to {new_name}", "renaming", rename)

        self.app.push_screen(RenamePrompt(container.name), chosen)

    def action_remove(self) -> None:
        """Remove the selected or marked containers (confirmed, with options)."""
        targets = self.targets()
        if not targets:
            return
        any_running = any(c.is_running for _, c in targets)

        def chosen(options: RemoveOptions | None) -> None:
            if options is None:
                return

            async def remove(client: EngineClient, container_id: str) -> None:
                await client.containers.remove(container_id, force=options.force, volumes=options.volumes)

            self.run_on(targets, "remove", "removing", remove)

        if not self.dtui.config.confirms("remove"):
            chosen(RemoveOptions(force=any_running, volumes=False))
            return
        self.app.push_screen(RemoveScreen(self.question("remove", targets), force=any_running), chosen)

    # -- screens -----------------------------------------------------------------------

    def action_logs(self) -> None:
        """Open the log screen of the selected container."""
        from dtui.ui.logs.screen import LogScreen

        target = self.cursor_target()
        if target is not None:
            host, container = target
            defaults = self.dtui.config.defaults
            tail: int | Literal["all"] = defaults.log_tail or "all"
            self.app.push_screen(LogScreen(container, max_lines=defaults.log_buffer, tail=tail, host=host))

    def action_merged_logs(self) -> None:
        """Open one merged log stream of the marked containers, or of every running one."""
        from dtui.ui.logs.merged import MergedLogScreen

        table = self.table
        keys = table.selected_keys() if table.marks else [
            key for key in table.visible_keys()
            if (container := table.get(key)) is not None and container.is_running
        ]
        sources = [
            (split_row_key(key)[0], container)
            for key in keys if (container := table.get(key)) is not None
        ]
        if not sources:
            self.notify("No running or marked containers to merge", severity="warning", timeout=4)
            return
        defaults = self.dtui.config.defaults
        self.app.push_screen(MergedLogScreen(sources, max_lines=defaults.log_buffer))

    def _created_on(self, host: str) -> Callable[[str | None], None]:
        def created(container_id: str | None) -> None:
            if container_id:
                self.touch(host, container_id)

        return created

    def action_create(self) -> None:
        """Open the create form (the container is made on the current host)."""
        from dtui.ui.forms.create import CreateScreen

        self.app.push_screen(CreateScreen(host=self.host), self._created_on(self.host))

    def action_duplicate(self) -> None:
        """Open the create form pre-filled from the selected container."""
        from dtui.ui.forms.create import CreateScreen

        target = self.cursor_target()
        if target is not None:
            host, container = target
            self.app.push_screen(CreateScreen.duplicate(container, host=host), self._created_on(host))

    def action_scale(self) -> None:
        """Scale the selected container into numbered copies."""
        from dtui.ui.forms.scale import ScaleScreen

        target = self.cursor_target()
        if target is not None:
            host, container = target
            self.app.push_screen(ScaleScreen(container, host=host))

    def action_export(self) -> None:
        """Export the selected container's filesystem to a tar file."""
        from dtui.ui.forms.export import ExportScreen

        target = self.cursor_target()
        if target is not None:
            host, container = target
            self.app.push_screen(ExportScreen(container, host=host))
