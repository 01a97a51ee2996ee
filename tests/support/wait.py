"""The one polling helper of the tests: let the app run until a condition holds, or fail."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

STEP_SECONDS = 0.05


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], *, timeout: float = 10.0, what: str = "condition"
) -> None:
    """Pause the app in small steps until ``condition()`` is truthy.

    Args:
        pilot: The running test app's pilot (its pauses let messages and workers run).
        condition: Checked before every pause.
        timeout: Seconds before giving up.
        what: Named in the failure message.

    Raises:
        AssertionError: When ``condition()`` is still falsy after ``timeout`` seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"{what} not met within {timeout:g} s")
        await pilot.pause(STEP_SECONDS)
