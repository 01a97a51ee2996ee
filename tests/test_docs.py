"""The README documents every key dtui binds, each where its action is described.

A key counts as documented when it appears in a README table row, or a sentence, that also names
what the key does (a word of the binding's label or of its action's title, or its action's name).
A key that appears only elsewhere (say `n` documented for rename, but bound to "No" in a dialog)
is reported with the words that were looked for.
"""

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
    "plus": "+", "minus": "-", "equals_sign": "=", "less_than_sign": "<", "greater_than_sign": ">",
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


# Words a README row may use for what a binding's label says.
SYNONYMS = {"yes": {"confirm", "accept"}, "no": {"cancel", "refuse"}, "close": {"back", "leave"},
            "previous": {"between", "move"}, "next": {"between", "move"}, "reload": {"list"}}
# Context read after a key that appears in prose rather than a table row.
PROSE_REACH = 80


def _stems(text: str) -> set[str]:
    return {word.lower()[:4] for word in re.findall(r"[A-Za-z]{2,}", text)}


def _meanings(cls: type[DOMNode], binding: Binding) -> set[str]:
    """The word stems any of which a README row must use for this binding."""
    name = binding.action.split("(")[0].removeprefix("app.")
    words = {binding.description, name.replace("_", " ")}
    table = getattr(cls, "ACTIONS", None)
    action = table.get(name) if table is not None and hasattr(table, "get") else None
    if action is not None:
        words |= {action.label, action.title}
    for word in list(words):
        words |= SYNONYMS.get(word.lower(), set())
    return set().union(*(_stems(word) for word in words)) - {"the", "of", "or", "an", "a"}


def _contexts(key: str) -> list[str]:
    """README table rows or prose passages that mention the key."""
    word = KEY_WORDS.get(key, key)
    spellings = {f"`{word}`", f"`{key}`", f"**{word}**"}
    if "+" in word:
        spellings |= {f"`{word.title()}`", "`" + "+".join(part.capitalize() for part in word.split("+")) + "`"}
    found = []
    for line in README.splitlines():
        for spelling in spellings:
            at = line.find(spelling)
            if at < 0:
                continue
            found.append(line if line.lstrip().startswith("|") else line[at:at + PROSE_REACH])
    return found


def _bindings(cls: type[DOMNode]) -> list[Binding]:
    return [binding for binding in cls.__dict__["BINDINGS"] if isinstance(binding, Binding)]


@pytest.mark.parametrize("cls", _bound_classes(), ids=lambda cls: cls.__qualname__)
def test_every_bound_key_is_in_the_readme(cls: type[DOMNode]) -> None:
    missing = [f"{key} ({action})" for key, action in _keys(cls) if not _documented(key)]
    assert not missing, f"{cls.__qualname__}: keys not in the README: {missing}"


@pytest.mark.parametrize("cls", _bound_classes(), ids=lambda cls: cls.__qualname__)
def test_every_key_is_documented_with_its_action(cls: type[DOMNode]) -> None:
    undocumented = []
    for binding in _bindings(cls):
        meanings = _meanings(cls, binding)
        for key in (part.strip() for part in binding.key.split(",")):
            if not any(_stems(context) & meanings for context in _contexts(key)):
                undocumented.append(f"{key} ({binding.action}: one of {sorted(meanings)})")
    assert not undocumented, f"{cls.__qualname__}: keys the README does not describe: {undocumented}"


def test_a_key_documented_for_another_action_is_not_counted() -> None:
    class Dialog(DOMNode):
        BINDINGS = [Binding("n", "answer(False)", "No")]

    rename_row = "| `n` | rename (the name is checked as you type) |"
    binding = _bindings(Dialog)[0]
    assert not _stems(rename_row) & _meanings(Dialog, binding)
    assert _stems("`n` or `Esc` cancels") & _meanings(Dialog, binding)
