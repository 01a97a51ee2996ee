"""Snapshots of the shells pane at 80x24 and 160x45, from a fake terminal source.

The "shell" writes a canned screen: a prompt, coloured ``ls`` output (16 and 256 colours, bold,
reverse, underline), a wide character, and a title sequence that must show nowhere.
"""

from __future__ import annotations

from typing import Any

import pytest

from dtui.ui.terminal import sources as terminal_sources
from tests.snapshots.test_screens import SIZES, app_of, fleet, frozen_clock, keys
from tests.ui.terminal_support import FakeSource

__all__ = ["frozen_clock"]  # the autouse fixture, imported for its registration

SCREEN = (
    b"\x1b]0;PWNED title\x07/ # ls --color\r\n"
    b"\x1b[1;34mbin\x1b[0m  \x1b[1;34metc\x1b[0m  \x1b[32mrun.sh\x1b[0m  \x1b[38;5;208morange\x1b[0m  "
    b"\x1b[7mreverse\x1b[0m  \x1b[4munder\x1b[0m  \xe6\x97\xa5\xe6\x9c\xac\r\n"
    b"/ # echo hi-$((6*7))\r\nhi-42\r\n/ # "
)


def _pane(monkeypatch: pytest.MonkeyPatch, *, ended: bool) -> None:
    def make(*args: Any, **kwargs: Any) -> FakeSource:
        source = FakeSource()
        source.write(SCREEN)
        if ended:
            source.write(b"exit\r\n")
            source.end()
        return source

    monkeypatch.setattr(terminal_sources, "ExecSource", make)


@pytest.mark.parametrize("size", SIZES)
def test_shell_pane(snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The table above, the pane below with tab ``local/db`` (the cursor row); the canned screen in colour, the cursor after ``/ # ``."""
    _pane(monkeypatch, ended=False)
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=keys("E", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_shell_pane_full_screen_after_exit(
    snap_compare: Any, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``z`` after ``ctrl+]``: the pane alone; the exit line ``[dtui] The shell exited with code 0.`` at the end."""
    _pane(monkeypatch, ended=True)
    run_before = keys("E", "enter", "ctrl+right_square_bracket", "z")
    assert snap_compare(app_of(fleet()), terminal_size=size, run_before=run_before)
