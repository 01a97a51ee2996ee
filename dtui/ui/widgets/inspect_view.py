"""The Inspect tab: a summary header and the whole inspect document as a searchable tree.

Every key and value of the document is container-controlled text. Tree labels are parsed
as markup when given a ``str``, so each label is built from `safe_line` Text only. Env
values whose name contains PASSWORD, SECRET, TOKEN or KEY are masked (in the tree, in
search and in copies) until revealed.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from dtui.engine.models import ContainerDetail
from dtui.ui.safe_text import safe_line, strip_controls
from dtui.ui.widgets.detail_common import ContainerTab

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

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


def _command_line(detail: ContainerDetail) -> str:
    return shlex.join([*detail.entrypoint, *detail.cmd])


def _ports_line(raw: Mapping[str, Any]) -> str:
    settings = raw.get("NetworkSettings")
    ports = settings.get("Ports") if isinstance(settings, Mapping) else None
    parts: list[str] = []
    for port, bindings in (ports.items() if isinstance(ports, Mapping) else ()):
        if not isinstance(bindings, list) or not bindings:
            parts.append(str(port))
            continue
        for binding in bindings:
            if isinstance(binding, Mapping):
                parts.append(f"{binding.get('HostIp', '')}:{binding.get('HostPort', '')}->{port}")
    return ", ".join(parts)


def _mounts_line(raw: Mapping[str, Any]) -> str:
    found = raw.get("Mounts")
    mounts: list[Any] = found if isinstance(found, list) else []
    parts = []
    for mount in mounts:
        if isinstance(mount, Mapping):
            source = mount.get("Name") or mount.get("Source") or ""
            mode = "" if mount.get("RW", True) else " (ro)"
            parts.append(f"{source}:{mount.get('Destination', '')}{mode}")
    return ", ".join(parts)


def _state_line(detail: ContainerDetail) -> str:
    state = detail.state or "unknown"
    if detail.state == "exited":
        state += f" ({detail.exit_code})"
    health = f" · health: {detail.health}" if detail.health else ""
    restart = detail.restart_policy or "no"
    return f"{state}{health} · restart: {restart}"


def summary_text(detail: ContainerDetail) -> Text:
    """The summary header: one line per fact, every value sanitized."""
    created = detail.created.strftime("%Y-%m-%d %H:%M:%S %Z") if detail.created else "—"
    rows = [
        ("Image", detail.image),
        ("Command", _command_line(detail)),
        ("Created", created),
        ("State", _state_line(detail)),
        ("IPs", ", ".join(f"{net} {ip or '—'}" for net, ip in detail.networks.items())),
        ("Ports", _ports_line(detail.raw)),
        ("Mounts", _mounts_line(detail.raw)),
        ("Labels", ", ".join(f"{key}={value}" for key, value in sorted(detail.labels.items()))),
    ]
    lines = []
    for title, value in rows:
        line = Text(f"{title:<8} ", style="bold")
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


class InspectView(ContainerTab):
    """Summary header, JSON tree and the ``/`` search box; loaded once per container."""

    DEFAULT_CSS = """
    InspectView #inspect-search-bar { height: 1; display: none; }
    InspectView #inspect-search-bar.open { display: block; }
    InspectView #inspect-search { border: none; height: 1; width: 1fr; padding: 0 1; }
    InspectView #inspect-matches { width: auto; min-width: 8; padding: 0 1; }
    """
    GROUP = "detail-inspect"
    DOING = "inspecting the container"
    RELOAD_ON_SHOW = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._matches: list[TreeNode[JsonEntry]] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…"), id="inspect-summary")
        with Horizontal(id="inspect-search-bar"):
            yield Input(placeholder="search keys and values", id="inspect-search")
            yield Static(Text(""), id="inspect-matches")
        yield JsonTree(Text("inspect"), id="inspect-tree")

    def on_mount(self) -> None:
        tree = self.query_one(JsonTree)
        tree.show_root = False
        tree.guide_depth = 2

    @property
    def json_tree(self) -> JsonTree:
        """The JSON tree."""
        return self.query_one(JsonTree)

    @property
    def search_open(self) -> bool:
        """True while the search box is shown."""
        return self.query_one("#inspect-search-bar").has_class("open")

    @property
    def focus_target(self) -> JsonTree:
        """What the pane focuses when entering this tab."""
        return self.json_tree

    async def fetch(self, client: EngineClient, container_id: str) -> ContainerDetail:
        """The container's inspect document."""
        return await client.containers.inspect(container_id)

    def reset(self) -> None:
        self.close_search()
        self.json_tree.clear()

    def show_text(self, text: Text) -> None:
        self.query_one("#inspect-summary", Static).update(text)

    def show_result(self, result: object) -> None:
        assert isinstance(result, ContainerDetail)
        self.query_one("#inspect-summary", Static).update(summary_text(result))
        self._matches = []
        self.json_tree.show_document(result.raw)
        if self.search_open:
            self._search(self.query_one("#inspect-search", Input).value)

    # -- masking -------------------------------------------------------------------------

    def toggle_reveal(self) -> bool:
        """Show or mask secret env values again; returns True when now revealed."""
        tree = self.json_tree
        tree.revealed = not tree.revealed
        tree.relabel([node for node in tree.walk() if node.data is not None and node.data.secret])
        if self.search_open:
            self._search(self.query_one("#inspect-search", Input).value)
        return tree.revealed

    def copy_text(self) -> str | None:
        """The value under the cursor, or None when none (or still masked)."""
        node = self.json_tree.cursor_node
        if node is None or node.data is None or node is self.json_tree.root:
            return None
        if node.data.secret and not self.json_tree.revealed:
            return None
        return node.data.copy_text()

    # -- search --------------------------------------------------------------------------

    def open_search(self) -> None:
        """Show the search box and focus it."""
        self.query_one("#inspect-search-bar").add_class("open")
        self.query_one("#inspect-search", Input).focus()

    def close_search(self) -> bool:
        """Hide and clear the search; returns False when it was not open."""
        if not self.search_open:
            return False
        search = self.query_one("#inspect-search", Input)
        had_focus = search.has_focus
        self.query_one("#inspect-search-bar").remove_class("open")
        search.value = ""
        self._search("")
        if had_focus:
            self.json_tree.focus()
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "inspect-search":
            event.stop()
            self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "inspect-search":
            event.stop()
            self.json_tree.focus()

    def _search(self, query: str) -> None:
        tree = self.json_tree
        previous = self._matches
        tree.highlight = re.compile(re.escape(query), re.IGNORECASE) if query else None
        self._matches = []
        if query:
            needle = query.lower()
            self._matches = [
                node for node in tree.walk()
                if node.data is not None and needle in tree.label_for(node.data).plain.lower()
            ]
        tree.relabel([*previous, *self._matches])
        if self._matches:
            tree.reveal_node(self._matches[0])
        self._show_match_count(1 if self._matches else 0)

    def _show_match_count(self, current: int) -> None:
        total = len(self._matches)
        text = f"{current}/{total}" if total else ("no match" if self.json_tree.highlight else "")
        self.query_one("#inspect-matches", Static).update(Text(text))

    def next_match(self) -> bool:
        """Move the cursor to the next match after the cursor; False without matches."""
        if not self._matches:
            return False
        cursor = self.json_tree.cursor_node
        index = self._matches.index(cursor) + 1 if cursor in self._matches else 0
        index %= len(self._matches)
        self.json_tree.reveal_node(self._matches[index])
        self._show_match_count(index + 1)
        return True
