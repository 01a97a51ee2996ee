"""A container that died is listed once more a moment later: the engine's first answer may be stale."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest

from dtui.engine.models import Event
from dtui.live import feed as feed_module
from dtui.live.feed import Feed
from dtui.live.kinds import containers_kind


def _event(action: str, actor: str = "c1") -> Event:
    return Event(type="container", action=action, actor_id=actor, attributes={}, time_nano=0)


async def _refreshes_after(action: str, monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    monkeypatch.setattr(feed_module, "SETTLE_SECONDS", 0.2)
    asked: list[frozenset[str]] = []
    async def refresh(client: Any, ids: frozenset[str]) -> Sequence[Any]:
        asked.append(ids)
        return []

    kind = dataclasses.replace(containers_kind(show_all=True), refresh=refresh)
    feed: Feed[Any] = Feed("unix:///fake.sock", lambda: None, kind, lambda change: None)  # type: ignore[arg-type,return-value]
    feed.on_event(_event(action))
    await asyncio.sleep(0.6)
    return asked


async def test_a_die_is_listed_again_after_the_settle_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    assert await _refreshes_after("die", monkeypatch) == [frozenset({"c1"}), frozenset({"c1"})]


async def test_other_events_are_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert await _refreshes_after("rename", monkeypatch) == [frozenset({"c1"})]
