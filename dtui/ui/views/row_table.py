"""The base of every table of dtui: one row under the cursor, Home and End go to the first and last row."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


class RowTable(DataTable[Text]):
    """A DataTable whose cursor is a row; Home/End move it to the first/last row.

    DataTable's own Home and End scroll sideways, which users of less, htop or a file
    manager do not expect of a list (ctrl+home/ctrl+end still do what Home/End do here).
    """

    HELP_GROUP: ClassVar[str] = "Table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First row", show=False, id="table.first_row"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="table.last_row"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
