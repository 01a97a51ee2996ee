"""A "compose project" made of three labelled containers, grouped and driven from the table (real engine)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from dtui.engine.endpoint import parse_host
from dtui.ui.app import DtuiApp
from dtui.ui.screens.modals import ConfirmScreen
from dtui.ui.views.containers.compose import GroupedContainerTable, group_key
from tests.support import engine as support
from tests.ui.compose_support import compose_labels

# Stops on TERM at once (busybox sleep as PID 1 would wait the whole grace period).
QUICK_STOP = ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"]


async def _wait(pilot: Pilot[Any], check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {check}")
        await pilot.pause(0.05)


def _running(host: str, ids: list[str]) -> list[bool]:
    with support.sync_client(host) as client:
        return [client.get(f"/containers/{cid}/json").json()["State"]["Running"] for cid in ids]


async def test_a_labelled_project_is_one_group_that_stops_and_starts_as_one(
    engine_host: str, make_container: Callable[..., str]
) -> None:
    project = f"dtui-t{uuid.uuid4().hex[:8]}"
    ids = [
        make_container(QUICK_STOP, name=f"{project}-{service}-{number}", labels=compose_labels(project, service, number))
        for service, number in (("web", 1), ("web", 2), ("db", 1))
    ]
    filters = f"label={support.TEST_LABEL}={support.SESSION_ID} label=com.docker.compose.project={project}"
    app = DtuiApp(endpoint=parse_host(engine_host), filters=filters, show_all=True, stop_timeout=2)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(GroupedContainerTable)
        await _wait(pilot, lambda: len(table.objects) == 3)
        await pilot.press("g")
        gkey = group_key(engine_host, project)

        def state() -> str:
            group = table.groups().get(gkey)
            return table.group_cells(group)["state"].plain if group is not None else ""

        await _wait(pilot, lambda: table.visible_keys()[:1] == [gkey])
        assert len(table.groups()) == 1 and len(table.visible_keys()) == 4  # one group row, three containers
        assert [table.get(k).name for k in table.visible_keys()[1:]] == [  # type: ignore[union-attr]
            f"{project}-db-1", f"{project}-web-1", f"{project}-web-2",
        ]
        assert state() == "3/3 running"
        table.move_cursor(row=0)
        await pilot.press("x")
        await _wait(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.question.plain.startswith(f"Stop project {project}: 3 containers")  # type: ignore[attr-defined]
        await pilot.press("y")
        await _wait(pilot, lambda: state() == "0/3 running")  # live: the events re-list the rows
        assert _running(engine_host, ids) == [False, False, False]
        await pilot.press("s", "y")
        await _wait(pilot, lambda: state() == "3/3 running")
        assert _running(engine_host, ids) == [True, True, True]
        assert table.grouped and table.cursor_key == gkey  # the mode and the cursor survived the re-lists
