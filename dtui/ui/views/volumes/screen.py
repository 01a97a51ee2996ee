"""The volumes view: every volume of the hosts shown, live, with who uses it and its size.

Sizes come from ``/system/df`` (it walks every volume, so it is slow on a big host): it is
read when the view opens, on ``ctrl+r`` and after a prune, one worker per host, never on
events. Everything else is live from the ``volume`` events (see
:mod:`dtui.live.volume_kinds`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Footer, Input

from dtui.engine.client import parse_version
from dtui.engine.errors import EngineError, EngineUnreachable
from dtui.live.kind import Kind
from dtui.live.volume_kinds import VolumeRow, volumes_kind
from dtui.ui.forms.resource_create import VolumeForm, VolumeRequest
from dtui.ui.screens.choice import ChoiceScreen
from dtui.ui.views.actions import ActionTable
from dtui.ui.views.resource_view import EngineObjectScreen
from dtui.ui.views.volumes.detail import VOLUME_TABS
from dtui.ui.views.volumes.actions import VOLUME_ACTIONS
from dtui.ui.views.volumes.table import VolumeTable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from dtui.engine.client import EngineClient
    from dtui.engine.resource_models import PruneReport

ALL_FILTER_SINCE = (1, 42)
"""The API version whose volume prune takes ``all`` (and prunes only anonymous ones without it)."""


@dataclass
class SizesMeasured(Message):
    """``/system/df`` of one host answered: bytes per volume name."""

    host: str
    sizes: Mapping[str, int]


class VolumesScreen(EngineObjectScreen[VolumeRow]):
    """Every volume, live; opened with ``V`` from the container view."""

    ACTIONS: ClassVar[ActionTable] = VOLUME_ACTIONS
    NOUN: ClassVar[str] = "volumes"
    HELP_TITLE: ClassVar[str] = "Volumes: keys"
    DETAIL_TABS = VOLUME_TABS
    TITLE_TEXT: ClassVar[str] = "Volumes"

    @property
    def table(self) -> VolumeTable:
        """The volume table."""
        return self.query_one(VolumeTable)

    def compose(self) -> ComposeResult:
        yield self.status_line()
        yield VolumeTable(id="volumes")
        yield self.detail_pane()
        yield Input(placeholder="quick filter: name, driver, user or mountpoint (Esc clears)", id="quick-filter")
        yield Footer()

    def kind(self) -> Kind[VolumeRow]:
        return volumes_kind()

    def on_mount(self) -> None:
        self.measure()

    def action_reload(self) -> None:
        """Re-list, and measure the sizes again."""
        super().action_reload()
        self.measure()

    # -- sizes -------------------------------------------------------------------------

    def measure(self) -> None:
        """Read ``/system/df`` of every host shown (one worker each)."""
        for host in self.view_host.hosts:
            self._measure_host(host)

    def _measure_host(self, host: str) -> None:
        # One reading per host at a time: a newer request (ctrl+r again) cancels the older one.
        self.run_worker(self._measure(host), group=f"volume-sizes {host}", exclusive=True, exit_on_error=False)

    async def _measure(self, host: str) -> None:
        try:
            usage = await self.view_host.client_for(host).system.df()
        except EngineUnreachable:
            return  # the feed says the host is down
        except EngineError as error:
            self.view_host.show_error(error, "measuring volume sizes")
            return
        self.post_message(SizesMeasured(host, usage.volume_sizes()))

    def on_sizes_measured(self, message: SizesMeasured) -> None:
        self.table.set_sizes(message.host, message.sizes)

    def pruned(self, host: str) -> None:
        """Measure that host again."""
        self._measure_host(host)

    # -- actions -----------------------------------------------------------------------

    def action_create(self) -> None:
        """Ask name, driver and labels, then create the volume on the selected row's host."""
        host = self.target_host()

        def answered(request: VolumeRequest | None) -> None:
            if request is None:
                return

            async def create(client: EngineClient, _name: str) -> None:
                await client.volumes.create(request.name, driver=request.driver, labels=request.labels)

            self.create_on(host, request.name, create)

        self.app.push_screen(VolumeForm("New volume", self.host_shown(host)), answered)

    def action_prune(self) -> None:
        """Ask once, then prune the unused volumes of every host shown.

        Since API 1.42 the engine prunes only anonymous volumes unless told ``all``: when every
        host speaks 1.42+, the question offers both.
        """

        async def prune(client: EngineClient) -> PruneReport:
            return await client.volumes.prune()

        versions = [self.view_host.client_for(host).api_version for host in self.view_host.hosts]
        if not all(version and parse_version(version) >= ALL_FILTER_SINCE for version in versions):
            self.prune_hosts(prune)
            return

        async def prune_all(client: EngineClient) -> PruneReport:
            return await client.volumes.prune(filters={"all": ["true"]})

        def answered(choice: str | None) -> None:
            if choice:
                self.prune_every_host(prune_all if choice == "all" else prune)

        body = Text("Remove the volumes no container uses, on every host shown?")
        choices = [("Anonymous only", "anonymous", "primary"), ("Named too", "all", "error"), ("Cancel", "", "default")]
        self.app.push_screen(ChoiceScreen("Prune volumes", body, choices), answered)
