"""The log screen against a real engine: lines appear; stop + start resumes without repeats."""

from __future__ import annotations

from collections.abc import Callable

from dtui.engine.client import EngineClient
from dtui.engine.models import ContainerSummary
from dtui.ui.app import DtuiApp
from dtui.ui.logs.screen import LogScreen
from dtui.ui.logs.view import LogView
from tests.support import engine as support
from tests.support.wait import wait_until

COUNTER = ["sh", "-c", 'i=0; while :; do i=$((i+1)); echo "n $i"; echo "e $i" >&2; sleep 0.05; done']


async def test_follow_survives_stop_and_start_without_repeats(
    engine_host: str, engine: EngineClient, make_container: Callable[..., str]
) -> None:
    container_id = make_container(COUNTER)
    summary = next(c for c in await engine.containers.list(all=True) if c.id == container_id)
    app = DtuiApp(endpoint=engine.endpoint, client=engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = LogScreen(ContainerSummary.from_api({"Id": summary.id, "Names": [f"/{summary.name}"]}))
        await app.push_screen(screen)
        view = screen.query_one(LogView)
        await wait_until(pilot, lambda: view.line_count >= 10, timeout=15.0)
        assert screen.state == "following"
        rows = [view.render_line(y).text for y in range(view.size.height)]
        assert any(row.startswith("E e ") for row in rows)
        assert any(row.startswith("  n ") for row in rows)

        with support.sync_client(engine_host) as http:
            http.post(f"/containers/{container_id}/stop", params={"t": "1"}).raise_for_status()
            await wait_until(pilot, lambda: screen.state == "stopped", timeout=15.0)
            assert any("stream ended (container stopped" in e.text for e in view.entries)
            http.post(f"/containers/{container_id}/start").raise_for_status()
        # The counter restarts at 1 in the new run: wait for lines of the second run.
        before = view.line_count
        await wait_until(pilot, lambda: screen.state == "following" and view.line_count >= before + 10, timeout=15.0)

        for stream in ("stdout", "stderr"):
            runs = _split_runs([e.text for e in view.entries if e.kind == stream])
            assert len(runs) == 2
            for run in runs:
                numbers = [int(text.split()[1]) for text in run]
                assert numbers == list(range(1, len(numbers) + 1)), "a line repeated or went missing"
        await pilot.press("escape")
        await pilot.pause()
        assert not [w for w in app.workers if w.group == "logs" and not w.is_finished]


def _split_runs(lines: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    for line in lines:
        if line.endswith(" 1") or not runs:
            runs.append([])
        runs[-1].append(line)
    return runs
