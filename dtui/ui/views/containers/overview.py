"""CPU% and MEM of the running rows in view, sampled per host (the container screen's overview)."""

from __future__ import annotations

from textual import events
from textual.worker import Worker

from dtui.core.overview import DEFAULT_INTERVAL, OverviewFigures, OverviewSampler
from dtui.ui.messages import OverviewSampled
from dtui.ui.views.containers.hosts import HostsMixin
from dtui.ui.views.containers.table import ContainerTable, StatsCells
from dtui.ui.views.table import NO_VALUE, row_key, split_row_key
from dtui.ui.widgets.stats_panel import format_bytes


def overview_cells(figures: OverviewFigures) -> StatsCells:
    """The CPU% and MEM cells of one container's figures (``—`` for what is unknown)."""
    cpu_text = NO_VALUE if figures.cpu_percent is None else f"{figures.cpu_percent:.1f}%"
    mem_text = NO_VALUE if figures.memory_used is None else format_bytes(figures.memory_used)
    memory = None if figures.memory_used is None else float(figures.memory_used)
    return StatsCells(cpu_text, mem_text, figures.cpu_percent, memory)


class OverviewMixin(HostsMixin):
    """Samples what is on screen only, stops while another screen is on top."""

    _samplers: dict[str, OverviewSampler]
    _overview_workers: dict[str, Worker[None]]
    _sampling_soon: set[str]  # hosts whose sampler starts after the next paint
    _overview_on: bool  # False while another screen is on top
    _started: bool

    @property
    def containers_table(self) -> ContainerTable:
        """The container table."""
        return self.query_one(ContainerTable)

    def start_overview(self) -> None:
        """Turn the overview on; each host's worker starts once it has rows in view."""
        self._overview_on = True
        self.overview_follow_view()

    def _sampler_of(self, host: str) -> OverviewSampler:
        sampler = self._samplers.get(host)
        if sampler is None:
            interval = self.dtui.config.defaults.stats_interval

            def report(figures: list[OverviewFigures]) -> None:
                self.post_message(OverviewSampled(figures, host))

            sampler = self._samplers[host] = OverviewSampler(
                self.dtui.client_for(host), report, interval=interval if interval > 0 else DEFAULT_INTERVAL
            )
        return sampler

    def sample_overview(self, host: str) -> Worker[None]:
        """Sample ``host``'s visible running rows every ``stats_interval`` s; cancelled to stop."""
        return self.run_worker(
            self._sampler_of(host).run(), name=f"overview {host}", group=f"overview {host}",
            exclusive=True, exit_on_error=False,
        )

    def _stop_overview(self) -> None:
        self._overview_on = False
        for host in list(self._overview_workers):
            self.workers.cancel_group(self, f"overview {host}")
        self._overview_workers.clear()

    def hosts_left(self, hosts: set[str]) -> None:
        """Stop sampling the hosts not in ``hosts``."""
        for host in [h for h in list(self._samplers) if h not in hosts]:
            self.workers.cancel_group(self, f"overview {host}")
            self._overview_workers.pop(host, None)
            del self._samplers[host]

    def _running_in_view(self) -> dict[str, list[str]]:
        """Per host, the ids of running, reachable rows scrolled into view."""
        table = self.containers_table
        in_view: dict[str, list[str]] = {host: [] for host in self.dtui.hosts}
        for key in table.keys_in_view():
            container = table.container(key)
            host, container_id = split_row_key(key)
            if container is not None and container.is_running and not table.is_stale(key) and host in in_view:
                in_view[host].append(container_id)
        return in_view

    def overview_follow_view(self, *_: object) -> None:
        """Sample the running rows in view now; clear the figures of rows no longer running.

        Called whenever rows scroll, get filtered, sorted, re-listed, a host goes or comes
        back, or the screen resizes. Rows of an unreachable host are not sampled.
        """
        if not self.is_mounted:
            return
        for host, ids in self._running_in_view().items():
            if not ids and host not in self._samplers:
                continue
            self._sampler_of(host).set_containers(ids)
            if self._overview_on and ids and self._sampler_idle(host) and host not in self._sampling_soon:
                # Stats connections wait for the screen to paint: the rows come first.
                self._sampling_soon.add(host)
                self.call_after_refresh(self._start_sampling, host)
        table = self.containers_table
        stale = {
            key: StatsCells() for key in table.stats_keys()
            if (container := table.container(key)) is None or not container.is_running
        }
        if stale:
            table.set_many_stats(stale)

    def _sampler_idle(self, host: str) -> bool:
        worker = self._overview_workers.get(host)
        return worker is None or worker.is_finished

    def _start_sampling(self, host: str) -> None:
        """Start sampling ``host`` if it still has running rows in view and the overview is on."""
        self._sampling_soon.discard(host)
        sampler = self._samplers.get(host)
        if self.is_mounted and self._overview_on and sampler is not None and sampler.container_ids \
                and self._sampler_idle(host):
            self._overview_workers[host] = self.sample_overview(host)

    def on_overview_sampled(self, message: OverviewSampled) -> None:
        table = self.containers_table
        host = message.host or self.host
        cells = {
            key: overview_cells(figures)
            for figures in message.figures
            if (container := table.container(key := row_key(host, figures.container_id))) is not None
            and container.is_running and not table.is_stale(key)
        }
        if cells:
            table.set_many_stats(cells)
        self.overview_follow_view()  # a CPU/memory sort may have moved rows in or out of view

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.overview_follow_view)

    def on_screen_suspend(self) -> None:
        """Another screen is on top: stop the overview and the pane's timers and streams."""
        self._stop_overview()
        if self.detail_pane is not None:
            for view in self.detail_pane.query("TopView, StatsView"):
                view.stop()  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        """Back on top: resume the overview and the pane's active tab."""
        if not self._started:
            return  # first showing: on_mount starts the overview
        self.start_overview()
        if self.has_class("-pane-open") and self.detail_pane is not None:
            self.detail_pane.resume()
