"""A service's log as a `LogSource`: every task's lines, each labelled with its task (``web.2``).

``GET /services/{id}/logs`` multiplexes every task; the engine layer names each line's task
(:meth:`dtui.engine.swarm.Swarm.service_logs`). The log screen draws the label in its own
colour (as merged logs do) and searches, filters and saves as for one container.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from dtui.engine.errors import EngineError, NotFound
from dtui.engine.log_follow import RESUME_TAIL, ResumeFilter
from dtui.engine.streams import LogLine
from dtui.engine.swarm_models import Service, ServiceLogLine
from dtui.ui.logs.labels import NAME_WIDTH_MAX
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.source import LogBatch, LogRequest, SourceStatus, failed

if TYPE_CHECKING:
    from dtui.engine.client import EngineClient


def _since(when: datetime | None) -> str | None:
    return None if when is None else f"{when.timestamp():.9f}"


def _when(line: LogLine) -> float:
    return line.timestamp.timestamp() if line.timestamp is not None else 0.0


def task_label(task: str) -> str:
    """The task's name cut to the log screen's label width, keeping its slot (``long-na….2``)."""
    if len(task) <= NAME_WIDTH_MAX:
        return task
    service, dot, slot = task.rpartition(".")
    if not dot or len(slot) > 6:
        return task  # a global task (``web.<node id>``): the screen cuts it
    return service[: NAME_WIDTH_MAX - len(slot) - 2] + "…." + slot


def as_log_line(line: ServiceLogLine) -> LogLine:
    """The log screen's line, labelled with its task."""
    stream: Literal["stdout", "stderr"] = "stderr" if line.stream == "stderr" else "stdout"
    return LogLine(line.text, stream, line.timestamp, source=task_label(line.task))


class ServiceLogSource:
    """The logs of every task of one service.

    Args:
        service: The service as listed.
        client: Gives its manager's engine client when the stream opens.
    """

    labelled = True

    def __init__(self, service: Service, client: Callable[[], EngineClient]) -> None:
        self.service = service
        self.name = service.name or service.short_id
        self._client = client

    async def follow(self, request: LogRequest, resume: ResumeFilter) -> AsyncGenerator[LogBatch | SourceStatus, None]:
        """Stream the service's lines (see `LogSource.follow`); errors become statuses."""
        since, tail = request.since, request.tail
        if request.resume:
            since, tail = resume.resume_since(request.since), RESUME_TAIL
        wanted = {name for name, on in (("stdout", request.stdout), ("stderr", request.stderr)) if on}
        yield SourceStatus("following" if request.follow else "reading", tty=self.service.tty)
        try:
            batches = self._client().swarm.service_logs(
                self.service, follow=request.follow, tail=tail, timestamps=True, since=_since(since)
            )
            async with aclosing(batches) as lines:  # type: ignore[type-var]
                async for batch in lines:
                    ordered = sorted(map(as_log_line, batch), key=_when)  # each task's backlog comes whole
                    kept = [line for line in ordered if line.stream in wanted and resume.keep(line)]
                    if kept:
                        yield kept
        except NotFound:
            yield SourceStatus("removed", "the service was removed; the lines above stay readable")
            return
        except EngineError as error:
            yield failed(error)
            return
        yield SourceStatus("ended", "end of log" + (" (the engine closed the stream)" if request.follow else ""))

    async def read_all(self) -> AsyncGenerator[LogBatch, None]:
        """Every line the engine holds for the service, labelled, both streams."""
        batches = self._client().swarm.service_logs(self.service, tail="all", timestamps=True)
        async with aclosing(batches) as lines:  # type: ignore[type-var]
            async for batch in lines:
                yield [as_log_line(line) for line in batch]


def open_service_logs(screen: Any, host: str, service: Service) -> None:
    """Push the log screen over every task of ``service`` (on its manager ``host``)."""
    source = ServiceLogSource(service, lambda: screen.view_host.client_for(host))
    defaults = screen.view_host.config.defaults
    screen.app.push_screen(LogScreen(source, max_lines=defaults.log_buffer, tail=200))

