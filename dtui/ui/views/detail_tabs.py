"""What a resource detail pane's tabs hold: declared tabs, their content, and the tab body.

A tab is declared once as data (:class:`DetailTab`, or :func:`inspect_tab` for the usual
inspect document); its ``load`` gets the row's host client and the object and returns a
:class:`Document` (a searchable JSON tree, secret env values masked, as the container
Inspect tab shows), :class:`Rows` (a table) or plain ``str``. :class:`TabBody` shows any of
them, every text sanitized. The pane that holds the tabs is :mod:`dtui.ui.views.detail`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from dtui.ui.safe_text import safe_line
from dtui.ui.widgets.json_tree import JsonSearch, JsonTree, summary_lines

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

MAX_CELL_CHARS = 200
MAX_TEXT_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class Document:
    """A JSON document shown as a searchable tree, under a few summary lines.

    Attributes:
        raw: The document (an inspect answer).
        summary: ``(title, value)`` lines shown above the tree.
    """

    raw: Mapping[str, Any]
    summary: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True, slots=True)
class Rows:
    """A small table (e.g. image history): headers and rows of plain (untrusted) text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Content = Document | Rows | str
"""What a tab's ``load`` returns."""

LoadCall = Callable[["EngineClient", Any], Awaitable[Content]]
"""Loads one tab's content: (the object's host client, the object)."""


@dataclass(frozen=True, slots=True)
class DetailTab:
    """One tab of the detail pane.

    Attributes:
        id: The tab id (also the ``show_tab`` argument).
        title: The tab's title (the pane numbers it: ``1 Inspect``).
        load: Builds the content for an object.
    """

    id: str
    title: str
    load: LoadCall


def inspect_tab(
    inspect: Callable[[EngineClient, Any], Awaitable[Any]],
    *,
    summary: Callable[[Any], Sequence[tuple[str, str]]] | None = None,
    title: str = "Inspect",
) -> DetailTab:
    """The inspect tab: ``inspect`` returns a model with a ``raw`` mapping (or the mapping itself).

    Args:
        inspect: The engine call, e.g. ``lambda client, image: client.images.inspect(image.id)``.
        summary: ``(title, value)`` lines from the model, shown above the tree.
        title: The tab title.
    """

    async def load(client: EngineClient, item: Any) -> Content:
        model = await inspect(client, item)
        raw = model if isinstance(model, Mapping) else getattr(model, "raw", {})
        return Document(raw, summary(model) if summary is not None else ())

    return DetailTab("inspect", title, load)


class TabBody(Vertical):
    """One tab's content: a document tree with search, a table, or text."""

    DEFAULT_CSS = """
    TabBody { height: 1fr; }
    TabBody .-search-bar { height: 1; display: none; }
    TabBody .-search-bar.open { display: block; }
    TabBody .-search { border: none; height: 1; width: 1fr; padding: 0 1; }
    TabBody .-matches { width: auto; min-width: 8; padding: 0 1; }
    TabBody .-summary { height: auto; max-height: 50%; padding: 0 1; text-wrap: nowrap;
                        text-overflow: ellipsis; border-bottom: solid $panel; }
    TabBody .-text { padding: 0 1; }
    TabBody JsonTree, TabBody DataTable { height: 1fr; }
    """

    def __init__(self, tab: DetailTab, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tab = tab
        self.loaded_for: str | None = None
        self.content: Content | None = None
        self.search = JsonSearch(self, bar=".-search-bar", box=".-search", count=".-matches")

    def compose(self) -> ComposeResult:
        yield Static(Text("loading…", style="italic"), classes="-summary")
        with Horizontal(classes="-search-bar"):
            yield Input(placeholder="search keys and values", classes="-search")
            yield Static(Text(""), classes="-matches")
        yield JsonTree(Text("document"))
        yield DataTable[Text](cursor_type="row", zebra_stripes=False)
        yield Static(Text(""), classes="-text")

    def on_mount(self) -> None:
        tree = self.query_one(JsonTree)
        tree.show_root = False
        tree.guide_depth = 2
        self._show_only(None)

    # -- content -----------------------------------------------------------------------

    def _show_only(self, shown: type[Any] | None) -> None:
        self.query_one(JsonTree).display = shown is Document
        self.query_one(DataTable).display = shown is Rows
        self.query_one(".-text", Static).display = shown is str

    def reset(self, notice: str = "loading…") -> None:
        """Forget the content (another object, or loading again)."""
        self.loaded_for = None
        self.content = None
        self.close_search()
        self.say(notice)
        self._show_only(None)

    def say(self, notice: str) -> None:
        """Show one italic line instead of the summary."""
        summary = self.query_one(".-summary", Static)
        summary.display = True
        summary.update(Text(notice, style="italic"))

    def show_content(self, key: str, content: Content) -> None:
        """Show a loaded content."""
        self.loaded_for = key
        self.content = content
        summary = self.query_one(".-summary", Static)
        summary.display = False
        if isinstance(content, Document):
            self._show_document(content)
        elif isinstance(content, Rows):
            self._show_rows(content)
        else:
            self._show_only(str)
            self.query_one(".-text", Static).update(safe_line(content[:MAX_TEXT_CHARS], keep_sgr=False))

    def _show_document(self, document: Document) -> None:
        summary = self.query_one(".-summary", Static)
        if document.summary:
            summary.update(summary_lines(document.summary))
            summary.display = True
        self.search.forget()
        self.query_one(JsonTree).show_document(document.raw)
        self._show_only(Document)
        self.search.rerun()

    def _show_rows(self, rows: Rows) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear(columns=True)
        for header in rows.headers:
            table.add_column(Text(header, style="bold"))
        for row in rows.rows:
            table.add_row(*(safe_line(cell, max_length=MAX_CELL_CHARS, keep_sgr=False) for cell in row))
        self._show_only(Rows)

    @property
    def focus_target(self) -> JsonTree | DataTable[Text] | None:
        """What gets focus inside this tab."""
        if isinstance(self.content, Document):
            return self.query_one(JsonTree)
        if isinstance(self.content, Rows):
            return self.query_one(DataTable)
        return None

    # -- search (documents) ------------------------------------------------------------

    @property
    def search_open(self) -> bool:
        """True while the search box is shown."""
        return self.search.is_open

    def open_search(self) -> bool:
        """Show the search box (documents only); False when this tab has nothing to search."""
        if not isinstance(self.content, Document):
            return False
        self.search.open()
        return True

    def close_search(self) -> bool:
        """Hide and clear the search; False when it was not open."""
        return self.search.close()

    @on(Input.Changed, ".-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search.search(event.value)

    @on(Input.Submitted, ".-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(JsonTree).focus()

    def next_match(self) -> bool:
        """Move to the next match; False without matches."""
        return self.search.next_match()

    def toggle_reveal(self) -> bool:
        """Show or mask secret env values; True when now revealed."""
        return self.search.toggle_reveal()

    def copy_text(self) -> str | None:
        """The focused value (tree node or table row), None when none or still masked."""
        tree = self.query_one(JsonTree)
        if tree.has_focus and tree.cursor_node is not None and tree.cursor_node.data is not None:
            entry = tree.cursor_node.data
            return None if entry.secret and not tree.revealed else entry.copy_text()
        table: DataTable[Text] = self.query_one(DataTable)
        if table.has_focus and table.row_count:
            return "\t".join(cell.plain for cell in table.get_row_at(table.cursor_row))
        return None
