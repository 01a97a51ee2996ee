"""The networks view: every network of the hosts shown, live, with the containers attached.

Connect and disconnect work from here: ``C`` lists the containers of the network's host
that are not attached and connects the one picked; ``X`` lists the attached ones and
disconnects the one picked (``POST /networks/{id}/connect|disconnect``). The connect and
disconnect events re-list the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Footer, Input

from dtui.engine.errors import EngineError
from dtui.live.kind import Kind
from dtui.live.network_kinds import NetworkRow, networks_kind
from dtui.ui.forms.resource_create import NetworkForm, NetworkRequest
from dtui.ui.safe_text import safe_line
from dtui.ui.views.actions import ActionTable
from dtui.ui.views.networks.detail import NETWORK_TABS
from dtui.ui.views.networks.actions import NETWORK_ACTIONS
from dtui.ui.views.networks.pick import PickScreen
from dtui.ui.views.networks.table import NetworkTable
from dtui.ui.views.resource_view import EngineObjectScreen
from dtui.ui.views.table import row_key

if TYPE_CHECKING:

    from dtui.engine.client import EngineClient
    from dtui.engine.resource_models import PruneReport


@dataclass
class CandidatesListed(Message):
    """The containers that could be connected to a network were listed (or failed)."""

    host: str
    row: NetworkRow
    choices: list[tuple[str, str]]
    error: EngineError | None = None


class NetworksScreen(EngineObjectScreen[NetworkRow]):
    """Every network, live; opened with ``N`` from the container view."""

    ACTIONS: ClassVar[ActionTable] = NETWORK_ACTIONS
    NOUN: ClassVar[str] = "networks"
    HELP_TITLE: ClassVar[str] = "Networks: keys"
    DETAIL_TABS = NETWORK_TABS
    TITLE_TEXT: ClassVar[str] = "Networks"

    @property
    def table(self) -> NetworkTable:
        """The network table."""
        return self.query_one(NetworkTable)

    def compose(self) -> ComposeResult:
        yield self.status_line()
        yield NetworkTable(id="networks")
        yield self.detail_pane()
        yield Input(placeholder="quick filter: name, id, driver, container or subnet (Esc clears)", id="quick-filter")
        yield Footer()

    def kind(self) -> Kind[NetworkRow]:
        return networks_kind()

    # -- create, prune, inspect --------------------------------------------------------

    def action_create(self) -> None:
        """Ask name, driver and an optional subnet, then create it on the selected row's host."""
        host = self.target_host()

        def answered(request: NetworkRequest | None) -> None:
            if request is None:
                return
            subnets = [(request.subnet, request.gateway)] if request.subnet else []

            async def create(client: EngineClient, _name: str) -> None:
                await client.networks.create(request.name, driver=request.driver, subnets=subnets)

            self.create_on(host, request.name, create)

        self.app.push_screen(NetworkForm("New network", self.host_shown(host)), answered)

    def action_prune(self) -> None:
        """Ask once, then prune the unused networks of every host shown."""

        async def prune(client: EngineClient) -> PruneReport:
            return await client.networks.prune()

        self.prune_hosts(prune)

    # -- connect and disconnect --------------------------------------------------------

    def action_connect(self) -> None:
        """Pick a container of the network's host that is not attached, and connect it."""
        target = self.cursor_target()
        if target is not None:
            self._list_candidates(*target)

    @work(group="network-candidates", exclusive=True, exit_on_error=False)
    async def _list_candidates(self, host: str, row: NetworkRow) -> None:
        try:
            containers = await self.view_host.client_for(host).containers.list(all=True)
        except EngineError as error:
            self.post_message(CandidatesListed(host, row, [], error))
            return
        attached = {a.id for a in row.attached}
        choices = sorted(((c.id, c.name) for c in containers if c.id not in attached), key=lambda c: c[1])
        self.post_message(CandidatesListed(host, row, choices))

    def on_candidates_listed(self, message: CandidatesListed) -> None:
        if message.error is not None:
            self.view_host.show_error(message.error, "listing containers")
            return
        if not message.choices:
            self.notify("No container to connect", markup=False, timeout=3)
            return
        self._pick("Connect to", message.host, message.row, message.choices, disconnect=False)

    def action_disconnect(self) -> None:
        """Pick one of the containers attached to the network, and disconnect it."""
        target = self.cursor_target()
        if target is None:
            return
        host, row = target
        if not row.attached:
            self.notify("No container is attached", markup=False, timeout=3)
            return
        self._pick("Disconnect from", host, row, [(a.id, a.name) for a in row.attached], disconnect=True)

    def _pick(self, verb: str, host: str, row: NetworkRow, choices: list[tuple[str, str]], *, disconnect: bool) -> None:
        """Ask which container, then connect (or disconnect) it through the one action path."""
        question = Text(f"{verb} ")
        question.append_text(safe_line(row.name, max_length=40, style="bold"))
        question.append(": which container?")
        names = {a.id: a.name for a in row.attached} | {cid: label for cid, label in choices}
        action = "disconnect" if disconnect else "connect"

        def picked(container_id: str | None) -> None:
            if not container_id:
                return

            async def call(client: EngineClient, network_id: str) -> None:
                if disconnect:
                    await client.networks.disconnect(network_id, container_id)
                else:
                    await client.networks.connect(network_id, container_id)

            key = row_key(host, row.id)
            self.table.set_pending(key, f"{action}ing")
            self._act(key, row.name, f"{action} {names.get(container_id, container_id)}", call)

        self.app.push_screen(PickScreen(question, choices), picked)
