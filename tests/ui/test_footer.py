"""dtui's footer rebuilds only when the keys it shows change."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from dtui.ui.widgets.footer import Footer
from textual.widgets._footer import FooterKey

from tests.support.wait import wait_until


class Box(Static, can_focus=True):
    def __init__(self, key: str, label: str, id: str) -> None:
        super().__init__(label, id=id)
        self._bindings.bind(key, "noop", label)

    def action_noop(self) -> None:
        pass


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Box("a", "Alpha", id="one")
        yield Box("b", "Beta", id="two")
        yield Footer()


def _shown(app: FooterApp) -> list[str]:
    return sorted(str(key.description) for key in app.query(FooterKey))


async def test_footer_follows_the_keys_but_does_not_rebuild_for_the_same_ones() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        app.query_one("#one").focus()
        await wait_until(pilot, lambda: _shown(app) == ["Alpha", "Quit", "palette"], what="Alpha's keys")
        first_keys = list(app.query(FooterKey))
        app.screen.refresh_bindings()
        await pilot.pause(0.1)
        assert list(app.query(FooterKey)) == first_keys  # same keys: the same widgets, no rebuild
        app.query_one("#two").focus()
        await wait_until(pilot, lambda: _shown(app) == ["Beta", "Quit", "palette"], what="Beta's keys")
