"""Live resource figures as fixed-scale sparklines.

Textual's ``Sparkline`` always scales to its data, so a flat 50% CPU line would fill the
whole height. `FixedSparkline` draws against a given maximum (CPU: 100 × online CPUs,
memory: the limit) and keeps a bounded deque of points.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from dtui.engine.errors import EngineError, NotFound
from dtui.engine.stats import RateField, StatsSample, rate
from dtui.ui.widgets.detail_common import ContainerTab, engine_client

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from dtui.engine.client import EngineClient

BARS = "▁▂▃▄▅▆▇█"
"""Levels 1..8 of a one-row sparkline; a missing point is a space."""

HISTORY = 120
"""Points kept per sparkline: two minutes at the streaming cadence of one a second."""

CADENCE_LIMIT = 30
"""Seconds between two samples beyond which the gap is a pause (stopped, paused), not the cadence."""

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def format_bytes(value: float) -> str:
    """Human-readable IEC size (``1.5MiB``)."""
    size = float(value)
    for unit in _UNITS:
        if abs(size) < 1024 or unit == _UNITS[-1]:
            return f"{size:.0f}{unit}" if unit == "B" else f"{size:.1f}{unit}"
        size /= 1024
    raise AssertionError("unreachable")


def bar_for(value: float | None, maximum: float) -> str:
    """The sparkline character of one point.

    Args:
        value: The point, or None for a gap.
        maximum: The top of the scale (> 0).

    Returns:
        A space for a gap, else one of `BARS`; any value >= 0 shows at least the lowest bar.
    """
    if value is None or maximum <= 0:
        return " "
    level = math.ceil(max(value, 0.0) / maximum * len(BARS))
    return BARS[min(max(level, 1), len(BARS)) - 1]


class FixedSparkline(Widget):
    """A one-row sparkline; newest point on the right.

    Args:
        maximum: Top of the scale; None scales to the largest point shown (for rates).
        capacity: Points kept.
    """

    DEFAULT_CSS = """
    FixedSparkline {
        height: 1;
        width: 1fr;
    }
    """

    maximum: reactive[float | None] = reactive(None)

    def __init__(
        self,
        maximum: float | None = None,
        *,
        capacity: int = HISTORY,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.points: deque[float | None] = deque(maxlen=capacity)
        self.set_reactive(FixedSparkline.maximum, maximum)

    def push(self, value: float | None) -> None:
        """Append a point (None leaves a gap)."""
        self.points.append(value)
        self.refresh()

    def clear(self) -> None:
        """Forget every point."""
        self.points.clear()
        self.refresh()

    def scale(self, shown: list[float | None]) -> float:
        """The top of the scale for these points."""
        if self.maximum is not None:
            return self.maximum
        return max((p for p in shown if p is not None), default=0.0) or 1.0

    def render(self) -> Text:
        width = max(self.size.width, 0)
        shown = list(self.points)[-width:] if width else []
        top = self.scale(shown)
        bars = "".join(bar_for(point, top) for point in shown)
        return Text(bars.rjust(width))


@dataclass(frozen=True, slots=True)
class Metric:
    """One row of the stats panel: how to read its point and label from two samples."""

    key: str
    title: str
    value: Callable[[StatsSample | None, StatsSample], float | None]
    label: Callable[[StatsSample | None, StatsSample], str]
    fixed_scale: Callable[[StatsSample], float | None]


def _cpu_value(_prev: StatsSample | None, cur: StatsSample) -> float | None:
    return cur.cpu_percent if cur.has_data else None


def _cpu_label(_prev: StatsSample | None, cur: StatsSample) -> str:
    top = 100 * cur.online_cpus
    if cur.cpu_percent is None or not cur.has_data:
        return f"— / {top}%"
    return f"{cur.cpu_percent:.1f}% / {top}%"


def _memory_value(_prev: StatsSample | None, cur: StatsSample) -> float | None:
    return float(cur.memory_used) if cur.memory_used is not None and cur.has_data else None


def _memory_label(_prev: StatsSample | None, cur: StatsSample) -> str:
    if cur.memory_used is None or not cur.has_data:
        return "—"
    limit = f" / {format_bytes(cur.memory_limit)}" if cur.memory_limit else ""
    percent = f" {cur.memory_percent:.1f}%" if cur.memory_percent is not None else ""
    return f"{format_bytes(cur.memory_used)}{limit}{percent}"


def _memory_scale(cur: StatsSample) -> float | None:
    return float(cur.memory_limit) if cur.memory_limit else None


def _rate_metric(key: str, title: str, field: RateField) -> Metric:
    def value(prev: StatsSample | None, cur: StatsSample) -> float | None:
        return rate(prev, cur, field) if prev is not None else None

    def label(prev: StatsSample | None, cur: StatsSample) -> str:
        per_second = value(prev, cur)
        return "—" if per_second is None else f"{format_bytes(per_second)}/s"

    return Metric(key, title, value, label, lambda _cur: None)


def _pids_value(_prev: StatsSample | None, cur: StatsSample) -> float | None:
    return float(cur.pids) if cur.pids is not None and cur.has_data else None


def _pids_label(_prev: StatsSample | None, cur: StatsSample) -> str:
    return "—" if cur.pids is None or not cur.has_data else str(cur.pids)


METRICS: tuple[Metric, ...] = (
    Metric("cpu", "CPU", _cpu_value, _cpu_label, lambda cur: 100.0 * cur.online_cpus),
    Metric("mem", "MEM", _memory_value, _memory_label, _memory_scale),
    _rate_metric("net-rx", "NET rx", "net_rx"),
    _rate_metric("net-tx", "NET tx", "net_tx"),
    _rate_metric("blk-read", "BLK rd", "block_read"),
    _rate_metric("blk-write", "BLK wr", "block_write"),
    Metric("pids", "PIDs", _pids_value, _pids_label, lambda _cur: None),
)


class StatsPanel(Vertical):
    """One labelled fixed-scale sparkline per metric, fed sample by sample."""

    DEFAULT_CSS = """
    StatsPanel { height: auto; }
    StatsPanel > Horizontal { height: 1; }
    StatsPanel .metric-title { width: 7; color: $text-muted; }
    StatsPanel .metric-value { width: 27; }
    """

    def __init__(self, *, capacity: int = HISTORY, id: str | None = None) -> None:
        super().__init__(id=id)
        self._capacity = capacity
        self._previous: StatsSample | None = None

    def compose(self) -> ComposeResult:
        for metric in METRICS:
            with Horizontal(id=f"row-{metric.key}"):
                yield Static(Text(metric.title), classes="metric-title")
                yield Static(Text("—"), id=f"value-{metric.key}", classes="metric-value")
                yield FixedSparkline(capacity=self._capacity, id=f"spark-{metric.key}")

    def record(self, sample: StatsSample) -> None:
        """Add one sample: a point per sparkline and the current values."""
        previous = self._previous
        for metric in METRICS:
            spark = self.query_one(f"#spark-{metric.key}", FixedSparkline)
            fixed = metric.fixed_scale(sample)
            if fixed is not None:
                spark.maximum = fixed
            spark.push(metric.value(previous, sample))
            self.query_one(f"#value-{metric.key}", Static).update(Text(metric.label(previous, sample)))
        self._previous = sample if sample.has_data else None

    def reset(self) -> None:
        """Forget every point (another container, or the stream restarted)."""
        self._previous = None
        for metric in METRICS:
            self.query_one(f"#spark-{metric.key}", FixedSparkline).clear()
            self.query_one(f"#value-{metric.key}", Static).update(Text("—"))


class StatsView(ContainerTab):
    """The Stats tab: streams the shown container's stats while visible."""

    DEFAULT_CSS = """
    StatsView #stats-status { height: 1; padding: 0 1; color: $text-muted; }
    StatsView StatsPanel { padding: 0 1; }
    """
    GROUP = "detail-stats"
    DOING = "streaming stats"
    STREAMS = True
    LOADING = "waiting for samples…"

    def __init__(self, *, capacity: int = HISTORY, id: str | None = None) -> None:
        super().__init__(id=id)
        self._capacity = capacity
        self._last_read: datetime | None = None
        self._cadence = 1

    def compose(self) -> ComposeResult:
        yield Static(Text("waiting for samples…"), id="stats-status")
        yield StatsPanel(capacity=self._capacity)

    @property
    def streaming(self) -> bool:
        """True while the stats stream is open (or opening)."""
        return self.live

    async def results(self, client: EngineClient, container_id: str) -> AsyncIterator[object]:
        """Every streamed sample until cancelled or the engine closes the stream."""
        async for sample in client.containers.stats(container_id):
            yield sample

    def reset(self) -> None:
        self.query_one(StatsPanel).reset()
        self._last_read, self._cadence = None, 1

    def show_text(self, text: Text) -> None:
        self.query_one("#stats-status", Static).update(text)

    def show_result(self, result: object) -> None:
        assert isinstance(result, StatsSample)
        if not self.live:
            return
        self.query_one(StatsPanel).record(result)
        if result.has_data:
            self.show_text(Text(self._live_text(result.read)))
        else:
            self.show_text(Text("no data: the container is not running"))

    def ended(self) -> None:
        self.show_text(Text("stream ended"))
        self.run_worker(self._check_gone(self.container_id), group="detail-stats-check",
                        exclusive=True, exit_on_error=False)

    async def _check_gone(self, container_id: str) -> None:
        """After the stream closed: was the container removed?"""
        try:
            await engine_client(self).containers.inspect(container_id)
        except NotFound:
            if container_id == self.container_id:
                self.container_removed()
        except EngineError:
            pass


    def _live_text(self, read: datetime | None) -> str:
        """The status line: the engine's own cadence (Docker 1 s, Podman 5 s) and the history span."""
        previous, self._last_read = self._last_read, read
        seconds = 1
        if read is not None and previous is not None:
            seconds = max(1, round((read - previous).total_seconds()))
        self._cadence = seconds if seconds < CADENCE_LIMIT else self._cadence
        minutes = self._capacity * self._cadence / 60
        every = "one sample a second" if self._cadence == 1 else f"one sample every {self._cadence} s"
        return f"live · {every} · last {minutes:g} min"
