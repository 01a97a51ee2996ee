"""The main screen's dialogs on their own, and the engine filter syntax."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen

from dtui.core.engine_filter import EngineFilter, FilterSyntaxError, parse_engine_filter
from dtui.ui.screens.modals import (
    ConfirmScreen,
    FilterPrompt,
    HelpScreen,
    RemoveOptions,
    RemoveScreen,
    RenamePrompt,
    SignalPicker,
)


class Host(App[None]):
    """Pushes one dialog and records what it returned."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


async def _answer(dialog: Screen[Any], *keys: str) -> list[Any]:
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
    return app.results


@pytest.mark.parametrize(("keys", "expected"), [(("y",), True), (("enter",), True), (("n",), False),
                                                (("escape",), False)])
async def test_confirm_keys(keys: tuple[str, ...], expected: bool) -> None:
    assert await _answer(ConfirmScreen("Stop web?"), *keys) == [expected]


async def test_confirm_ends_with_y_n_and_does_not_parse_markup() -> None:
    app = Host(ConfirmScreen("Stop [b]x[/b] [@click=app.quit]?"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#question").render())
        assert shown.endswith("[y/N]") and "[@click=app.quit]" in shown
        await pilot.press("x")  # any other key does nothing
        assert app.results == []


async def test_remove_options() -> None:
    assert await _answer(RemoveScreen("Remove web?", force=True), "y") == [RemoveOptions(True, False)]
    assert await _answer(RemoveScreen("Remove web?"), "f", "v", "enter") == [RemoveOptions(True, True)]
    assert await _answer(RemoveScreen("Remove web?"), "escape") == [None]


async def test_signal_picker_list_typed_and_invalid() -> None:
    assert await _answer(SignalPicker("Signal?"), "enter") == ["TERM"]
    assert await _answer(SignalPicker("Signal?"), *["down"] * 6, "enter") == ["USR2"]
    assert await _answer(SignalPicker("Signal?"), "tab", *"sigwinch", "enter") == ["SIGWINCH"]
    assert await _answer(SignalPicker("Signal?"), "tab", *"9", "enter") == ["9"]
    assert await _answer(SignalPicker("Signal?"), "tab", *"no way", "enter", "escape") == [None]


async def test_rename_prompt_validates_inline() -> None:
    assert await _answer(RenamePrompt("web"), "end", *"-2", "enter") == ["web-2"]
    assert await _answer(RenamePrompt("web"), "ctrl+a", "ctrl+k", "a", "enter", "escape") == [None]
    assert RenamePrompt.problem("a") and RenamePrompt.problem("-web") and RenamePrompt.problem("we b")
    assert RenamePrompt.problem("/web.1_x") == ""


async def test_filter_prompt_parses_and_reports_syntax() -> None:
    results = await _answer(FilterPrompt(""), *"status=exited limit=2", "enter")
    assert results == [EngineFilter("status=exited limit=2", {"status": ["exited"]}, 2, False)]
    assert await _answer(FilterPrompt("x"), "enter", "escape") == [None]


async def test_help_screen_closes() -> None:
    assert await _answer(HelpScreen("Keys", [("s", "Start")]), "question_mark") == [None]


def test_parse_engine_filter() -> None:
    parsed = parse_engine_filter("status=exited label=env=prod label=tier ancestor=nginx name=web publish=9001 "
                                 "limit=5 size=1")
    assert parsed.filters == {
        "status": ["exited"], "label": ["env=prod", "tier"], "ancestor": ["nginx"], "name": ["web"],
        "publish": ["9001"],
    }
    assert parsed.limit == 5 and parsed.size
    assert parse_engine_filter("") == EngineFilter()
    assert parse_engine_filter('label="a=b c"').filters == {"label": ["a=b c"]}
    assert parse_engine_filter("status=running").with_label("x=1").filters == {
        "status": ["running"], "label": ["x=1"]}


@pytest.mark.parametrize("text", ["status", "=x", "limit=0", "limit=x", "size=maybe", 'name="open'])
def test_parse_engine_filter_rejects(text: str) -> None:
    with pytest.raises(FilterSyntaxError):
        parse_engine_filter(text)
