"""Shells in containers, from the container screen: ``E`` (a shell in a pane), ``A`` (attach
in a pane), ``ctrl+e`` (a shell on the full terminal). Mixed into ``MainScreen``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dtui.engine.models import ContainerSummary
from dtui.ui.browser import refuse_in_browser
from dtui.ui.safe_text import safe_plain
from dtui.ui.type_ahead import OrdersKeys
from dtui.ui.views.screen import ResourceScreen

if TYPE_CHECKING:  # the terminal modules (pyte, the exec layer) load with the first shell
    from textual.widget import AwaitMount

    from dtui.ui.terminal.pane import ShellPane
    from dtui.ui.terminal.prompt import ShellChoice
    from dtui.ui.terminal.sources import TerminalSource


def short_host(host: str) -> str:
    """A host as a tab label shows it: ``local`` for a unix socket, else without the scheme."""
    if host.startswith(("unix://", "npipe://")):
        return "local"
    return host.split("://", 1)[-1]


class ShellsMixin(ResourceScreen[ContainerSummary]):
    """The shell actions of the container screen and the pane they open."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a live terminal has the focus its keys are the shell's: the screen's actions step back."""
        if getattr(self.focused, "takes_every_key", False) and self.ACTIONS.get(action) is not None:
            return False
        return super().check_action(action, parameters)

    _shell_pane: ShellPane | None = None
    _shells_mounting: AwaitMount | None = None

    @property
    def shells(self) -> ShellPane:
        """The shells pane (mounted, hidden, on first use: a dtui with no shell never builds it)."""
        if self._shell_pane is None:
            from dtui.ui.terminal.pane import ShellPane

            self._shell_pane = ShellPane(id="shells")
            self._shells_mounting = self.mount(self._shell_pane, before="#quick-filter")
        return self._shell_pane

    async def _ready_shells(self) -> ShellPane:
        """The shells pane, its tabs composed."""
        pane = self.shells
        mounting, self._shells_mounting = self._shells_mounting, None
        if mounting is not None:
            await mounting
        return pane

    def _running_target(self, what: str) -> tuple[str, ContainerSummary] | None:
        """The container under the cursor, if it runs (else say why not)."""
        if self.view_host.read_only:
            self.notify(f"{what}: dtui runs read-only.", severity="warning", markup=False)
            return None
        target = self.cursor_target()
        if target is None:
            return None
        if not target[1].is_running:
            name = safe_plain(target[1].name, max_length=60)
            self.notify(f"{what}: {name} is not running.", severity="warning", markup=False)
            return None
        return target

    def _ask(self, target: tuple[str, ContainerSummary], where: str, then: Callable[[ShellChoice], None]) -> None:
        from dtui.ui.terminal.prompt import ShellPrompt

        prompt = ShellPrompt(target[1].name, where)

        def chosen(choice: ShellChoice | None) -> None:
            try:
                if choice is not None:
                    then(choice)  # a pane holds the keys typed meanwhile until its terminal has the focus
            finally:
                prompt.release_keys()

        self.app.push_screen(prompt, chosen)

    def action_exec_shell(self) -> None:
        """Ask for a shell or command, then run it in a new tab of the shells pane."""
        target = self._running_target("Shell")
        if target is None:
            return
        host, container = target
        from dtui.ui.terminal.sources import ExecSource

        def run(choice: ShellChoice) -> None:
            source = ExecSource(self.view_host.client_for(host), container.id, choice.command)
            self.open_terminal(source, f"{short_host(host)}/{container.name}")

        self._ask(target, "in a pane", run)

    def action_attach(self) -> None:
        """Attach to the container's main process in a new tab (detach keys leave it running)."""
        target = self._running_target("Attach")
        if target is None:
            return
        host, container = target
        from dtui.engine.exec import configured_detach_keys
        from dtui.ui.terminal.sources import AttachSource

        source = AttachSource(self.view_host.client_for(host), container.id, configured_detach_keys())
        self.open_terminal(source, f"{short_host(host)}/{container.name} (attach)")

    def action_exec_command(self) -> None:
        """Ask for a shell or command, then hand it the whole terminal until it exits or detaches."""
        if refuse_in_browser(self.app, "The full-terminal shell (ctrl+e)"):
            return
        target = self._running_target("Full-terminal shell")
        if target is None:
            return
        host, container = target
        from dtui.engine.exec import configured_detach_keys
        from dtui.ui.terminal.sources import ExecSource

        keys = configured_detach_keys()

        def run(choice: ShellChoice) -> None:
            source = ExecSource(self.view_host.client_for(host), container.id, choice.command, detach_keys=keys)
            name = safe_plain(container.name, max_length=60)
            banner = f"[dtui] {name}: {' '.join(keys.split(','))} detaches and returns to dtui."
            self.run_worker(self._full_terminal(source, banner, name), group="full-terminal", exit_on_error=False)

        self._ask(target, "full terminal", run)

    async def _full_terminal(self, source: TerminalSource, banner: str, name: str) -> None:
        from dtui.ui.terminal.full import run_full_terminal

        outcome = await run_full_terminal(self.app, source, banner)
        self.notify(safe_plain(f"{name}: {outcome.text}", max_length=300), markup=False,
                    severity="error" if outcome.failed else "information")

    # -- the pane ----------------------------------------------------------------------

    def open_terminal(self, source: TerminalSource, label: str) -> None:
        """Show the pane and run ``source`` in a new tab."""
        self.add_class("-shells-open")
        release = self.app.hold_keys() if isinstance(self.app, OrdersKeys) else lambda: None

        async def open_then_release() -> None:
            # The keys typed right behind E (or the prompt's Enter) are for the shell, not the table.
            try:
                await (await self._ready_shells()).open_terminal(source, label)
            finally:
                release()

        self.run_worker(open_then_release(), group="shells", exit_on_error=False)

    @property
    def shells_open(self) -> bool:
        """True while the pane shows at least one tab."""
        return self.has_class("-shells-open")

    def toggle_shells_full(self) -> None:
        """The pane full screen (hiding the table), or back under the table."""
        self.toggle_class("-shells-full")
        if self.has_class("-shells-full"):
            self.shells.focus_terminal()

    def escape_target(self) -> str | None:
        """Esc leaves the full-screen pane (after the quick filter)."""
        target = super().escape_target()
        if target != "quick_filter" and self.has_class("-shells-full"):
            return "shells_full"
        return target

    def action_escape(self) -> None:
        """Back under the table from the full-screen pane, else what Esc does on the screen."""
        if self.escape_target() == "shells_full":
            self.remove_class("-shells-full")
            self.table.focus()
            return
        super().action_escape()

    def on_shell_pane_focus_left(self, message: ShellPane.FocusLeft) -> None:
        if self.has_class("-shells-full"):
            self.shells.tabs.query_one("Tabs").focus()
        else:
            self.table.focus()

    def on_shell_pane_emptied(self, message: ShellPane.Emptied) -> None:
        self.remove_class("-shells-open", "-shells-full")
        self.table.focus()
