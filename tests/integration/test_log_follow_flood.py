"""A flood followed across a restart on a real engine: the resume is since + a bounded tail.

The container writes a numbered flood per run (the run number kept in a file, which
survives the restart), then sleeps. The follower reads run 1 to its end, the container is
restarted, and run 2 comes through the resume: asked with ``since`` and `RESUME_TAIL`
(never ``tail=all``, which makes the engine read the whole log file first), with no line
twice, and only lines older than the bounded tail (if the flood outran the resume) lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

import pytest

from dtui.engine.client import EngineClient
from dtui.engine.log_follow import RESUME_TAIL, LogFollower, LogsEnded, LogsResumed
from dtui.engine.streams import LogLine
from tests.support import engine as support

LINES = 10 * RESUME_TAIL
FLOOD = [
    "sh", "-c",
    (
        'r=$(( $(cat /tmp/run 2>/dev/null || echo 0) + 1 )); echo $r > /tmp/run; '
        f'awk -v r=$r \'BEGIN {{ for (i = 1; i <= {LINES}; i++) print "r" r " " i }}\'; exec sleep 600'
    ),
]


@pytest.mark.not_on_podman(
    "podman 4.3 loses the end of a partial (P) k8s-file record while following a fast-growing log: "
    "lines arrive glued ('r2 45700r2 4' seen), with or without dtui's resume"
)
async def test_a_restarted_flood_resumes_with_since_and_a_bounded_tail(
    engine_host: str, engine: EngineClient, make_container: Callable[..., str], monkeypatch: Any
) -> None:
    container_id = make_container(FLOOD)
    asked: list[dict[str, Any]] = []
    real = engine.containers.log_batches

    def spy(container: str, **kwargs: Any) -> AsyncGenerator[list[LogLine], None]:
        asked.append(kwargs)
        return real(container, **kwargs)  # type: ignore[return-value]

    monkeypatch.setattr(engine.containers, "log_batches", spy)
    follower = LogFollower(engine, container_id, tail="all", restart_poll=0.05)
    runs: dict[str, list[int]] = {"r1": [], "r2": []}
    events: list[object] = []
    restarted = False
    async with asyncio.timeout(60), aclosing(follower.batches()) as items:
        async for item in items:
            if not isinstance(item, list):
                events.append(item)
                continue
            for line in item:
                run, number = line.text.split()
                runs[run].append(int(number))
            if not restarted and runs["r1"] and runs["r1"][-1] == LINES:
                restarted = True
                with support.sync_client(engine_host) as http:
                    http.post(f"/containers/{container_id}/restart", params={"t": "0"}).raise_for_status()
            if runs["r2"] and runs["r2"][-1] == LINES:
                break

    assert runs["r1"] == list(range(1, LINES + 1))
    second = runs["r2"]
    assert second == list(range(second[0], LINES + 1)), "a line of the second run repeated or went missing"
    # Lost only what the bounded tail could not hold: everything from the resume on came.
    assert second[0] == 1 or len(second) >= RESUME_TAIL
    assert any(isinstance(event, LogsEnded) for event in events)
    assert any(isinstance(event, LogsResumed) for event in events)
    opening, *resumes = asked
    assert opening["tail"] == "all" and opening["since"] is None
    assert resumes and all(r["tail"] == RESUME_TAIL and r["since"] is not None for r in resumes)

