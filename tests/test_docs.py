"""The README documents every key dtui binds (the issue's "every key ... appears in the README")."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import dtui.ui

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
# How the README spells Textual's key names.
KEY_WORDS = {
    "question_mark": "?", "slash": "/", "ampersand": "&", "space": "space", "escape": "Esc",
    "enter": "Enter", "tab": "Tab", "home": "Home", "end": "End", "pageup": "PgUp",
    "pagedown": "PgDn", "up": "↑", "down": "↓", "left": "←", "right": "→", "f3": "F3",
    "shift+tab": "Shift+Tab", "shift+left": "Shift+←", "full_stop": ".", "comma": ",",
    "ctrl+right_square_bracket": "ctrl+]", "shift+pageup": "Shift+PgUp", "shift+pagedown": "Shift+PgDn",
    "plus": "+", "minus": "-", "less_than_sign": "<", "greater_than_sign": ">",
}


def _bound_classes() -> list[type[DOMNode]]:
    for module in pkgutil.walk_packages(dtui.ui.__path__, "dtui.ui."):
        importlib.import_module(module.name)
    found = []
    for name, module in list(__import__("sys").modules.items()):
        if not name.startswith("dtui.ui"):
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, DOMNode) and "BINDINGS" in cls.__dict__:
                found.append(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _keys(cls: type[DOMNode]) -> list[tuple[str, str]]:
    keys = []
    for binding in cls.__dict__["BINDINGS"]:
        if isinstance(binding, Binding):
            for key in binding.key.split(","):
                keys.append((key.strip(), binding.action))
        else:
            keys.append((binding[0], binding[1]))
    return keys


def _documented(key: str) -> bool:
    word = KEY_WORDS.get(key, key)
    if len(word) == 1:
        return f"`{word}`" in README
    spellings = {word, word.lower(), word.capitalize(), word.title(), key}
    if "+" in word:
        spellings |= {word.title(), "+".join(part.capitalize() for part in word.split("+"))}
    return any(
        re.search(rf"`{re.escape(spelling)}`|\*\*{re.escape(spelling)}\*\*|\b{re.escape(spelling)}\b(?= |/|,)", README)
        for spelling in spellings
    )


@pytest.mark.parametrize("cls", _bound_classes(), ids=lambda cls: cls.__qualname__)
def test_every_bound_key_is_in_the_readme(cls: type[DOMNode]) -> None:
    missing = [f"{key} ({action})" for key, action in _keys(cls) if not _documented(key)]
    assert not missing, f"{cls.__qualname__}: keys not in the README: {missing}"
