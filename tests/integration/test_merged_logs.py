"""The merged log screen against a real engine: two containers interleaved by timestamp."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from dtui.engine.client import EngineClient
from dtui.ui.app import DtuiApp
from dtui.ui.logs.merged import MergedLogScreen, name_label
from dtui.ui.logs.view import LogView, plain_of
from tests.support import engine as support
from tests.support.wait import wait_until

PITCH = 0.5
"""Seconds between two numbers of one container; the other writes half-way in between."""

COUNT = 16


def counter(first: int, start_at: int, delay: float) -> list[str]:
    """Wait for the wall clock to reach ``start_at``, then print first, first+2... every PITCH.

    Both containers wait for the same second, so the odd one (no delay) and the even one
    (half a pitch later) interleave: 1, 2, 3, 4... by engine timestamp, whatever order their
    streams reach dtui in.
    """
    script = (
        f"while [ $(date +%s) -lt {start_at} ]; do sleep 0.02; done; sleep {delay}; "
        f"i={first}; while [ $i -le {COUNT} ]; do echo \"n $i\"; i=$((i+2)); sleep {PITCH}; done; "
        "sleep 3600"
    )
    return ["sh", "-c", script]


@pytest.mark.not_on_podman(
    "podman 4.3 stamps log lines to the whole second (timestamps=1 gives 2026-12-03T13:33:54Z), "
    "so lines half a second apart cannot be ordered by time"
)
async def test_two_containers_merge_in_timestamp_order_tail_and_live(
    engine_host: str, engine: EngineClient, make_container: Callable[..., str]
) -> None:
    start_at = int(time.time()) + 3
    odd_id = make_container(counter(1, start_at, 0))
    even_id = make_container(counter(2, start_at, PITCH / 2))
    listed = {c.id: c for c in await engine.containers.list(all=True)}
    host = engine.endpoint.host
    # Open when about half the numbers are written: those come as the tails, the rest live.
    await asyncio.sleep(max(0.0, start_at + COUNT * PITCH / 4 - time.time()))
    app = DtuiApp(endpoint=engine.endpoint, client=engine)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = MergedLogScreen([(host, listed[odd_id]), (host, listed[even_id])])
        await app.push_screen(screen)
        view = screen.query_one(LogView)
        await wait_until(pilot, lambda: view.line_count >= COUNT, timeout=15)
        names = [plain_of(e.text).split()[0] for e in view.entries]
        numbers = [int(plain_of(e.text).split()[-1]) for e in view.entries]
        assert numbers == list(range(1, COUNT + 1))
        assert names == [name_label(listed[odd_id if n % 2 else even_id].name) for n in numbers]
        stamps = [e.timestamp for e in view.entries]
        assert stamps == sorted(stamps)  # type: ignore[type-var]
        assert screen._merger.late == 0

        await pilot.press("1")  # hide the odd container
        assert [int(plain_of(e.text).split()[-1]) for e in view.entries] == list(range(2, COUNT + 1, 2))

        with support.sync_client(engine_host) as http:
            http.delete(f"/containers/{even_id}", params={"force": "1"}).raise_for_status()
        await wait_until(pilot, lambda: screen.sources[1].state == "removed", timeout=15)
        await pilot.pause(0.5)
        assert any(e.kind == "notice" and "removed" in e.text for e in view.entries)
        await pilot.press("escape")
        await pilot.pause()
        assert not [w for w in app.workers if w.group.startswith("merged-") and not w.is_finished]
