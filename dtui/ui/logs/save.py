"""Saving a log screen's lines (``ctrl+s``) to a new file: an existing file is never overwritten.

What is saved: the lines held (the buffer), or, where the screen can fetch it
(`LogSaveScreen._read_all`), the complete log afresh from the engine (``ctrl+s`` again in
the prompt switches). Lines are written as their raw text (what ``docker logs`` prints),
without dtui's notices; a labelled line starts with its label.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Final

from rich.text import Text
from textual import work
from textual.message import Message

from dtui.engine.errors import EngineError
from dtui.engine.streams import LogLine
from dtui.ui.logs.base import DEFAULT_TAIL, PromptKind
from dtui.ui.logs.search import LogSearchScreen
from dtui.ui.logs.source import Tail
from dtui.ui.logs.view import DEFAULT_MAX_LINES
from dtui.ui.safe_text import safe_plain

SAVE_CHUNK: Final = 2000
"""Lines of a full-log fetch written (and reported as progress) at a time."""
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class LogSaveProgressed(Message):
    """A full-log save wrote ``lines`` lines so far."""

    path: str
    lines: int


@dataclass
class LogSaved(Message):
    """A save finished: ``lines`` lines written to ``path``."""

    path: str
    lines: int
    full: bool


@dataclass
class LogSaveFailed(Message):
    """A save failed (file or engine error); ``reason`` is for the user (untrusted parts)."""

    path: str
    reason: str


def default_save_path(name: str, now: datetime | None = None) -> str:
    """The save prompt's default: ``./<name>-<YYYYmmdd-HHMMSS>.log`` in local time.

    Args:
        name: The log's name (untrusted: reduced to safe file-name characters).
        now: The current time (tests pass a fixed one).

    Returns:
        A relative path.
    """
    stem = _UNSAFE_FILE_CHARS.sub("_", name).lstrip(".")[:60] or "container"
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"./{stem}-{stamp}.log"


def write_new_file(path: str, lines: list[str]) -> int:
    """Write lines (each followed by a newline) to a file that must not exist yet.

    Args:
        path: Where to write.
        lines: Raw line text.

    Returns:
        The number of lines written.

    Raises:
        OSError: Including FileExistsError: nothing is ever overwritten.
    """
    with open(path, "x", encoding="utf-8", errors="surrogateescape", newline="") as handle:
        handle.writelines("".join(line + "\n" for line in lines[start : start + SAVE_CHUNK]) for start in range(0, len(lines), SAVE_CHUNK))
    return len(lines)


def saved_text(line: LogLine) -> str:
    """A line as a save writes it: ``label text`` for a labelled line, else its text."""
    return line.text if line.source is None else f"{safe_plain(line.source)} {line.text}"


class LogSaveScreen(LogSearchScreen):
    """A log screen that saves (see `LogScreenBase` for the arguments)."""

    can_save_full = True
    """``ctrl+s`` in the save prompt switches to the complete log (`_read_all`)."""

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, tail: Tail = DEFAULT_TAIL) -> None:
        super().__init__(max_lines, tail)
        self._save_full = False
        self._save_status = ""

    # -------------------------------------------------------------- hooks

    def _save_name(self) -> str:
        """The name the default file name starts with."""
        return "log"

    def _lines_to_save(self) -> list[str]:
        """The buffer as saved: each line's raw text, without dtui's notices."""
        return [entry.text for entry in self.view.entries if entry.kind != "notice"]

    def _read_all(self) -> AsyncGenerator[list[LogLine], None]:
        """The complete log afresh from the engine (only with `can_save_full`)."""
        raise NotImplementedError

    # -------------------------------------------------------------- prompt

    def on_unmount(self) -> None:
        self.workers.cancel_group(self, "logs-save")

    def action_save(self) -> None:
        """Ask where to save; ctrl+s again in the prompt switches buffer / complete log."""
        if self._prompt_kind == "save":
            if self.can_save_full:
                self._save_full = not self._save_full
                self._refresh_save_title()
            return
        self._save_full = False
        self._open_prompt("save", default_save_path(self._save_name()), "file to write (never overwritten)")
        self._refresh_save_title()

    def _refresh_save_title(self) -> None:
        if not self.can_save_full:
            title = "save the lines shown"
        elif self._save_full:
            title = "save full log from engine (ctrl+s: buffer)"
        else:
            title = "save buffer (ctrl+s: full log)"
        self.prompt.border_title = title

    def _prompt_value_submitted(self, kind: PromptKind, value: str) -> None:
        if kind == "save":
            self._save_submitted(value)
        else:
            super()._prompt_value_submitted(kind, value)

    def _save_submitted(self, value: str) -> None:
        path = os.path.expanduser(value.strip())
        if not path:
            self.notify("Give a file name", severity="warning", markup=False)
            return
        if os.path.lexists(path):
            self.notify(
                f"{path} exists: it is never overwritten; choose another name",
                title="File exists", severity="warning", markup=False,
            )
            return
        self._close_prompt()
        if self._save_full:
            self._set_save_status("saving full log: 0 lines")
            self._save_full_log(path)
        else:
            lines = self._lines_to_save()
            self._set_save_status(f"saving {len(lines)} lines")
            self._save_buffer(path, lines)

    def _set_save_status(self, status: str) -> None:
        self._save_status = status
        self._refresh_marker()

    def _marker_extra(self) -> Text:
        extra = super()._marker_extra()
        if self._save_status:
            extra.append(f" · {self._save_status}")
        return extra

    # -------------------------------------------------------------- workers

    @work(group="logs-save", thread=True, exit_on_error=False)
    def _save_buffer(self, path: str, lines: list[str]) -> None:
        """Write the buffer's lines to a new file (in a thread: file I/O)."""
        try:
            written = write_new_file(path, lines)
        except OSError as error:
            self.post_message(LogSaveFailed(path, error.strerror or str(error)))
            return
        self.post_message(LogSaved(path, written, full=False))

    @work(group="logs-save", exit_on_error=False)
    async def _save_full_log(self, path: str) -> None:
        """Fetch the complete log afresh (both streams, no timestamps) into a new file."""
        try:
            handle = await asyncio.to_thread(
                open, path, "x", encoding="utf-8", errors="surrogateescape", newline=""
            )
        except OSError as error:
            self.post_message(LogSaveFailed(path, error.strerror or str(error)))
            return
        try:
            written = await self._write_full_log(path, handle)
        except EngineError as error:
            self.post_message(LogSaveFailed(path, "engine: " + error.message))
            return
        except OSError as error:
            self.post_message(LogSaveFailed(path, error.strerror or str(error)))
            return
        finally:
            await asyncio.to_thread(handle.close)
        self.post_message(LogSaved(path, written, full=True))

    async def _write_full_log(self, path: str, handle: IO[str]) -> int:
        """Copy `_read_all` into ``handle`` in chunks; returns the lines written."""
        written = 0
        chunk: list[str] = []
        async for batch in self._read_all():
            chunk.extend(saved_text(line) + "\n" for line in batch)
            while len(chunk) >= SAVE_CHUNK:
                piece, chunk = chunk[:SAVE_CHUNK], chunk[SAVE_CHUNK:]
                await asyncio.to_thread(handle.write, "".join(piece))
                written += SAVE_CHUNK
                self.post_message(LogSaveProgressed(path, written))
        await asyncio.to_thread(handle.write, "".join(chunk))
        return written + len(chunk)

    def on_log_save_progressed(self, message: LogSaveProgressed) -> None:
        self._set_save_status(f"saving full log: {message.lines} lines")

    def on_log_saved(self, message: LogSaved) -> None:
        self._set_save_status("")
        what = "full log" if message.full else "buffer"
        self.notify(f"Saved {what}: {message.lines} lines to {message.path}", markup=False)

    def on_log_save_failed(self, message: LogSaveFailed) -> None:
        self._set_save_status("")
        reason = safe_plain(message.reason, max_length=300)
        self.notify(f"Could not save {message.path}: {reason}", severity="error", markup=False)
