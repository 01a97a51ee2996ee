"""Help rows for the focused widget: the keys that work where the focus is, grouped per widget.

A screen's help lists its own actions; with a pane focused (the detail pane, the shells) the
keys that work are the pane's first and the screen's where the pane does not take them.
:func:`focused_groups` gives the rows of every dtui widget from the focused one up to the
screen; :func:`without_keys` drops the screen rows those widgets take.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from textual.actions import parse
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from dtui.ui.screens.modals import current_keys

HelpRow = tuple[str, str]
"""(keys, description); an empty key makes the description a group heading."""


def focus_chain(screen: Screen[Any]) -> list[DOMNode]:
    """The focused widget and the widgets holding it, innermost first (not the screen)."""
    chain: list[DOMNode] = []
    node: DOMNode | None = screen.focused
    while node is not None and node is not screen:
        chain.append(node)
        node = node.parent
    return chain


def _declared_bindings(node: DOMNode) -> list[Binding]:
    """The bindings dtui's own classes of ``node`` declare (DataTable's, Input's... are not listed)."""
    bindings: dict[str, Binding] = {}
    for cls in type(node).__mro__:
        if cls.__module__.startswith("dtui.") and "BINDINGS" in cls.__dict__:
            for binding in cls.__dict__["BINDINGS"]:
                if isinstance(binding, Binding):
                    bindings.setdefault(binding.id or binding.key, binding)
    return list(bindings.values())


def _works(node: DOMNode, binding: Binding) -> bool:
    _, name, parameters = parse(binding.action)
    return node.check_action(name, parameters) is not False


def group_title(node: DOMNode) -> str:
    """The heading of a widget's keys: its ``HELP_GROUP``, else its class name in words."""
    title = getattr(node, "HELP_GROUP", "")
    if isinstance(title, str) and title:
        return title
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(node).__name__)
    return words[:1] + words[1:].lower()


def node_rows(node: DOMNode) -> list[HelpRow]:
    """The rows of the keys that work on ``node`` now, runs of digit keys (tabs) in one row."""
    rows: list[HelpRow] = []
    digits: list[HelpRow] = []
    for binding in (b for b in _declared_bindings(node) if _works(node, b)):
        keys = current_keys(node, binding)
        if keys.isdigit() and len(keys) == 1:
            digits.append((keys, binding.description))
            continue
        rows.extend(_digit_row(digits))
        digits = []
        rows.append((keys, binding.description))
    return [*_digit_row(digits), *rows]


def _digit_row(digits: list[HelpRow]) -> list[HelpRow]:
    """``1-4  Tabs: Inspect, Top, Changes, Stats`` (a single digit stays as it is)."""
    if len(digits) < 2:
        return digits
    names = [description for _, description in digits]
    if all(re.fullmatch(r"Tab \d+", name) for name in names):
        return [(f"{digits[0][0]}-{digits[-1][0]}", "Show the tab of that number")]
    return [(f"{digits[0][0]}-{digits[-1][0]}", "Tabs: " + ", ".join(names))]


def focused_groups(screen: Screen[Any]) -> list[HelpRow]:
    """A group of rows per dtui widget holding the focus, innermost first (none without keys)."""
    rows: list[HelpRow] = []
    for node in focus_chain(screen):
        own = node_rows(node)
        if own:
            rows.append(("", f"{group_title(node)} (focused)" if not rows else group_title(node)))
            rows.extend(own)
    return rows


def without_keys(rows: Iterable[HelpRow], taken: Iterable[HelpRow]) -> Iterator[HelpRow]:
    """``rows`` without the keys ``taken`` binds (a row loses them; a group left empty goes)."""
    taken_keys = {key for keys, _ in taken if keys for key in keys.split(", ")}
    heading: HelpRow | None = None
    for keys, description in rows:
        if not keys:
            heading = (keys, description)
            continue
        left = [key for key in keys.split(", ") if key not in taken_keys]
        if not left:
            continue
        if heading is not None:
            yield heading
            heading = None
        yield ", ".join(left), description
