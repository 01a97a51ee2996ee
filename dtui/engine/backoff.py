"""Retry delays after an engine failure: short at first, doubling to a cap."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

FIRST_DELAY: Final = 0.5
MAX_DELAY: Final = 5.0


@dataclass(slots=True)
class Backoff:
    """The delay before each retry: ``first``, doubled per failure, never above ``cap``.

    Attributes:
        first: Seconds before the first retry.
        cap: The longest wait between two tries (so a returning engine is seen within it).
        failures: Failed tries since the last success.
    """

    first: float = FIRST_DELAY
    cap: float = MAX_DELAY
    failures: int = field(default=0)

    def next_delay(self) -> float:
        """Count one more failure and return how long to wait before the next try."""
        delay: float = min(self.cap, self.first * 2.0 ** min(self.failures, 16))
        self.failures += 1
        return delay

    def reset(self) -> None:
        """The engine answered: the next failure waits ``first`` again."""
        self.failures = 0
