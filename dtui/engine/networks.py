"""Network calls of the Engine API, reached as ``client.networks``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dtui.engine.params import Filters, filters_param, quote_path
from dtui.engine.requester import Requester
from dtui.engine.resource_models import CreatedNetwork, Network, PruneReport


class Networks:
    """The ``/networks`` family of calls for one client."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    @staticmethod
    def _path(network: str, action: str = "") -> str:
        suffix = f"/{action}" if action else ""
        return f"/networks/{quote_path(network)}{suffix}"

    async def list(self, *, filters: Filters | None = None) -> list[Network]:
        """``GET /networks``: attached containers are not in this listing (inspect has them)."""
        data = await self._requester._json("GET", "/networks", params={"filters": filters_param(filters)})
        return [Network.from_api(item) for item in data or []]

    async def inspect(self, network: str) -> Network:
        """``GET /networks/{id}``, attached containers included; 404 when missing."""
        return Network.from_api(await self._requester._json("GET", self._path(network)) or {})

    async def create(
        self,
        name: str,
        *,
        driver: str = "bridge",
        labels: Mapping[str, str] | None = None,
        internal: bool = False,
        attachable: bool = False,
        subnets: Sequence[tuple[str, str]] = (),
    ) -> CreatedNetwork:
        """``POST /networks/create`` (201); a taken name is a 409.

        Args:
            subnets: ``(subnet, gateway)`` pairs for IPAM; gateway may be empty.
        """
        config = [{"Subnet": subnet, **({"Gateway": gateway} if gateway else {})} for subnet, gateway in subnets]
        body: dict[str, Any] = {
            "Name": name,
            "Driver": driver,
            "Labels": dict(labels or {}),
            "Internal": internal,
            "Attachable": attachable,
            "CheckDuplicate": True,
        }
        if config:
            body["IPAM"] = {"Driver": "default", "Config": config}
        data = await self._requester._json("POST", "/networks/create", json_body=body)
        return CreatedNetwork.from_api(data or {})

    async def connect(self, network: str, container: str, *, aliases: Sequence[str] = ()) -> None:
        """``POST /networks/{id}/connect``; already attached is a 403 from the engine."""
        body: dict[str, Any] = {"Container": container}
        if aliases:
            body["EndpointConfig"] = {"Aliases": list(aliases)}
        await self._requester._request("POST", self._path(network, "connect"), json_body=body)

    async def disconnect(self, network: str, container: str, *, force: bool = False) -> None:
        """``POST /networks/{id}/disconnect``."""
        body = {"Container": container, "Force": force}
        await self._requester._request("POST", self._path(network, "disconnect"), json_body=body)

    async def remove(self, network: str) -> None:
        """``DELETE /networks/{id}``: containers still attached make it a 403 (engine's text)."""
        await self._requester._request("DELETE", self._path(network))

    async def prune(self, *, filters: Filters | None = None) -> PruneReport:
        """``POST /networks/prune``: remove networks no container uses."""
        data = await self._requester._json("POST", "/networks/prune", params={"filters": filters_param(filters)})
        return PruneReport.from_api(data or {}, "NetworksDeleted")
