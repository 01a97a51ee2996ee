"""Images view first paint: from the ``I`` key until an image row is on the screen.

The images are made by tagging the test image ``count`` times into a repository named after
the run (``0bench-<run id>/img:NNN``: the leading ``0`` sorts them first, so a row is on the
first screen even on an engine shared with other people's images); every tag is removed at
the end (the test image keeps its own).
"""

from __future__ import annotations

import re
import statistics
from concurrent.futures import ThreadPoolExecutor

from tests.bench.harness import BenchContext, BenchError, seconds_text
from tests.bench.registry import Figure, bench_row
from tests.support import engine as support

IMAGES = 300
SMOKE_IMAGES = 5
TARGET_SECONDS = 0.3
KEY_TIMEOUT = 20.0
PARALLEL_CALLS = 4
LISTED = re.compile(rb"\d+/\d+ running")


def _repository(ctx: BenchContext) -> str:
    return f"0bench-{ctx.fixture.run_id}/img"


def _tag_all(host: str, repository: str, count: int) -> list[str]:
    tags = [f"{index:03d}" for index in range(1, count + 1)]

    def tag(name: str) -> None:
        with support.sync_client(host) as client:
            client.post(f"/images/{support.TEST_IMAGE}/tag", params={"repo": repository, "tag": name}).raise_for_status()

    with ThreadPoolExecutor(PARALLEL_CALLS) as pool:
        list(pool.map(tag, tags))
    return [f"{repository}:{name}" for name in tags]


def _untag_all(host: str, references: list[str]) -> None:
    def untag(reference: str) -> None:
        with support.sync_client(host) as client:
            client.delete(f"/images/{reference}")

    with ThreadPoolExecutor(PARALLEL_CALLS) as pool:
        list(pool.map(untag, references))


def _time_images_key(ctx: BenchContext, pattern: re.Pattern[bytes]) -> float:
    with ctx.dtui() as program:
        # The container list is not what is measured: any listing will do (the fixture's
        # rows may be below other runs' on a shared engine).
        if program.wait_for(LISTED, ctx.options.list_timeout) is None:
            raise BenchError(f"no container listing within {ctx.options.list_timeout:.0f} s")
        ctx.settle(program)
        offset = program.received
        pressed_at = program.write(b"I")
        shown_at = program.wait_for(pattern, KEY_TIMEOUT, since=offset)
        if shown_at is None:
            tail = program.output_text()[-400:]
            raise BenchError(f"no image row within {KEY_TIMEOUT:.0f} s of the I key; output ends: {tail!r}")
        return shown_at - pressed_at


@bench_row("images view first paint", order=70)
def images_first_paint(ctx: BenchContext) -> list[Figure]:
    """Median / max over ``options.samples`` starts of the time from ``I`` to the first image row."""
    count = SMOKE_IMAGES if ctx.options.smoke else IMAGES
    repository = _repository(ctx)
    references = _tag_all(ctx.host, repository, count)
    pattern = re.compile(re.escape(repository).encode() + rb":\d{3}")
    try:
        times = [_time_images_key(ctx, pattern) for _ in range(ctx.options.samples)]
    finally:
        _untag_all(ctx.host, references)
    ctx.note(f"Images view: {count} tags of the test image made for the run (plus the engine's own images); "
             "the clock runs from writing `I` to the pty until a tag's name arrives in dtui's output "
             "(the view subscribes to events, lists images and containers, and paints).")
    median = statistics.median(times)
    return [Figure(
        f"images view first paint, {count} images (tags): `I` until a row is on screen (median / max of {len(times)})",
        f"{seconds_text(median)} / {seconds_text(max(times))}",
        target=f"≤ {TARGET_SECONDS} s",
        met=(max(times) if len(times) == 1 else median) <= TARGET_SECONDS,
        numbers=tuple(times),
    )]
