"""The retry schedule used when an engine goes away."""

from dtui.engine.backoff import Backoff


def test_delays_double_up_to_the_cap() -> None:
    backoff = Backoff(first=0.5, cap=5.0)
    assert [backoff.next_delay() for _ in range(7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0, 5.0]


def test_reset_starts_over() -> None:
    backoff = Backoff(first=0.5, cap=5.0)
    backoff.next_delay()
    backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() == 0.5


def test_many_failures_do_not_overflow() -> None:
    backoff = Backoff(first=1.0, cap=3.0)
    for _ in range(10_000):
        delay = backoff.next_delay()
    assert delay == 3.0
