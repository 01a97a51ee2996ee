"""System calls of the Engine API, reached as ``client.system``."""

from __future__ import annotations

from dtui.engine.requester import Requester
from dtui.engine.resource_models import DiskUsage

DF_TIMEOUT = 120.0
"""``/system/df`` walks every layer and volume: it can take long on a big host."""


class System:
    """``/system`` calls for one client."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def df(self) -> DiskUsage:
        """``GET /system/df``: images, containers, volumes and build cache with their sizes."""
        data = await self._requester._json("GET", "/system/df", timeout=DF_TIMEOUT)
        return DiskUsage.from_api(data or {})
