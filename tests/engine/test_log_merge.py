"""LogMerger and merge_runs: timestamp order across sources, the reorder window, bounds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dtui.engine.log_merge import LogMerger, merge_runs

BASE = datetime(2026, 11, 28, 12, 0, 0, tzinfo=timezone.utc)


def at(ms: int) -> datetime:
    """A timestamp ``ms`` milliseconds after BASE."""
    return BASE + timedelta(milliseconds=ms)


def payloads(released: list[tuple[int, str]]) -> list[str]:
    return [payload for _, payload in released]


# ---------------------------------------------------------------------- merge_runs


def test_merge_runs_interleaves_two_sources_by_timestamp() -> None:
    odd = [(at(n), f"a{n}") for n in (1, 3, 5, 7)]
    even = [(at(n), f"b{n}") for n in (2, 4, 6, 8)]
    merged = merge_runs([odd, even])
    assert payloads(merged) == ["a1", "b2", "a3", "b4", "a5", "b6", "a7", "b8"]
    assert [source for source, _ in merged] == [0, 1, 0, 1, 0, 1, 0, 1]


def test_merge_runs_equal_timestamps_keep_source_then_arrival_order() -> None:
    first = [(at(1), "a1"), (at(1), "a2")]
    second = [(at(1), "b1"), (at(1), "b2")]
    assert payloads(merge_runs([second, first])) == ["b1", "b2", "a1", "a2"]
    assert payloads(merge_runs([first, second])) == ["a1", "a2", "b1", "b2"]


def test_merge_runs_sorts_a_slightly_unordered_run_and_carries_missing_stamps() -> None:
    run = [(at(5), "late-stdout"), (at(3), "early-stderr"), (None, "after-early")]
    other = [(at(4), "b4")]
    assert payloads(merge_runs([run, other])) == ["early-stderr", "after-early", "b4", "late-stdout"]


def test_merge_runs_of_nothing() -> None:
    assert merge_runs([[], []]) == []
    assert merge_runs([]) == []


# ---------------------------------------------------------------------- tails


def test_nothing_is_released_until_every_tail_is_in() -> None:
    merger: LogMerger[str] = LogMerger(2, hold=0.2)
    merger.add_tail(0, [(at(1), "a1"), (at(3), "a3")])
    merger.push(0, at(5), "a5", now=0.0)
    assert merger.release(now=10.0) == []
    assert merger.waiting == {1}
    merger.add_tail(1, [(at(2), "b2"), (at(4), "b4")])
    assert payloads(merger.release(now=10.0)) == ["a1", "b2", "a3", "b4", "a5"]
    assert len(merger) == 0


def test_live_lines_stamped_before_the_newest_tail_line_come_out_with_the_tails() -> None:
    merger: LogMerger[str] = LogMerger(2, hold=0.2)
    merger.add_tail(0, [(at(1), "a1")])
    merger.push(0, at(3), "a3-live", now=0.0)  # A follows while B's tail is still read
    merger.push(0, at(9), "a9-live", now=0.0)
    merger.add_tail(1, [(at(2), "b2"), (at(4), "b4")])
    assert payloads(merger.release(now=0.0)) == ["a1", "b2", "a3-live", "b4"]
    assert merger.late == 0
    assert payloads(merger.release(now=0.2)) == ["a9-live"]


def test_give_up_stops_waiting_for_a_failed_source() -> None:
    merger: LogMerger[str] = LogMerger(2)
    merger.add_tail(0, [(at(1), "a1")])
    merger.give_up(1)
    assert payloads(merger.release(now=0.0)) == ["a1"]


# ---------------------------------------------------------------------- reorder window


def ready(sources: int = 2, hold: float = 0.2, max_held: int = 1000) -> LogMerger[str]:
    merger: LogMerger[str] = LogMerger(sources, hold=hold, max_held=max_held)
    for source in range(sources):
        merger.add_tail(source, [])
    return merger


def test_live_lines_are_held_for_the_window_then_released() -> None:
    merger = ready()
    merger.push(0, at(1), "a1", now=1.0)
    assert merger.release(now=1.1) == []
    assert payloads(merger.release(now=1.2)) == ["a1"]


def test_two_sources_arriving_out_of_order_within_the_window_come_out_in_order() -> None:
    merger = ready()
    # B's stream delivers its lines 150 ms after A's, though B wrote in between.
    merger.push(0, at(1), "a1", now=1.00)
    merger.push(0, at(3), "a3", now=1.00)
    merger.push(1, at(2), "b2", now=1.15)
    merger.push(1, at(4), "b4", now=1.15)
    released = merger.release(now=1.20)
    # a1 and a3 have waited the window; b2 is stamped before a3, so it comes out too.
    assert payloads(released) == ["a1", "b2", "a3"]
    assert payloads(merger.release(now=1.35)) == ["b4"]
    assert merger.late == 0


def test_a_line_is_never_held_much_longer_than_the_window() -> None:
    merger = ready()
    merger.push(0, at(10), "a10", now=0.0)
    # A flood of earlier-stamped lines keeps arriving: a10 still comes out on time.
    for step in range(1, 5):
        merger.push(1, at(step), f"b{step}", now=step * 0.05)
    assert payloads(merger.release(now=0.2)) == ["b1", "b2", "b3", "b4", "a10"]


def test_equal_timestamps_keep_arrival_order() -> None:
    merger = ready()
    merger.push(1, at(1), "b1", now=0.0)
    merger.push(0, at(1), "a1", now=0.0)
    merger.push(1, at(1), "b1-again", now=0.0)
    assert payloads(merger.release(now=1.0)) == ["b1", "a1", "b1-again"]


def test_a_line_later_than_the_window_is_shown_not_dropped_and_counted() -> None:
    merger = ready()
    merger.push(0, at(5), "a5", now=0.0)
    assert payloads(merger.release(now=0.2)) == ["a5"]
    merger.push(1, at(2), "b2-late", now=0.5)  # stamped before a5, already shown
    assert payloads(merger.release(now=0.5)) == ["b2-late"]  # no point in holding it
    assert merger.late == 1
    merger.push(1, at(6), "b6", now=0.6)
    assert payloads(merger.release(now=0.8)) == ["b6"]
    assert merger.late == 1


def test_a_source_that_ends_does_not_hold_the_others_back() -> None:
    merger = ready()
    merger.push(0, at(1), "a1", now=0.0)
    merger.push(0, None, "notice: a exited", now=0.0)
    merger.push(1, at(2), "b2", now=0.1)
    assert payloads(merger.release(now=0.2)) == ["a1", "notice: a exited"]
    for step in range(3, 6):
        merger.push(1, at(step), f"b{step}", now=0.1 * step)
    assert payloads(merger.release(now=0.9)) == ["b2", "b3", "b4", "b5"]
    assert len(merger) == 0


def test_a_notice_is_ordered_after_its_source_newest_line() -> None:
    merger = ready()
    merger.push(0, at(1), "a1", now=0.0)
    merger.push(1, at(5), "b5", now=0.0)
    merger.push(0, None, "a stopped", now=0.0)
    merger.push(0, at(3), "a3-after-restart", now=0.0)
    assert payloads(merger.release(now=0.2)) == ["a1", "a stopped", "a3-after-restart", "b5"]


def test_a_notice_of_a_silent_source_comes_after_what_was_released() -> None:
    merger = ready()
    merger.push(0, at(5), "a5", now=0.0)
    merger.release(now=0.2)
    merger.push(1, None, "b removed", now=0.3)
    assert payloads(merger.release(now=0.5)) == ["b removed"]
    assert merger.late == 0


def test_held_lines_are_bounded() -> None:
    merger = ready(max_held=3)
    for step in range(10):
        merger.push(0, at(step), f"a{step}", now=0.0)
        assert len(merger) <= 10
    assert len(merger._held) == 3
    # The ones pushed out early come first, still in order; beyond max_held of those too,
    # the oldest were dropped (counted).
    assert merger.dropped == 4
    assert payloads(merger.release(now=0.0)) == ["a4", "a5", "a6"]
    assert payloads(merger.release(now=0.2)) == ["a7", "a8", "a9"]


def test_lines_pushed_while_a_tail_is_awaited_are_bounded() -> None:
    merger: LogMerger[str] = LogMerger(2, max_held=3)
    merger.add_tail(0, [])
    for step in range(10):
        merger.push(0, at(step), f"a{step}", now=0.0)
    assert len(merger) == 6 and merger.dropped == 4
    merger.give_up(1)
    assert payloads(merger.release(now=1.0)) == [f"a{step}" for step in range(4, 10)]


def test_tails_are_bounded() -> None:
    merger: LogMerger[str] = LogMerger(1, max_held=2)
    merger.add_tail(0, [(at(n), f"a{n}") for n in range(5)])
    assert payloads(merger.release(now=0.0)) == ["a3", "a4"]


def test_drain_releases_everything_in_order() -> None:
    merger: LogMerger[str] = LogMerger(2)
    merger.add_tail(0, [(at(3), "a3")])
    merger.push(0, at(4), "a4", now=0.0)
    assert payloads(merger.drain()) == ["a3", "a4"]


def test_max_held_must_be_positive() -> None:
    with pytest.raises(ValueError):
        LogMerger(1, max_held=0)
