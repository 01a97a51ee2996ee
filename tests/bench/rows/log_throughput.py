"""Reading a finished log: lines/s through dtui's engine layer against curl on the same socket."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time

from dtui.engine.client import EngineClient
from dtui.engine.endpoint import parse_host
from tests.bench.harness import BenchContext, ratio_text, seconds_text
from tests.bench.registry import Figure, bench_row
from tests.support import engine as support

LINES = 2_000_000
TARGET_RATIO = 0.5
EXIT_TIMEOUT = 120.0


def wait_exited(host: str, container_id: str, timeout: float) -> None:
    """Block until the container has exited (its log is complete)."""
    with support.sync_client(host, timeout=timeout + 10) as client:
        client.post(f"/containers/{container_id}/wait", timeout=timeout).raise_for_status()


async def _count_lines(host: str, container_id: str, raw: bool) -> int:
    async with EngineClient(parse_host(host)) as client:
        client.raw_streams = client.raw_streams and raw
        await client.connect()
        count = 0
        async for _line in client.containers.logs(container_id, tty=False, stderr=False):
            count += 1
        return count


def time_engine_layer(host: str, container_id: str, raw: bool = True) -> tuple[float, int]:
    """Seconds and LogLines to read the whole log through ``Containers.logs``.

    Args:
        raw: Let the client read the socket itself (False: through httpx, as over ssh).
    """
    started = time.monotonic()
    count = asyncio.run(_count_lines(host, container_id, raw))
    return time.monotonic() - started, count


def time_curl(host: str, container_id: str) -> tuple[float, int] | None:
    """Seconds and bytes for curl to download the same log over the unix socket (None: no curl / not unix)."""
    curl = shutil.which("curl")
    if curl is None or not host.startswith("unix://"):
        return None
    url = f"http://x/v1.41/containers/{container_id}/logs?stdout=1"
    started = time.monotonic()
    result = subprocess.run([curl, "-sS", "--unix-socket", host.removeprefix("unix://"), "-o", "/dev/null",
                             "-w", "%{size_download}", url], capture_output=True, text=True, check=True)
    return time.monotonic() - started, int(result.stdout.strip())


@bench_row("log throughput", order=60, smoke=False)
def log_throughput(ctx: BenchContext) -> list[Figure]:
    """`seq 1 2000000` in a container; read its finished log with follow=0 both ways."""
    container_id = ctx.fixture.run(["seq", "1", str(LINES)], HostConfig={"LogConfig": {"Type": "json-file", "Config": {}}})
    wait_exited(ctx.host, container_id, EXIT_TIMEOUT)
    dtui_seconds, count = time_engine_layer(ctx.host, container_id)
    if count != LINES:
        raise RuntimeError(f"read {count} lines, expected {LINES}")
    dtui_rate = count / dtui_seconds
    httpx_seconds, httpx_count = time_engine_layer(ctx.host, container_id, raw=False)
    curl = time_curl(ctx.host, container_id)
    curl_rate = LINES / curl[0] if curl else None
    ctx.note(f"Log throughput: the finished log of `seq 1 {LINES}` (json-file with no size cap so the whole log is kept; ~155 MB on disk until the run removes it), follow=0, "
             "stdout only. dtui = `EngineClient.containers.logs(...)` iterating LogLines in-process "
             "(frame decoding, UTF-8, line splitting), the body read by dtui's own HTTP/1.1 reader "
             "(`dtui/engine/rawhttp.py`, used for unix and tcp engines); the second figure is the same "
             "call through httpx (what ssh engines use); curl = the raw framed download to /dev/null on "
             "the same unix socket (no decoding at all), so the ratio is a floor for dtui.")
    baseline = (f"curl {curl_rate:,.0f} lines/s ({seconds_text(curl[0])}, {curl[1] / 1e6:.1f} MB)"
                if curl and curl_rate else "curl not run (no curl or not a unix socket)")
    met = dtui_rate >= TARGET_RATIO * curl_rate if curl_rate else None
    httpx_rate = httpx_count / httpx_seconds
    return [Figure(
        f"finished log of {LINES:,} lines, follow=0: lines/s through the engine layer",
        f"{dtui_rate:,.0f} lines/s ({seconds_text(dtui_seconds)})",
        target=f"≥ {TARGET_RATIO}× curl",
        baseline=baseline,
        ratio=ratio_text(dtui_rate, curl_rate, "curl"),
        met=met,
        numbers=(dtui_rate, curl_rate or 0.0, dtui_seconds),
    ), Figure(
        "same log through httpx (the ssh fallback): lines/s",
        f"{httpx_rate:,.0f} lines/s ({seconds_text(httpx_seconds)})",
        baseline=baseline,
        ratio=ratio_text(httpx_rate, curl_rate, "curl"),
        numbers=(httpx_rate, curl_rate or 0.0, httpx_seconds),
    )]
