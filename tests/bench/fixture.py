"""The containers the benchmark measures against, and their cleanup.

Every container carries the test-session labels of ``tests.support.engine`` plus
``dtui.bench=<run id>``, and a name ``0bench-<run id>-NNN``: the leading ``0`` sorts it
before the usual lowercase names, so a fixture row is on the first screen even on an engine
shared with other people's containers.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tests.support import engine as support

BENCH_LABEL = "dtui.bench"
LOG_LIMITS = {"Type": "json-file", "Config": {"max-size": "1m", "max-file": "1"}}
LOGGER_COMMAND = ["sh", "-c", 'i=0; while :; do i=$((i+1)); echo "bench line $i"; sleep 1; done']
QUIET_COMMAND = ["sleep", "86400"]
PARALLEL_CALLS = 4


@dataclass(frozen=True)
class FixtureSpec:
    """How many containers of each kind.

    Attributes:
        quiet: Running containers that print nothing.
        logging: Running containers printing one line a second.
        exited: Containers started once that exited (with various codes).
    """

    quiet: int = 30
    logging: int = 20
    exited: int = 10

    @property
    def total(self) -> int:
        """All containers of the fixture."""
        return self.quiet + self.logging + self.exited

    def describe(self) -> str:
        """E.g. "60 containers (50 running, 20 of them log a line a second; 10 exited)"."""
        running = self.quiet + self.logging
        return (
            f"{self.total} containers ({running} running, {self.logging} of them log a line a second; "
            f"{self.exited} exited)"
        )


DEFAULT_SPEC = FixtureSpec()
SMOKE_SPEC = FixtureSpec(quiet=1, logging=1, exited=1)


class Fixture:
    """Creates labelled containers on ``host`` and removes every one of them at the end.

    Attributes:
        host: The engine address.
        run_id: Short id naming this run's containers.
        prefix: Name prefix of every container made here.
        name_pattern: Matches any of their names in raw terminal output.
    """

    def __init__(self, host: str) -> None:
        self.host = host
        self.run_id = uuid.uuid4().hex[:4]
        self.prefix = f"0bench-{self.run_id}-"
        self.name_pattern = re.compile(re.escape(self.prefix).encode() + rb"\d{3}")
        self._count = 0
        self._extra_ids: list[str] = []

    def _next_name(self) -> str:
        self._count += 1
        return f"{self.prefix}{self._count:03d}"

    def run(self, cmd: list[str], *, name: str | None = None, start: bool = True, **config: Any) -> str:
        """Create (and start) one labelled container with bounded logs; returns its id.

        Rows use this for their own containers (flood loggers and the like); the run's
        cleanup removes them.
        """
        host_config = {"LogConfig": LOG_LIMITS, **config.pop("HostConfig", {})}
        return support.run_container(
            self.host,
            cmd,
            name=name or self._next_name(),
            start=start,
            labels={BENCH_LABEL: self.run_id},
            HostConfig=host_config,
            **config,
        )

    def build(self, spec: FixtureSpec) -> None:
        """Create the fixture's containers (a few at a time) and wait for the exited ones."""
        jobs: list[tuple[list[str], str]] = []
        jobs += [(QUIET_COMMAND, self._next_name()) for _ in range(spec.quiet)]
        jobs += [(LOGGER_COMMAND, self._next_name()) for _ in range(spec.logging)]
        jobs += [(["sh", "-c", f"exit {index % 3}"], self._next_name()) for index in range(spec.exited)]
        exited_names = {name for _, name in jobs[spec.quiet + spec.logging:]}
        with ThreadPoolExecutor(PARALLEL_CALLS) as pool:
            ids = list(pool.map(lambda job: self.run(job[0], name=job[1]), jobs))
        exited_ids = [container_id for container_id, (_, name) in zip(ids, jobs) if name in exited_names]
        self._wait_exited(exited_ids)

    def _wait_exited(self, container_ids: Iterable[str]) -> None:
        with support.sync_client(self.host) as client:
            for container_id in container_ids:
                client.post(f"/containers/{container_id}/wait").raise_for_status()

    def add_created(self, count: int) -> None:
        """Add ``count`` created, never started containers (cheap bulk for big listings)."""
        names = [self._next_name() for _ in range(count)]
        with ThreadPoolExecutor(PARALLEL_CALLS) as pool:
            self._extra_ids += pool.map(lambda name: self.run(QUIET_COMMAND, name=name, start=False), names)

    def remove_created(self) -> None:
        """Remove the containers ``add_created`` made."""
        self._remove(self._extra_ids)
        self._extra_ids = []

    def _remove(self, container_ids: list[str]) -> None:
        def remove(container_id: str) -> None:
            with support.sync_client(self.host) as client:
                client.delete(f"/containers/{container_id}", params={"force": "1", "v": "1"})

        with ThreadPoolExecutor(PARALLEL_CALLS) as pool:
            list(pool.map(remove, container_ids))

    def owned_ids(self) -> list[str]:
        """Ids of every container labelled with this run's id."""
        filters = f'{{"label":["{BENCH_LABEL}={self.run_id}"]}}'
        with support.sync_client(self.host) as client:
            listed = client.get("/containers/json", params={"all": "1", "filters": filters})
            listed.raise_for_status()
            return [item["Id"] for item in listed.json()]

    def cleanup(self) -> int:
        """Force-remove every container this run made; returns how many."""
        ids = self.owned_ids()
        self._remove(ids)
        self._extra_ids = []
        return len(ids)

    def other_containers(self) -> int:
        """How many containers on the engine are not this run's."""
        with support.sync_client(self.host) as client:
            listed = client.get("/containers/json", params={"all": "1"})
            listed.raise_for_status()
            return sum(1 for item in listed.json() if (item.get("Labels") or {}).get(BENCH_LABEL) != self.run_id)
