"""CPU% and memory for the container table, from one-shot stats samples.

A single one-shot record only gives a lifetime CPU average, so the sampler keeps each
container's previous raw record and differences consecutive ones (the Engine
notes, "Stats"). It samples only the ids it is given (the visible running
rows), at a slow cadence, with a bounded number of requests in flight, and forgets the
baseline of every container that leaves the set: memory stays bounded by the row count.

Wiring it into a widget (the table owner's side)::

    sampler = OverviewSampler(self.app.client_for(host), lambda figures: self.post_message(
        OverviewSampled(figures, host)))  # dtui.ui.messages.OverviewSampled
    sampler.set_containers(visible_running_ids)          # whenever rows scroll or change
    self.run_worker(sampler.run(), group="overview", exclusive=True, exit_on_error=False)

    def on_overview_sampled(self, message: OverviewSampled) -> None:
        for figures in message.figures:                  # update cells by row key
            ...

Cancelling the worker stops sampling; the sampler itself holds no task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dtui.engine.errors import EngineError
from dtui.engine.stats import StatsSample

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient

DEFAULT_INTERVAL = 5.0
"""Seconds between two sampling rounds (the overview cadence)."""

DEFAULT_CONCURRENCY = 4
"""One-shot requests in flight at once."""

FIRST_INTERVAL = 1.0
"""Seconds between the very first two rounds, so CPU% appears soon after start."""


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    """What the table shows for one container.

    Attributes:
        container_id: The id the sampler was given.
        cpu_percent: Percent of one CPU (up to ``online_cpus`` × 100); None until two
            samples exist or when the container has no data (stopped).
        online_cpus: CPUs the percentage is scaled by.
        memory_used: Bytes used without inactive page cache; None when unknown.
        memory_limit: The memory limit (the host's memory when unlimited).
        memory_percent: ``memory_used / memory_limit × 100``, or None.
    """

    container_id: str
    cpu_percent: float | None
    online_cpus: int
    memory_used: int | None
    memory_limit: int | None
    memory_percent: float | None


def figures_from_records(
    container_id: str, raw: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> OverviewFigures:
    """Turn a one-shot record (and the one before it) into overview figures.

    Args:
        container_id: The container the records belong to.
        raw: The latest one-shot record.
        previous: The previous one-shot record of the same container, or None.

    Returns:
        The figures; CPU% is None without ``previous``.
    """
    return figures_from_sample(container_id, StatsSample.from_api(raw, previous), previous is not None)


def figures_from_sample(container_id: str, sample: StatsSample, has_baseline: bool) -> OverviewFigures:
    """Reduce a computed sample to overview figures.

    Args:
        container_id: The container the sample belongs to.
        sample: A sample computed against the previous record.
        has_baseline: False for the first sample (its CPU figure is meaningless).

    Returns:
        The figures; everything None when the sample has no data.
    """
    if not sample.has_data:
        return OverviewFigures(container_id, None, sample.online_cpus, None, None, None)
    return OverviewFigures(
        container_id=container_id,
        cpu_percent=sample.cpu_percent if has_baseline else None,
        online_cpus=sample.online_cpus,
        memory_used=sample.memory_used,
        memory_limit=sample.memory_limit,
        memory_percent=sample.memory_percent,
    )


class OverviewSampler:
    """Samples CPU% and memory of a set of containers, pairwise-differenced.

    Args:
        client: The engine client.
        on_figures: Called after each round with the figures of that round (on the event
            loop; post a message from it rather than touching widgets of another screen).
        interval: Seconds between rounds.
        concurrency: Maximum requests in flight.
        first_interval: Seconds between the first two rounds.
    """

    def __init__(
        self,
        client: EngineClient,
        on_figures: Callable[[list[OverviewFigures]], object],
        *,
        interval: float = DEFAULT_INTERVAL,
        concurrency: int = DEFAULT_CONCURRENCY,
        first_interval: float = FIRST_INTERVAL,
    ) -> None:
        if interval <= 0 or concurrency < 1:
            raise ValueError("interval must be > 0 and concurrency >= 1")
        self._client = client
        self._on_figures = on_figures
        self.interval = interval
        self.first_interval = min(first_interval, interval)
        self._limit = asyncio.Semaphore(concurrency)
        self._ids: tuple[str, ...] = ()
        self._baselines: dict[str, Mapping[str, Any]] = {}

    @property
    def container_ids(self) -> tuple[str, ...]:
        """The containers sampled each round."""
        return self._ids

    def set_containers(self, container_ids: Iterable[str]) -> None:
        """Replace the sampled set (the visible running rows); forget the others' baselines."""
        self._ids = tuple(dict.fromkeys(container_ids))
        keep = set(self._ids)
        for stale in [cid for cid in self._baselines if cid not in keep]:
            del self._baselines[stale]

    async def sample_round(self) -> list[OverviewFigures]:
        """Sample every container of the set once.

        Returns:
            Figures for each container that answered, in set order. A container that
            failed (removed, engine error) is left out and its baseline forgotten.
        """
        ids = self._ids
        results = await asyncio.gather(*(self._sample_one(cid) for cid in ids))
        return [figures for figures in results if figures is not None]

    async def _sample_one(self, container_id: str) -> OverviewFigures | None:
        async with self._limit:
            previous = self._baselines.get(container_id)
            try:
                sample, raw = await self._client.containers.stats_once(container_id, previous)
            except EngineError:  # removed, stopped meanwhile, engine gone: skip this round
                self._baselines.pop(container_id, None)
                return None
        if container_id in self._ids:
            self._baselines[container_id] = raw
        return figures_from_sample(container_id, sample, previous is not None)

    async def run(self) -> None:
        """Sample forever, calling ``on_figures`` after each round; cancel to stop."""
        first = True
        while True:
            if self._ids:
                self._on_figures(await self.sample_round())
            await asyncio.sleep(self.first_interval if first else self.interval)
            first = False
