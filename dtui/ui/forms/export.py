"""Export a container's filesystem as a tar file, streamed to disk with a progress bar.

The tar is written to ``<path>.part`` and renamed over ``<path>`` only when complete, so a
cancelled or failed export never leaves a truncated tar nor destroys the file it was to
replace. Memory stays at one chunk (~32 KiB): nothing accumulates. Esc during an export
cancels it and removes the partial file. The result is the path written, or None.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Label, ProgressBar, Static

from dtui.engine.errors import EngineError
from dtui.engine.models import ContainerSummary
from dtui.core.hosts import client_for
from dtui.ui.safe_text import safe_line, safe_plain
from dtui.ui.screens.choice import ChoiceScreen
from dtui.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

REFRESH_SECONDS = 0.2
"""How often the progress bar and rate are redrawn (not once per chunk)."""
PART_SUFFIX = ".part"


def format_bytes(count: float) -> str:
    """``1536`` -> ``1.5 KiB`` (binary units, one decimal above bytes)."""
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"  # pragma: no cover - the loop always returns


def default_path(container_name: str) -> str:
    """``./<name>.tar`` (the name made safe as a file name)."""
    stem = safe_plain(container_name).replace("/", "_").strip(".") or "container"
    return f"./{stem}.tar"


@dataclass
class ExportStarted(Message):
    """The stream is about to start; ``total`` is the estimated size (None = unknown)."""

    total: int | None


@dataclass
class ExportFinished(Message):
    """The tar is complete at ``path``."""

    path: str
    written: int


@dataclass
class ExportFailed(Message):
    """The export failed; the partial file was removed."""

    message: str


class ExportScreen(ReportsWorkerErrors, ModalScreen[str | None]):
    """Ask for a path and stream the container's export there.

    Args:
        container: The container to export.
        clock: Monotonic seconds (tests pass a fixed clock for deterministic rates).
    """

    CSS_PATH = "../forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", priority=True, id="export.start"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(
        self, container: ContainerSummary, *, clock: Callable[[], float] = time.monotonic, host: str | None = None
    ) -> None:
        super().__init__()
        self.container = container
        self.host = host  # the engine the container lives on (None: the current one)
        self._clock = clock
        self._written = 0
        self._started_at = 0.0
        self._exporting = False
        self._timer: Timer | None = None

    @property
    def client(self) -> EngineClient:
        """The engine client of this screen's host (``DtuiApp.client_for``)."""
        return client_for(self.app, self.host)

    def compose(self) -> ComposeResult:
        title = Text("Export ", style="bold")
        title.append_text(safe_line(self.container.name, max_length=50))
        title.append(" as a tar")
        with Vertical(id="export-panel", classes="panel"):
            yield Static(title, classes="panel-title")
            with Horizontal(classes="field"):
                yield Label("Path", classes="field-label")
                yield Input(default_path(self.container.name), id="export-path", compact=True)
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static("", id="export-status")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-start", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#export-progress").display = False
        self.query_one("#export-path", Input).focus()

    # ----- actions ----------------------------------------------------------

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed, "#export-start")
    def _start_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_export(self) -> None:
        """Check the path, confirm an overwrite, then start streaming."""
        if self._exporting:
            return
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._show_status(Text("Give a path for the tar file.", style="bold"))
            return
        path = Path(text).expanduser()
        if path.is_dir():
            self._show_status(Text(f"{path} is a directory: give a file name.", style="bold"))
            return
        if path.exists():
            question = Text(f"{path} exists. Replace it with the export?")
            choices = [("Overwrite", True, "warning"), ("Keep it", False, "default")]
            self.app.push_screen(
                ChoiceScreen("Overwrite?", question, choices), lambda yes: self._begin(path) if yes else None
            )
            return
        self._begin(path)

    def _begin(self, path: Path) -> None:
        self._exporting = True
        self._written = 0
        self.query_one("#export-start", Button).disabled = True
        self.query_one("#export-path", Input).disabled = True
        self._show_status(Text("Starting…"))
        self.export_to(path)

    def action_cancel(self) -> None:
        """Cancel a running export (partial file removed), else close."""
        if self._exporting:
            self.workers.cancel_group(self, "export")
            self._stop_timer()
            self._exporting = False
        self.dismiss(None)

    # ----- the worker -------------------------------------------------------

    @work(group="export", exit_on_error=False)
    async def export_to(self, path: Path) -> None:
        """Stream the export into ``<path>.part``, then rename it to ``path``."""
        partial = path.with_name(path.name + PART_SUFFIX)
        try:
            total = await self._estimated_size()
            self.post_message(ExportStarted(total))
            with partial.open("wb") as sink:
                written = await self.client.containers.export(self.container.id, sink, progress=self._progressed)
            os.replace(partial, path)
        except EngineError as error:
            self.post_message(ExportFailed(error.message))
        except OSError as error:
            self.post_message(ExportFailed(f"{error.strerror or error}: {error.filename or path}"))
        else:
            self.post_message(ExportFinished(str(path), written))
        finally:
            partial.unlink(missing_ok=True)

    async def _estimated_size(self) -> int | None:
        """The container's filesystem size (``SizeRootFs``), the tar's approximate size."""
        try:
            detail = await self.client.containers.inspect(self.container.id, size=True)
        except EngineError:
            return None
        size = detail.raw.get("SizeRootFs")
        return size if isinstance(size, int) and size > 0 else None

    def _progressed(self, written: int) -> None:
        # Called per chunk: only remember; the timer redraws.
        self._written = written

    # ----- results ----------------------------------------------------------

    def on_export_started(self, message: ExportStarted) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=message.total, progress=0)
        bar.display = True
        self._started_at = self._clock()
        self._timer = self.set_interval(REFRESH_SECONDS, self._redraw)
        self._redraw()

    def on_export_finished(self, message: ExportFinished) -> None:
        self._stop_timer()
        self._written = message.written
        self._exporting = False
        self.query_one("#export-progress", ProgressBar).update(total=max(message.written, 1), progress=message.written)
        # A plain string: Textual's toast cannot paint a Rich Text.
        self.app.notify(
            safe_plain(f"Exported {format_bytes(message.written)} to {message.path}", max_length=300),
            title="Export",
            markup=False,
        )
        self.dismiss(message.path)

    def on_export_failed(self, message: ExportFailed) -> None:
        self._stop_timer()
        self._exporting = False
        self.query_one("#export-start", Button).disabled = False
        self.query_one("#export-path", Input).disabled = False
        status = Text("Export failed: ", style="bold")
        status.append_text(safe_line(message.message, max_length=400))
        self._show_status(status)

    def _redraw(self) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        written = self._written
        if bar.total is not None and written > bar.total:
            bar.update(total=written)
        bar.update(progress=written)
        elapsed = self._clock() - self._started_at
        rate = f"{format_bytes(written / elapsed)}/s" if elapsed > 0 else "—"
        total = f" of ~{format_bytes(bar.total)}" if bar.total else ""
        self._show_status(Text(f"{format_bytes(written)}{total} · {rate} · Esc cancels"))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _show_status(self, text: Text) -> None:
        self.query_one("#export-status", Static).update(text)
