"""The shells pane: how fast output goes through the terminal widget (pyte + painting), in-process.

``seq 1 LINES`` as a shell would write it (CR LF), fed by a fake source to a mounted
:class:`~dtui.ui.terminal.view.TerminalView` in a headless 80x24 app until the last number
is on its screen; beside it the same bytes through the emulator alone (pyte's floor).
"""

from __future__ import annotations

import asyncio
import time

from textual.app import App, ComposeResult

from dtui.ui.terminal.emulator import FEED_CHUNK, Emulator
from dtui.ui.terminal.view import TerminalView
from tests.bench.harness import BenchContext
from tests.bench.registry import Figure, bench_row
from tests.ui.terminal_support import FakeSource

LINES = 200_000
READ = 65536


def _output() -> bytes:
    return "".join(f"{number}\r\n" for number in range(1, LINES + 1)).encode()


class _PaneApp(App[None]):
    def __init__(self, source: FakeSource) -> None:
        super().__init__()
        self.source = source

    def compose(self) -> ComposeResult:
        yield TerminalView(self.source)


async def _through_widget(data: bytes) -> float:
    source = FakeSource()
    app = _PaneApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.query_one(TerminalView)
        started = time.perf_counter()
        for start in range(0, len(data), READ):
            source.write(data[start : start + READ])
        last = str(LINES)
        while last not in view.screen_text():
            await asyncio.sleep(0.005)
        await pilot.pause()  # the last frame painted
        return time.perf_counter() - started


def _through_emulator(data: bytes) -> float:
    emulator = Emulator(80, 24)
    started = time.perf_counter()
    for start in range(0, len(data), FEED_CHUNK):
        emulator.feed(data[start : start + FEED_CHUNK])
    return time.perf_counter() - started


@bench_row("shell pane throughput", order=70, smoke=False)
def shell_pane(ctx: BenchContext) -> list[Figure]:
    """Lines/s of ``seq 1 200000`` through the widget, beside pyte alone."""
    data = _output()
    widget = asyncio.run(_through_widget(data))
    floor = _through_emulator(data)
    rate, floor_rate = LINES / widget, LINES / floor
    return [Figure(
        f"shell pane: lines/s of seq 1 {LINES:,} through the terminal widget (80x24)",
        f"{rate:,.0f}", target="≥ 50 000", baseline=f"pyte alone {floor_rate:,.0f}",
        ratio=f"{floor_rate / rate:.1f}× slower than pyte", met=rate >= 50_000, numbers=(rate, floor_rate),
    )]
