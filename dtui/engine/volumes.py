"""Volume calls of the Engine API, reached as ``client.volumes``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dtui.engine.params import Filters, filters_param, quote_path
from dtui.engine.requester import Requester
from dtui.engine.resource_models import PruneReport, Volume

PRUNE_TIMEOUT = 300.0


class Volumes:
    """The ``/volumes`` family of calls for one client."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def list(self, *, filters: Filters | None = None) -> list[Volume]:
        """``GET /volumes``: the engine wraps the list (``{"Volumes": [...] | null}``)."""
        data = await self._requester._json("GET", "/volumes", params={"filters": filters_param(filters)})
        items = data.get("Volumes") if isinstance(data, dict) else None
        return [Volume.from_api(item) for item in items or []]

    async def inspect(self, name: str) -> Volume:
        """``GET /volumes/{name}``: 404 ``get x: no such volume``."""
        return Volume.from_api(await self._requester._json("GET", f"/volumes/{quote_path(name)}") or {})

    async def create(
        self,
        name: str = "",
        *,
        driver: str = "local",
        labels: Mapping[str, str] | None = None,
        driver_options: Mapping[str, str] | None = None,
    ) -> Volume:
        """``POST /volumes/create`` (201); an empty name lets the engine pick one.

        Creating a volume whose name exists returns the existing one (the engine's rule).
        """
        body: dict[str, Any] = {
            "Name": name,
            "Driver": driver,
            "Labels": dict(labels or {}),
            "DriverOpts": dict(driver_options or {}),
        }
        return Volume.from_api(await self._requester._json("POST", "/volumes/create", json_body=body) or {})

    async def remove(self, name: str, *, force: bool = False) -> None:
        """``DELETE /volumes/{name}``: 409 ``volume is in use`` with the containers' ids."""
        await self._requester._request("DELETE", f"/volumes/{quote_path(name)}", params={"force": force or None})

    async def prune(self, *, filters: Filters | None = None) -> PruneReport:
        """``POST /volumes/prune``: remove volumes no container uses (API 1.42+: anonymous only)."""
        data = await self._requester._json(
            "POST", "/volumes/prune", params={"filters": filters_param(filters)}, timeout=PRUNE_TIMEOUT
        )
        return PruneReport.from_api(data or {}, "VolumesDeleted")
