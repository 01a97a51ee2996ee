"""System calls of the Engine API, reached as ``client.system``.

Besides ``df`` this holds the prunes the disk usage screen needs that have no family of
their own here: stopped containers and the build cache.
"""

from __future__ import annotations

from dtui.engine.requester import Requester
from dtui.engine.resource_models import DiskUsage, PruneReport

DF_TIMEOUT = 120.0
"""``/system/df`` walks every layer and volume: it can take long on a big host."""
PRUNE_TIMEOUT = 300.0
"""Pruning many objects takes the engine a while."""


class System:
    """``/system`` calls (and the container and build cache prunes) for one client."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def df(self) -> DiskUsage:
        """``GET /system/df``: images, containers, volumes and build cache with their sizes."""
        data = await self._requester._json("GET", "/system/df", timeout=DF_TIMEOUT)
        return DiskUsage.from_api(data or {})

    async def prune_containers(self) -> PruneReport:
        """``POST /containers/prune``: remove every stopped container."""
        data = await self._requester._json("POST", "/containers/prune", timeout=PRUNE_TIMEOUT)
        return PruneReport.from_api(data or {}, "ContainersDeleted")

    async def prune_build_cache(self) -> PruneReport:
        """``POST /build/prune``: remove the build cache no build uses (``CachesDeleted`` ids)."""
        data = await self._requester._json("POST", "/build/prune", timeout=PRUNE_TIMEOUT)
        return PruneReport.from_api(data or {}, "CachesDeleted")
