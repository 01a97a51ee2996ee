"""A JSON document as a tree of sanitized labels, with its ``/`` search.

Every key and value of a document (an inspect answer) is container-controlled text. Tree
labels are parsed as markup when given a ``str``, so each label is built from `safe_line`
Text only. Env values whose name contains PASSWORD, SECRET, TOKEN or KEY are masked (in the
tree, in search and in copies) until revealed. The container Inspect tab and the resource
detail pane both show documents this way; each composes a search bar (an :class:`Input`
and a match count) above its tree and lets a :class:`JsonSearch` do the searching.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from dtui.ui.safe_text import safe_line, strip_controls

SECRET_MARKERS = ("PASSWORD", "SECRET", "TOKEN", "KEY")
"""An env variable whose name contains one of these (any case) is masked."""

MASK = "••••••••"
MAX_VALUE_CHARS = 300
"""Longer values are cut in labels (copy with ``y`` gets the whole value)."""

_ENV_PATH = ("Config", "Env")
_KEY_STYLE = "bold"
_STRING_STYLE = "green"
_NUMBER_STYLE = "cyan"
_CONSTANT_STYLE = "magenta"
_MATCH_STYLE = "reverse"


def is_secret_env(entry: str) -> bool:
    """True when an ``NAME=value`` env entry's name marks it as secret."""
    name = entry.partition("=")[0].upper()
    return any(marker in name for marker in SECRET_MARKERS)


@dataclass(frozen=True, slots=True)
class JsonEntry:
    """What one tree node shows.

    Attributes:
        key: The object key or ``[index]``.
        value: The JSON value below that key.
        secret: True for a masked env entry.
    """

    key: str
    value: Any
    secret: bool = False

    @property
    def is_container(self) -> bool:
        """True for objects and arrays (expandable nodes)."""
        return isinstance(self.value, (Mapping, list))

    def copy_text(self) -> str:
        """The value as the user would paste it: strings bare, the rest as JSON."""
        if isinstance(self.value, str):
            return strip_controls(self.value)
        return strip_controls(json.dumps(_plain(self.value), indent=2, ensure_ascii=False))


