"""Status texts read into an anchor and told again as time passes; ports in their short form."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from dtui.core.status_clock import exit_code, follow_status, human_duration, read_status
from dtui.engine.models import Port
from dtui.ui.views.containers.table import short_ports

T0 = datetime(2026, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("seconds", "words"), [
    (0.4, "Less than a second"), (1, "1 second"), (59, "59 seconds"), (60, "About a minute"),
    (119, "About a minute"), (120, "2 minutes"), (3599, "59 minutes"), (3600, "About an hour"),
    (5399, "About an hour"), (5400, "2 hours"), (47 * 3600, "47 hours"), (48 * 3600, "2 days"),
    (14 * 86400, "2 weeks"), (60 * 86400, "2 months"), (730 * 86400, "2 years"),
])
def test_durations_in_the_daemons_words(seconds: float, words: str) -> None:
    assert human_duration(seconds) == words


def test_up_exited_and_unknown_texts() -> None:
    up = read_status("running", "Up 3 seconds (health: starting)", T0)
    assert up.anchor == T0 - timedelta(seconds=3)
    assert up.render(T0 + timedelta(minutes=2)) == "Up 2 minutes (health: starting)"
    paused = read_status("paused", "Up 2 days (Paused)", T0)
    assert paused.render(T0 + timedelta(days=1)) == "Up 3 days (Paused)"
    exited = read_status("exited", "Exited (137) About a minute ago", T0)
    assert exited.render(T0 + timedelta(hours=1)) == "About an hour".join(["Exited (137) ", " ago"])
    assert exit_code("Exited (137) About a minute ago") == 137 and exit_code("Up 1 second") is None
    for state, text in (("created", "Created"), ("dead", "Dead"), ("running", "Up for ages"),
                        ("exited", "Up 3 seconds")):
        clock = read_status(state, text, T0)
        assert clock.anchor is None and clock.render(T0 + timedelta(days=9)) == text


def test_a_later_listing_that_agrees_keeps_the_finer_anchor() -> None:
    first = read_status("running", "Up 3 seconds", T0)
    later = T0 + timedelta(minutes=30, seconds=50)
    kept = follow_status(first, "running", "Up 30 minutes", later)
    assert kept.anchor == first.anchor  # 30 min 53 s: it agrees
    moved = follow_status(first, "running", "Up 2 seconds", later)  # restarted meanwhile
    assert moved.anchor == later - timedelta(seconds=2)
    stopped = follow_status(first, "exited", "Exited (0) 5 seconds ago", later)
    assert stopped.anchor == later - timedelta(seconds=5) and stopped.prefix == "Exited (0) "


def test_short_ports_drop_wildcards_and_fold_ranges() -> None:
    def port(private: int, public: int | None = None, ip: str = "0.0.0.0", kind: str = "tcp") -> Port:
        return Port(private_port=private, type=kind, ip=ip if public else "", public_port=public)

    ports = (port(80, 8080), port(80, 8080, "::"), port(9000, 9000), port(9001, 9001), port(9002, 9002),
             port(53, 5353, kind="udp"), port(6379), port(5432, 15432, "127.0.0.1"), port(7000), port(7001))
    assert short_ports(ports) == (
        "6379/tcp, 7000-7001/tcp, 8080->80/tcp, 9000-9002->9000-9002/tcp, 5353->53/udp, "
        "127.0.0.1:15432->5432/tcp"
    )
    assert short_ports(()) == ""