def _plain(value: Any) -> Any:
    """Mapping proxies -> dicts, for json.dumps."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _scalar_text(value: Any) -> Text:
    if isinstance(value, str):
        return safe_line(value, style=_STRING_STYLE, max_length=MAX_VALUE_CHARS, keep_sgr=False)
    if isinstance(value, bool) or value is None:
        return Text(json.dumps(value), style=_CONSTANT_STYLE)
    if isinstance(value, (int, float)):
        return Text(json.dumps(value), style=_NUMBER_STYLE)
    return safe_line(repr(value), max_length=MAX_VALUE_CHARS)


def entry_label(entry: JsonEntry, revealed: bool) -> Text:
    """The node label of an entry; masked env values stay masked unless ``revealed``."""
    label = safe_line(entry.key, style=_KEY_STYLE, max_length=120, keep_sgr=False)
    if isinstance(entry.value, Mapping):
        label.append(f" {{{len(entry.value)}}}", style="dim")
    elif isinstance(entry.value, list):
        label.append(f" [{len(entry.value)}]", style="dim")
    elif entry.secret and not revealed:
        name = str(entry.value).partition("=")[0]
        label.append(": ")
        label.append_text(safe_line(f"{name}=", style=_STRING_STYLE, max_length=120, keep_sgr=False))
        label.append(MASK, style="dim")
    else:
        label.append(": ")
        label.append_text(_scalar_text(entry.value))
    return label


def _children(value: Any, path: tuple[str, ...]) -> Iterator[tuple[JsonEntry, tuple[str, ...]]]:
    if isinstance(value, Mapping):
        for key, child in value.items():
            yield JsonEntry(str(key), child), (*path, str(key))
    elif isinstance(value, list):
        in_env = path == _ENV_PATH
        for index, child in enumerate(value):
            secret = in_env and isinstance(child, str) and is_secret_env(child)
            yield JsonEntry(f"[{index}]", child, secret), (*path, f"[{index}]")


def summary_lines(summary: Sequence[tuple[str, str]], width: int | None = None) -> Text:
    """The lines shown above a document: titles bold (padded to ``width``), values sanitized."""
    if width is None:
        width = max((len(title) for title, _ in summary), default=0)
    lines = []
    for title, value in summary:
        line = Text(f"{title:<{width}} ", style="bold")
        line.append_text(safe_line(value or "—", max_length=500, keep_sgr=False))
        lines.append(line)
    return Text("\n").join(lines)


class JsonTree(Tree[JsonEntry]):
    """The inspect document; labels rebuilt when masking or search highlights change."""

    revealed: bool = False
    highlight: re.Pattern[str] | None = None

    def show_document(self, document: Mapping[str, Any]) -> None:
        """Replace the tree with this document (top-level keys collapsed)."""
        self.clear()
        self.root.data = JsonEntry("inspect", document)
        self._add_entries(self.root, document, ())
        self.root.expand()

    def _add_entries(self, node: TreeNode[JsonEntry], value: Any, path: tuple[str, ...]) -> None:
        for entry, child_path in _children(value, path):
            label = self.label_for(entry)
            if entry.is_container:
                child = node.add(label, data=entry, expand=child_path == _ENV_PATH)
                self._add_entries(child, entry.value, child_path)
            else:
                node.add_leaf(label, data=entry)

    def label_for(self, entry: JsonEntry) -> Text:
        """The label with current masking and search highlight."""
        label = entry_label(entry, self.revealed)
        if self.highlight is not None:
            label.highlight_regex(self.highlight, style=_MATCH_STYLE)
        return label

    def walk(self) -> Iterator[TreeNode[JsonEntry]]:
        """Every node below the root, depth first, in display order (collapsed too)."""
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def relabel(self, nodes: Iterator[TreeNode[JsonEntry]] | list[TreeNode[JsonEntry]]) -> None:
        """Rebuild the labels of these nodes."""
        for node in nodes:
            if node.data is not None:
                node.set_label(self.label_for(node.data))

    def reveal_node(self, node: TreeNode[JsonEntry]) -> None:
        """Expand the ancestors of ``node`` and put the cursor on it."""
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        _ = self.last_line  # rebuilds the line index so the node's line is known
        self.move_cursor(node)


class JsonSearch:
    """The search state of one tree: what matches, and which bar shows it.

    Args:
        owner: The widget that holds the bar and the tree.
        bar: Selector of the bar (shown while it has the class ``open``).
        box: Selector of the search :class:`Input`.
        count: Selector of the :class:`Static` that shows ``2/5`` or ``no match``.
    """

    def __init__(self, owner: Widget, *, bar: str, box: str, count: str) -> None:
        self.owner = owner
        self.bar = bar
        self.box = box
        self.count = count
        self.matches: list[TreeNode[JsonEntry]] = []

    @property
    def tree(self) -> JsonTree:
        """The searched tree."""
        return self.owner.query_one(JsonTree)

    @property
    def is_open(self) -> bool:
        """True while the search bar is shown."""
        return self.owner.query_one(self.bar).has_class("open")

    def open(self) -> None:
        """Show the bar and focus its input."""
        self.owner.query_one(self.bar).add_class("open")
        self.owner.query_one(self.box, Input).focus()

    def close(self) -> bool:
        """Hide and clear the search (focus back to the tree); False when it was not open."""
        if not self.is_open:
            return False
        box = self.owner.query_one(self.box, Input)
        had_focus = box.has_focus
        self.owner.query_one(self.bar).remove_class("open")
        box.value = ""
        self.search("")
        if had_focus:
            self.tree.focus()
        return True

    def forget(self) -> None:
        """Drop the matches (the tree is about to show another document)."""
        self.matches = []

    def rerun(self) -> None:
        """Search the tree again for what the open bar holds (after the labels changed)."""
        if self.is_open:
            self.search(self.owner.query_one(self.box, Input).value)

    def search(self, query: str) -> None:
        """Highlight ``query`` (any case) in every label and move to the first match."""
        tree = self.tree
        previous = self.matches
        tree.highlight = re.compile(re.escape(query), re.IGNORECASE) if query else None
        needle = query.lower()
        self.matches = [
            node for node in tree.walk()
            if query and node.data is not None and needle in tree.label_for(node.data).plain.lower()
        ]
        tree.relabel([*previous, *self.matches])
        if self.matches:
            tree.reveal_node(self.matches[0])
        self._show_count(1 if self.matches else 0)

    def next_match(self) -> bool:
        """Move the cursor to the match after the cursor (wrapping); False without matches."""
        if not self.matches:
            return False
        tree = self.tree
        cursor = tree.cursor_node
        index = (self.matches.index(cursor) + 1 if cursor in self.matches else 0) % len(self.matches)
        tree.reveal_node(self.matches[index])
        self._show_count(index + 1)
        return True

    def toggle_reveal(self) -> bool:
        """Show or mask secret env values again; True when now revealed."""
        tree = self.tree
        tree.revealed = not tree.revealed
        tree.relabel([node for node in tree.walk() if node.data is not None and node.data.secret])
        self.rerun()
        return tree.revealed

    def _show_count(self, current: int) -> None:
        total = len(self.matches)
        text = f"{current}/{total}" if total else ("no match" if self.tree.highlight else "")
        self.owner.query_one(self.count, Static).update(Text(text))
